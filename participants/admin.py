from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Attendance, Certificate, Enrollment, HandoutContent, Participant
from .retention import participants_anonymise


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "customer_number", "organization", "anonymised_at"]
    list_filter = ["organization"]
    search_fields = ["last_name", "first_name", "customer_number"]
    actions = ["anonymise"]

    def has_delete_permission(self, request, obj=None):
        # Deleting would take attendance statistics with it: anonymise instead.
        return False

    @admin.action(description=_("Anonymisieren (Art. 17 DSGVO; Statistik bleibt)"))
    def anonymise(self, request, queryset):
        count = participants_anonymise(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%(n)d Person anonymisiert.", "%(n)d Personen anonymisiert.", count)
            % {"n": count},
        )


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["participant", "run", "status", "waiting_since"]
    list_filter = ["status"]
    raw_id_fields = ["participant", "run"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["enrollment", "session", "status", "updated_at"]
    raw_id_fields = ["enrollment", "session"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "participant", "run", "issued_at", "revoked_at"]
    search_fields = ["number"]
    raw_id_fields = ["participant", "run"]


@admin.register(HandoutContent)
class HandoutContentAdmin(admin.ModelAdmin):
    list_display = ["module", "organization", "updated_at"]
