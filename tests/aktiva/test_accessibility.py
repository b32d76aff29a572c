"""The accessibility statement (BITV 2.0): public, in German and English, linked from every
page's footer, with the contact for reporting barriers and the enforcement procedure."""

import pytest
from django.test import Client
from django.urls import reverse

from aktiva.models import Membership
from tests.factories import MembershipFactory, TrainerFactory, UserFactory, run_with_sessions

URL = reverse("accessibility")


def _english(client: Client) -> Client:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


@pytest.fixture
def other_trainer_client(org):
    """A trainer of the same organization who leads no run."""
    user = UserFactory(username="andere")
    MembershipFactory(user=user, organization=org, role=Membership.Role.TRAINER)
    TrainerFactory(organization=org, user=user)
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "who",
    ["anonymous_client", "coordinator_client", "trainer_client", "other_trainer_client",
     "outsider_client"],
)  # fmt: skip
def test_every_role_and_nobody_reads_it(request, who, org, trainer, settings):
    settings.AKTIVA_ACCESSIBILITY_CONTACT = "barrieren@jobcenter.example"
    run_with_sessions(org, count=2, trainers=[trainer])  # the leading trainer leads a run
    html = request.getfixturevalue(who).get(URL).content.decode()
    assert "<h1" in html and "Erklärung zur Barrierefreiheit" in html
    assert "teilweise vereinbar" in html
    assert 'href="mailto:barrieren@jobcenter.example"' in html
    assert "Schlichtungsstelle" in html and "info@schlichtungsstelle-bgg.de" in html
    assert "25.11.2026" in html or "25. November 2026" in html  # date of preparation


def test_it_reads_in_english(anonymous_client):
    html = _english(anonymous_client).get(URL).content.decode()
    assert '<html lang="en">' in html
    assert "Accessibility statement" in html and "partially compliant" in html
    assert "25 November 2026" in html
    assert "Erklärung zur Barrierefreiheit" not in html
    # the Easy Read part is German by nature, and says so to assistive technology
    assert (
        '<section class="mt-4 p-3 border rounded" aria-labelledby="leichte-sprache" lang="de">'
        in html
    )


def test_the_contact_falls_back_to_the_organization_then_the_sender(
    coordinator_client, anonymous_client, org, settings
):
    settings.AKTIVA_ACCESSIBILITY_CONTACT = ""
    settings.DEFAULT_FROM_EMAIL = "aktiva@jobcenter.example"
    org.contact_email = "kontakt@jobcenter-dresden.example"
    org.save()
    assert (
        "mailto:kontakt@jobcenter-dresden.example" in coordinator_client.get(URL).content.decode()
    )
    assert "mailto:aktiva@jobcenter.example" in anonymous_client.get(URL).content.decode()


def test_only_get(anonymous_client):
    assert anonymous_client.post(URL).status_code == 405


@pytest.mark.parametrize(
    "name", ["login", "password_reset", "feedback:public_start", "accessibility"]
)
def test_public_pages_link_to_it_in_the_footer(anonymous_client, name):
    html = anonymous_client.get(reverse(name)).content.decode()
    footer = html[html.index("<footer") :]
    assert f'href="{URL}"' in footer and "Barrierefreiheit" in footer


def test_pages_of_members_link_to_it(coordinator_client, trainer_client):
    for client in (coordinator_client, trainer_client):
        html = client.get(reverse("dashboard")).content.decode()
        assert f'href="{URL}"' in html[html.index("<footer") :]


def test_public_form_links_to_it(anonymous_client, org):
    from tests.feedback.factories import FeedbackCodeFactory

    run, _ = run_with_sessions(org, count=2)
    code = FeedbackCodeFactory(run=run)
    html = anonymous_client.get(reverse("feedback:public_code", args=[code.code])).content.decode()
    assert f'href="{URL}"' in html[html.index("<footer") :]


def test_queries_do_not_depend_on_who_asks(
    anonymous_client, coordinator_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(0):
        anonymous_client.get(URL)
    with django_assert_max_num_queries(3):  # session, user with membership, organization
        coordinator_client.get(URL)
