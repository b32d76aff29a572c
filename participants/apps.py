from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Teilnehmende")

    def ready(self):
        from trainings.signals import run_status_changed

        from .documents import register_all

        register_all()
        run_status_changed.connect(
            _close_enrollments, dispatch_uid="participants-close-enrollments"
        )


def _close_enrollments(sender, run, new, **kwargs):
    from trainings.models import CourseRun

    from .services import enrollments_close

    if new == CourseRun.Status.COMPLETED:
        enrollments_close(run=run)
