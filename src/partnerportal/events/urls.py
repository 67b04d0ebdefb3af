from django.urls import path

from .views import registration

app_name = "events"

urlpatterns: list = [
    # Registration (evreg)
    path(
        "anmeldung/<str:token>/",
        registration.registration_manage,
        name="registration_manage",
    ),
    path(
        "anmeldung/<str:token>/visum.pdf",
        registration.registration_visa_letter,
        name="registration_visa_letter",
    ),
    path(
        "<slug:slug>/anmelden/",
        registration.registration_create,
        name="registration_create",
    ),
    path(
        "<slug:slug>/anmelden/danke/",
        registration.registration_done,
        name="registration_done",
    ),
]
