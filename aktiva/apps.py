from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AktivaConfig(AppConfig):
    name = "aktiva"
    verbose_name = _("AktivA – Organisationen")
