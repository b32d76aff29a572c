"""English is complete: every text the code marks for translation has an English msgstr in
the one catalogue, and the compiled catalogue matches it."""

import shutil
from fnmatch import fnmatch
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES"
# As in scripts/messages.
IGNORE = [".venv", "tests", "benchmarks", "locale", "staticfiles", "media", "*.egg-info"]


@pytest.fixture
def extracted(tmp_path, settings, monkeypatch) -> polib.POFile:
    """The catalogue as `makemessages` would leave it, extracted into a temporary copy.
    It reads the sources through links from a folder without `locale/`: run from the
    project's root, makemessages writes every catalogue into the root's own `locale/`
    (it picks the locale folder whose parent holds the source), whatever LOCALE_PATHS says,
    and each test run rewrapped the committed file."""
    copy = tmp_path / "locale" / "en" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    shutil.copy(CATALOGUE / "django.po", copy / "django.po")
    sources = tmp_path / "sources"
    sources.mkdir()
    root = CATALOGUE.parent.parent.parent
    for entry in root.iterdir():
        if not entry.name.startswith(".") and not any(fnmatch(entry.name, p) for p in IGNORE):
            (sources / entry.name).symlink_to(entry)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(sources)
    call_command(
        "makemessages",
        locale=["en"],
        no_location=True,
        ignore_patterns=IGNORE,
        symlinks=True,
        verbosity=0,
    )
    return polib.pofile(str(copy / "django.po"))


def test_every_text_has_english(extracted):
    missing = [
        entry.msgid
        for entry in extracted
        if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)
    ]
    assert missing == [], "Texts without English (run ./scripts/messages and fill them in)"


def test_the_compiled_catalogue_matches_the_po():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    mo = {
        (entry.msgctxt, entry.msgid): entry for entry in polib.mofile(str(CATALOGUE / "django.mo"))
    }
    stale = [
        entry.msgid
        for entry in po.translated_entries()
        if (entry.msgctxt, entry.msgid) not in mo
        or (
            mo[(entry.msgctxt, entry.msgid)].msgstr
            or mo[(entry.msgctxt, entry.msgid)].msgstr_plural
        )
        != (entry.msgstr or entry.msgstr_plural)
    ]
    assert stale == [], "django.mo is older than django.po: run compilemessages"


def test_there_is_one_catalogue():
    app_catalogues = [
        p for p in CATALOGUE.parent.parent.parent.glob("*/locale") if p.parent.name != ".venv"
    ]
    assert app_catalogues == []
