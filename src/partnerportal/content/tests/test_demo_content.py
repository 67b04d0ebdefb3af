"""The demo's pages: German and English as translations of one page, made once."""

import pytest

from partnerportal.content.demo import texts
from partnerportal.content.demo.load import demo_content_load
from partnerportal.content.models import ArticlePage, FormatPage, ProgrammePage


@pytest.mark.django_db
def test_demo_content_is_made_once_in_both_languages(site):
    articles = len(texts.ARTICLES) + len(texts.PRACTICE_EXAMPLES)
    pages = articles + len(texts.PROGRAMME_PAGES) + len(texts.FORMAT_PAGES)
    assert demo_content_load() == 2 * pages
    assert demo_content_load() == 0
    for model, count in (
        (ArticlePage, articles),
        (ProgrammePage, len(texts.PROGRAMME_PAGES)),
        (FormatPage, len(texts.FORMAT_PAGES)),
    ):
        german = model.objects.filter(locale__language_code="de", live=True)
        english = model.objects.filter(locale__language_code="en", live=True)
        assert german.count() == english.count() == count
        assert set(german.values_list("translation_key", flat=True)) == set(
            english.values_list("translation_key", flat=True)
        )
    north_africa = ProgrammePage.objects.get(slug="nordafrika", locale__language_code="en")
    assert north_africa.title == "Municipal cooperation with North Africa"
    assert north_africa.programme.slug == "nordafrika" and north_africa.offers_qualification
