from django.urls import include, path

app_name = "funding"

urlpatterns: list = []

# After submission (fundreview): the agency's review pages under pruefung/, the applicant's
# decision, payments, changes and final report under antraege/<id>/.
from .views import dashboards as dashboard_views  # noqa: E402
from .views import payments as payment_views  # noqa: E402
from .views import reports as report_views  # noqa: E402
from .views import review as review_views  # noqa: E402

urlpatterns += [
    path("pruefung/", include(dashboard_views.urlpatterns)),
    path("pruefung/", include(payment_views.staff_urlpatterns)),
    path("pruefung/", include(report_views.staff_urlpatterns)),
    path("pruefung/", include(review_views.staff_urlpatterns)),
    path("antraege/<int:pk>/", include(review_views.applicant_urlpatterns)),
    path("antraege/<int:pk>/", include(payment_views.applicant_urlpatterns)),
    path("antraege/<int:pk>/", include(report_views.applicant_urlpatterns)),
]
