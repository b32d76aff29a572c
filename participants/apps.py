from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Teilnehmende")

    def ready(self):
        from trainings import attendance_warnings, headcount
        from trainings.signals import run_status_changed

        from . import documents  # noqa: F401  (registers the document kinds)
        from .models import AttendanceRevision
        from .selectors import enrolled_count, place_counts, runs_below_minimum
        from .warnings import attendance_warnings as warnings_for_runs
        from .warnings import name_warned

        headcount.register(enrolled_count, runs_below_minimum, place_counts)
        attendance_warnings.register(warnings_for_runs, name_warned, AttendanceRevision)
        run_status_changed.connect(_run_completed, dispatch_uid="participants-run-completed")


def _run_completed(sender, run, new, **kwargs):
    """A completed run completes its enrollments and issues its certificates."""
    from trainings.models import CourseRun

    from .services import certificates_issue, enrollments_close

    if new == CourseRun.Status.COMPLETED:
        enrollments_close(run=run)
        certificates_issue(run=run)
