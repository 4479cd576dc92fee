from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Delete reports older than the retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=int, metavar="DAYS", default=90,
            help="Delete reports older than this many days (default: %(default)s).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only count them.")

    def handle(self, *args, **options):
        raise NotImplementedError
