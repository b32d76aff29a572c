"""Status, download and retry of generated documents."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import documents
from ..access import member_required
from ..audit import audit_request
from ..models import AuditLogEntry, Document


def _document_for(request, pk: int) -> Document:
    return get_object_or_404(Document.objects.visible_to(request.membership), pk=pk)


@member_required
def document_detail(request, pk: int):
    document = _document_for(request, pk)
    template = "documents/partials/status.html" if request.htmx else "documents/detail.html"
    return render(request, template, {"document": document})


@member_required
def document_download(request, pk: int):
    document = _document_for(request, pk)
    if document.status != Document.Status.DONE or not document.file:
        raise Http404
    if documents.kind_for(document.kind).names_people:
        audit_request(
            request, AuditLogEntry.Action.VIEW, document, kind=document.kind, download=True
        )
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1]
    )


@require_POST
@member_required
def document_retry(request, pk: int):
    document = documents.document_retry(document=_document_for(request, pk))
    if request.htmx:
        return render(request, "documents/partials/status.html", {"document": document})
    return redirect("documents:detail", pk=document.pk)
