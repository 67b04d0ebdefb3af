"""What a fresh installation needs comes with `partnerportal migrate` itself.

Django sends `post_migrate` after every migrate (and after every flush, so after each
transactional test too); each app registers a handler for its own part, idempotent like
Django's content types and permissions: core the tables of database caches (here), geo the
countries, content the home and legal pages. The helpers here let those handlers stay small."""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.core.management import call_command


def migrated(apps, *models: str) -> bool:
    """Whether the migration state that post_migrate hands over has these models ("app.Model"):
    not so after `migrate <app> <earlier migration>`, and then a handler does nothing, as
    Django's own handlers do."""
    for label in models:
        try:
            apps.get_model(label)
        except LookupError:
            return False
    return True


def permissions_ensure(app_labels: Iterable[str], *, using: str, apps=global_apps) -> None:
    """Create the content types and permissions of these apps now (idempotent).

    post_migrate reaches the apps in the order of INSTALLED_APPS, ours first: a handler that
    hands out permissions of apps listed later would otherwise find none on a new database."""
    for label in app_labels:
        try:
            config = global_apps.get_app_config(label)
        except LookupError:
            continue  # not installed here: it has no permissions to make
        create_permissions(config, verbosity=0, using=using, apps=apps)


def cache_tables_after_migrate(sender, *, using: str, verbosity: int = 1, **kwargs) -> None:
    """Create the table of every database cache (what `createcachetable` does; it leaves tables
    that exist alone). CACHE_URL defaults to such a cache, and every page uses it."""
    call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))


def locales_after_migrate(sender, *, using: str, apps=global_apps, **kwargs) -> None:
    """A Wagtail locale for each content language (WAGTAIL_CONTENT_LANGUAGES), so that staff
    can translate pages into every language of the site without creating locales first."""
    if not migrated(apps, "wagtailcore.Locale"):
        return
    from .translations import translation_locales_ensure

    translation_locales_ensure(using=using)
