from getpass import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from committees.services import committee_create


class Command(BaseCommand):
    help = "Create a committee and its first coordinator (who must then enrol MFA)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--area", default="")
        parser.add_argument("--timezone", default=None)
        parser.add_argument("--coordinator-email", required=True)
        parser.add_argument("--coordinator-name", required=True)

    def handle(self, *args, **options):
        password = getpass("Password for the coordinator (leave empty if the account exists): ")
        try:
            committee, _membership = committee_create(
                name=options["name"],
                slug=options["slug"],
                area=options["area"],
                timezone_name=options["timezone"],
                coordinator_email=options["coordinator_email"],
                coordinator_name=options["coordinator_name"],
                coordinator_password=password or None,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Created committee {committee.name} ({committee.slug}).")
        )
