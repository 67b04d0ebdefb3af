"""Sets up the page tree a fresh installation needs, in German and English. Idempotent: run after
every migrate (signals.site_after_migrate) and by `partnerportal setup_site`, it creates only
what is missing."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.images import ImageFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Locale, Page, Site

from partnerportal.accounts.roles import MANAGING_ROLES, edited_municipality_ids
from partnerportal.core.uploads import UploadPolicy, validate_upload
from partnerportal.registry.models import Partnership

from . import permissions
from .models import (
    ArticleIndexPage,
    HomePage,
    LegalPages,
    PracticeExample,
    SecondEditorReviewTask,
    StandardPage,
    review_workflow,
)


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
    indexes = article_indexes_ensure(home)
    review_workflow_ensure(pages=indexes)
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
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import GroupPagePermission

    page_permissions = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=STAFF_PAGE_PERMISSIONS
    )
    # wagtail-localize makes this permission in a data migration (on a content type of its own),
    # which a flushed database has lost; made again as that migration makes it.
    Permission.objects.get_or_create(
        content_type=ContentType.objects.get_or_create(
            app_label="wagtail_localize", model="translation"
        )[0],
        codename="submit_translation",
        defaults={"name": "Can submit translations"},
    )
    model_permissions = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in STAFF_MODEL_PERMISSIONS
    ]
    for group in Group.objects.filter(name__in=STAFF_GROUPS):
        for permission in page_permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
        group.permissions.add(*model_permissions)


# --- The article lists and the review workflow -------------------------------------------------


@dataclass(frozen=True)
class ArticleIndexSpec:
    purpose: str
    slug_de: str
    slug_en: str
    title: str
    intro: str


def _index_specs() -> list[ArticleIndexSpec]:
    return [
        ArticleIndexSpec(
            ArticleIndexPage.Purpose.NEWS,
            "aktuelles",
            "news",
            _("News"),
            _(
                "<p>News, reports and interviews from the municipal development partnerships "
                "and from the agency.</p>"
            ),
        ),
        ArticleIndexSpec(
            ArticleIndexPage.Purpose.PRACTICE_EXAMPLES,
            "praxisbeispiele",
            "practice-examples",
            _("Practice examples"),
            _(
                "<p>How partnerships have solved a task together, told so that other "
                "municipalities can learn from it. Editors of a municipality can submit a "
                "practice example of their partnership from their work page.</p>"
            ),
        ),
    ]


def article_indexes_ensure(home: HomePage) -> list[ArticleIndexPage]:
    """The lists of news and of practice examples below the home page, in German and English.
    A list is found again by its purpose, so staff may rename it or change its address."""
    locale_en = Locale.objects.get(language_code="en")
    pages = []
    with translation.override("de"):
        specs_de = _index_specs()
    with translation.override("en"):
        specs_en = _index_specs()
    for spec_de, spec_en in zip(specs_de, specs_en, strict=True):
        page = ArticleIndexPage.objects.filter(
            locale=home.locale_id, purpose=spec_de.purpose
        ).first()
        if page is None:
            page = home.add_child(
                instance=ArticleIndexPage(
                    title=spec_de.title,
                    slug=spec_de.slug_de,
                    intro=spec_de.intro,
                    purpose=spec_de.purpose,
                    locale=home.locale,
                )
            )
        pages.append(page)
        if page.get_translation_or_none(locale_en) is None:
            page_en = page.copy_for_translation(locale_en)
            page_en.title, page_en.intro = spec_en.title, spec_en.intro
            page_en.slug = spec_de.slug_en
            page_en.save_revision().publish()
            pages.append(page_en)
        else:
            pages.append(page.get_translation(locale_en))
    return pages


def review_workflow_ensure(*, pages: list) -> None:
    """The workflow "Review by a second editor" with its one task, approved by the agency's
    editors and administrators, on the article lists (it applies to every article, programme and
    format page wherever it is: models.ReviewedPage). Staff changes to its groups, name or pages
    are kept; a deactivated workflow stays deactivated."""
    from django.contrib.auth.models import Group
    from wagtail.models import Workflow, WorkflowPage, WorkflowTask

    with translation.override(settings.LANGUAGE_CODE):
        name = _("Review by a second editor")
    task = SecondEditorReviewTask.objects.order_by("pk").first()
    if task is None:
        task = SecondEditorReviewTask.objects.create(name=name)
        task.groups.set(Group.objects.filter(name__in=STAFF_GROUPS))
    if Workflow.objects.filter(workflow_tasks__task=task).exists():
        workflow = review_workflow()
        if workflow is None:
            return  # deactivated by staff
    else:
        workflow = Workflow.objects.create(name=name)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for page in pages:
        if not WorkflowPage.objects.filter(page=page).exists():
            WorkflowPage.objects.create(page=page, workflow=workflow)


# --- Practice examples submitted by municipal editors ------------------------------------------

#: The action of the page's log (the back office's history of the page) for a submission.
SUBMITTED_ACTION = "content.practice_example_submitted"
#: What a submitted image may be: a photo or a graphic, at most the upload limit.
IMAGE_POLICY_KINDS = ("jpeg", "png")


def image_policy() -> UploadPolicy:
    return UploadPolicy(kinds=IMAGE_POLICY_KINDS)


def plain_text_to_richtext(text: str) -> str:
    """Paragraphs (blank lines) and line breaks of plain text as rich text; everything escaped,
    so a submission can carry no markup, links or scripts of its own."""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(
        "<p>" + "<br/>".join(escape(line) for line in paragraph.split("\n")) + "</p>"
        for paragraph in paragraphs
    )


def practice_examples_index(language: str) -> ArticleIndexPage | None:
    """The list of practice examples in `language`, else in the default language."""
    indexes = ArticleIndexPage.objects.filter(
        purpose=ArticleIndexPage.Purpose.PRACTICE_EXAMPLES
    ).select_related("locale")
    by_language = {index.locale.language_code: index for index in indexes}
    return by_language.get(language) or by_language.get(settings.LANGUAGE_CODE)


@transaction.atomic
def practice_example_submit(
    *,
    actor,
    partnership: Partnership,
    title: str,
    teaser: str,
    body: str,
    results: str = "",
    lessons: str = "",
    image: File | None = None,
    image_alt: str = "",
    language: str | None = None,
) -> PracticeExample:
    """A municipal editor's practice example of their own partnership, as a draft under the list
    of practice examples in their language, owned by them and submitted to the review by a second
    editor. It is about the partnership, its two municipalities, the partner's country, and the
    partnership's programmes and themes. All or nothing: a refused image stores nothing."""
    if not permissions.can_submit_practice_example(actor, partnership):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    title, teaser, image_alt = title.strip(), teaser.strip(), image_alt.strip()
    if not title:
        errors.setdefault("title", []).append(_("Give the practice example a title."))
    if not teaser:
        errors.setdefault("teaser", []).append(
            _("Summarise the practice example in a few sentences.")
        )
    if image is not None and not image_alt:
        errors.setdefault("image_alt", []).append(
            _("Describe the image for people who cannot see it.")
        )
    if image is not None:
        try:
            validate_upload(image, policy=image_policy())
        except ValidationError as error:
            errors.setdefault("image", []).extend(error.messages)
    language = language or getattr(actor, "language", "") or settings.LANGUAGE_CODE
    index = practice_examples_index(language)
    if index is None:
        errors.setdefault("__all__", []).append(
            _("There is no list of practice examples yet. Please tell the agency.")
        )
    if errors:
        raise ValidationError(errors)

    sides = [partnership.municipality_a, partnership.municipality_b]
    own = next((m for m in sides if m.pk in edited_municipality_ids(actor)), sides[0])
    lead_image = None
    if image is not None:
        image.seek(0)
        lead_image = get_image_model()(
            title=title[:255], file=ImageFile(image, name=image.name), uploaded_by_user=actor
        )
        lead_image._set_image_file_metadata()
        lead_image.save()
    page = PracticeExample(
        title=title,
        slug=find_available_slug(index, slugify(title)[:80] or "praxisbeispiel"),
        date=timezone.localdate(),
        place=own.name[:120],  # ArticlePage.place holds 120 characters
        teaser=teaser,
        body=plain_text_to_richtext(body),
        results=plain_text_to_richtext(results),
        lessons=plain_text_to_richtext(lessons),
        lead_image=lead_image,
        lead_image_alt=image_alt if lead_image else "",
        owner=actor,
        live=False,
        locale=index.locale,
    )
    page.full_clean(exclude=["path", "depth"])
    index.add_child(instance=page)
    # Parental many-to-many values are kept by the saved page (modelcluster) and written on save.
    page.partnerships = [partnership]
    page.municipalities = sides
    page.countries = sorted({m.country_id for m in sides if m.country_id != "DE"})
    page.programmes = list(partnership.programmes.all())
    page.themes = list(partnership.themes.all())
    page.save()
    page.save_revision(user=actor, log_action=True)
    workflow = page.get_workflow()
    if workflow is None:
        raise ValidationError(_("Reviews are switched off. Please tell the agency."))
    workflow.start(page, actor)
    log(
        instance=page,
        action=SUBMITTED_ACTION,
        user=actor,
        data={"partnership": {"id": partnership.pk, "title": str(partnership)}},
    )
    _wagtail_mail_off(actor)
    return page


def _wagtail_mail_off(user) -> None:
    """Submitters without the back office hear of the outcome from us (signals.py), with a link
    they can open; Wagtail's own e-mails would point them into the back office."""
    from wagtail.users.models import UserProfile

    if user.has_perm("wagtailadmin.access_admin"):
        return
    profile = UserProfile.get_for_user(user)
    if profile.approved_notifications or profile.rejected_notifications:
        profile.approved_notifications = profile.rejected_notifications = False
        profile.save(update_fields=["approved_notifications", "rejected_notifications"])


# --- Telling people about reviews ----------------------------------------------------------------


def review_requested_notify(*, workflow_state, actor) -> None:
    """The reviewers of the first task, except the authors: something waits for them."""
    from partnerportal.notifications.events import Event
    from partnerportal.notifications.services import notify

    page = workflow_state.content_object.specific
    task_state = workflow_state.current_task_state
    if task_state is None:
        return
    task = task_state.task.specific
    groups = getattr(task, "groups", None)
    if groups is None:
        return
    authors = SecondEditorReviewTask.authors(task_state, page)
    User = get_user_model()
    reviewers = User.objects.filter(is_active=True, groups__in=groups.all()).exclude(pk__in=authors)
    partnership = page.partnerships.first() if isinstance(page, PracticeExample) else None
    notify(
        event=Event.CONTENT_REVIEW_REQUESTED,
        recipients=reviewers.distinct(),
        actor=actor,
        target=page,
        context={
            "url": _absolute(reverse("wagtailadmin_pages:edit", args=[page.pk])),
            "partnership": str(partnership) if partnership else "",
        },
    )


def review_outcome_notify(*, page, event: str, actor, comment: str = "") -> None:
    """The page's author (who asked for the review, or its owner) hears that it was sent back or
    published; a municipal editor gets a link they can open."""
    from partnerportal.notifications.events import Event
    from partnerportal.notifications.services import notify

    state = page.workflow_states.order_by("-created_at").select_related("requested_by").first()
    author = (state.requested_by if state else None) or page.owner
    if author is None:
        return
    if event == Event.CONTENT_PUBLISHED:
        url = page.full_url or ""
    elif author.has_perm("wagtailadmin.access_admin"):
        url = _absolute(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    else:
        url = _absolute(reverse("registry:my_municipality"))
    notify(
        event=event,
        recipients=[author],
        actor=actor,
        target=page,
        context={"url": url, "comment": comment},
    )


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path
