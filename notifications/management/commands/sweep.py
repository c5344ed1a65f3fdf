"""Run the periodic sweeps by hand: `manage.py sweep --list`, `manage.py sweep sweep-outbox`,
`manage.py sweep --all`, or `manage.py sweep --loop` to keep running them on schedule
(a laptop without Celery beat)."""

import time

from django.core.management.base import BaseCommand, CommandError

from notifications.sweeps import SweepLoop, sweep_run, sweeps


class Command(BaseCommand):
    help = "Run periodic sweeps (reminders, seat offers, outbox) without Celery beat."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="sweeps to run (see --list)")
        parser.add_argument(
            "--all", dest="run_all", action="store_true", help="run every sweep once"
        )
        parser.add_argument(
            "--list", dest="list_only", action="store_true", help="list the sweeps and stop"
        )
        parser.add_argument("--loop", action="store_true", help="keep running them on schedule")

    def handle(self, *args, names, run_all, list_only, loop, **options):
        known = {sweep.name: sweep for sweep in sweeps()}
        if list_only:
            for sweep in known.values():
                self.stdout.write(f"{sweep.name}\tevery {sweep.every:g} s\t{sweep.task}")
            return
        if loop:
            runner = SweepLoop()
            self.stdout.write("Running the sweeps on schedule (Ctrl-C to stop).")
            try:
                while True:
                    runner.run_due()
                    time.sleep(1)
            except KeyboardInterrupt:
                return
        unknown = [name for name in names if name not in known]
        if unknown:
            raise CommandError(f"Unknown sweep(s): {', '.join(unknown)}. Known: {', '.join(known)}")
        chosen = list(known.values()) if run_all else [known[name] for name in names]
        if not chosen:
            raise CommandError("Name a sweep, or use --all or --list.")
        failed = [sweep.name for sweep in chosen if not sweep_run(sweep)]
        for sweep in chosen:
            if sweep.name not in failed:
                self.stdout.write(f"{sweep.name}: done")
        if failed:
            raise CommandError(f"Failed: {', '.join(failed)} (see the log)")
