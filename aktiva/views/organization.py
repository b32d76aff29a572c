"""The organization's settings that its coordinators keep: address, contact for
participants, and the jobcenter team that receives absence reports."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..access import coordinator_required
from ..forms import OrganizationSettingsForm, add_service_errors
from ..models import Organization
from ..services import organization_save


@coordinator_required
def organization_settings(request):
    organization = Organization.objects.get(pk=request.membership.organization_id)
    form = OrganizationSettingsForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            organization_save(organization=form.instance)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Die Einstellungen wurden gespeichert."))
            return redirect("organization_settings")
    return render(request, "organization/settings.html", {"form": form})
