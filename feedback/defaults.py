"""The questionnaires shipped with the application (loaded by a data migration).

The course questionnaire uses the statements with which AktivA trainings are
evaluated in the field; the well-being questionnaire is the WHO-5 Well-Being Index
(WHO Collaborating Centre in Mental Health, 1998; German version), asked before
and after the course with the same code.
"""

from django.utils.translation import gettext_noop

# Texts are marked with gettext_noop so that the public form can show them in English too.

COURSE_KEY = "6f1d2a8e-4a53-4c1e-9a55-0c2f0a7a0001"
WHO5_KEY = "6f1d2a8e-4a53-4c1e-9a55-0c2f0a7a0005"

# (key, kind, label, text, required)
COURSE_ITEMS = [
    (
        "akzeptanz",
        "scale",
        "Akzeptanz",
        gettext_noop("Ich habe mich in dem Training wohlgefühlt."),
        True,
    ),
    ("lernen", "scale", "Lernen", gettext_noop("Durch das Training habe ich Neues gelernt."), True),
    (
        "umsetzung",
        "scale",
        "Umsetzung",
        gettext_noop("Ich sehe mich in der Lage, das Gelernte umzusetzen."),
        True,
    ),
    (
        "interesse",
        "scale",
        "Interesse",
        gettext_noop("Ich habe mich schon vorher für das Thema interessiert."),
        True,
    ),
    (
        "seminarleitung",
        "scale",
        "Seminarleitung",
        gettext_noop("Ich war mit dem Verhalten der Trainer/innen zufrieden."),
        True,
    ),
    (
        "erklaerungen",
        "scale",
        "Erklärungen",
        gettext_noop("Die Erklärungen der Trainer/innen waren verständlich."),
        True,
    ),
    (
        "zufriedenheit",
        "scale",
        "Gesamtzufriedenheit",
        gettext_noop("Insgesamt bin ich mit dem Training zufrieden."),
        True,
    ),
    (
        "weiterempfehlen",
        "yes_no",
        "Weiterempfehlung",
        gettext_noop("Würden Sie das Training weiterempfehlen?"),
        True,
    ),
    (
        "geholfen",
        "text",
        "Was geholfen hat",
        gettext_noop("Was hat Ihnen im Training besonders geholfen?"),
        False,
    ),
    ("verbessern", "text", "Verbesserungen", gettext_noop("Was können wir besser machen?"), False),
]

WHO5_ITEMS = [
    ("who5_1", "who5", "froh", gettext_noop("… war ich froh und guter Laune."), True),
    ("who5_2", "who5", "ruhig", gettext_noop("… habe ich mich ruhig und entspannt gefühlt."), True),
    ("who5_3", "who5", "aktiv", gettext_noop("… habe ich mich energisch und aktiv gefühlt."), True),
    (
        "who5_4",
        "who5",
        "ausgeruht",
        gettext_noop("… habe ich mich beim Aufwachen frisch und ausgeruht gefühlt."),
        True,
    ),
    (
        "who5_5",
        "who5",
        "interessiert",
        gettext_noop("… war mein Alltag voller Dinge, die mich interessieren."),
        True,
    ),
]

QUESTIONNAIRES = [
    (
        COURSE_KEY,
        "course",
        gettext_noop("Rückmeldung zum AktivA-Training"),
        gettext_noop(
            "Bitte sagen Sie uns, wie Sie das Training erlebt haben. Ihre Antworten sind anonym."
        ),
        COURSE_ITEMS,
    ),
    (
        WHO5_KEY,
        "wellbeing",
        gettext_noop("Wie geht es Ihnen?"),
        gettext_noop(
            "Die folgenden Aussagen betreffen Ihr Wohlbefinden in den letzten zwei Wochen. "
            "Bitte wählen Sie bei jeder Aussage, was am besten beschreibt, "
            "wie Sie sich gefühlt haben. "
            "In den letzten zwei Wochen …"
        ),
        WHO5_ITEMS,
    ),
]
