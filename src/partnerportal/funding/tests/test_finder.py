"""The funding finder: answers as facts, the editor recognised from the registry, the page
showing what fits with its reasons and what does not with the rule that failed."""

import pytest
from django.urls import reverse
from django.utils import translation

from partnerportal.funding.finder import facts_for_editor, facts_from_answers, finder_run
from partnerportal.geo.models import Country

from .apply_factories import applicant_with_partnership, instrument


@pytest.fixture
def instruments(db):
    worldwide = instrument()
    north_africa = instrument(
        slug="nordafrika",
        name="Nordafrika-Reisen",
        eligibility_rules=[
            {"rule": "partner_country", "countries": ["DZ", "EG", "MA", "TN"]},
            {"rule": "partnership", "statuses": ["anbahnung", "aktiv"]},
        ],
    )
    return worldwide, north_africa


def test_answers_sort_the_instruments(instruments):
    worldwide, north_africa = instruments
    facts = facts_from_answers(
        kind="gemeinde", country=Country.objects.get(iso2="DZ"), partnership="initiation"
    )
    result = finder_run([facts])
    assert [o.instrument for o in result.qualifying] == [north_africa]
    failed = result.not_qualifying[0]
    assert failed.instrument == worldwide
    assert {r.rule for r in failed.failures} == {"partnership"}  # Algeria is on the DAC list


def test_an_unanswered_question_never_excludes(instruments):
    result = finder_run([facts_from_answers()])
    assert len(result.qualifying) == 2 and not result.not_qualifying


def test_an_editor_is_recognised_from_the_registry(instruments):
    worldwide, _north_africa = instruments
    city, partnership, editor = applicant_with_partnership(iso2="RW")
    municipalities, candidates = facts_for_editor(editor)
    assert municipalities == [city]
    assert [c.partnership_id for c in candidates] == [partnership.pk]
    result = finder_run(candidates)
    assert [o.instrument for o in result.qualifying] == [worldwide]
    assert result.qualifying[0].facts.partnership_id == partnership.pk
    assert {r.rule for r in result.not_qualifying[0].failures} == {"partner_country"}


def test_the_page_for_the_public(client, site, instruments):
    with translation.override("en"):
        url = reverse("funding:finder")
    page = client.get(url).content.decode()
    assert "Expertenfonds" in page and "Nordafrika-Reisen" in page  # all open instruments
    page = client.get(
        url, {"kind": "company", "country": "PE", "partnership": "no"}
    ).content.decode()
    assert "Does not fit" in page
    assert "Only partners in" in page and "Requires a partnership" in page


def test_the_page_for_an_editor(client, site, instruments):
    city, partnership, editor = applicant_with_partnership(iso2="RW")
    client.force_login(editor)
    page = client.get(reverse("funding:finder")).content.decode()
    assert city.name in page
    start = reverse("funding:application_start", args=["expertenfonds"])
    assert f"{start}?partnership={partnership.pk}" in page


def test_a_wrong_answer_is_shown_at_its_field(client, site, instruments):
    response = client.get(reverse("funding:finder"), {"amount": "viel", "country": "XX"})
    assert response.status_code == 200
    assert 'id="id_amount_error"' in response.content.decode()
