"""``manage.py fail_stuck_reports``: mark reports pending for too long as failed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from example_ida.reports.models import Report


class Command(BaseCommand):
    help = (
        "Mark as failed the reports still pending more than --older-than hours after "
        "they were asked for (6 by default): their task was lost, and users may then "
        "ask for them again.  Nothing is deleted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than", type=int, default=6, metavar="HOURS",
            help="fail reports pending for more than HOURS hours (default: 6)",
        )
        parser.add_argument(
            "--dry-run", action="store_true",
            help="only count the reports that would be marked as failed",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        hours = options["older_than"]
        if hours < 1:
            raise CommandError("--older-than must be at least 1 hour")
        cutoff = timezone.now() - timedelta(hours=hours)
        stuck = Report.objects.filter(status=Report.Status.PENDING, created__lt=cutoff)
        if options["dry_run"]:
            self.stdout.write(f"{stuck.count()} reports pending for more than {hours} hours "
                              "would be marked as failed")
            return
        failed = stuck.update(status=Report.Status.FAILED)
        self.stdout.write(self.style.SUCCESS(
            f"Marked {failed} reports pending for more than {hours} hours as failed"))
