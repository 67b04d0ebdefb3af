"""Sets up the page tree a fresh installation needs, in German and English. Idempotent: run after
every migrate (signals.site_after_migrate) and by `partnerportal setup_site`, it creates only
what is missing."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, Site

from partnerportal.accounts.roles import MANAGING_ROLES

from .models import HomePage, LegalPages, StandardPage


@dataclass(frozen=True)
class LegalPageSpec:
    setting_field: str
    slug: str
    title: str
    body: str


def _legal_specs() -> list[LegalPageSpec]:
    return [
        LegalPageSpec(
            "imprint_page",
            "impressum",
            _("Imprint"),
            _(
                "<p>Who runs this platform, who is responsible for its content "
                "and how to reach them. "
                "Agency staff complete this page in the back office.</p>"
            ),
        ),
        LegalPageSpec(
            "privacy_page",
            "datenschutz",
            _("Privacy statement"),
            _(
                "<p>Which personal data Partnerportal stores, why, for how long, and your rights: "
                "you can download everything stored about you and delete your account under "
                "“My account”.</p>"
            ),
        ),
        LegalPageSpec(
            "accessibility_page",
            "barrierefreiheit",
            _("Accessibility statement"),
            _(
                "<p>Partnerportal aims to meet WCAG 2.1 level AA (BITV 2.0). Tell us about any "
                "barrier you meet; agency staff complete this statement in the back office.</p>"
            ),
        ),
    ]


def _home_texts() -> tuple[str, str]:
    return (
        _("Partnerportal"),
        _(
            "The registry and atlas of development partnerships of German municipalities: find "
            "partnerships, see them on the map and in figures, and keep your own up to date."
        ),
    )


#: Introductions an earlier release wrote on the home page. They promised event registration
#: and funding applications, which do not exist yet; an introduction still reading so is
#: replaced (one that staff have edited is left alone).
FORMER_HOME_INTROS = frozenset(
    {
        "The registry, atlas and services for development partnerships of municipalities: "
        "find partnerships, keep your own up to date, register for events and apply for "
        "funding.",
        "Register, Atlas und Angebote für kommunale Entwicklungspartnerschaften: "
        "Partnerschaften finden, die eigenen aktuell halten, sich zu Veranstaltungen "
        "anmelden und Förderung beantragen.",
    }
)


def _home_intro_refresh(page: HomePage, language: str) -> None:
    if page.intro not in FORMER_HOME_INTROS:
        return
    with translation.override(language):
        _title, page.intro = _home_texts()
    page.save_revision().publish()


@transaction.atomic
def site_structure_ensure() -> HomePage:
    """Create the German home page (the site's root), its English translation and the legal
    pages."""
    locale_de, _created = Locale.objects.get_or_create(language_code="de")
    locale_en, _created = Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    if root is None:
        # Wagtail's migrations make the tree's root; a flushed database has none.
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale_de))
    if root.locale_id != locale_de.id:
        Page.objects.filter(depth=1).update(locale=locale_de)
        root.refresh_from_db()

    home = HomePage.objects.filter(locale=locale_de).first()
    if home is None:
        with translation.override("de"):
            title, intro = _home_texts()
        home = root.add_child(
            instance=HomePage(title=title, slug="start", intro=intro, locale=locale_de)
        )
        # Wagtail's welcome page goes: our home page takes the site's root.
        site = Site.objects.filter(is_default_site=True).first()
        old_root = site.root_page if site else None
        if site is None:
            site = Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name="Partnerportal",
            )
        else:
            site.root_page = home
            site.site_name = "Partnerportal"
            site.save()
        if old_root is not None and old_root.id != home.id and old_root.depth == 2:
            old_root.delete()
        home.refresh_from_db()

    home_en = home.get_translation_or_none(locale_en)
    if home_en is None:
        with translation.override("en"):
            title, intro = _home_texts()
        home_en = home.copy_for_translation(locale_en)
        home_en.title, home_en.intro = title, intro
        home_en.save_revision().publish()
    _home_intro_refresh(home, "de")
    _home_intro_refresh(home_en.specific, "en")

    settings_obj = LegalPages.for_site(Site.objects.get(is_default_site=True))
    changed = False
    for spec_de, spec_en in zip(_specs_in("de"), _specs_in("en"), strict=True):
        page = getattr(settings_obj, spec_de.setting_field)
        if page is None:
            page = home.add_child(
                instance=StandardPage(
                    title=spec_de.title, slug=spec_de.slug, body=spec_de.body, locale=locale_de
                )
            )
            setattr(settings_obj, spec_de.setting_field, page)
            changed = True
        if page.get_translation_or_none(locale_en) is None:
            page_en = page.specific.copy_for_translation(locale_en)
            page_en.title, page_en.body = spec_en.title, spec_en.body
            page_en.save_revision().publish()
    if changed:
        settings_obj.save()
    # Both language trees hang below the root, so permissions there cover both.
    staff_permissions_ensure(Page.get_first_root_node())
    return home


def _specs_in(language: str) -> list[LegalPageSpec]:
    with translation.override(language):
        return _legal_specs()


#: What agency staff may do in the back office: edit and publish every page, the legal pages
#: setting, images and documents. Reviewers and experts work in the platform, not here.
STAFF_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
STAFF_MODEL_PERMISSIONS = (
    ("content", "change_legalpages"),
    ("registry", "add_municipality"),
    ("registry", "change_municipality"),
    ("registry", "view_municipality"),
    ("registry", "add_programme"),
    ("registry", "change_programme"),
    ("registry", "view_programme"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    # Translating pages (and syncing translations) with wagtail-localize.
    ("wagtail_localize", "submit_translation"),
)
STAFF_GROUPS = MANAGING_ROLES


def staff_permissions_ensure(root: Page) -> None:
    """Give the agency's groups the back-office permissions on the page tree (idempotent)."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    page_permissions = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=STAFF_PAGE_PERMISSIONS
    )
    model_permissions = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in STAFF_MODEL_PERMISSIONS
    ]
    for group in Group.objects.filter(name__in=STAFF_GROUPS):
        for permission in page_permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
        group.permissions.add(*model_permissions)
