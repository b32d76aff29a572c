"""The participants' documents, one class per kind, rendered by Celery workers.

Each parameter form offers only what belongs to the run (its people, sessions and
modules); each renderer reads ids from `document.params` and loads fresh rows through the
document's organization, so a document can never show another organization's data.
"""

from django import forms
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aktiva.documents import DocumentForm, DocumentKind, NothingToRender, register
from aktiva.models import Document
from aktiva.pdf import qr_data_uri, render_pdf
from trainings.models import CourseRun, Module, Session
from trainings.selectors import run_sessions

from . import handouts, jobcenter_reports
from .models import Certificate, Enrollment, Participant


class RunDocumentForm(DocumentForm):
    """For everyone with a place in the run, or for one of them."""

    enrollment = forms.ModelChoiceField(
        queryset=Enrollment.objects.none(), required=False, label=gettext_lazy("Für")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrollment"].queryset = self.run.enrollments.in_attendance().select_related(
            "participant"
        )

    def params(self) -> dict:
        params = super().params()
        if self.cleaned_data.get("enrollment"):
            params["enrollment"] = self.cleaned_data["enrollment"].pk
        return params

    def title_parts(self) -> list[str]:
        enrollment = self.cleaned_data.get("enrollment")
        return [*super().title_parts(), *([str(enrollment.participant)] if enrollment else [])]


class CertificatesForm(RunDocumentForm):
    def clean(self):
        cleaned = super().clean()
        certificates = Certificate.objects.valid().filter(run=self.run)
        if cleaned.get("enrollment"):
            certificates = certificates.filter(participant_id=cleaned["enrollment"].participant_id)
        if not certificates.exists():
            raise forms.ValidationError(
                _(
                    "Es gibt keine gültige Bescheinigung zu drucken: Bescheinigungen erhält, "
                    "wer in einem abgeschlossenen Durchgang mindestens 80 % der Termine "
                    "besucht hat."
                )
            )
        return cleaned


class SigninSheetForm(RunDocumentForm):
    session = forms.ModelChoiceField(queryset=Session.objects.none(), label=gettext_lazy("Termin"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = self.run.sessions.filter(is_cancelled=False)

    def params(self) -> dict:
        return {**super().params(), "session": self.cleaned_data["session"].pk}

    def title_parts(self) -> list[str]:
        return [*super().title_parts(), f"{self.cleaned_data['session'].date:%d.%m.%Y}"]


class HandoutForm(RunDocumentForm):
    module = forms.ModelChoiceField(queryset=Module.objects.none(), label=gettext_lazy("Modul"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = self.run.modules.all()

    def params(self) -> dict:
        return {**super().params(), "module": self.cleaned_data["module"].pk}

    def title_parts(self) -> list[str]:
        return [*super().title_parts(), self.cleaned_data["module"].name]


def _run(document: Document) -> CourseRun:
    return (
        CourseRun.objects.for_organization(document.organization)
        .select_related("organization", "location")
        .prefetch_related("trainers")
        .get(pk=document.params["run"])
    )


def _enrollments(document: Document, run: CourseRun) -> list[Enrollment]:
    enrollments = run.enrollments.in_attendance().select_related("participant")
    if document.params.get("enrollment"):
        enrollments = enrollments.filter(pk=document.params["enrollment"])
    return list(enrollments.order_by("participant__last_name", "participant__first_name"))


def _base_context(run: CourseRun) -> dict:
    sessions = run_sessions(run)
    held = [s for s in sessions if not s.is_cancelled]
    return {
        "run": run,
        "organization": run.organization,
        "trainers": list(run.trainers.all()),
        "sessions": held,
        "first_date": held[0].date if held else None,
        "last_date": held[-1].date if held else None,
    }


def certificate_context(
    run: CourseRun, certificates: list[Certificate], *, base_url: str = ""
) -> dict:
    context = _base_context(run)
    modules: list[Module] = []
    for session in context["sessions"]:
        modules.extend(m for m in session.modules.all() if m not in modules)
    return certificate_context_from(
        run=run,
        certificates=certificates,
        trainers=context["trainers"],
        modules=modules,
        first_date=context["first_date"],
        last_date=context["last_date"],
        base_url=base_url,
    )


def certificate_context_from(
    *, run, certificates, trainers, modules, first_date, last_date, base_url: str = ""
) -> dict:
    """The certificate template's context from plain values (also used by the benchmark).
    `base_url`: the address the document was asked for on (`Document.base_url`)."""
    for certificate in certificates:
        certificate.verification_url = certificate.get_verification_url(base=base_url)
    return {
        "run": run,
        "organization": run.organization,
        "trainers": trainers,
        "modules": modules,
        "first_date": first_date,
        "last_date": last_date,
        "certificates": [(c, qr_data_uri(c.verification_url)) for c in certificates],
    }


def certificates_pdf(context: dict) -> bytes:
    """The certificates as one PDF; the stylesheet is parsed once per process."""
    return render_pdf(
        "pdf/participants/certificate.html",
        context,
        stylesheets=["pdf/participants/certificate.css"],
    )


@register
class Certificates(DocumentKind):
    key = "participants.certificates"
    label = gettext_lazy("Teilnahmebescheinigungen")
    names_people = True
    form_class = CertificatesForm

    def render(self, document: Document) -> tuple[str, bytes]:
        run = _run(document)
        certificates = Certificate.objects.valid().filter(run=run).select_related("participant")
        if document.params.get("enrollment"):
            enrollment = run.enrollments.get(pk=document.params["enrollment"])
            certificates = certificates.filter(participant_id=enrollment.participant_id)
        certificates = list(certificates)
        if not certificates:
            raise NothingToRender  # revoked since it was asked for
        pdf = certificates_pdf(certificate_context(run, certificates, base_url=document.base_url))
        name = certificates[0].number if len(certificates) == 1 else slugify(run.title)
        return f"teilnahmebescheinigung-{name}.pdf", pdf


@register
class SigninSheet(DocumentKind):
    key = "participants.signin_sheet"
    label = gettext_lazy("Unterschriftenliste")
    names_people = True
    form_class = SigninSheetForm

    def render(self, document: Document) -> tuple[str, bytes]:
        run = _run(document)
        context = _base_context(run)
        session = next((s for s in context["sessions"] if s.pk == document.params["session"]), None)
        if session is None:
            raise NothingToRender  # cancelled since it was asked for
        context.update(session=session, enrollments=_enrollments(document, run))
        pdf = render_pdf("pdf/participants/signin_sheet.html", context)
        return f"unterschriftenliste-{session.date:%Y-%m-%d}.pdf", pdf


@register
class Invitation(DocumentKind):
    key = "participants.invitation"
    label = gettext_lazy("Einladung")
    names_people = True
    form_class = RunDocumentForm

    def render(self, document: Document) -> tuple[str, bytes]:
        run = _run(document)
        context = _base_context(run)
        context["enrollments"] = _enrollments(document, run)
        pdf = render_pdf("pdf/participants/invitation.html", context)
        return f"einladung-{slugify(run.title)}.pdf", pdf


@register
class Handout(DocumentKind):
    key = "participants.handout"
    label = gettext_lazy("Handout")
    names_people = True
    form_class = HandoutForm

    def render(self, document: Document) -> tuple[str, bytes]:
        run = _run(document)
        context = _base_context(run)
        module = Module.objects.for_organization(run.organization).get(pk=document.params["module"])
        content = run.organization.handout_contents.filter(module=module).first()
        body = content.body if content else handouts.default_body(module)
        context.update(
            module=module,
            module_sessions=[s for s in context["sessions"] if module in s.modules.all()],
            blocks=handouts.to_blocks(body),
            enrollments=_enrollments(document, run),
        )
        pdf = render_pdf("pdf/participants/handout.html", context)
        return f"handout-{module.code}-{slugify(run.title)}.pdf", pdf


class DataExportForm(DocumentForm):
    participant = forms.ModelChoiceField(queryset=Participant.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = Participant.objects.for_organization(
            self.organization
        )

    def params(self) -> dict:
        return {"participant": self.cleaned_data["participant"].pk}

    def title_parts(self) -> list[str]:
        return [str(self.cleaned_data["participant"])]


@register
class DataExport(DocumentKind):
    """Everything stored about one person, for them to read (Art. 15 GDPR)."""

    key = "participants.data_export"
    label = gettext_lazy("Auskunft über gespeicherte Daten")
    names_people = True
    form_class = DataExportForm

    def render(self, document: Document) -> tuple[str, bytes]:
        from .privacy import participant_export

        participant = Participant.objects.for_organization(document.organization).get(
            pk=document.params["participant"]
        )
        context = {"organization": document.organization, "export": participant_export(participant)}
        pdf = render_pdf("pdf/participants/data_export.html", context)
        return f"auskunft-{participant.pk}.pdf", pdf


# --- reports to the jobcenter (§ 61 SGB II) -------------------------------------------------


class AbsenceReportForm(DocumentForm):
    """A calendar month of the run, as PDF (to sign) or CSV."""

    month = forms.ChoiceField(label=gettext_lazy("Monat"), choices=[])
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("pdf", "PDF"), ("csv", "CSV")],
        initial="pdf",
        error_messages={"invalid_choice": gettext_lazy("Bitte wählen Sie PDF oder CSV.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        months = jobcenter_reports.run_months(self.run)
        self.fields["month"].choices = [
            (jobcenter_reports.month_key(m), jobcenter_reports.month_label(m)) for m in months
        ]
        self.fields["month"].error_messages["invalid_choice"] = _(
            "In diesem Monat hat der Durchgang keine Termine."
        )
        self.fields["month"].error_messages["required"] = _("Bitte wählen Sie einen Monat.")

    def params(self) -> dict:
        data = self.cleaned_data
        return {**super().params(), "month": data["month"], "format": data["format"]}

    def title_parts(self) -> list[str]:
        month = jobcenter_reports.parse_month(self.cleaned_data["month"])
        label = f"{jobcenter_reports.month_label(month)} ({self.cleaned_data['format'].upper()})"
        return [*super().title_parts(), label]


def _report_context(run: CourseRun) -> dict:
    context = _base_context(run)
    context.update(legend=jobcenter_reports.code_legend(), today=timezone.localdate())
    return context


@register
class AbsenceReport(DocumentKind):
    """The monthly absence report (Fehlzeitenmeldung) of a run, per participant."""

    key = jobcenter_reports.ABSENCE_REPORT
    label = gettext_lazy("Fehlzeitenmeldung")
    names_people = True
    form_class = AbsenceReportForm

    def render(self, document: Document) -> tuple[str, bytes]:
        run = _run(document)
        month = jobcenter_reports.parse_month(document.params["month"])
        entries = jobcenter_reports.absence_report(run, month)
        name = f"fehlzeitenmeldung-{document.params['month']}-{slugify(run.title)}"
        if document.params.get("format") == "csv":
            return f"{name}.csv", jobcenter_reports.absence_report_csv(run, month, entries)
        context = _report_context(run)
        context.update(
            month=month,
            month_label=jobcenter_reports.month_label(month),
            entries=entries,
            with_facts=[e for e in entries if e.consent and (e.absences or e.late)],
        )
        return f"{name}.pdf", render_pdf("pdf/participants/absence_report.html", context)


class ExitNoticeForm(DocumentForm):
    enrollment = forms.ModelChoiceField(
        queryset=Enrollment.objects.none(),
        label=gettext_lazy("Für"),
        error_messages={
            "required": gettext_lazy("Bitte wählen Sie die Person."),
            "invalid_choice": gettext_lazy(
                "Für diese Person gibt es keinen Nichtantritt und keinen Abbruch zu melden."
            ),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrollment"].queryset = jobcenter_reports.exits(self.run.enrollments.all())

    def params(self) -> dict:
        return {**super().params(), "enrollment": self.cleaned_data["enrollment"].pk}

    def title_parts(self) -> list[str]:
        enrollment = self.cleaned_data["enrollment"]
        kind = jobcenter_reports.exit_label(jobcenter_reports.exit_kind(enrollment))
        return [*super().title_parts(), kind, str(enrollment.participant)]


@register
class ExitNotice(DocumentKind):
    """The notice of a non-start (Nichtantritt) or of leaving early (Abbruch)."""

    key = jobcenter_reports.EXIT_NOTICE
    label = gettext_lazy("Meldung Nichtantritt/Abbruch")
    names_people = True
    form_class = ExitNoticeForm

    def render(self, document: Document) -> tuple[str, bytes]:
        run = _run(document)
        enrollment = (
            jobcenter_reports.exits(run.enrollments.all())
            .filter(pk=document.params["enrollment"])
            .first()
        )
        if enrollment is None:
            raise NothingToRender  # enrolled again since it was asked for
        kind = jobcenter_reports.exit_kind(enrollment)
        context = _report_context(run)
        context.update(
            enrollment=enrollment,
            participant=enrollment.participant,
            consent=enrollment.participant.report_consent_on is not None,
            kind=kind,
            kind_label=jobcenter_reports.exit_label(kind),
            is_non_start=kind == jobcenter_reports.ExitKind.NON_START,
        )
        pdf = render_pdf("pdf/participants/exit_notice.html", context)
        return f"meldung-{kind}-{enrollment.pk}.pdf", pdf
