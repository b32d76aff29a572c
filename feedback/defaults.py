"""The questionnaires shipped with the application (loaded by a data migration).

The course questionnaire uses the statements with which AktivA trainings are
evaluated in the field; the well-being questionnaire is the WHO-5 Well-Being Index
(WHO Collaborating Centre in Mental Health, 1998; German version), asked before
and after the course with the same code.
"""

COURSE_KEY = "6f1d2a8e-4a53-4c1e-9a55-0c2f0a7a0001"
WHO5_KEY = "6f1d2a8e-4a53-4c1e-9a55-0c2f0a7a0005"

# (key, kind, label, text, required)
COURSE_ITEMS = [
    ("akzeptanz", "scale", "Akzeptanz", "Ich habe mich in dem Training wohlgefühlt.", True),
    ("lernen", "scale", "Lernen", "Durch das Training habe ich Neues gelernt.", True),
    (
        "umsetzung",
        "scale",
        "Umsetzung",
        "Ich sehe mich in der Lage, das Gelernte umzusetzen.",
        True,
    ),
    (
        "interesse",
        "scale",
        "Interesse",
        "Ich habe mich schon vorher für das Thema interessiert.",
        True,
    ),
    (
        "seminarleitung",
        "scale",
        "Seminarleitung",
        "Ich war mit dem Verhalten der Trainer/innen zufrieden.",
        True,
    ),
    (
        "erklaerungen",
        "scale",
        "Erklärungen",
        "Die Erklärungen der Trainer/innen waren verständlich.",
        True,
    ),
    (
        "zufriedenheit",
        "scale",
        "Gesamtzufriedenheit",
        "Insgesamt bin ich mit dem Training zufrieden.",
        True,
    ),
    (
        "weiterempfehlen",
        "yes_no",
        "Weiterempfehlung",
        "Würden Sie das Training weiterempfehlen?",
        True,
    ),
    (
        "geholfen",
        "text",
        "Was geholfen hat",
        "Was hat Ihnen im Training besonders geholfen?",
        False,
    ),
    ("verbessern", "text", "Verbesserungen", "Was können wir besser machen?", False),
]

WHO5_ITEMS = [
    ("who5_1", "who5", "froh", "… war ich froh und guter Laune.", True),
    ("who5_2", "who5", "ruhig", "… habe ich mich ruhig und entspannt gefühlt.", True),
    ("who5_3", "who5", "aktiv", "… habe ich mich energisch und aktiv gefühlt.", True),
    (
        "who5_4",
        "who5",
        "ausgeruht",
        "… habe ich mich beim Aufwachen frisch und ausgeruht gefühlt.",
        True,
    ),
    (
        "who5_5",
        "who5",
        "interessiert",
        "… war mein Alltag voller Dinge, die mich interessieren.",
        True,
    ),
]

QUESTIONNAIRES = [
    (
        COURSE_KEY,
        "course",
        "Rückmeldung zum AktivA-Training",
        "Bitte sagen Sie uns, wie Sie das Training erlebt haben. Ihre Antworten sind anonym.",
        COURSE_ITEMS,
    ),
    (
        WHO5_KEY,
        "wellbeing",
        "Wie geht es Ihnen?",
        "Die folgenden Aussagen betreffen Ihr Wohlbefinden in den letzten zwei Wochen. "
        "Bitte wählen Sie bei jeder Aussage, was am besten beschreibt, wie Sie sich gefühlt haben. "
        "In den letzten zwei Wochen …",
        WHO5_ITEMS,
    ),
]
