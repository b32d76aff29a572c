"""PDF renderers for the participants' documents, run by Celery workers.

Each renderer reads ids from `document.params` and loads fresh rows through the
document's organization, so a document can never show another organization's data.
"""

import base64
import struct
import zlib

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from aktiva.documents import register
from aktiva.models import Document
from aktiva.pdf import render_pdf
from trainings.models import CourseRun, Module

from . import handouts
from .models import Certificate, Enrollment
from .selectors import run_sessions

KINDS = {
    "certificates": _("Teilnahmebescheinigungen"),
    "signin_sheet": _("Unterschriftenliste"),
    "invitation": _("Einladung"),
    "handout": _("Handout"),
}


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
    for session in sessions:
        session.run = run
    held = [s for s in sessions if not s.is_cancelled]
    return {
        "run": run,
        "organization": run.organization,
        "trainers": list(run.trainers.all()),
        "sessions": held,
        "first_date": held[0].date if held else None,
        "last_date": held[-1].date if held else None,
    }


def certificate_context(run: CourseRun, certificates: list[Certificate]) -> dict:
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
    )


def certificate_context_from(
    *, run, certificates, trainers, modules, first_date, last_date
) -> dict:
    """The certificate template's context from plain values (also used by the benchmark)."""
    return {
        "run": run,
        "organization": run.organization,
        "trainers": trainers,
        "modules": modules,
        "first_date": first_date,
        "last_date": last_date,
        "certificates": [(c, qr_png_data_uri(c.get_verification_url())) for c in certificates],
    }


def qr_png_data_uri(url: str) -> str:
    """A QR code as an 8-bit grey PNG with one pixel per module, scaled up in the PDF
    without smoothing.

    WeasyPrint draws this ~10× faster than an SVG QR code, and takes 8-bit grey as it is
    where segno's 1-bit PNG would be converted and encoded twice more per document; a
    fixed mask spares segno trying all eight.
    """
    import segno

    matrix = segno.make(url, error="m", mask=0, micro=False).matrix
    rows = b"".join(b"\0" + bytes(0 if dark else 255 for dark in row) for row in matrix)
    size = struct.pack("!II", len(matrix[0]), len(matrix))
    png = b"\x89PNG\r\n\x1a\n" + b"".join(
        struct.pack("!I", len(data)) + kind + data + struct.pack("!I", zlib.crc32(kind + data))
        for kind, data in (
            (b"IHDR", size + bytes([8, 0, 0, 0, 0])),  # 8 bit, grey, no interlace
            (b"IDAT", zlib.compress(rows)),
            (b"IEND", b""),
        )
    )
    return "data:image/png;base64," + base64.b64encode(png).decode()


def certificates_pdf(context: dict) -> bytes:
    """The certificates as one PDF; the stylesheet is parsed once per process."""
    return render_pdf(
        "pdf/participants/certificate.html",
        context,
        stylesheets=["pdf/participants/certificate.css"],
    )


def render_certificates(document: Document) -> tuple[str, bytes]:
    run = _run(document)
    certificates = Certificate.objects.valid().filter(run=run).select_related("participant")
    if document.params.get("enrollment"):
        enrollment = run.enrollments.get(pk=document.params["enrollment"])
        certificates = certificates.filter(participant_id=enrollment.participant_id)
    certificates = list(certificates)
    if not certificates:
        raise ValueError("no certificate issued for this request")
    pdf = certificates_pdf(certificate_context(run, certificates))
    name = certificates[0].number if len(certificates) == 1 else slugify(run.title)
    return f"teilnahmebescheinigung-{name}.pdf", pdf


def render_signin_sheet(document: Document) -> tuple[str, bytes]:
    run = _run(document)
    context = _base_context(run)
    session = next(s for s in context["sessions"] if s.pk == document.params["session"])
    context.update(session=session, enrollments=_enrollments(document, run))
    pdf = render_pdf("pdf/participants/signin_sheet.html", context)
    return f"unterschriftenliste-{session.date:%Y-%m-%d}.pdf", pdf


def render_invitation(document: Document) -> tuple[str, bytes]:
    run = _run(document)
    context = _base_context(run)
    context["enrollments"] = _enrollments(document, run)
    pdf = render_pdf("pdf/participants/invitation.html", context)
    return f"einladung-{slugify(run.title)}.pdf", pdf


def render_handout(document: Document) -> tuple[str, bytes]:
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


def register_all() -> None:
    register("participants.certificates", render_certificates)
    register("participants.signin_sheet", render_signin_sheet)
    register("participants.invitation", render_invitation)
    register("participants.handout", render_handout)
