"""The questionnaires shipped with the application (loaded by a data migration).

The course questionnaire uses the statements with which AktivA trainings are
evaluated in the field; the well-being questionnaire is the WHO-5 Well-Being Index
(WHO Collaborating Centre in Mental Health, 1998; German version), asked before
and after the course with the same code.
"""

from django.utils.translation import gettext_noop

# Texts and labels are marked with gettext_noop: the rows keep the German, and the public form,
# the results and the exports show them in the reader's language (Item.display_text).

COURSE_KEY = "6f1d2a8e-4a53-4c1e-9a55-0c2f0a7a0001"
WHO5_KEY = "6f1d2a8e-4a53-4c1e-9a55-0c2f0a7a0005"

# (key, kind, label, text, required)
COURSE_ITEMS = [
    (
        "akzeptanz",
        "scale",
        gettext_noop("Akzeptanz"),
        gettext_noop("Ich habe mich in dem Training wohlgefühlt."),
        True,
    ),
    (
        "lernen",
        "scale",
        gettext_noop("Lernen"),
        gettext_noop("Durch das Training habe ich Neues gelernt."),
        True,
    ),
    (
        "umsetzung",
        "scale",
        gettext_noop("Umsetzung"),
        gettext_noop("Ich sehe mich in der Lage, das Gelernte umzusetzen."),
        True,
    ),
    (
        "interesse",
        "scale",
        gettext_noop("Interesse"),
        gettext_noop("Ich habe mich schon vorher für das Thema interessiert."),
        True,
    ),
    (
        "seminarleitung",
        "scale",
        gettext_noop("Seminarleitung"),
        gettext_noop("Ich war mit dem Verhalten der Trainer/innen zufrieden."),
        True,
    ),
    (
        "erklaerungen",
        "scale",
        gettext_noop("Erklärungen"),
        gettext_noop("Die Erklärungen der Trainer/innen waren verständlich."),
        True,
    ),
    (
        "zufriedenheit",
        "scale",
        gettext_noop("Gesamtzufriedenheit"),
        gettext_noop("Insgesamt bin ich mit dem Training zufrieden."),
        True,
    ),
    (
        "weiterempfehlen",
        "yes_no",
        gettext_noop("Weiterempfehlung"),
        gettext_noop("Würden Sie das Training weiterempfehlen?"),
        True,
    ),
    (
        "geholfen",
        "text",
        gettext_noop("Was geholfen hat"),
        gettext_noop("Was hat Ihnen im Training besonders geholfen?"),
        False,
    ),
    (
        "verbessern",
        "text",
        gettext_noop("Verbesserungen"),
        gettext_noop("Was können wir besser machen?"),
        False,
    ),
]

WHO5_ITEMS = [
    ("who5_1", "who5", gettext_noop("froh"), gettext_noop("… war ich froh und guter Laune."), True),
    (
        "who5_2",
        "who5",
        gettext_noop("ruhig"),
        gettext_noop("… habe ich mich ruhig und entspannt gefühlt."),
        True,
    ),
    (
        "who5_3",
        "who5",
        gettext_noop("aktiv"),
        gettext_noop("… habe ich mich energisch und aktiv gefühlt."),
        True,
    ),
    (
        "who5_4",
        "who5",
        gettext_noop("ausgeruht"),
        gettext_noop("… habe ich mich beim Aufwachen frisch und ausgeruht gefühlt."),
        True,
    ),
    (
        "who5_5",
        "who5",
        gettext_noop("interessiert"),
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
