"""The AktivA module catalogue as shipped (organization = None)."""

CATALOGUE = [
    # code, name, kind, position, default teaching units, description
    (
        "aktivitaetenplanung",
        "Aktivitätenplanung",
        "core",
        1,
        6,
        "Den Tag strukturieren, angenehme Aktivitäten planen und umsetzen.",
    ),
    (
        "konstruktives-denken",
        "Konstruktives Denken",
        "core",
        2,
        6,
        "Gedanken, Gefühle und Handlungen: das ABC-Modell, belastende Gedanken prüfen.",
    ),
    (
        "soziale-kompetenz",
        "Soziale Kompetenz und soziale Unterstützung",
        "core",
        3,
        6,
        "Selbstsicher auftreten, das eigene Netzwerk erkennen und nutzen.",
    ),
    (
        "problemloesen",
        "Systematisches Problemlösen",
        "core",
        4,
        6,
        "Ziele setzen, Lösungen finden, Pläne machen und prüfen.",
    ),
    ("bewegung", "Bewegung", "addon", 5, 2, "Bewegung in den Alltag bringen."),
    ("ernaehrung", "Ernährung", "addon", 6, 2, "Gesund und günstig essen."),
    ("entspannung", "Entspannung", "addon", 7, 2, "Entspannungsverfahren kennenlernen und üben."),
    (
        "sgb-workshop",
        "Workshop: Leistungen nach SGB II und SGB III",
        "workshop",
        8,
        2,
        "Welche Leistungen des Jobcenters und der Arbeitsagentur zur Verfügung stehen.",
    ),
]
