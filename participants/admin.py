from django.contrib import admin

from .models import Attendance, Certificate, Enrollment, HandoutContent, Participant


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "customer_number", "organization", "anonymised_at"]
    list_filter = ["organization"]
    search_fields = ["last_name", "first_name", "customer_number"]


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
