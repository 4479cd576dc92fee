"""The report model."""

from django.db import models


class Report(models.Model):
    """A report generated for a course, kept until ``purge_stale_reports`` deletes it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    course_key = models.CharField(max_length=255, db_index=True,
                                  help_text="Course the report is about, e.g. course-v1:edX+X+2024.")
    name = models.CharField(max_length=255)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.course_key})"
