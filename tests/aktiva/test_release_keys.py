"""What one release keeps in the cache is never read by the next (a deploy over a warm
Redis): every key of `aktiva.revisions.remembered` begins with the release's hash."""

from aktiva import revisions


def test_a_value_kept_by_another_release_is_computed_again(monkeypatch, settings, tmp_path):
    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    monkeypatch.setattr(revisions, "release", lambda: "release-one")
    assert revisions.remembered("test:part", compute, 60) == 1
    assert revisions.remembered("test:part", compute, 60) == 1  # kept
    monkeypatch.setattr(revisions, "release", lambda: "release-two")
    assert revisions.remembered("test:part", compute, 60) == 2  # the old value is not read


def test_the_release_hash_follows_the_code_and_the_templates(settings, tmp_path):
    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>eins</p>")
    settings.BASE_DIR = tmp_path
    revisions.release.cache_clear()
    try:
        first = revisions.release()
        revisions.release.cache_clear()
        assert revisions.release() == first  # the same files: the same release
        page.write_text("<p>zwei</p>")
        revisions.release.cache_clear()
        assert revisions.release() != first
    finally:
        revisions.release.cache_clear()
