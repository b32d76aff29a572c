"""Every URL of the project, for every role: login redirect, 403 for the wrong role, 404 for
another organization's objects (never 403 there: their existence is not confirmed), or
success; and the security headers on every one. A new view cannot escape: the test fails
for a URL name it does not know."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from aktiva.models import Document, Membership
from feedback import services as feedback_services
from participants.models import Certificate
from tests.factories import (
    LocationFactory,
    MembershipFactory,
    TrainerFactory,
    UserFactory,
)
from tests.feedback.factories import FeedbackCodeFactory, course_questionnaire
from tests.participants.factories import EnrollmentFactory, run_with_sessions
from trainings.models import Module

# Reachable without logging in, by design.
PUBLIC = {
    "healthz",
    "accessibility",
    "service_worker",
    "set_language",
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "feedback:public_start",
    "feedback:public_code",
    "feedback:public_form",
    "participants:verify",
    "trainings:ical_feed",
}
# Pages for coordinators only; every other page is for all members of an organization.
COORDINATOR_ONLY = {
    "audit:export", "audit:trail",
    "feedback:item_create", "feedback:item_delete", "feedback:item_edit", "feedback:item_move",
    "feedback:questionnaire_activate", "feedback:questionnaire_copy",
    "feedback:questionnaire_create", "feedback:questionnaire_detail",
    "feedback:questionnaire_list", "feedback:questionnaire_use_default",
    "feedback:year_export", "feedback:year_report", "feedback:year_report_pdf",
    "feedback:year_report_year", "feedback:year_runs", "feedback:year_texts",
    "participants:certificates_issue", "participants:erase",
    "participants:export_json", "participants:export_pdf",
    "participants:create", "participants:detail", "participants:enroll",
    "participants:handout_edit", "participants:handout_list", "participants:list",
    "participants:promote", "participants:update", "participants:withdraw",
    "organization_settings",
    "trainings:location_create", "trainings:location_list", "trainings:location_update",
    "trainings:module_create", "trainings:module_list", "trainings:module_update",
    "trainings:run_cancel", "trainings:run_create",
    "trainings:run_update", "trainings:schedule_generate", "trainings:session_cancel",
    "trainings:session_create", "trainings:session_update",
    "trainings:trainer_create", "trainings:trainer_detail", "trainings:trainer_list",
    "trainings:trainer_update",
}  # fmt: skip
MEMBERS = {
    "account_settings", "dashboard", "documents:detail", "documents:download", "documents:retry",
    "feedback:run_codes", "feedback:run_codes_print", "feedback:run_results",
    "participants:attendance", "participants:attendance_mark", "participants:certificates",
    "participants:attendance_all_present", "participants:attendance_undo",
    "participants:document", "participants:matrix", "participants:run", "participants:today",
    "participants:reports", "participants:reports_list",
    "trainings:calendar", "trainings:ical_renew", "trainings:my_sessions",
    "trainings:run_detail", "trainings:run_ics", "trainings:run_list", "trainings:run_transition",
}  # fmt: skip
# Any logged-in user's own account, with or without an organization.
ACCOUNT = {"password_change", "password_change_done", "session_ping", "second_factor_verify"}
# The second factor: for coordinators and platform administrators, not for trainers.
SECOND_FACTOR = {"second_factor", "second_factor_setup"}
# A bare POST (no form data) that names no object answers 404 by design.
EMPTY_POST_404 = {"participants:enroll", "documents:download"}
# kwargs that name an object (of the organization that owns the world below)
OBJECT_KWARGS = {"pk", "run_pk", "session_pk", "enrollment_pk", "module_pk", "key"}


def url_names() -> dict[str, list[str]]:
    """Every named URL of the project (the admin aside) with its kwargs."""
    found = {}

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found[name] = list(pattern.pattern.converters)

    walk(get_resolver().url_patterns)
    return found


@pytest.fixture
def world(org, coordinator, trainer_user, trainer):
    """One organization with one of everything, a run led by `trainer`."""
    run, sessions = run_with_sessions(org, count=2, past=1, trainers=[trainer])
    enrollment = EnrollmentFactory(run=run)
    module = Module.objects.create(
        organization=org, code="eigenes", name="Eigenes Modul", kind="addon", position=90
    )
    run.modules.add(module)
    location = LocationFactory(organization=org)
    questionnaire = feedback_services.questionnaire_copy(
        questionnaire=course_questionnaire(), organization=org
    )
    item = questionnaire.items.first()
    document = Document.objects.create(
        organization=org,
        kind="participants.invitation",
        title="Einladung",
        requested_by=coordinator,
    )
    certificate = Certificate.objects.create(
        participant=enrollment.participant,
        run=run,
        initials="A. B.",
        sessions_attended=2,
        sessions_held=2,
        units_attended=8,
    )
    code = FeedbackCodeFactory(run=run)
    year = timezone.localdate().year
    kwargs = {
        "documents:": {"pk": document.pk},
        "participants:detail": {"pk": enrollment.participant_id},
        "participants:update": {"pk": enrollment.participant_id},
        "participants:erase": {"pk": enrollment.participant_id},
        "participants:export_json": {"pk": enrollment.participant_id},
        "participants:export_pdf": {"pk": enrollment.participant_id},
        "participants:withdraw": {"pk": enrollment.pk},
        "participants:document": {"run_pk": run.pk, "kind": "invitation"},
        "participants:verify": {"number": certificate.number},
        "participants:handout_edit": {"module_pk": module.pk},
        "participants:": {
            "run_pk": run.pk,
            "session_pk": sessions[0].pk,
            "enrollment_pk": enrollment.pk,
        },
        "feedback:public_code": {"code": code.code},
        "feedback:public_form": {"code": code.code, "moment": "kurs"},
        "feedback:year_": {"year": year, "fmt": "csv"},
        "feedback:run_": {"pk": run.pk},
        "feedback:": {"pk": questionnaire.pk, "key": item.key},
        "trainings:trainer_": {"pk": trainer.pk},
        "trainings:ical_renew": {"pk": trainer.pk},
        "trainings:module_update": {"pk": module.pk},
        "trainings:location_update": {"pk": location.pk},
        "trainings:ical_feed": {"token": trainer.ical_token},
        "trainings:": {"pk": run.pk, "session_pk": sessions[0].pk},
        "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
    }
    return kwargs


def _url(world, name: str, params: list[str]) -> str:
    # the most specific prefix wins
    for prefix in sorted(world, key=len, reverse=True):
        if name.startswith(prefix):
            values = world[prefix]
            return reverse(name, kwargs={p: values[p] for p in params})
    return reverse(name)


def _client(user=None) -> Client:
    client = Client()
    if user:
        client.force_login(user)
    return client


@pytest.fixture
def clients(coordinator, trainer_user, outsider, org):
    idle_trainer = UserFactory(username="ohne-durchgang")
    MembershipFactory(user=idle_trainer, organization=org, role=Membership.Role.TRAINER)
    TrainerFactory(organization=org, user=idle_trainer)
    platform_admin = UserFactory(username="plattform", is_staff=True, is_superuser=True)
    return {
        "anonymous": _client(),
        "coordinator": _client(coordinator),
        "trainer": _client(trainer_user),
        "idle_trainer": _client(idle_trainer),
        "outsider": _client(outsider),
        "platform_admin": _client(platform_admin),
    }


def _status(client, url: str, method: str) -> int:
    response = client.post(url) if method == "post" else client.get(url)
    return response.status_code, response.get("Location", "")


def test_every_url_answers_as_its_access_rule_says(world, clients):
    failures = []
    # deleting goes last: the other URLs need the item it deletes
    for name, params in sorted(url_names().items(), key=lambda kv: ("delete" in kv[0], kv[0])):
        if name == "logout":  # it would log the clients out; tests/aktiva covers it
            continue
        url = _url(world, name, params)
        names_object = bool(OBJECT_KWARGS & set(params))
        page = clients["coordinator"].get(url)
        method = "post" if page.status_code == 405 else "get"
        if "frame-ancestors 'none'" not in page.get("Content-Security-Policy", ""):
            failures.append(f"{name}: no Content-Security-Policy")
        if name not in PUBLIC and "no-store" not in page.get("Cache-Control", ""):
            failures.append(f"{name}: a staff page without Cache-Control: no-store")
        results = {role: _status(client, url, method) for role, client in clients.items()}
        status = {role: code for role, (code, _location) in results.items()}

        def fail(why, name=name, method=method, url=url, status=status):
            failures.append(f"{name} ({method.upper()} {url}): {why} {status}")

        if any(code >= 500 for code in status.values()):
            fail("server error")
        if name in PUBLIC:
            continue
        if name in SECOND_FACTOR:
            if status["platform_admin"] != 200 or status["trainer"] != 403:
                fail("the second factor is for coordinators and platform administrators")
            continue
        if name in ACCOUNT:
            if status["platform_admin"] not in (200, 204) or results["anonymous"][0] != 302:
                fail("own account pages are for every logged-in user")
            continue
        code, location = results["anonymous"]
        if code != 302 or "/konto/anmelden/" not in location:
            fail("anonymous not sent to the login page")
        if status["platform_admin"] not in (403,):
            fail("a user without organization must get 403")
        if names_object and status["outsider"] != 404:
            fail("another organization's object must answer 404")
        if name in COORDINATOR_ONLY:
            if status["trainer"] != 403 or status["idle_trainer"] != 403:
                fail("the wrong role must get 403")
        elif status["trainer"] == 403:
            fail("a page for all members refuses the trainer who leads the run")
        elif names_object and name.split(":")[0] in ("trainings", "participants", "feedback"):
            led = "trainings:trainer_" not in name and "ical_renew" not in name
            if led and status["idle_trainer"] != 404:
                fail("a trainer on a run they do not lead must get 404")
        if status["coordinator"] not in (200, 302):
            if not (name in EMPTY_POST_404 and status["coordinator"] == 404):
                fail("the coordinator of the organization must be served")
    assert not failures, "\n".join(failures)


def test_every_url_is_classified_public_account_member_or_coordinator():
    """A new view must be put in one of the sets above, deciding who may open it."""
    known = PUBLIC | ACCOUNT | SECOND_FACTOR | MEMBERS | COORDINATOR_ONLY | {"logout"}
    assert set(url_names()) == known, {
        "unknown (classify them)": set(url_names()) - known,
        "gone (remove them)": known - set(url_names()),
    }
