"""Django app configuration of the reports app."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "example_ida.reports"
    verbose_name = "Reports"
