from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from .models import AuditLogEntry, Document, Membership, Organization


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    verbose_name_plural = "Organisation und Rolle"


admin.site.unregister(User)


@admin.register(User)
class MemberUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "membership__organization",
        "membership__role",
        "is_active",
    ]
    list_filter = ["membership__organization", "membership__role", "is_active", "is_superuser"]
    list_select_related = ["membership__organization"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "federal_state", "city"]
    search_fields = ["name", "city"]


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "organization", "user", "action", "object_type", "object_repr"]
    list_filter = ["organization", "action", "object_type"]
    readonly_fields = [f.name for f in AuditLogEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["created_at", "organization", "kind", "title", "status", "attempts"]
    list_filter = ["organization", "kind", "status"]
