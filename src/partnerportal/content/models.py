"""Editorial pages. The foundation brings the home page and the statements every public site
must have (imprint, privacy, accessibility), all editable by staff in the Wagtail back office."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index


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
        """The network's figures, as the statistics page counts them (cached there)."""
        from partnerportal.registry.figures import network_figures

        context = super().get_context(request, *args, **kwargs)
        context["figures"] = network_figures()
        return context


class StandardPage(Page):
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


# --- Articles: news, interviews, practice examples -------------------------------------------


class ArticleTag(TaggedItemBase):
    """Free tags of an article (news, interview, practice example)."""

    content_object = ParentalKey(
        "content.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePage(Page):
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


class ArticleIndexPage(Page):
    """Lists articles: the news (news and interviews) or the practice examples. Filters and
    paging are the listing's (content/views or get_context); this holds the page's own text."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["content.NewsArticle", "content.Interview", "content.PracticeExample"]
    parent_page_types = ["content.HomePage"]

    class Meta:
        verbose_name = _("article list")
        verbose_name_plural = _("article lists")


# --- Programmes and formats --------------------------------------------------------------------


class ProgrammeOffer(models.TextChoices):
    ADVICE = "advice", _("Advice and process support")
    NETWORKING = "networking", _("Networking")
    QUALIFICATION = "qualification", _("Qualification")
    FINANCIAL_SUPPORT = "financial_support", _("Financial support")


class ProgrammePage(Page):
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


class FormatPage(Page):
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
