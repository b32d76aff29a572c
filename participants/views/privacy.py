"""A person's rights: everything stored about them (Art. 15 GDPR), erasure (Art. 17)."""

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aktiva import documents
from aktiva.access import coordinator_required
from aktiva.addresses import request_base_url
from aktiva.audit import audit_request
from aktiva.models import AuditLogEntry

from ..privacy import participant_erase, participant_export
from .lookups import participant_for
from .people import get_participant


@coordinator_required
def participant_export_json(request, pk: int):
    participant = get_participant(request, pk)
    audit_request(request, AuditLogEntry.Action.EXPORT, participant, art15="json")
    content = json.dumps(participant_export(participant), ensure_ascii=False, indent=2)
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="auskunft-{participant.pk}.json"'
    return response


@require_POST
@coordinator_required
def participant_export_pdf(request, pk: int):
    participant = get_participant(request, pk)
    kind = documents.kind_for("participants.data_export")
    form = kind.form({"participant": participant.pk}, organization=request.organization)
    form.is_valid()  # the participant was found through the access rule above
    document = documents.document_request(
        organization=request.organization,
        kind=kind,
        form=form,
        user=request.user,
        base_url=request_base_url(request),
    )
    return redirect("documents:detail", pk=document.pk)


@coordinator_required
def participant_erase_page(request, pk: int):
    """Asks first: erasure cannot be undone."""
    participant = participant_for(request, pk)
    if request.method == "POST" and request.POST.get("confirm") == str(participant.pk):
        participant_erase(participant=participant, user=request.user)
        messages.success(
            request,
            _("Die Daten der Person sind gelöscht; Anwesenheitszahlen und Statistik bleiben."),
        )
        return redirect(participant)
    return render(request, "participants/participant_erase.html", {"participant": participant})
