"""Enqueue the periodic jobs that are due. Meant for cron or a systemd timer, every few minutes:

*/5 * * * *  partnerportal run_scheduled
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from partnerportal.core.schedule import (
    JOBS,
    job_enqueue,
    job_get,
    job_is_due,
    job_last_run,
    jobs_due,
)


class Command(BaseCommand):
    help = "Enqueue the periodic jobs that are due (see partnerportal.core.schedule)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--list", dest="list_jobs", action="store_true", help="Show the jobs and exit."
        )
        parser.add_argument("--only", metavar="NAME", help="Consider only this job (if it is due).")
        parser.add_argument(
            "--force", action="store_true", help="Enqueue even if the job is not due yet."
        )

    def handle(self, *args, list_jobs=False, only=None, force=False, **options):
        now = timezone.now()
        jobs = JOBS
        if only:
            try:
                jobs = (job_get(only),)
            except KeyError:
                names = ", ".join(job.name for job in JOBS)
                raise CommandError(f"Unknown job {only!r}. Known jobs: {names}") from None
        if list_jobs:
            for job in jobs:
                last_run = job_last_run(job)
                due = "due" if job_is_due(job, now=now) else "not due"
                last = last_run.isoformat(timespec="seconds") if last_run else "never"
                self.stdout.write(f"{job.name}\tevery {job.interval}\tlast run {last}\t{due}")
            return
        due = jobs if force else [job for job in jobs_due(now=now) if job in jobs]
        for job in due:
            if job_enqueue(job=job, now=now):
                self.stdout.write(f"Enqueued {job.name}")
            else:
                self.stdout.write(f"Skipped {job.name} (already being enqueued)")
