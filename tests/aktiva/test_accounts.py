from django.core import mail
from django.urls import reverse


def test_login_page_is_german_and_logs_in(client, coordinator):
    response = client.get(reverse("login"))
    assert "Anmelden" in response.content.decode() and 'lang="de"' in response.content.decode()
    response = client.post(
        reverse("login"), {"username": "koordination", "password": "geheim-passwort-1"}
    )
    assert response.status_code == 302 and response.url == reverse("dashboard")


def test_wrong_password_gives_german_message_and_keeps_username(client, coordinator):
    response = client.post(reverse("login"), {"username": "koordination", "password": "falsch"})
    html = response.content.decode()
    assert "Benutzername oder Passwort stimmen nicht" in html and 'value="koordination"' in html


def test_logout_by_post(coordinator_client):
    response = coordinator_client.post(reverse("logout"))
    assert response.status_code == 302
    assert coordinator_client.get(reverse("dashboard")).status_code == 302


def test_password_change(coordinator_client, coordinator):
    response = coordinator_client.post(
        reverse("password_change"),
        {
            "old_password": "geheim-passwort-1",
            "new_password1": "neues-langes-passwort-9",
            "new_password2": "neues-langes-passwort-9",
        },
    )
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.check_password("neues-langes-passwort-9")


def test_password_change_rejects_mismatch_in_german(coordinator_client):
    response = coordinator_client.post(
        reverse("password_change"),
        {
            "old_password": "geheim-passwort-1",
            "new_password1": "neues-langes-passwort-9",
            "new_password2": "anders-9x",
        },
    )
    assert "Die beiden Passwörter sind nicht identisch." in response.content.decode()


def test_password_reset_sends_german_mail(client, coordinator):
    response = client.post(reverse("password_reset"), {"email": coordinator.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "neues Passwort" in mail.outbox[0].subject
    assert "/konto/passwort-neu/" in mail.outbox[0].body


def test_english_is_the_second_language(client, coordinator):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("login")).content.decode()
    assert 'lang="en"' in html


def test_english_catalogue_is_compiled_and_tells_words_apart():
    from django.utils import translation
    from django.utils.translation import gettext, pgettext

    with translation.override("en"):
        assert gettext("Durchgänge") == "Course runs"
        assert gettext("Abmelden") == "Log out"
        assert pgettext("Teilnahme", "Abmelden") == "Withdraw"
        assert pgettext("Teilnahme", "Anmelden") == "Enrol"
