"""Participants: the list with search, a person's page, creating and editing."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from aktiva.access import coordinator_required
from aktiva.addresses import with_urls
from aktiva.audit import audit_request
from aktiva.forms import add_service_errors
from aktiva.models import AuditLogEntry
from aktiva.paging import capped_page, page_without_count

from .. import selectors, services
from ..forms import ParticipantForm, SearchForm
from ..models import Participant
from .enrollment import enroll
from .lookups import id_or_404, participant_for, run_for

# A search lists at most this many people; for more it asks for a more precise search.
SEARCH_CAP = 200
PER_PAGE = 50


@coordinator_required
def participant_list(request):
    form = SearchForm(request.GET)
    term = form.data.get("q", "").strip() if form.is_valid() else ""
    participants = Participant.objects.visible_to(request.membership).not_anonymised().listed()
    number = request.GET.get("page")
    too_many = False
    if term:
        found = partial(
            participants.search_capped, term, SEARCH_CAP, organization_id=request.organization.pk
        )
        page, too_many = capped_page(found, number, PER_PAGE, SEARCH_CAP)
        # A search names people: it is a read of personal data.
        audit_request(request, AuditLogEntry.Action.VIEW, request.organization, search=len(term))
    else:
        page = page_without_count(participants, number, PER_PAGE)
    with_urls(page.object_list, "participants:detail")
    context = {"form": form, "page": page, "term": term, "query": urlencode({"q": term})}
    context.update(too_many=too_many, search_cap=SEARCH_CAP)
    return render(request, "participants/participant_list.html", context)


@coordinator_required
def participant_detail(request, pk: int):
    participant = get_participant(request, pk)
    audit_request(request, AuditLogEntry.Action.VIEW, participant)
    context = selectors.participant_page(participant)
    return render(request, "participants/participant_detail.html", context)


def get_participant(request, pk: int) -> Participant:
    """Also an anonymised person's page: what is left of them (runs, attendance counts)."""
    return get_object_or_404(Participant.objects.visible_to(request.membership), pk=pk)


def _form_page(request, form, participant=None, run=None):
    context = {"form": form, "participant": participant, "run": run}
    return render(request, "participants/participant_form.html", context)


@coordinator_required
def participant_create(request):
    run = run_for(request, id_or_404(request.GET["run"])) if request.GET.get("run") else None
    form = ParticipantForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.participant_save(participant=form.instance, user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
            return _form_page(request, form, run=run)
        messages.success(request, _("%(name)s wurde angelegt.") % {"name": participant})
        return enroll(request, run, participant) if run else redirect(participant)
    return _form_page(request, form, run=run)


@coordinator_required
def participant_update(request, pk: int):
    participant = participant_for(request, pk)
    if request.method == "GET":
        audit_request(request, AuditLogEntry.Action.VIEW, participant, page="edit")
    form = ParticipantForm(
        request.POST or None, instance=participant, organization=request.organization
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_save(participant=form.instance, user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
            return _form_page(request, form, participant)
        messages.success(request, _("Die Angaben wurden gespeichert."))
        return redirect(participant)
    return _form_page(request, form, participant)
