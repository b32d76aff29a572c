"""Handout content that an organization adjusts per module.

The content is plain text with a tiny markup ("# " heading, "- " bullet, blank line
between paragraphs). It is never treated as HTML, so an adjusted handout cannot make
the PDF renderer load files or reach the network.
"""

from dataclasses import dataclass

from trainings.models import Module

DEFAULT_BODIES = {
    "aktivitaetenplanung": (
        "# Aktivitätenplanung\n\n"
        "Ein fester Tagesablauf gibt Halt. Angenehme Tätigkeiten heben die Stimmung.\n\n"
        "# Mein Wochenplan\n\n"
        "- Wann stehe ich auf, wann esse ich, wann gehe ich schlafen?\n"
        "- Welche angenehme Tätigkeit plane ich für jeden Tag?\n"
        "- Was habe ich erledigt? Haken setzen!"
    ),
    "konstruktives-denken": (
        "# Konstruktives Denken\n\n"
        "Gedanken beeinflussen Gefühle und Handlungen (ABC-Modell).\n\n"
        "- A: Auslöser – was ist passiert?\n"
        "- B: Bewertung – was denke ich darüber?\n"
        "- C: Consequenz – wie fühle ich mich, was tue ich?\n\n"
        "Suchen Sie für einen belastenden Gedanken einen hilfreicheren."
    ),
    "soziale-kompetenz": (
        "# Soziale Kompetenz und soziale Unterstützung\n\n"
        "Selbstsicher sagen, was man möchte – und wissen, wer einem helfen kann.\n\n"
        "# Mein Netzwerk\n\n"
        "- Wer hört mir zu?\n"
        "- Wer hilft mir bei praktischen Dingen?\n"
        "- Wen möchte ich wieder öfter treffen?"
    ),
    "problemloesen": (
        "# Systematisches Problemlösen\n\n"
        "- Problem beschreiben\n"
        "- Ziel festlegen\n"
        "- Lösungen sammeln, ohne sie gleich zu bewerten\n"
        "- Die beste Lösung wählen und einen Plan machen\n"
        "- Umsetzen und prüfen, was gut lief"
    ),
}


@dataclass
class Block:
    kind: str  # "h", "p" or "ul"
    text: str = ""
    items: tuple[str, ...] = ()


def default_body(module: Module) -> str:
    if module.code in DEFAULT_BODIES:
        return DEFAULT_BODIES[module.code]
    return f"# {module.name}\n\n{module.description}".strip()


def to_blocks(body: str) -> list[Block]:
    blocks: list[Block] = []
    bullets: list[str] = []
    paragraph: list[str] = []

    def flush():
        if paragraph:
            blocks.append(Block("p", " ".join(paragraph)))
            paragraph.clear()
        if bullets:
            blocks.append(Block("ul", items=tuple(bullets)))
            bullets.clear()

    for raw in body.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("# "):
            flush()
            blocks.append(Block("h", line[2:].strip()))
        elif line.startswith("- "):
            if paragraph:
                flush()
            bullets.append(line[2:].strip())
        else:
            if bullets:
                flush()
            paragraph.append(line)
    flush()
    return blocks
