"""The whole permission matrix: every view of ours, for every role, on an object of one's own and
on someone else's. A view that is not declared here fails the test, and so does any access that
differs from what is declared.

Expectations: "ok" (2xx, or a redirect that is not to the login page), "login" (redirect to the
login page, ours or the back office's), "deny" (403), "missing" (404), "invalid" (400). A page
about a partnership answers "missing" to whoever may not see it, never "deny" (which would tell
that it exists).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from partnerportal.accounts.tests.factories import (
    InvitationFactory,
    MembershipFactory,
    MunicipalityFactory,
    UserFactory,
)
from partnerportal.registry.selectors.picking import municipality_pick_label
from partnerportal.registry.tests.factories import ForeignMunicipalityFactory, PartnershipFactory

ROLES = (
    "public",
    "registered",
    "municipal_editor",
    "agency_editor",
    "agency_admin",
    "reviewer",
    "expert",
)
STAFF_ROLES = {"agency_editor", "agency_admin", "reviewer"}
ALL_OK = dict.fromkeys(ROLES, "ok")
LOGGED_IN_OK = {**dict.fromkeys(ROLES, "ok"), "public": "login"}
ADMINS_ONLY = {
    **dict.fromkeys(ROLES, "deny"),
    "public": "login",
    "agency_editor": "ok",
    "agency_admin": "ok",
}
#: Agency staff and the editors of the municipality concerned.
DECIDERS_OWN = {**ADMINS_ONLY, "municipal_editor": "ok"}
NOBODY_ELSE = {**dict.fromkeys(ROLES, "deny"), "public": "login"}


@dataclass
class World:
    """The objects the matrix asks about: one of the acting person's own, one of someone else's."""

    users: dict[str, object]
    own_municipality: object
    other_municipality: object
    extra: dict = field(default_factory=dict)


@dataclass
class Case:
    url_name: str
    expect: dict[str, str]
    method: str = "get"
    kwargs: Callable[[World, str], dict] | None = None
    data: Callable[[World, str], dict] | None = None
    label: str = ""


def _pending_request_own(world: World, role: str) -> dict:
    return {"pk": MembershipFactory(municipality=world.own_municipality, requested=True).pk}


def _pending_request_other(world: World, role: str) -> dict:
    return {"pk": MembershipFactory(municipality=world.other_municipality, requested=True).pk}


def _pending_request_of_oneself(world: World, role: str) -> dict:
    person = world.users[role] or UserFactory()
    return {
        "pk": MembershipFactory(
            user=person, municipality=world.other_municipality, requested=True
        ).pk
    }


def _active_membership_other(world: World, role: str) -> dict:
    return {"pk": MembershipFactory(municipality=world.other_municipality).pk}


def _invitation(world: World, role: str) -> dict:
    return {"pk": InvitationFactory(municipality=world.own_municipality).pk}


def _invitation_token(world: World, role: str) -> dict:
    return {"token": InvitationFactory(municipality=world.own_municipality).token}


def _invitation_data(world: World, role: str) -> dict:
    return {
        "email": f"neu-{role}@example.org",
        # The label the picker offers: its key (AGS) names the place whatever its name now.
        "municipality": municipality_pick_label(world.own_municipality),
        "language": "de",
    }


def _municipality_trail(world: World, role: str) -> dict:
    return {"app_label": "registry", "model_name": "municipality", "pk": world.own_municipality.pk}


def _municipality_change(world: World, role: str) -> dict:
    municipality = world.own_municipality
    municipality.name = f"{municipality.name} (geändert)"
    municipality.save()
    return {
        **_municipality_trail(world, role),
        "history_id": municipality.history.latest().history_id,
    }


def _fresh_partnership(first, *, confirmed: bool = True, **extra):
    """A new partnership between `first` and a new foreign municipality."""
    partner = ForeignMunicipalityFactory(iso2="PE")
    return PartnershipFactory(
        between=(first, partner), is_confirmed=confirmed, status="aktiv", **extra
    )


def _remember(world: World, partnership) -> dict:
    """The partnership a case acts on, kept for its form data (the version the page showed)."""
    world.extra["partnership"] = partnership
    return {"pk": partnership.pk}


def _seen_version(world: World, role: str) -> dict:
    """What the page's form sends back: the version it was read at (ADR 0005)."""
    return {"version": world.extra["partnership"].version}


def _partnership_own(world: World, role: str) -> dict:
    return _remember(world, _fresh_partnership(world.own_municipality))


def _partnership_other(world: World, role: str) -> dict:
    return _remember(world, _fresh_partnership(world.other_municipality))


def _proposal_own(world: World, role: str) -> dict:
    return _remember(world, _fresh_partnership(world.own_municipality, confirmed=False))


def _proposal_other(world: World, role: str) -> dict:
    return _remember(world, _fresh_partnership(world.other_municipality, confirmed=False))


def _transition_proposal_own(world: World, role: str) -> dict:
    return {**_proposal_own(world, role), "action": "pause"}


def _transition_proposal_other(world: World, role: str) -> dict:
    return {**_proposal_other(world, role), "action": "pause"}


def _proposal_trail(first_of: str) -> Callable[[World, str], dict]:
    def kwargs(world: World, role: str) -> dict:
        municipality = getattr(world, first_of)
        pk = _remember(world, _fresh_partnership(municipality, confirmed=False))["pk"]
        return {"app_label": "registry", "model_name": "partnership", "pk": pk}

    return kwargs


def _proposal_change(world: World, role: str) -> dict:
    """A change of a proposal of one's own municipality that staff could revert."""
    trail = _proposal_trail("own_municipality")(world, role)
    partnership = world.extra["partnership"]
    partnership.description = "geändert"
    partnership.save()
    return {**trail, "history_id": partnership.history.latest().history_id}


def _confirm_link_for_oneself_to_a_hidden_proposal(world: World, role: str) -> dict:
    from partnerportal.registry.services.partnerships import confirmation_token_make

    person = world.users[role] or UserFactory()
    partnership = _fresh_partnership(world.other_municipality, confirmed=False)
    return {"token": confirmation_token_make(partnership=partnership, user=person)}


def _transition_own(world: World, role: str) -> dict:
    return {**_partnership_own(world, role), "action": "pause"}


def _transition_other(world: World, role: str) -> dict:
    return {**_partnership_other(world, role), "action": "pause"}


def _confirm_link_for_oneself(world: World, role: str) -> dict:
    from partnerportal.registry.services.partnerships import confirmation_token_make

    person = world.users[role] or UserFactory()
    partnership = _fresh_partnership(world.own_municipality)
    return {"token": confirmation_token_make(partnership=partnership, user=person)}


def _confirm_link_for_someone_else(world: World, role: str) -> dict:
    from partnerportal.registry.services.partnerships import confirmation_token_make

    partnership = _fresh_partnership(world.own_municipality)
    return {"token": confirmation_token_make(partnership=partnership, user=UserFactory())}


def _reminder_round(world: World, role: str) -> dict:
    from partnerportal.registry.models import ReminderRound

    return {"pk": ReminderRound.objects.create(municipality=world.own_municipality).pk}


def _round_data(world: World, role: str) -> dict:
    return {"per_municipality": 10, "municipality": world.own_municipality.pk}


def _municipality_own(world: World, role: str) -> dict:
    return {"pk": world.own_municipality.pk}


def _municipality_other(world: World, role: str) -> dict:
    return {"pk": world.other_municipality.pk}


def _review_item(world: World, role: str) -> dict:
    from partnerportal.registry.models import ImportRun, ReviewItem

    run = ImportRun.objects.create(kind=ImportRun.Kind.TWINNINGS, file_name="twin_cities.csv")
    item = ReviewItem.objects.create(
        import_run=run,
        row_number=7,
        raw={"city1": "Nirgendwo", "country1": "Germany", "city2": "Lima", "country2": "Peru"},
        side="1",
        reason="no German municipality of this name",
    )
    return {"pk": item.pk}


def _programme(world: World, role: str) -> dict:
    from partnerportal.registry.models import Programme

    programme, _created = Programme.objects.get_or_create(slug="klima", defaults={"name": "Klima"})
    return {"pk": programme.pk}


def _api_token(owner) -> dict:
    """A token row of `owner` (made directly: a person who is not staff may still hold one from
    when they were, and may revoke it)."""
    import secrets
    from datetime import timedelta

    from django.utils import timezone

    from partnerportal.accounts.models import ApiToken

    token = ApiToken.objects.create(
        user=owner,
        name="Matrix",
        prefix="pp_matrix",
        secret_hash=secrets.token_hex(32),
        expires_at=timezone.now() + timedelta(days=30),
    )
    return {"pk": token.pk}


def _api_token_own(world: World, role: str) -> dict:
    return _api_token(world.users[role] or UserFactory())


def _api_token_other(world: World, role: str) -> dict:
    return _api_token(UserFactory(agency_staff=True))


def _country(world: World, role: str) -> dict:
    return {"iso2": "DE"}


def _per_diem_trip(world: World, role: str) -> dict:
    """A trip the imported table covers (the table is imported once per world)."""
    from partnerportal.funding.tests.conftest import TABLE_2025_2026, table_import

    if "per_diem" not in world.extra:
        world.extra["per_diem"] = table_import(TABLE_2025_2026)
    return {"country": "FR", "start": "2026-03-02T07:30", "end": "2026-03-04T19:00"}


def _municipality_api(world: World, role: str) -> dict:
    return {"municipality_id": world.own_municipality.pk}


#: Editors of the municipality concerned and agency staff; everyone else is refused.
EDITORS_OWN = {**ADMINS_ONLY, "municipal_editor": "ok"}
#: Unconfirmed proposals do not exist for those who may not see them.
PROPOSAL_VISIBLE = {
    **dict.fromkeys(ROLES, "missing"),
    **dict.fromkeys(("municipal_editor", "agency_editor", "agency_admin"), "ok"),
}
#: A form sent empty: those who may edit get it back with its errors (400), others are refused.
EDITORS_OWN_EMPTY_FORM = {r: ("invalid" if v == "ok" else v) for r, v in EDITORS_OWN.items()}
ADMINS_ONLY_EMPTY_FORM = {r: ("invalid" if v == "ok" else v) for r, v in ADMINS_ONLY.items()}
#: Wagtail sends whoever may not use a back-office view to its login page (with a message).
BACK_OFFICE = {**dict.fromkeys(ROLES, "login"), "agency_editor": "ok", "agency_admin": "ok"}
#: Pages about a proposal: 404 to whoever may not see it (it must not tell that it exists),
#: 403 to who sees it but may not do this, and the login page for the public (as for any pk).
HIDDEN = {**dict.fromkeys(ROLES, "missing"), "public": "login"}
PROPOSAL_OWN_EDITORS = {
    **HIDDEN,
    **dict.fromkeys(("municipal_editor", "agency_editor", "agency_admin"), "ok"),
}
PROPOSAL_OTHER_STAFF = {**HIDDEN, "agency_editor": "ok", "agency_admin": "ok"}
PROPOSAL_OWN_STAFF_DECIDE = {**PROPOSAL_OTHER_STAFF, "municipal_editor": "deny"}
PROPOSAL_OWN_NOBODY = {
    **PROPOSAL_OWN_EDITORS,
    **dict.fromkeys(("municipal_editor", "agency_editor", "agency_admin"), "deny"),
}
PROPOSAL_OTHER_NOBODY = {**PROPOSAL_OTHER_STAFF, "agency_editor": "deny", "agency_admin": "deny"}
#: "Still correct" is the municipality's word: its editors only, not agency staff (who check).
MUNICIPAL_EDITORS_OWN = {**NOBODY_ELSE, "municipal_editor": "ok"}
#: API tokens are for agency staff (accounts.roles.API_TOKEN_ROLES).
STAFF_ONLY = {**NOBODY_ELSE, **dict.fromkeys(STAFF_ROLES, "ok")}
#: A page about a token of someone else's does not tell that it exists.
OTHERS_MISSING = {**dict.fromkeys(ROLES, "missing"), "public": "login"}


#: url names that are ours. Library views (allauth, Wagtail, the OpenAPI page) are covered by
#: their own projects' tests and by the browser tests.
CASES: list[Case] = [
    Case("health", ALL_OK),
    Case("api:status", ALL_OK),
    Case("api:openapi-json", ALL_OK),
    Case("api_pages:overview", ALL_OK),
    Case("api:api-root", dict.fromkeys(ROLES, "missing")),
    Case("content:home", ALL_OK),
    Case("content:practice_examples_geojson", ALL_OK),
    # The site search: public, it finds only what everyone may see (content.search_views).
    Case("content:search", ALL_OK, data=lambda world, role: {"q": "Partnerschaft"}),
    Case("api:search", ALL_OK, data=lambda world, role: {"q": "Partnerschaft"}),
    Case("accounts:overview", LOGGED_IN_OK),
    Case("accounts:staff_memberships", ADMINS_ONLY),
    Case("notifications:feed", LOGGED_IN_OK),
    Case("notifications:mark_read", LOGGED_IN_OK, method="post"),
    Case("audit:history", ADMINS_ONLY, kwargs=_municipality_trail),
    Case(
        "audit:revert",
        ADMINS_ONLY,
        method="post",
        kwargs=_municipality_change,
        data=lambda world, role: {"version": world.own_municipality.version},
    ),
    Case(
        "audit:history",
        PROPOSAL_OWN_STAFF_DECIDE,
        kwargs=_proposal_trail("own_municipality"),
        label="proposal of one's own municipality",
    ),
    Case(
        "audit:history",
        PROPOSAL_OTHER_STAFF,
        kwargs=_proposal_trail("other_municipality"),
        label="proposal of someone else's municipality",
    ),
    Case(
        "audit:revert",
        PROPOSAL_OWN_STAFF_DECIDE,
        method="post",
        kwargs=_proposal_change,
        data=_seen_version,
        label="proposal of one's own municipality",
    ),
    Case("accounts:membership_request", LOGGED_IN_OK),
    Case(
        "accounts:membership_confirm",
        DECIDERS_OWN,
        method="post",
        kwargs=_pending_request_own,
        label="request for one's own municipality",
    ),
    Case(
        "accounts:membership_confirm",
        ADMINS_ONLY,
        method="post",
        kwargs=_pending_request_other,
        label="request for someone else's municipality",
    ),
    Case(
        "accounts:membership_decline",
        DECIDERS_OWN,
        method="post",
        kwargs=_pending_request_own,
        label="request for one's own municipality",
    ),
    Case(
        "accounts:membership_decline",
        ADMINS_ONLY,
        method="post",
        kwargs=_pending_request_other,
        label="request for someone else's municipality",
    ),
    Case(
        "accounts:membership_withdraw",
        LOGGED_IN_OK,
        method="post",
        kwargs=_pending_request_of_oneself,
        label="one's own request",
    ),
    Case(
        "accounts:membership_withdraw",
        NOBODY_ELSE,
        method="post",
        kwargs=_pending_request_other,
        label="someone else's request",
    ),
    Case("accounts:membership_end", ADMINS_ONLY, method="post", kwargs=_active_membership_other),
    Case("accounts:invitation_create", ADMINS_ONLY, method="post", data=_invitation_data),
    Case("accounts:invitation_revoke", ADMINS_ONLY, method="post", kwargs=_invitation),
    Case("accounts:invitation_accept", ALL_OK, kwargs=_invitation_token),
    Case("accounts:data_export", LOGGED_IN_OK),
    # Registry: public pages
    Case("registry:municipality_search", ALL_OK),
    Case("registry:municipality_detail", ALL_OK, kwargs=_municipality_own),
    Case("registry:partnership_list", ALL_OK),
    Case("registry:state_detail", ALL_OK, kwargs=lambda world, role: {"slug": "bayern"}),
    Case("registry:country_detail", ALL_OK, kwargs=_country),
    Case("atlas:map", ALL_OK),
    Case(
        "atlas:clusters",
        ALL_OK,
        data=lambda world, role: {"z": 2, "w": -180, "s": -85, "e": 180, "n": 85},
    ),
    Case("atlas:countries", ALL_OK),
    Case("atlas:states", ALL_OK),
    Case("atlas:place", ALL_OK, kwargs=_municipality_own),
    Case("atlas:statistics", ALL_OK),
    Case("atlas:statistics_csv", ALL_OK, kwargs=lambda world, role: {"chart": "state"}),
    Case("atlas:statistics_svg", ALL_OK, kwargs=lambda world, role: {"chart": "state"}),
    Case("registry:partnership_detail", ALL_OK, kwargs=_partnership_other, label="confirmed"),
    Case(
        "registry:partnership_detail",
        PROPOSAL_VISIBLE,
        kwargs=_proposal_own,
        label="unconfirmed proposal of one's own municipality",
    ),
    Case(
        "registry:partnership_detail",
        {**PROPOSAL_OTHER_STAFF, "public": "missing"},
        kwargs=_proposal_other,
        label="unconfirmed proposal of someone else's municipality",
    ),
    # Registry: editing
    Case("registry:partnership_edit", EDITORS_OWN, kwargs=_partnership_own, label="own"),
    Case(
        "registry:partnership_edit", ADMINS_ONLY, kwargs=_partnership_other, label="someone else's"
    ),
    Case(
        "registry:partnership_edit",
        EDITORS_OWN_EMPTY_FORM,
        method="post",
        kwargs=_partnership_own,
        label="own, empty form",
    ),
    Case(
        "registry:partnership_edit",
        ADMINS_ONLY_EMPTY_FORM,
        method="post",
        kwargs=_partnership_other,
        label="someone else's, empty form",
    ),
    Case(
        "registry:partnership_edit",
        PROPOSAL_OWN_EDITORS,
        kwargs=_proposal_own,
        label="proposal of one's own municipality",
    ),
    Case(
        "registry:partnership_edit",
        {**PROPOSAL_OTHER_STAFF, "agency_editor": "invalid", "agency_admin": "invalid"},
        method="post",
        kwargs=_proposal_other,
        label="proposal of someone else's municipality, empty form",
    ),
    Case("registry:partnership_transition", EDITORS_OWN, kwargs=_transition_own, label="own"),
    Case(
        "registry:partnership_transition",
        PROPOSAL_OWN_EDITORS,
        kwargs=_transition_proposal_own,
        label="proposal of one's own municipality",
    ),
    Case(
        "registry:partnership_transition",
        PROPOSAL_OTHER_STAFF,
        method="post",
        kwargs=_transition_proposal_other,
        label="proposal of someone else's municipality",
    ),
    Case(
        "registry:partnership_transition",
        ADMINS_ONLY,
        method="post",
        kwargs=_transition_other,
        label="someone else's",
    ),
    Case(
        "registry:partnership_confirm_current",
        MUNICIPAL_EDITORS_OWN,
        method="post",
        kwargs=_partnership_own,
        data=_seen_version,
        label="own",
    ),
    Case(
        "registry:partnership_confirm_current",
        NOBODY_ELSE,
        method="post",
        kwargs=_partnership_other,
        data=_seen_version,
        label="someone else's",
    ),
    Case(
        "registry:partnership_check",
        ADMINS_ONLY,
        method="post",
        kwargs=_partnership_own,
        data=_seen_version,
        label="own",
    ),
    Case(
        "registry:partnership_check",
        ADMINS_ONLY,
        method="post",
        kwargs=_partnership_other,
        data=_seen_version,
        label="someone else's",
    ),
    Case(
        "registry:partnership_check",
        PROPOSAL_OTHER_NOBODY,
        method="post",
        kwargs=_proposal_other,
        data=_seen_version,
        label="proposal (checked by accepting it)",
    ),
    Case(
        "registry:partnership_confirm_current",
        PROPOSAL_OWN_NOBODY,
        method="post",
        kwargs=_proposal_own,
        data=_seen_version,
        label="proposal of one's own municipality (nothing to confirm yet)",
    ),
    Case(
        "registry:partnership_confirm_current",
        PROPOSAL_OTHER_NOBODY,
        method="post",
        kwargs=_proposal_other,
        data=_seen_version,
        label="proposal of someone else's municipality",
    ),
    Case(
        "registry:partnership_confirm_link",
        MUNICIPAL_EDITORS_OWN,
        kwargs=_confirm_link_for_oneself,
        label="link sent to oneself",
    ),
    Case(
        "registry:partnership_confirm_link",
        NOBODY_ELSE,
        kwargs=_confirm_link_for_someone_else,
        label="link sent to someone else",
    ),
    Case(
        "registry:partnership_confirm_link",
        PROPOSAL_OTHER_NOBODY,
        kwargs=_confirm_link_for_oneself_to_a_hidden_proposal,
        label="link sent to oneself, for a proposal of someone else's municipality",
    ),
    Case("registry:partnership_propose", EDITORS_OWN, kwargs=_municipality_own, label="own"),
    Case(
        "registry:partnership_propose",
        ADMINS_ONLY,
        kwargs=_municipality_other,
        label="someone else's",
    ),
    Case(
        "registry:partnership_proposal_confirm",
        PROPOSAL_OWN_STAFF_DECIDE,
        method="post",
        kwargs=_proposal_own,
        data=_seen_version,
        label="proposal of one's own municipality",
    ),
    Case(
        "registry:partnership_proposal_confirm",
        PROPOSAL_OTHER_STAFF,
        method="post",
        kwargs=_proposal_other,
        data=_seen_version,
        label="proposal of someone else's municipality",
    ),
    Case(
        "registry:partnership_proposal_confirm",
        NOBODY_ELSE,
        method="post",
        kwargs=_partnership_own,
        data=_seen_version,
        label="confirmed already (nothing to decide)",
    ),
    Case(
        "registry:partnership_proposal_reject",
        PROPOSAL_OWN_STAFF_DECIDE,
        method="post",
        kwargs=_proposal_own,
        data=_seen_version,
        label="proposal of one's own municipality",
    ),
    Case(
        "registry:partnership_proposal_reject",
        PROPOSAL_OTHER_STAFF,
        method="post",
        kwargs=_proposal_other,
        data=_seen_version,
        label="proposal of someone else's municipality",
    ),
    Case("registry:stale_list", ADMINS_ONLY),
    Case("registry:reminder_round_start", ADMINS_ONLY, method="post", data=_round_data),
    Case("registry:reminder_round_end", ADMINS_ONLY, method="post", kwargs=_reminder_round),
    # The editor's work page: one's own municipality (the page for several, or a redirect to it)
    Case("registry:my_municipality", LOGGED_IN_OK),
    Case("registry:municipality_work", EDITORS_OWN, kwargs=_municipality_own, label="own"),
    Case(
        "registry:municipality_work",
        ADMINS_ONLY,
        kwargs=_municipality_other,
        label="someone else's",
    ),
    # The municipality picker's suggestions: public names, as the public search shows them
    Case("registry:municipality_picker", ALL_OK),
    Case("registry:review_list", ADMINS_ONLY),
    Case("registry:review_detail", ADMINS_ONLY, kwargs=_review_item),
    Case("registry:review_dismiss", ADMINS_ONLY, method="post", kwargs=_review_item),
    # API: public reads
    Case("api:countries", ALL_OK),
    Case("api:country", ALL_OK, kwargs=_country),
    Case("api:municipalities", ALL_OK),
    Case("api:municipality", ALL_OK, kwargs=_municipality_api),
    Case("api:partnerships", ALL_OK),
    Case("api:partnerships_csv", ALL_OK),
    Case("api:partnerships_xlsx", ALL_OK),
    Case("api:partnerships_geojson", ALL_OK),
    Case("api:catalog_ttl", ALL_OK),
    Case("api:catalog_jsonld", ALL_OK),
    Case("api:per_diem", ALL_OK, data=_per_diem_trip),
    # Atlas: downloads of the partnership list (open data)
    Case("atlas:partnerships_csv", ALL_OK),
    Case("atlas:partnerships_xlsx", ALL_OK),
    Case("atlas:partnerships_geojson", ALL_OK),
    # Feeds, sitemap and robots.txt: public, read-only
    Case("content:feed_rss", ALL_OK),
    Case("content:feed_atom", ALL_OK),
    Case("content:theme_feed_rss", ALL_OK, kwargs=lambda world, role: {"code": "sdg-6"}),
    Case("content:theme_feed_atom", ALL_OK, kwargs=lambda world, role: {"code": "sdg-6"}),
    Case("content:country_feed_rss", ALL_OK, kwargs=lambda world, role: {"iso2": "SN"}),
    Case("content:country_feed_atom", ALL_OK, kwargs=lambda world, role: {"iso2": "SN"}),
    Case("robots_txt", ALL_OK),
    Case("sitemap_index", ALL_OK),
    Case("sitemap_section", ALL_OK, kwargs=lambda world, role: {"section": "kommunen"}),
    Case("accounts:account_delete", LOGGED_IN_OK),
    # API tokens: staff make them (the session's second factor is tested in accounts' tests);
    # whoever holds one may revoke it; a browser session is no token (the token's own matrix,
    # 200/401/403/429, is api/tests/test_authentication.py).
    Case("accounts:api_tokens", STAFF_ONLY),
    Case(
        "accounts:api_tokens",
        STAFF_ONLY,
        method="post",
        data=lambda world, role: {"name": "Matrix", "lifetime": "30"},
        label="create",
    ),
    Case("accounts:api_token_revoke", LOGGED_IN_OK, kwargs=_api_token_own, label="own"),
    Case(
        "accounts:api_token_revoke",
        LOGGED_IN_OK,
        method="post",
        kwargs=_api_token_own,
        label="own",
    ),
    Case("accounts:api_token_revoke", OTHERS_MISSING, kwargs=_api_token_other, label="other"),
    Case(
        "accounts:api_token_revoke",
        OTHERS_MISSING,
        method="post",
        kwargs=_api_token_other,
        label="other",
    ),
    Case("api:me", dict.fromkeys(ROLES, "unauthorized")),
    # Back office: Wagtail's edit views, ours for the version check (audit.wagtail)
    Case("wagtailsnippets_geo_country:edit", BACK_OFFICE, kwargs=lambda world, role: {"pk": "DE"}),
    Case("wagtailsnippets_registry_municipality:edit", BACK_OFFICE, kwargs=_municipality_own),
    Case("wagtailsnippets_registry_programme:edit", BACK_OFFICE, kwargs=_programme),
    # ... and their detail views, ours for yes/no in words (audit.wagtail.YesNoInspectView)
    Case(
        "wagtailsnippets_geo_country:inspect", BACK_OFFICE, kwargs=lambda world, role: {"pk": "DE"}
    ),
    Case("wagtailsnippets_registry_municipality:inspect", BACK_OFFICE, kwargs=_municipality_own),
    # The imported per-diem tables, read-only (funding.wagtail_hooks)
    Case("per_diem_tables:index", BACK_OFFICE),
    Case("per_diem_tables:index_results", BACK_OFFICE),
    # The translation report (core.admin_views): whoever edits pages.
    Case("partnerportal_translation_report", BACK_OFFICE),
]


def _own_public_partnership(world: World, role: str) -> dict:
    """The practice example form offers the public partnerships of one's own municipality."""
    _fresh_partnership(world.own_municipality)
    return {}


CASES += [
    # Municipal editors submit practice examples; staff write them in the back office.
    Case(
        "content:practice_example_submit",
        {**dict.fromkeys(ROLES, "deny"), "public": "login", "municipal_editor": "ok"},
        kwargs=_own_public_partnership,
    ),
]


# Events, organisers' pages (events.views.organiser): agency administrators and editors only.
def _organised_event(world: World, role: str) -> dict:
    from partnerportal.events.tests.factories_org import event_make, registration_make

    event = event_make()
    world.extra["registration"] = registration_make(
        event, check_in_code="MTRX2345", checked_in_at=None
    )
    return {"slug": event.slug}


def _check_in_data(world: World, role: str) -> dict:
    return {"code": "MTRX2345"}


def _checked_in_registration(world: World, role: str) -> dict:
    from django.utils import timezone

    from partnerportal.events.tests.factories_org import event_make, registration_make

    event = event_make()
    registration = registration_make(event, checked_in_at=timezone.now())
    return {"slug": event.slug, "pk": registration.pk}


def _scheduled_message(world: World, role: str) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from partnerportal.events.models import EventMessage
    from partnerportal.events.tests.factories_org import event_make

    event = event_make()
    message = EventMessage.objects.create(
        event=event, subject="S", body="B", send_at=timezone.now() + timedelta(days=1)
    )
    return {"slug": event.slug, "pk": message.pk}


def _message_data(world: World, role: str) -> dict:
    return {"audience": "confirmed", "subject": "Matrix", "body": "Text"}


CASES += [
    Case("events:organiser_participants", ADMINS_ONLY, kwargs=_organised_event),
    Case("events:organiser_export_csv", ADMINS_ONLY, kwargs=_organised_event),
    Case("events:organiser_export_xlsx", ADMINS_ONLY, kwargs=_organised_event),
    Case("events:organiser_badges", ADMINS_ONLY, kwargs=_organised_event),
    Case("events:organiser_attendance", ADMINS_ONLY, kwargs=_organised_event),
    Case("events:organiser_check_in", ADMINS_ONLY, kwargs=_organised_event),
    Case(
        "events:organiser_check_in",
        ADMINS_ONLY,
        method="post",
        kwargs=_organised_event,
        data=_check_in_data,
    ),
    Case(
        "events:organiser_check_in_undo",
        ADMINS_ONLY,
        method="post",
        kwargs=_checked_in_registration,
    ),
    Case("events:organiser_certificates", ADMINS_ONLY, kwargs=_organised_event),
    Case("events:organiser_certificate", ADMINS_ONLY, kwargs=_checked_in_registration),
    Case("events:organiser_messages", ADMINS_ONLY, kwargs=_organised_event),
    Case(
        "events:organiser_messages",
        ADMINS_ONLY,
        method="post",
        kwargs=_organised_event,
        data=_message_data,
    ),
    Case(
        "events:organiser_message_withdraw",
        ADMINS_ONLY,
        method="post",
        kwargs=_scheduled_message,
    ),
    # One registration with its history, new link, cancel, certificate (evt).
    Case("events:organiser_registration", ADMINS_ONLY, kwargs=_checked_in_registration),
    Case(
        "events:organiser_registration",
        ADMINS_ONLY,
        method="post",
        kwargs=_checked_in_registration,
        data=lambda w, r: {"action": "renew_link"},
    ),
    Case(
        "events:organiser_certificates_email", ADMINS_ONLY, method="post", kwargs=_organised_event
    ),
]


# --- Events: calendar, event and series pages, iCal, staff's event pages, API (evcal) ---------


def _public_event(world: World, role: str) -> dict:
    from partnerportal.events.tests.calendar_fixtures import make_event

    if "event" not in world.extra:
        world.extra["event"] = make_event(title="Matrix-Veranstaltung")
    return {"slug": world.extra["event"].slug}


def _draft_event(world: World, role: str) -> dict:
    from partnerportal.events.models import Event
    from partnerportal.events.tests.calendar_fixtures import make_event

    if "draft_event" not in world.extra:
        world.extra["draft_event"] = make_event(title="Entwurf", status=Event.Status.DRAFT)
    return {"slug": world.extra["draft_event"].slug}


def _public_event_id(world: World, role: str) -> dict:
    _public_event(world, role)
    return {"event_id": world.extra["event"].pk}


def _series(world: World, role: str) -> dict:
    return {"slug": "regionalkonferenz-afrika"}


def _series_history_event(world: World, role: str) -> dict:
    from partnerportal.events.models import Event

    event = Event.objects.filter(series__slug="regionalkonferenz-afrika").first()
    return {"slug": "regionalkonferenz-afrika", "pk": event.pk}


#: A hidden (draft) event exists only for those who manage events.
EVENT_MANAGERS_ELSE_MISSING = {
    **dict.fromkeys(ROLES, "missing"),
    "agency_editor": "ok",
    "agency_admin": "ok",
}

CASES += [
    Case("events:calendar", ALL_OK),
    Case("events:calendar", ALL_OK, data=lambda w, r: {"when": "past", "region": "afrika"}),
    Case("events:regional_plan", ALL_OK),
    Case("events:feed_all", ALL_OK),
    Case("events:series_detail", ALL_OK, kwargs=_series),
    Case("events:feed_series", ALL_OK, kwargs=_series),
    Case("events:event_detail", ALL_OK, kwargs=_public_event),
    Case("events:event_detail", EVENT_MANAGERS_ELSE_MISSING, kwargs=_draft_event, label="draft"),
    Case("events:event_ical", ALL_OK, kwargs=_public_event),
    Case("events:event_ical", EVENT_MANAGERS_ELSE_MISSING, kwargs=_draft_event, label="draft"),
    Case("events:event_create", ADMINS_ONLY),
    # Series and their history (staff, evt).
    Case("events:series_list", ADMINS_ONLY),
    Case("events:series_create", ADMINS_ONLY),
    Case("events:series_edit", ADMINS_ONLY, kwargs=_series),
    Case("events:series_history_create", ADMINS_ONLY, kwargs=_series),
    Case("events:series_history_edit", ADMINS_ONLY, kwargs=_series_history_event),
    # Asking for a new self-service link: anyone; the same answer for every address.
    Case("events:registration_link_request", ALL_OK),
    Case(
        "events:registration_link_request",
        ALL_OK,
        method="post",
        data=lambda w, r: {"email": "niemand@example.org"},
    ),
    Case("events:event_edit", ADMINS_ONLY, kwargs=_public_event),
    # Without a municipality the form is refused with a message and a redirect (ok).
    Case("events:event_invite", ADMINS_ONLY, method="post", kwargs=_public_event),
    # Registration (evreg): public for a public event; the self-service pages answer only to
    # the secret of a link (a wrong one is a 404 for everyone, whoever is logged in).
    Case("events:registration_create", ALL_OK, kwargs=_public_event),
    Case(
        "events:registration_create",
        EVENT_MANAGERS_ELSE_MISSING,
        kwargs=_draft_event,
        label="draft",
    ),
    Case("events:registration_done", ALL_OK, kwargs=_public_event),
    Case(
        "events:registration_manage",
        dict.fromkeys(ROLES, "missing"),
        kwargs=lambda w, r: {"token": "x" * 43},
    ),
    Case(
        "events:registration_visa_letter",
        dict.fromkeys(ROLES, "missing"),
        kwargs=lambda w, r: {"token": "x" * 43},
    ),
    # An empty body is refused as invalid input for everyone (no login needed to register).
    Case(
        "api:event_registration_create",
        dict.fromkeys(ROLES, "invalid"),
        method="post",
        kwargs=_public_event_id,
    ),
    Case("api:events", ALL_OK),
    Case("api:event", ALL_OK, kwargs=_public_event_id),
    # Writes need an API token; a session is not enough (401 for everyone).
    Case("api:events_create", dict.fromkeys(ROLES, "unauthorized"), method="post"),
    Case(
        "api:events_update",
        dict.fromkeys(ROLES, "unauthorized"),
        method="patch",
        kwargs=_public_event_id,
    ),
]


# --- Advisory: experts, deployments, needs and evaluations (advexperts) --------------------------


def _advisory(world: World) -> dict:
    """One deployment of the own (German) municipality with a partner abroad, its expert (the
    expert role's own profile), a report, a need with a proposal to that expert, another
    expert's profile, a published profile and a closed case of the own municipality."""
    if "advisory" in world.extra:
        return world.extra["advisory"]
    import datetime as dt

    from partnerportal.advisory.deployment_reports import reports_schedule
    from partnerportal.advisory.deployments import DeploymentInput, deployment_create
    from partnerportal.advisory.models import Case as AdvisoryCase
    from partnerportal.advisory.models import CaseState, ExpertProfile, Need

    partner = ForeignMunicipalityFactory(name="Partnerort", iso2="PE")
    PartnershipFactory(between=(world.own_municipality, partner))
    own = ExpertProfile.objects.create(
        name="Eigene Fachkraft", kind="local_expert", user=world.users["expert"], cv="CV"
    )
    other = ExpertProfile.objects.create(
        name="Andere Fachkraft", kind="local_expert", user=UserFactory(expert=True), cv="CV"
    )
    published = ExpertProfile.objects.create(name="Offen", kind="local_expert", public_name=True)
    deployment = deployment_create(
        actor=None,
        check_permission=False,
        data=DeploymentInput(
            partner_municipality=partner,
            kind="local_expert",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2027, 1, 1),
            expert=own,
        ),
    )
    deployment.state = "ended"
    deployment.save()
    report = reports_schedule(deployment)[0]
    need = Need.objects.create(title="Bedarf")
    case = AdvisoryCase.objects.create(
        requester_name="R",
        requester_email="r@example.org",
        need="x",
        municipality=world.own_municipality,
        state=CaseState.CLOSED,
    )
    world.extra["advisory"] = {
        "own": own,
        "other": other,
        "published": published,
        "deployment": deployment,
        "report": report,
        "need": need,
        "case": case,
    }
    return world.extra["advisory"]


def _adv_expert_profile_own(world: World, role: str) -> dict:
    return {"pk": _advisory(world)["own"].pk}


def _adv_expert_profile_other(world: World, role: str) -> dict:
    return {"pk": _advisory(world)["other"].pk}


def _adv_expert_profile_published(world: World, role: str) -> dict:
    return {"pk": _advisory(world)["published"].pk}


def _adv_proposal_own(world: World, role: str) -> dict:
    from partnerportal.advisory.models import Need, Proposal

    objects = _advisory(world)
    need = Need.objects.create(title=f"Bedarf {role}")
    proposal = Proposal.objects.create(need=need, expert=objects["own"])
    return {"pk": proposal.pk, "answer": "annehmen"}


def _adv_proposal_other(world: World, role: str) -> dict:
    from partnerportal.advisory.models import Need, Proposal

    objects = _advisory(world)
    need = Need.objects.create(title=f"Bedarf anders {role}")
    proposal = Proposal.objects.create(need=need, expert=objects["other"])
    return {"pk": proposal.pk, "answer": "annehmen"}


def _adv_deployment(world: World, role: str) -> dict:
    return {"pk": _advisory(world)["deployment"].pk}


def _adv_deployment_report(world: World, role: str) -> dict:
    objects = _advisory(world)
    return {"pk": objects["deployment"].pk, "report_pk": objects["report"].pk}


def _adv_need(world: World, role: str) -> dict:
    return {"pk": _advisory(world)["need"].pk}


def _advisory_case(world: World, role: str) -> dict:
    return {"pk": _advisory(world)["case"].pk}


#: The whole profile (CV included): staff and the expert themselves; others learn nothing.
EXPERT_OWN = {**OTHERS_MISSING, "agency_editor": "ok", "agency_admin": "ok", "expert": "ok"}
STAFF_SEE_OTHERS = {**OTHERS_MISSING, "agency_editor": "ok", "agency_admin": "ok"}
#: The deployment's reports: staff, the editors of its German municipality, its expert.
DEPLOYMENT_INSIDE = {**EXPERT_OWN, "municipal_editor": "ok"}
#: Evaluations are written by the sides, not by staff.
EVALUATING_SIDES = {**OTHERS_MISSING, "municipal_editor": "ok", "expert": "ok"}

CASES += [
    Case("advisory:expert_list", ADMINS_ONLY),
    Case("advisory:expert_create", ADMINS_ONLY),
    Case("advisory:expert_detail", EXPERT_OWN, kwargs=_adv_expert_profile_own, label="own"),
    Case("advisory:expert_detail", STAFF_SEE_OTHERS, kwargs=_adv_expert_profile_other,
         label="other"),
    Case("advisory:expert_edit", EXPERT_OWN, kwargs=_adv_expert_profile_own, label="own"),
    Case("advisory:expert_edit", STAFF_SEE_OTHERS, kwargs=_adv_expert_profile_other,
         label="other"),
    Case("advisory:expert_public", dict.fromkeys(ROLES, "missing"), kwargs=_adv_expert_profile_own,
         label="nothing public"),
    Case("advisory:expert_public", ALL_OK, kwargs=_adv_expert_profile_published, label="published"),
    Case("advisory:my_expert_page", {**NOBODY_ELSE, "expert": "ok"}),
    Case("advisory:proposal_answer", {**OTHERS_MISSING, "expert": "ok"}, method="post",
         kwargs=_adv_proposal_own, label="own"),
    Case("advisory:proposal_answer", OTHERS_MISSING, method="post", kwargs=_adv_proposal_other,
         label="other"),
    Case("advisory:deployment_list", ADMINS_ONLY),
    Case("advisory:deployment_create", ADMINS_ONLY),
    Case("advisory:deployment_statistics", ALL_OK),
    Case("advisory:deployments_geojson", ALL_OK),
    Case("advisory:deployment_detail", ALL_OK, kwargs=_adv_deployment),
    Case("advisory:deployment_transition", ADMINS_ONLY, method="post", kwargs=_adv_deployment,
         data=lambda world, role: {"action": "break_off"}),
    Case("advisory:deployment_report", DEPLOYMENT_INSIDE, kwargs=_adv_deployment_report),
    Case("advisory:deployment_evaluate", EVALUATING_SIDES, kwargs=_adv_deployment),
    Case("advisory:evaluation_overview", ADMINS_ONLY),
    Case("advisory:case_evaluate", {**OTHERS_MISSING, "municipal_editor": "ok"},
         kwargs=_advisory_case),
    Case("advisory:need_list", ADMINS_ONLY),
    Case("advisory:need_create", ADMINS_ONLY),
    Case("advisory:need_detail", ADMINS_ONLY, kwargs=_adv_need),
    Case("advisory:proposal_create", ADMINS_ONLY, method="post", kwargs=_adv_need,
         data=lambda world, role: {"expert": _advisory(world)["other"].pk}),
    # The API: the public list, and the create that only an API token opens (a session is none).
    Case("api:deployment_list", ALL_OK),
    Case("api:deployment_create_endpoint", dict.fromkeys(ROLES, "unauthorized"), method="post"),
]  # fmt: skip


# --- Funding, the applicant's side (funding.views.finder, funding.views.applications) --------


def _instrument(world: World):
    from partnerportal.funding.tests.apply_factories import instrument

    if "instrument" not in world.extra:
        world.extra["instrument"] = instrument()
    return world.extra["instrument"]


def _instrument_slug(world: World, role: str) -> dict:
    return {"slug": _instrument(world).slug}


def _instrument_pk(world: World, role: str) -> dict:
    return {"pk": _instrument(world).pk}


def _application(world: World, municipality, *, state: str = "draft"):
    """An application of `municipality` with a cost line and a document (kept for the data)."""
    from django.core.files.base import ContentFile

    from partnerportal.funding.models import Application, ApplicationDocument, CostLine

    application = Application.objects.create(
        instrument=_instrument(world),
        applicant=municipality,
        state=state,
        title="Matrix",
        reference=None if state == "draft" else f"EF-2026-{Application.objects.count() + 1:04d}",
    )
    line = CostLine.objects.create(
        application=application, kind="flight", description="Flug", amount=10, amount_eur=10
    )
    document = ApplicationDocument(
        application=application,
        key="absicht",
        original_name="a.pdf",
        mime="application/pdf",
        size=20,
    )
    document.file.save("a.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    document.save()
    world.extra["application"] = application
    world.extra["line"] = line
    return application


def _app_kwargs(first_of: str, state: str, **extra) -> Callable[[World, str], dict]:
    def kwargs(world: World, role: str) -> dict:
        application = _application(world, getattr(world, first_of), state=state)
        values = {"pk": application.pk}
        if "line" in extra:
            values["line"] = world.extra["line"].pk
        if "key" in extra:
            values["key"] = "absicht"
        if "step" in extra:
            values["step"] = extra["step"]
        return values

    return kwargs


def _app_version(world: World, role: str) -> dict:
    return {"version": world.extra["application"].version, "title": "Matrix 2"}


def _start_data(world: World, role: str) -> dict:
    return {"applicant": world.own_municipality.pk, "partnership": ""}


#: An application's pages: its municipality's editors; staff once it is submitted; 404 for
#: everyone else (nobody learns that it exists).
APP_DRAFT = {**HIDDEN, "municipal_editor": "ok"}
APP_SUBMITTED = {**HIDDEN, **dict.fromkeys(("municipal_editor", *STAFF_ROLES), "ok")}
#: Editing a submitted application: those who see it are refused, the others do not see it.
APP_SUBMITTED_EDIT = {**HIDDEN, **dict.fromkeys(("municipal_editor", *STAFF_ROLES), "deny")}
MUNICIPAL_EDITORS_ONLY = {**NOBODY_ELSE, "municipal_editor": "ok"}

_EDIT_VIEWS = [
    ("funding:application_step", {"step": "massnahme"}, "get"),
    ("funding:application_step", {"step": "massnahme"}, "post"),
    ("funding:application_costs", {}, "get"),
    ("funding:application_cost_line", {"line": True}, "get"),
    ("funding:application_cost_line_delete", {"line": True}, "post"),
    ("funding:application_documents", {}, "get"),
    ("funding:application_document_delete", {"key": True}, "post"),
    ("funding:application_check", {}, "get"),
    ("funding:application_check", {}, "post"),
]
_READ_VIEWS = [
    ("funding:application_detail", {}),
    ("funding:application_pdf", {}),
    ("funding:application_document", {"key": True}),
]

CASES += [
    Case("funding:finder", ALL_OK),
    Case("api:funding_instruments", ALL_OK),
    Case("funding:finder", ALL_OK, data=lambda world, role: {"kind": "gemeinde", "country": "PE"}),
    Case("funding:application_list", LOGGED_IN_OK),
    Case("funding:application_start", MUNICIPAL_EDITORS_ONLY, kwargs=_instrument_slug),
    Case(
        "funding:application_start",
        MUNICIPAL_EDITORS_ONLY,
        method="post",
        kwargs=_instrument_slug,
        data=_start_data,
    ),
    *[
        Case(
            name,
            APP_DRAFT,
            method=method,
            kwargs=_app_kwargs("own_municipality", "draft", **extra),
            data=_app_version,
            label="own draft",
        )
        for name, extra, method in _EDIT_VIEWS
    ],
    *[
        Case(
            name,
            APP_SUBMITTED_EDIT,
            method=method,
            kwargs=_app_kwargs("own_municipality", "submitted", **extra),
            data=_app_version,
            label="own, submitted",
        )
        for name, extra, method in _EDIT_VIEWS
    ],
    *[
        Case(
            name,
            HIDDEN,
            method=method,
            kwargs=_app_kwargs("other_municipality", "draft", **extra),
            data=_app_version,
            label="someone else's draft",
        )
        for name, extra, method in _EDIT_VIEWS
    ],
    *[
        Case(
            name,
            APP_DRAFT,
            kwargs=_app_kwargs("own_municipality", "draft", **extra),
            label="own draft",
        )
        for name, extra in _READ_VIEWS
    ],
    *[
        Case(
            name,
            APP_SUBMITTED,
            kwargs=_app_kwargs("own_municipality", "submitted", **extra),
            label="own, submitted",
        )
        for name, extra in _READ_VIEWS
    ],
    *[
        Case(
            name,
            {**HIDDEN, **dict.fromkeys(STAFF_ROLES, "ok")},
            kwargs=_app_kwargs("other_municipality", "submitted", **extra),
            label="someone else's, submitted",
        )
        for name, extra in _READ_VIEWS
    ],
    # Withdrawal: the applicant's editors (a draft, or one under review); staff see the
    # application but may not withdraw it; to anyone else it does not exist.
    *[
        Case(
            "funding:application_withdraw",
            access,
            method=method,
            kwargs=_app_kwargs(first_of, state),
            data=_app_version,
            label=label,
        )
        for access, first_of, state, label in (
            (APP_DRAFT, "own_municipality", "draft", "own draft"),
            (
                {**APP_SUBMITTED_EDIT, "municipal_editor": "ok"},
                "own_municipality",
                "submitted",
                "own, submitted",
            ),
            (HIDDEN, "other_municipality", "draft", "someone else's draft"),
        )
        for method in ("get", "post")
    ],
    # The instruments in the back office (funding.wagtail_hooks)
    Case("funding_instruments:add", BACK_OFFICE),
    Case("funding_instruments:edit", BACK_OFFICE, kwargs=_instrument_pk),
]


# --- Funding after submission (fundreview): staff review pages, the applicant's pages -------


def _funding_application(world: World, role: str, *, own: bool = True, state: str = "submitted"):
    from partnerportal.funding.tests.factories_review import SubmittedApplicationFactory

    municipality = world.own_municipality if own else world.other_municipality
    return SubmittedApplicationFactory(applicant=municipality, state=state)


def _funding_decided(world: World, role: str, *, own: bool = True):
    from django.utils import timezone

    from partnerportal.funding.models import Decision

    application = _funding_application(world, role, own=own, state="approved")
    Decision.objects.create(
        application=application, outcome="approved", decided_at=timezone.now(),
        approved_total=100, letter_subject="Bescheid", letter_body="Text",
    )  # fmt: skip
    return application


def _funding_pk(**options):
    return lambda world, role: {"pk": _funding_application(world, role, **options).pk}


def _funding_decided_pk(world: World, role: str) -> dict:
    return {"pk": _funding_decided(world, role).pk}


def _funding_payment(world: World, role: str) -> dict:
    from partnerportal.funding.models import PaymentRequest

    application = _funding_decided(world, role)
    payment = PaymentRequest.objects.create(
        application=application, amount=10, requested_by=UserFactory()
    )
    return {"pk": payment.pk}


def _funding_change(world: World, role: str) -> dict:
    from partnerportal.funding.models import ChangeRequest

    application = _funding_decided(world, role)
    change = ChangeRequest.objects.create(
        application=application, reason="Später", requested_by=UserFactory()
    )
    return {"pk": change.pk}


def _funding_report(world: World, role: str) -> dict:
    from partnerportal.funding.models import FinalReport

    application = _funding_decided(world, role)
    FinalReport.objects.create(application=application, text="Bericht", state="submitted")
    return {"pk": application.pk}


def _funding_receipt(world: World, role: str) -> dict:
    from django.core.files.base import ContentFile

    from partnerportal.funding.models import FinalReport, ReportReceipt

    application = _funding_decided(world, role)
    report = FinalReport.objects.create(application=application, text="Bericht")
    receipt = ReportReceipt(report=report, name="beleg.csv", mime="text/csv", size=4)
    receipt.file.save("beleg.csv", ContentFile(b"a,b\n"), save=False)
    receipt.save()
    return {"pk": application.pk, "receipt": receipt.pk}


def _funding_action(world: World, role: str) -> dict:
    return {"action": "start_formal_check", "version": 1, "note": ""}


#: The applicant's pages: editors of the applicant municipality and agency staff; to everyone
#: else the application does not exist.
FUNDING_APPLICANT_OWN = {
    **OTHERS_MISSING,
    "municipal_editor": "ok",
    **dict.fromkeys(STAFF_ROLES, "ok"),
}
FUNDING_APPLICANT_OTHER = {**OTHERS_MISSING, **dict.fromkeys(STAFF_ROLES, "ok")}

CASES += [
    Case("funding:review_list", STAFF_ONLY),
    Case("funding:review_detail", STAFF_ONLY, kwargs=_funding_pk()),
    Case("funding:review_action", STAFF_ONLY, method="post", kwargs=_funding_pk(),
         data=_funding_action),
    Case("funding:review_assessment", STAFF_ONLY, method="post", kwargs=_funding_pk(),
         data=lambda world, role: {"assessment": "Gut", "recommendation": "approve"}),
    Case("funding:decision_edit", STAFF_ONLY, kwargs=_funding_pk(state="assessment")),
    Case("funding:change_action", STAFF_ONLY, method="post", kwargs=_funding_change,
         data=lambda world, role: {"action": "first_approve", "version": 1}),
    Case("funding:payment_list", STAFF_ONLY),
    Case("funding:payment_action", STAFF_ONLY, method="post", kwargs=_funding_payment,
         data=lambda world, role: {"action": "first_approve", "version": 1}),
    Case("funding:report_review", STAFF_ONLY, kwargs=_funding_report),
    Case("funding:dashboard", STAFF_ONLY),
    Case("funding:dashboard_export", STAFF_ONLY,
         kwargs=lambda world, role: {"figure": "state", "fmt": "csv"}),
    Case("funding:decision", FUNDING_APPLICANT_OWN, kwargs=_funding_decided_pk, label="own"),
    Case("funding:decision", FUNDING_APPLICANT_OTHER, kwargs=_funding_pk(own=False),
         label="someone else's"),
    Case("funding:letter_pdf", FUNDING_APPLICANT_OWN, kwargs=_funding_decided_pk),
    Case("funding:payments", FUNDING_APPLICANT_OWN, kwargs=_funding_decided_pk),
    Case("funding:changes", FUNDING_APPLICANT_OWN, kwargs=_funding_decided_pk),
    Case("funding:final_report", FUNDING_APPLICANT_OWN, kwargs=_funding_decided_pk),
    Case("funding:final_report", FUNDING_APPLICANT_OTHER, kwargs=_funding_pk(own=False),
         label="someone else's"),
    Case("funding:receipt", FUNDING_APPLICANT_OWN, kwargs=_funding_receipt),
    # The API's review steps need an API token of agency staff (a session is not enough).
    Case("api:funding_application", dict.fromkeys(ROLES, "unauthorized"),
         kwargs=lambda world, role: {"application_id": 1}),
    Case("api:funding_application_action", dict.fromkeys(ROLES, "unauthorized"), method="post",
         kwargs=lambda world, role: {"application_id": 1}),
    Case("api:funding_payment_action", dict.fromkeys(ROLES, "unauthorized"), method="post",
         kwargs=lambda world, role: {"payment_id": 1}),
    Case("api:funding_change_requests", dict.fromkeys(ROLES, "unauthorized"),
         kwargs=lambda world, role: {"application_id": 1}),
    Case("api:funding_change_request_create", dict.fromkeys(ROLES, "unauthorized"),
         method="post", kwargs=lambda world, role: {"application_id": 1}),
    Case("api:funding_change_action", dict.fromkeys(ROLES, "unauthorized"), method="post",
         kwargs=lambda world, role: {"change_id": 1}),
]  # fmt: skip


OUR_NAMESPACES = {
    "accounts", "advisory", "api", "api_pages", "audit", "content", "events", "funding",
    "notifications", "registry",
}  # fmt: skip


def _our_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace
                walk(p.url_patterns, f"{namespace}:{ns}" if namespace and ns else ns or namespace)
            elif isinstance(p, URLPattern) and p.name:
                module = getattr(p.callback, "__module__", "") or ""
                qualified = f"{namespace}:{p.name}" if namespace else p.name
                if module.startswith("partnerportal.") or qualified.split(":")[0] in OUR_NAMESPACES:
                    names.add(qualified)

    walk(get_resolver().url_patterns)
    return names


def test_every_view_of_ours_is_in_the_matrix():
    declared = {case.url_name for case in CASES}
    undeclared = _our_url_names() - declared
    assert not undeclared, f"views without a declared permission row: {sorted(undeclared)}"
    stale = declared - _our_url_names()
    assert not stale, f"matrix rows for views that no longer exist: {sorted(stale)}"


@pytest.fixture
def world(db, site) -> World:
    own = MunicipalityFactory(name="Eigenstadt")
    other = MunicipalityFactory(name="Fremdstadt")
    users = {
        "public": None,
        "registered": UserFactory(),
        "municipal_editor": UserFactory(municipality=own),
        "agency_editor": UserFactory(agency_staff=True),
        "agency_admin": UserFactory(agency_admin=True),
        "reviewer": UserFactory(reviewer=True),
        "expert": UserFactory(expert=True),
    }
    return World(users=users, own_municipality=own, other_municipality=other)


def _outcome(response) -> str:
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        return "login" if "/konto/login/" in location or "/admin/login/" in location else "ok"
    if response.status_code == 401:
        return "unauthorized"
    if response.status_code == 403:
        return "deny"
    if response.status_code == 400:
        return "invalid"
    if response.status_code == 404:
        return "missing"
    if 200 <= response.status_code < 300:
        return "ok"
    return f"status {response.status_code}"


#: The matrix runs in parts of about 40 to 70 cases, one test per role and part: pytest-xdist
#: hands the 35 tests to whichever worker is free (one role's whole matrix, 300 requests, took 5
#: to 15 s, and at the end of a run one worker waited for the other's). Each part walks its cases
#: in the matrix's order on a world of its own; `_part` puts every case in exactly one part.
PARTS = ("site", "registry", "events", "advisory", "funding")


def _part(case: Case) -> str:
    """By the URL's namespace: the registry with its history, atlas and back-office snippets,
    the events, the advisory, the funding with its tables; the rest (accounts, API, content,
    pages without a namespace) is the site."""
    namespace = case.url_name.split(":")[0] if ":" in case.url_name else ""
    if namespace in {"registry", "audit", "atlas"} or namespace.startswith("wagtailsnippets_"):
        return "registry"
    if namespace in {"funding", "funding_instruments", "per_diem_tables"}:
        return "funding"
    if namespace in {"events", "advisory"}:
        return namespace
    return "site"


def test_every_part_of_the_matrix_has_cases():
    """No part is left empty (a renamed namespace would move its cases, not lose them)."""
    sizes = {part: sum(_part(case) == part for case in CASES) for part in PARTS}
    assert all(sizes.values()), sizes
    assert sum(sizes.values()) == len(CASES)


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, world, role, part):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    mismatches = []
    for case in CASES:
        if _part(case) != part:
            continue
        kwargs = case.kwargs(world, role) if case.kwargs else {}
        url = reverse(case.url_name, kwargs=kwargs)
        data = case.data(world, role) if case.data else {}
        response = getattr(client, case.method)(url, data)
        got = _outcome(response)
        if got != case.expect[role]:
            mismatches.append(
                f"{case.method.upper()} {url} {case.label}: expected {case.expect[role]}, got {got}"
            )
    assert not mismatches, f"{role}, {part}:\n" + "\n".join(mismatches)


# --- Advisory cases and action plans (issue 14, cases part) ------------------------------------
# The staff's pages (list, dashboard, a case with its internal log and documents) are for the
# agency's managing staff; the action plan for them and the editors of the case's
# municipalities (both sides of its partnership), "missing" for everyone else.


def _advisory_case(world: World, municipality) -> object:
    from partnerportal.advisory.tests.case_factories import CaseFactory, CaseNoteFactory

    case = CaseFactory(municipality=municipality)
    CaseNoteFactory(case=case)
    return case


def _advisory_case_own(world: World, role: str) -> dict:
    return {"pk": _advisory_case(world, world.own_municipality).pk}


def _advisory_case_other(world: World, role: str) -> dict:
    return {"pk": _advisory_case(world, world.other_municipality).pk}


def _advisory_plan(world: World, municipality) -> dict:
    """A case whose action plan has been started (showing a plan never starts one)."""
    from partnerportal.advisory.models import ActionPlan

    case = _advisory_case(world, municipality)
    ActionPlan.objects.create(case=case)
    return {"pk": case.pk}


def _advisory_plan_own(world: World, role: str) -> dict:
    return _advisory_plan(world, world.own_municipality)


def _advisory_plan_other(world: World, role: str) -> dict:
    return _advisory_plan(world, world.other_municipality)


def _advisory_measure_own(world: World, role: str) -> dict:
    from partnerportal.advisory.tests.case_factories import MeasureFactory

    case = _advisory_case(world, world.own_municipality)
    return {"pk": case.pk, "measure": MeasureFactory(case=case).pk}


def _advisory_document(world: World, role: str) -> dict:
    from django.core.files.base import ContentFile

    from partnerportal.advisory.models import CaseDocument

    case = _advisory_case(world, world.own_municipality)
    document = CaseDocument(case=case, title="Protokoll", mime="text/plain", size=5)
    document.file.save("protokoll.txt", ContentFile(b"hallo"), save=True)
    return {"pk": case.pk, "document": document.pk}


def _advisory_version(world: World, role: str) -> dict:
    return {"version": 1, "action": "clarify"}


PLAN_OWN = {
    **dict.fromkeys(ROLES, "missing"),
    "public": "login",
    "municipal_editor": "ok",
    "agency_editor": "ok",
    "agency_admin": "ok",
}
PLAN_OTHER = {**PLAN_OWN, "municipal_editor": "missing"}
STAFF_UPLOAD = {**ADMINS_ONLY, "agency_editor": "invalid", "agency_admin": "invalid"}

CASES += [
    Case("advisory:contact", ALL_OK),
    Case("advisory:contact_thanks", ALL_OK),
    Case("advisory:case_list", ADMINS_ONLY),
    Case("advisory:dashboard", ADMINS_ONLY),
    Case("advisory:case_detail", ADMINS_ONLY, kwargs=_advisory_case_own, label="own"),
    Case("advisory:case_edit", ADMINS_ONLY, kwargs=_advisory_case_own),
    Case("advisory:case_transition", ADMINS_ONLY, method="post", kwargs=_advisory_case_own,
         data=_advisory_version),
    Case("advisory:case_assign", ADMINS_ONLY, method="post", kwargs=_advisory_case_own,
         data=_advisory_version),
    Case("advisory:case_note_add", ADMINS_ONLY, method="post", kwargs=_advisory_case_own,
         data=lambda world, role: {"kind": "call", "date": "2026-11-30", "text": "Notiz"}),
    Case("advisory:case_document_add", STAFF_UPLOAD, method="post", kwargs=_advisory_case_own,
         label="without a file"),
    Case("advisory:case_document", ADMINS_ONLY, kwargs=_advisory_document),
    Case("advisory:plan_detail", PLAN_OWN, kwargs=_advisory_case_own, label="own"),
    Case("advisory:plan_detail", PLAN_OTHER, kwargs=_advisory_case_other, label="other"),
    Case("advisory:plan_edit", PLAN_OWN, method="post", kwargs=_advisory_case_own,
         data=lambda world, role: {"version": 1, "goal": "Ziel"}),
    Case("advisory:plan_detail", PLAN_OWN, kwargs=_advisory_plan_own, label="own, started"),
    Case("advisory:plan_create", PLAN_OWN, method="post", kwargs=_advisory_case_own),
    Case("advisory:plan_create", PLAN_OTHER, method="post", kwargs=_advisory_case_other,
         label="other"),
    Case("advisory:plan_comment", PLAN_OWN, method="post", kwargs=_advisory_plan_own,
         data=lambda world, role: {"text": "Kommentar"}),
    Case("advisory:plan_comment", PLAN_OTHER, method="post", kwargs=_advisory_plan_other,
         data=lambda world, role: {"text": "Kommentar"}, label="other"),
    Case("advisory:measure_create", PLAN_OWN, kwargs=_advisory_case_own),
    Case("advisory:measure_edit", PLAN_OWN, kwargs=_advisory_measure_own),
    Case("advisory:measure_delete", PLAN_OWN, method="post", kwargs=_advisory_measure_own),
    Case("advisory:plan_pdf", PLAN_OWN, kwargs=_advisory_case_own),
    Case("advisory:plan_xlsx", PLAN_OWN, kwargs=_advisory_case_own),
    Case("advisory:plan_xlsx", PLAN_OTHER, kwargs=_advisory_case_other, label="other"),
    Case("advisory:my_plans", LOGGED_IN_OK),
]  # fmt: skip
