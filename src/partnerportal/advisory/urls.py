from django.urls import path  # noqa: F401

from .views import cases as case_views

app_name = "advisory"

urlpatterns: list = []

# Advisory cases and action plans (issue 14, cases part)
urlpatterns += case_views.urlpatterns
