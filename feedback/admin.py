from django.contrib import admin

from .models import FeedbackCode, Item, Questionnaire


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0
    fields = ["position", "key", "kind", "text", "label", "required", "choices"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "organization", "purpose", "is_current", "is_active"]
    list_filter = ["purpose", "is_current", "is_active"]
    inlines = [ItemInline]


@admin.register(FeedbackCode)
class FeedbackCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "run", "created_on"]
    list_select_related = ["run"]
    search_fields = ["code"]
    raw_id_fields = ["run"]
