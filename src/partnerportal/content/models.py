"""Editorial pages. The foundation brings the home page and the statements every public site
must have (imprint, privacy, accessibility), all editable by staff in the Wagtail back office."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import (
    AbstractGroupApprovalTask,
    Orderable,
    Page,
    PagePermissionTester,
    Revision,
    TaskState,
    Workflow,
)
from wagtail.search import index

from .slugs import AsciiSlugMixin

#: What content's views add to a page type's context (content/views.py, registered in
#: ContentConfig.ready): the views read through the selectors, which import these models, so
#: the models cannot import them (the acyclic contract, ADR 0006).
_PAGE_CONTEXT: dict[str, Callable] = {}


def page_context_register(page_type: type[Page], provider: Callable) -> None:
    _PAGE_CONTEXT[page_type._meta.label] = provider


def _page_context(page: Page, request) -> dict:
    provider = _PAGE_CONTEXT.get(page._meta.label)
    return provider(page, request) if provider else {}


class HomePage(Page):
    intro = models.TextField(_("introduction"), blank=True)
    body = RichTextField(_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "content.ArticleIndexPage",
        "content.ProgrammePage",
        "content.FormatPage",
        "content.StandardPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        """The latest news and practice examples, the programmes and the network's figures
        (content.views.home_context)."""
        context = super().get_context(request, *args, **kwargs)
        context.update(_page_context(self, request))
        return context


class StandardPage(AsciiSlugMixin, Page):
    """A page of text: imprint, privacy statement, accessibility statement and the like."""

    body = RichTextField(_("body"), blank=True)
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body"), FieldPanel("last_reviewed")]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    class Meta:
        verbose_name = _("standard page")


@register_setting(icon="doc-full")
class LegalPages(BaseSiteSetting):
    """Which pages the footer links as imprint, privacy and accessibility statements."""

    imprint_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("imprint"),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("privacy statement"),
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accessibility statement"),
    )

    panels = [
        FieldPanel("imprint_page"),
        FieldPanel("privacy_page"),
        FieldPanel("accessibility_page"),
    ]

    class Meta:
        verbose_name = _("legal pages")


# --- Review by a second editor (four-eyes rule) ------------------------------------------------


class SecondEditorReviewTask(AbstractGroupApprovalTask):
    """A review step that the members of its groups approve, but never the person who asked for
    the review, wrote the revision under review or edited the page last: what is published has
    been read by a second person (four-eyes rule). Wagtail's group approval task lets the
    submitter approve their own page; this one refuses it in every way in (buttons, the
    dashboard's list, the action itself)."""

    class Meta:
        verbose_name = _("review by a second editor")
        verbose_name_plural = _("reviews by a second editor")

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups approve, except the person who submitted the page "
            "or edited it last."
        )

    @staticmethod
    def authors(task_state: TaskState | None, obj=None) -> set[int]:
        """Who may not approve: the requester, the author of the revision under review and the
        author of the latest revision (an edit made while approving counts)."""
        ids: set[int | None] = set()
        if task_state is not None:
            ids.add(task_state.workflow_state.requested_by_id)
            ids.add(task_state.revision.user_id)
            obj = obj or task_state.workflow_state.content_object
        if obj is not None:
            latest = (
                Revision.objects.for_instance(obj).order_by("-created_at", "-id").only("user_id")
            ).first()
            if latest is not None:
                ids.add(latest.user_id)
        ids.discard(None)
        return ids  # type: ignore[return-value]

    def is_author(self, obj, user) -> bool:
        task_state = getattr(obj, "current_workflow_task_state", None)
        return user.pk in self.authors(task_state, obj)

    def get_actions(self, obj, user):
        if self.is_author(obj, user):
            return []
        return super().get_actions(obj, user)

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve" and user.pk in self.authors(task_state):
            if task_state.revision.user_id != user.pk and self._edited_now(task_state, user):
                # The reviewer changed the page while approving: their change needs a second
                # reader too. The review starts again on the new revision, for someone else.
                return task_state.cancel(
                    user=user,
                    resume=True,
                    comment=gettext("Changed by the reviewer; a second editor must approve."),
                )
            raise PermissionDenied(gettext("A second editor must approve this page."))
        if action_name == "reject" and user.pk in self.authors(task_state):
            raise PermissionDenied(gettext("A second editor must review this page."))
        return super().on_action(task_state, user, action_name, **kwargs)

    @staticmethod
    def _edited_now(task_state: TaskState, user) -> bool:
        obj = task_state.workflow_state.content_object
        latest = Revision.objects.for_instance(obj).order_by("-created_at", "-id").first()
        return (
            latest is not None and latest.user_id == user.pk and latest.pk != task_state.revision_id
        )

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        latest_author = Subquery(
            Revision.objects.filter(
                base_content_type=OuterRef("workflow_state__base_content_type"),
                object_id=OuterRef("workflow_state__object_id"),
            )
            .order_by("-created_at", "-id")
            .values("user_id")[:1]
        )
        return (
            states.exclude(workflow_state__requested_by=user)
            .exclude(revision__user=user)
            .annotate(latest_author=latest_author)
            .exclude(latest_author=user.pk)
        )


def review_workflow() -> Workflow | None:
    """The active workflow with a second editor's review (content.services sets it up)."""
    return (
        Workflow.objects.active()
        .filter(workflow_tasks__task__content_type__model="secondeditorreviewtask")
        .order_by("pk")
        .first()
    )


class ReviewedPagePermissionTester(PagePermissionTester):
    """Pages under review are published by approving the review, never directly: Wagtail would
    otherwise show "Publish" to everyone who may publish, and one person could publish alone."""

    def can_publish(self):
        return super().can_publish() and not self.page.has_workflow


class ReviewedPage(Page):
    """Articles, programme and format pages: published after a second editor's review, wherever
    the page is in the tree."""

    class Meta:
        abstract = True

    def get_workflow(self):
        """The review by a second editor, before any workflow of the tree (Wagtail's default
        "Moderators approval" sits on the root and would let one moderator publish)."""
        return review_workflow() or super().get_workflow()

    def permissions_for_user(self, user):
        return ReviewedPagePermissionTester(user, self)


# --- Articles: news, interviews, practice examples -------------------------------------------


class ArticleTag(TaggedItemBase):
    """Free tags of an article (news, interview, practice example)."""

    content_object = ParentalKey(
        "content.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePage(AsciiSlugMixin, ReviewedPage):
    """What news, interviews and practice examples share: a date, a place, a teaser, a body, a
    lead image with its alt text, and what it is about in the registry (municipalities,
    partnerships, countries, programmes, themes and SDGs). Concrete, so that one query lists
    every kind of article (home page, feeds, the pages of a municipality or country); editors
    create only its subclasses."""

    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    teaser = models.TextField(
        _("teaser"), max_length=600, help_text=_("Two or three sentences for lists and feeds.")
    )
    body = RichTextField(_("body"), blank=True)
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lead image"),
    )
    lead_image_alt = models.CharField(
        _("alternative text of the lead image"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it. Required with an image."),
    )
    lead_image_caption = models.CharField(
        _("caption and credit of the lead image"), max_length=250, blank=True
    )
    tags = ClusterTaggableManager(through=ArticleTag, blank=True, verbose_name=_("tags"))
    municipalities = ParentalManyToManyField(
        "registry.Municipality",
        blank=True,
        related_name="articles",
        verbose_name=_("municipalities"),
    )
    partnerships = ParentalManyToManyField(
        "registry.Partnership",
        blank=True,
        related_name="articles",
        verbose_name=_("partnerships"),
    )
    countries = ParentalManyToManyField(
        "geo.Country", blank=True, related_name="articles", verbose_name=_("countries")
    )
    programmes = ParentalManyToManyField(
        "registry.Programme", blank=True, related_name="articles", verbose_name=_("programmes")
    )
    themes = ParentalManyToManyField(
        "registry.Theme",
        blank=True,
        related_name="articles",
        verbose_name=_("themes and SDGs"),
    )
    #: Which line of a news archive this article came from (content/importers.py): "<language>:"
    #: and the line's id, or its date and title slug. Re-imports update the article it names.
    #: Not copied into a translation or a copy, which are other articles.
    source_key = models.CharField(_("import key"), max_length=255, blank=True, editable=False)

    exclude_fields_in_copy = ["source_key"]
    is_creatable = False
    parent_page_types = ["content.ArticleIndexPage"]
    subpage_types: list[str] = []

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("place"), FieldPanel("teaser")],
            heading=_("Date, place and teaser"),
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("lead_image"),
                FieldPanel("lead_image_alt"),
                FieldPanel("lead_image_caption"),
            ],
            heading=_("Lead image"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("municipalities"),
                FieldPanel("partnerships"),
                FieldPanel("countries"),
                FieldPanel("programmes"),
                FieldPanel("themes"),
                FieldPanel("tags"),
            ],
            heading=_("What it is about"),
        ),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("teaser"),
        index.SearchField("body"),
        index.SearchField("place"),
        index.FilterField("date"),
    ]

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"],
                condition=~models.Q(source_key=""),
                name="content_article_source_key_unique",
            )
        ]

    def clean(self) -> None:
        super().clean()
        if self.lead_image_id and not self.lead_image_alt.strip():
            raise ValidationError(
                {"lead_image_alt": _("Describe the image for people who cannot see it.")}
            )


class NewsArticle(ArticlePage):
    """A news item of the agency: a conference, a new partnership, a call for proposals."""

    is_creatable = True
    template = "content/article_page.html"

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")


class Interview(ArticlePage):
    """A conversation with someone from a partnership, an expert or a municipality."""

    interviewee = models.CharField(_("interviewee"), max_length=200, blank=True)
    interviewee_role = models.CharField(_("role of the interviewee"), max_length=250, blank=True)

    is_creatable = True
    template = "content/article_page.html"
    content_panels = [
        *ArticlePage.content_panels[:2],
        MultiFieldPanel(
            [FieldPanel("interviewee"), FieldPanel("interviewee_role")],
            heading=_("Interviewee"),
        ),
        *ArticlePage.content_panels[2:],
    ]
    search_fields = [*ArticlePage.search_fields, index.SearchField("interviewee")]

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")


class PracticeExample(ArticlePage):
    """How a partnership solved something, told so that other municipalities can learn from it.
    Municipal editors may submit one about their own partnership; it is published after review."""

    results = RichTextField(_("results"), blank=True)
    lessons = RichTextField(_("what others can learn"), blank=True)

    is_creatable = True
    template = "content/article_page.html"
    content_panels = [
        *ArticlePage.content_panels[:3],
        FieldPanel("results"),
        FieldPanel("lessons"),
        *ArticlePage.content_panels[3:],
    ]
    search_fields = [
        *ArticlePage.search_fields,
        index.SearchField("results"),
        index.SearchField("lessons"),
    ]

    class Meta:
        verbose_name = _("practice example")
        verbose_name_plural = _("practice examples")


class ArticleIndexPage(AsciiSlugMixin, Page):
    """Lists articles: the news (news and interviews) or the practice examples. Filters and
    paging are the listing's (content/views or get_context); this holds the page's own text."""

    class Purpose(models.TextChoices):
        NEWS = "news", _("News")
        PRACTICE_EXAMPLES = "practice_examples", _("Practice examples")

    intro = RichTextField(_("introduction"), blank=True)
    purpose = models.CharField(
        _("purpose"),
        max_length=30,
        choices=Purpose.choices,
        blank=True,
        help_text=_(
            "Which list this is: submitted practice examples are filed under the list of "
            "practice examples in the submitter's language."
        ),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    settings_panels = [*Page.settings_panels, FieldPanel("purpose")]
    subpage_types = ["content.NewsArticle", "content.Interview", "content.PracticeExample"]
    parent_page_types = ["content.HomePage"]

    class Meta:
        verbose_name = _("article list")
        verbose_name_plural = _("article lists")

    def get_context(self, request, *args, **kwargs):
        """The filtered, paged list of its articles (content.views.article_index_context)."""
        context = super().get_context(request, *args, **kwargs)
        context.update(_page_context(self, request))
        return context


# --- Programmes and formats --------------------------------------------------------------------


class ProgrammeOffer(models.TextChoices):
    ADVICE = "advice", _("Advice and process support")
    NETWORKING = "networking", _("Networking")
    QUALIFICATION = "qualification", _("Qualification")
    FINANCIAL_SUPPORT = "financial_support", _("Financial support")


class ProgrammePage(AsciiSlugMixin, ReviewedPage):
    """The page of a programme (e.g. the expert fund, municipal cooperation with North Africa):
    why it exists, what it wants, how it works, what it offers, for whom, and whom to ask."""

    programme = models.ForeignKey(
        "registry.Programme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pages",
        verbose_name=_("programme in the registry"),
    )
    teaser = models.TextField(_("teaser"), max_length=600, blank=True)
    background = RichTextField(_("background"), blank=True)
    goal = RichTextField(_("goal"), blank=True)
    approach = RichTextField(_("approach"), blank=True)
    offers_advice = models.BooleanField(_("offers advice and process support"), default=False)
    offers_networking = models.BooleanField(_("offers networking"), default=False)
    offers_qualification = models.BooleanField(_("offers qualification"), default=False)
    offers_financial_support = models.BooleanField(_("offers financial support"), default=False)
    offer_details = RichTextField(_("details of what is offered"), blank=True)
    target_group = RichTextField(_("target group"), blank=True)
    countries = ParentalManyToManyField(
        "geo.Country", blank=True, related_name="programme_pages", verbose_name=_("countries")
    )
    themes = ParentalManyToManyField(
        "registry.Theme",
        blank=True,
        related_name="programme_pages",
        verbose_name=_("themes and SDGs"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("programme"),
        FieldPanel("teaser"),
        FieldPanel("background"),
        FieldPanel("goal"),
        FieldPanel("approach"),
        MultiFieldPanel(
            [
                FieldPanel("offers_advice"),
                FieldPanel("offers_networking"),
                FieldPanel("offers_qualification"),
                FieldPanel("offers_financial_support"),
                FieldPanel("offer_details"),
            ],
            heading=_("What is offered"),
        ),
        FieldPanel("target_group"),
        MultiFieldPanel([FieldPanel("countries"), FieldPanel("themes")], heading=_("Scope")),
        InlinePanel("contacts", label=_("Contacts")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("teaser"),
        index.SearchField("background"),
        index.SearchField("goal"),
        index.SearchField("approach"),
        index.SearchField("target_group"),
    ]
    parent_page_types = ["content.HomePage", "content.StandardPage"]

    class Meta:
        verbose_name = _("programme page")
        verbose_name_plural = _("programme pages")

    @property
    def offer_labels(self) -> list[str]:
        """The offers ticked, in the order of ProgrammeOffer, as people read them."""
        return [offer.label for offer in ProgrammeOffer if getattr(self, f"offers_{offer.value}")]


class ProgrammeContact(Orderable):
    """Whom to ask about a programme. Shown publicly: only work contact details."""

    page = ParentalKey(ProgrammePage, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("telephone"), max_length=50, blank=True)

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("email"), FieldPanel("phone")]

    class Meta(Orderable.Meta):
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")


class FormatPage(AsciiSlugMixin, ReviewedPage):
    """A format or event series (regional conferences, round tables, network meetings): what it
    is, how often, for whom. The events app links its series and events here."""

    programme = models.ForeignKey(
        "registry.Programme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="format_pages",
        verbose_name=_("programme"),
    )
    teaser = models.TextField(_("teaser"), max_length=600, blank=True)
    body = RichTextField(_("body"), blank=True)
    rhythm = models.CharField(
        _("how often"),
        max_length=200,
        blank=True,
        help_text=_("For example: every three years per world region."),
    )
    target_group = RichTextField(_("target group"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("programme"),
        FieldPanel("teaser"),
        FieldPanel("body"),
        FieldPanel("rhythm"),
        FieldPanel("target_group"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("teaser"),
        index.SearchField("body"),
        index.SearchField("target_group"),
    ]
    parent_page_types = ["content.HomePage", "content.StandardPage", "content.ProgrammePage"]

    class Meta:
        verbose_name = _("format page")
        verbose_name_plural = _("format pages")
