"""Admin pages of the reports app."""

from django.contrib import admin

from .models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("name", "course_key", "status", "created")
    list_filter = ("status",)
    search_fields = ("name", "course_key")
    date_hierarchy = "created"
