"""Master data pages for coordinators: trainers, the organization's modules, locations."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from aktiva.access import coordinator_required
from aktiva.addresses import request_base_url
from aktiva.audit import audit_request
from aktiva.models import AuditLogEntry

from .. import selectors
from ..forms.masterdata import LocationForm, ModuleForm, TrainerFilterForm, TrainerForm
from ..ical import trainer_subscription_url
from ..models import Location, Module, Trainer

# --- trainers -------------------------------------------------------------------------------------

TRAINERS_PER_PAGE = 20


@coordinator_required
def trainer_list(request):
    filter_form = TrainerFilterForm(request.GET or None)
    trainers = filter_form.filter(Trainer.objects.for_organization(request.organization))
    page = selectors.trainer_rows(
        trainers.order_by("last_name", "first_name", "pk"),
        request.GET.get("page"),
        TRAINERS_PER_PAGE,
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter_form": filter_form, "page": page, "trainers": page.object_list}
    context["query"] = query.urlencode()
    # Twenty rows cost more to render than the rest of the page: kept rendered under a key
    # of their own values (a changed trainer or account name is a new key). Exact without a
    # revision: the rows are read anyway for the filter and the page.
    context["rows"] = selectors.remembered_part(
        (),
        "trainer-rows",
        tuple(page.object_list),
        lambda: render_to_string(
            "trainings/partials/trainer_rows.html", {"trainers": page.object_list}
        ),
    )
    return render(request, "trainings/trainer_list.html", context)


@coordinator_required
def trainer_detail(request, pk: int):
    trainer = get_object_or_404(
        Trainer.objects.for_organization(request.organization).select_related("user"), pk=pk
    )
    runs = (
        trainer.course_runs.for_organization(request.organization)
        .with_dates()
        .select_related("location")
        .order_by("-first_date", "-created_at")
    )
    audit_request(request, AuditLogEntry.Action.VIEW, trainer)
    return render(
        request,
        "trainings/trainer_detail.html",
        {
            "trainer": trainer,
            "runs": runs,
            "ical_url": trainer_subscription_url(trainer, base=request_base_url(request)),
        },
    )


def _trainer_form(request, trainer: Trainer | None):
    form = TrainerForm(request.POST or None, instance=trainer, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        action = AuditLogEntry.Action.CHANGE if trainer else AuditLogEntry.Action.CREATE
        trainer = form.save()
        audit_request(request, action, trainer, fields=form.changed_data)
        messages.success(request, _("%(name)s ist gespeichert.") % {"name": trainer})
        return redirect(trainer)
    return render(request, "trainings/trainer_form.html", {"form": form, "trainer": trainer})


@coordinator_required
def trainer_create(request):
    return _trainer_form(request, None)


@coordinator_required
def trainer_update(request, pk: int):
    return _trainer_form(
        request, get_object_or_404(Trainer.objects.for_organization(request.organization), pk=pk)
    )


# --- modules --------------------------------------------------------------------------------------


@coordinator_required
def module_list(request):
    modules = Module.objects.for_organization(request.organization).order_by(
        "organization", "position", "name"
    )
    catalogue = [m for m in modules if m.is_catalogue]
    own = [m for m in modules if not m.is_catalogue]
    return render(request, "trainings/module_list.html", {"catalogue": catalogue, "own": own})


def _module_form(request, module: Module | None):
    form = ModuleForm(request.POST or None, instance=module, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        module = form.save()
        messages.success(request, _("Das Modul „%(name)s“ ist gespeichert.") % {"name": module})
        return redirect("trainings:module_list")
    return render(request, "trainings/module_form.html", {"form": form, "module": module})


@coordinator_required
def module_create(request):
    return _module_form(request, None)


@coordinator_required
def module_update(request, pk: int):
    # Only the organization's own modules: the shipped catalogue is read-only (404).
    return _module_form(
        request, get_object_or_404(Module.objects.filter(organization=request.organization), pk=pk)
    )


# --- locations ------------------------------------------------------------------------------------


@coordinator_required
def location_list(request):
    locations = Location.objects.for_organization(request.organization).order_by(
        "-is_active", "name"
    )
    return render(request, "trainings/location_list.html", {"locations": locations})


def _location_form(request, location: Location | None):
    form = LocationForm(request.POST or None, instance=location, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        location = form.save()
        messages.success(request, _("„%(name)s“ ist gespeichert.") % {"name": location})
        return redirect("trainings:location_list")
    return render(request, "trainings/location_form.html", {"form": form, "location": location})


@coordinator_required
def location_create(request):
    return _location_form(request, None)


@coordinator_required
def location_update(request, pk: int):
    return _location_form(
        request, get_object_or_404(Location.objects.for_organization(request.organization), pk=pk)
    )
