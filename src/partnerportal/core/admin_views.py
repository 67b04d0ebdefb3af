"""The back office's translation report: per page, each language's translation as missing, out
of date or current (core/translations.py decides which)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .permissions import can_view_translation_report
from .translations import TranslationState, translation_report


def _translate_url(page_id: int) -> str | None:
    """wagtail-localize's "Translate this page" (None where it is not installed)."""
    try:
        return reverse("wagtail_localize:submit_page_translation", args=[page_id])
    except NoReverseMatch:
        return None


class TranslationReportView(WagtailAdminTemplateMixin, TemplateView):
    page_title = _("Translation status")
    header_icon = "globe"
    template_name = "core/admin/translation_report.html"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if not can_view_translation_report(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        state = self.request.GET.get("state", "")
        if state not in {s.value for s in TranslationState}:
            state = ""
        search = self.request.GET.get("q", "").strip()[:100]
        report = translation_report(state=state or None, search=search)
        page = Paginator(report.rows, self.paginate_by).get_page(self.request.GET.get("p"))
        rows = [
            {
                "row": row,
                "edit_url": reverse("wagtailadmin_pages:edit", args=[row.page_id]),
                "translate_url": _translate_url(row.page_id),
                "cells": [
                    {
                        "cell": cell,
                        "edit_url": (
                            reverse("wagtailadmin_pages:edit", args=[cell.page_id])
                            if cell.page_id
                            else None
                        ),
                    }
                    for cell in row.cells
                ],
            }
            for row in page.object_list
        ]
        context.update(
            {
                "report": report,
                "rows": rows,
                "page_obj": page,
                "state": state,
                "search": search,
                "states": [(s.value, s.label) for s in TranslationState],
                "summary": [
                    {
                        "locale": locale,
                        "missing": report.totals[(locale.language_code, TranslationState.MISSING)],
                        "outdated": report.totals[
                            (locale.language_code, TranslationState.OUTDATED)
                        ],
                        "current": report.totals[(locale.language_code, TranslationState.CURRENT)],
                    }
                    for locale in report.locales
                    # The default language is every page's source: nothing to count there.
                    if locale.language_code != settings.LANGUAGE_CODE
                ],
            }
        )
        return context
