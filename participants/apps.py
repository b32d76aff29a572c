from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Teilnehmende")

    def ready(self):
        from .documents import register_all

        register_all()
