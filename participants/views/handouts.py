"""The organization's own content for the handout of each module."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from aktiva.access import coordinator_required
from trainings.models import Module

from .. import handouts
from ..forms import HandoutContentForm
from ..models import HandoutContent


@coordinator_required
def handout_list(request):
    modules = Module.objects.for_organization(request.organization)
    own = set(
        HandoutContent.objects.filter(organization=request.organization).values_list(
            "module_id", flat=True
        )
    )
    return render(request, "participants/handout_list.html", {"modules": modules, "own": own})


@coordinator_required
def handout_edit(request, module_pk: int):
    module = get_object_or_404(Module.objects.for_organization(request.organization), pk=module_pk)
    content = HandoutContent.objects.filter(
        organization=request.organization, module=module
    ).first()
    content = content or HandoutContent(
        organization=request.organization, module=module, body=handouts.default_body(module)
    )
    form = HandoutContentForm(request.POST or None, instance=content)
    if request.method == "POST" and form.is_valid():
        form.save()
        message = _("Der Handout-Inhalt für %(module)s ist gespeichert.") % {"module": module}
        messages.success(request, message)
        return redirect("participants:handout_list")
    preview = handouts.to_blocks(form["body"].value() or "")
    context = {"module": module, "form": form, "preview": preview}
    return render(request, "participants/handout_edit.html", context)
