"""The funding app's pages under /<lang>/foerderung/: the finder and the applicant's wizard
(funding.views). The review's pages are added by its own modules."""

from django.urls import include, path

from .views import applications, finder

app_name = "funding"

urlpatterns: list = [
    path("", finder.finder, name="finder"),
    path("antrag/<slug:slug>/", applications.application_start, name="application_start"),
    path("antraege/", applications.application_list, name="application_list"),
    path("antraege/<int:pk>/", applications.application_detail, name="application_detail"),
    path("antraege/<int:pk>/antrag.pdf", applications.application_pdf, name="application_pdf"),
    path("antraege/<int:pk>/kosten/", applications.application_costs, name="application_costs"),
    path(
        "antraege/<int:pk>/kosten/<int:line>/",
        applications.application_cost_line,
        name="application_cost_line",
    ),
    path(
        "antraege/<int:pk>/kosten/<int:line>/entfernen/",
        applications.application_cost_line_delete,
        name="application_cost_line_delete",
    ),
    path(
        "antraege/<int:pk>/unterlagen/",
        applications.application_documents,
        name="application_documents",
    ),
    path(
        "antraege/<int:pk>/unterlagen/<slug:key>/",
        applications.application_document,
        name="application_document",
    ),
    path(
        "antraege/<int:pk>/unterlagen/<slug:key>/entfernen/",
        applications.application_document_delete,
        name="application_document_delete",
    ),
    path("antraege/<int:pk>/pruefen/", applications.application_check, name="application_check"),
    path(
        "antraege/<int:pk>/zurueckziehen/",
        applications.application_withdraw,
        name="application_withdraw",
    ),
    path("antraege/<int:pk>/<slug:step>/", applications.application_step, name="application_step"),
]

# After submission (fundreview): the agency's review pages under pruefung/, the applicant's
# decision, payments, changes and final report under antraege/<id>/.
from .views import dashboards as dashboard_views  # noqa: E402
from .views import payments as payment_views  # noqa: E402
from .views import reports as report_views  # noqa: E402
from .views import review as review_views  # noqa: E402

# Before the wizard's catch-all step address (antraege/<id>/<step>/).
urlpatterns[:0] = [
    path("pruefung/", include(dashboard_views.urlpatterns)),
    path("pruefung/", include(payment_views.staff_urlpatterns)),
    path("pruefung/", include(report_views.staff_urlpatterns)),
    path("pruefung/", include(review_views.staff_urlpatterns)),
    path("antraege/<int:pk>/", include(review_views.applicant_urlpatterns)),
    path("antraege/<int:pk>/", include(payment_views.applicant_urlpatterns)),
    path("antraege/<int:pk>/", include(report_views.applicant_urlpatterns)),
]
