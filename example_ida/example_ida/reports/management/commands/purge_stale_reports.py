"""``manage.py purge_stale_reports``: delete reports older than a number of days."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from example_ida.reports.models import Report


class Command(BaseCommand):
    help = (
        "Delete reports created more than --older-than days ago (30 by default). "
        "Safe to run at any time and to interrupt; run it daily from a scheduler, "
        "or with --dry-run first to see how many reports would go."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than", type=int, default=30, metavar="DAYS",
            help="delete reports created more than DAYS days ago (default: 30)",
        )
        parser.add_argument(
            "--dry-run", action="store_true",
            help="only count the reports that would be deleted",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["older_than"]
        if days < 1:
            raise CommandError("--older-than must be at least 1 day")
        cutoff = timezone.now() - timedelta(days=days)
        stale = Report.objects.filter(created__lt=cutoff)
        if options["dry_run"]:
            self.stdout.write(f"{stale.count()} reports older than {days} days would be deleted")
            return
        deleted, _ = stale.delete()
        self.stdout.write(self.style.SUCCESS(f"Deleted {deleted} reports older than {days} days"))
