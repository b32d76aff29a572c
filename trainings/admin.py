from django.contrib import admin

from .models import CourseRun, Location, Module, Session, Trainer
from .services import course_run_dates_refresh


@admin.register(Trainer)
class TrainerAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "organization", "qualified_on", "is_active"]
    list_filter = ["organization", "is_active"]
    search_fields = ["last_name", "first_name", "email"]


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["position", "name", "kind", "default_units", "organization"]
    list_filter = ["kind", "organization"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "city", "capacity", "step_free"]
    list_filter = ["organization", "step_free"]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(CourseRun)
class CourseRunAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "status", "capacity"]
    list_filter = ["organization", "status"]
    search_fields = ["title"]
    inlines = [SessionInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # the inline may have added, moved, cancelled or deleted sessions
        course_run_dates_refresh(run_ids=[form.instance.pk])
