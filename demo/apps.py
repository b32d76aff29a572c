from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for a first look: where the apps are wired together, so it may use them all."""

    name = "demo"
    verbose_name = _("Demo-Daten")
