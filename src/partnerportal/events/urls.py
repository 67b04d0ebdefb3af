from django.urls import path  # noqa: F401

from .views import organiser

app_name = "events"

urlpatterns: list = []

# Organisers (participant list, exports, badges, check-in, certificates, messages).
urlpatterns += organiser.urlpatterns
