"""The catalogue of periodic jobs and when each is due.

There is no scheduler process: cron (or a systemd timer) calls `partnerportal run_scheduled`
every few minutes, which enqueues the jobs that are due. When each job last ran is kept in the
shared cache, so it does not matter which machine cron runs on; a short lock in the same cache
keeps two overlapping calls from enqueuing a job twice. If the cache is emptied, every job is
simply due once more, which the jobs are written to tolerate.

Each app registers its own jobs with `job_register` in its AppConfig.ready(), so core imports
none of the apps; the catalogue lists them in the order of INSTALLED_APPS.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.utils import timezone
from django_tasks.base import Task

CACHE_PREFIX = "partnerportal:schedule"
LOCK_SECONDS = 60


@dataclass(frozen=True)
class Job:
    name: str
    interval: timedelta
    task: Task


#: The registered jobs (see job_register).
JOBS: list[Job] = []


def job_register(name: str, interval: timedelta, task: Task) -> None:
    """Add a periodic job to the catalogue (from the owning app's ready()); registering a name
    again replaces its entry."""
    job = Job(name, interval, task)
    for index, known in enumerate(JOBS):
        if known.name == name:
            JOBS[index] = job
            return
    JOBS.append(job)


def job_get(name: str) -> Job:
    for job in JOBS:
        if job.name == name:
            return job
    raise KeyError(name)


def _last_run_key(job: Job) -> str:
    return f"{CACHE_PREFIX}:last_run:{job.name}"


def job_last_run(job: Job) -> datetime | None:
    return cache.get(_last_run_key(job))


def job_is_due(job: Job, *, now: datetime | None = None) -> bool:
    last_run = job_last_run(job)
    now = now or timezone.now()
    return last_run is None or now - last_run >= job.interval


def jobs_due(*, now: datetime | None = None) -> list[Job]:
    now = now or timezone.now()
    return [job for job in JOBS if job_is_due(job, now=now)]


def job_enqueue(*, job: Job, now: datetime | None = None) -> bool:
    """Enqueue `job` and remember when. Returns False if another caller holds the job's lock."""
    now = now or timezone.now()
    lock_key = f"{CACHE_PREFIX}:lock:{job.name}"
    if not cache.add(lock_key, "1", timeout=LOCK_SECONDS):
        return False
    try:
        # Remember the run first: if the enqueue fails, the next call retries after the
        # interval rather than hammering a broken backend every few minutes.
        cache.set(_last_run_key(job), now, timeout=None)
        job.task.enqueue()
    finally:
        cache.delete(lock_key)
    return True
