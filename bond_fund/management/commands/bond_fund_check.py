"""Verify the bond fund's ledger: exits 1 and lists the problems if anything is off."""

from django.core.management.base import BaseCommand, CommandError

from bond_fund.check import fund_check


class Command(BaseCommand):
    help = "Verify every bond fund invariant (zero-sum, derived balances, never negative)."

    def handle(self, *args, **options):
        result = fund_check()
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(problem)
            raise CommandError(f"bond fund check failed: {len(result.problems)} problem(s)")
        self.stdout.write(
            f"bond fund check passed: {result.transactions} transactions, {result.entries} entries"
        )
