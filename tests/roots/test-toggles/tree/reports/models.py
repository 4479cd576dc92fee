"""Models of the reports app."""

from config_models.models import ConfigurationModel
from django.db import models


class ExportConfig(ConfigurationModel):
    """
    Configures report exports.

    .. toggle_name: ExportConfig.enabled
    .. toggle_implementation: ConfigurationModel
    .. toggle_default: False
    .. toggle_description: Turns exports on for the whole site; each course can then
      choose its export format.
    .. toggle_use_cases: opt_in
    .. toggle_creation_date: 2021-03-15
    """

    export_format = models.CharField(max_length=10, default="csv")


class CacheConfig(ConfigurationModel):
    """How long reports are cached."""
