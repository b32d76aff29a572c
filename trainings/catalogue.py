"""The AktivA module catalogue as shipped (organization = None).

Names and descriptions are marked for translation: the rows keep the German text, and
`Module.display_name` shows it in the reader's language while the row still says what was
shipped (the code is the stable key; a record changed in the admin is shown as typed).
"""

from django.utils.translation import gettext_noop

CATALOGUE = [
    # code, name, kind, position, default teaching units, description
    (
        "aktivitaetenplanung",
        gettext_noop("Aktivitätenplanung"),
        "core",
        1,
        6,
        gettext_noop("Den Tag strukturieren, angenehme Aktivitäten planen und umsetzen."),
    ),
    (
        "konstruktives-denken",
        gettext_noop("Konstruktives Denken"),
        "core",
        2,
        6,
        gettext_noop(
            "Gedanken, Gefühle und Handlungen: das ABC-Modell, belastende Gedanken prüfen."
        ),
    ),
    (
        "soziale-kompetenz",
        gettext_noop("Soziale Kompetenz und soziale Unterstützung"),
        "core",
        3,
        6,
        gettext_noop("Selbstsicher auftreten, das eigene Netzwerk erkennen und nutzen."),
    ),
    (
        "problemloesen",
        gettext_noop("Systematisches Problemlösen"),
        "core",
        4,
        6,
        gettext_noop("Ziele setzen, Lösungen finden, Pläne machen und prüfen."),
    ),
    (
        "bewegung",
        gettext_noop("Bewegung"),
        "addon",
        5,
        2,
        gettext_noop("Bewegung in den Alltag bringen."),
    ),
    (
        "ernaehrung",
        gettext_noop("Ernährung"),
        "addon",
        6,
        2,
        gettext_noop("Gesund und günstig essen."),
    ),
    (
        "entspannung",
        gettext_noop("Entspannung"),
        "addon",
        7,
        2,
        gettext_noop("Entspannungsverfahren kennenlernen und üben."),
    ),
    (
        "sgb-workshop",
        gettext_noop("Workshop: Leistungen nach SGB II und SGB III"),
        "workshop",
        8,
        2,
        gettext_noop(
            "Welche Leistungen des Jobcenters und der Arbeitsagentur zur Verfügung stehen."
        ),
    ),
]

# code → (name, description) as shipped
SHIPPED_TEXTS = {row[0]: (row[1], row[5]) for row in CATALOGUE}
