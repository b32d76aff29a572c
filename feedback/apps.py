from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Rückmeldungen")

    def ready(self):
        from aktiva import documents

        from . import documents as renderers

        documents.register(renderers.CODE_SLIPS, renderers.render_code_slips)
        documents.register(renderers.YEAR_REPORT, renderers.render_year_report)
