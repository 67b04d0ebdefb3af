from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("redaktion/", views.staff_memberships, name="staff_memberships"),
    path("mitgliedschaften/anfragen/", views.membership_request, name="membership_request"),
    path(
        "mitgliedschaften/<int:pk>/bestaetigen/",
        views.membership_confirm,
        name="membership_confirm",
    ),
    path(
        "mitgliedschaften/<int:pk>/ablehnen/", views.membership_decline, name="membership_decline"
    ),
    path(
        "mitgliedschaften/<int:pk>/zurueckziehen/",
        views.membership_withdraw,
        name="membership_withdraw",
    ),
    path("mitgliedschaften/<int:pk>/beenden/", views.membership_end, name="membership_end"),
    path("einladungen/neu/", views.invitation_create, name="invitation_create"),
    path("einladungen/<int:pk>/widerrufen/", views.invitation_revoke, name="invitation_revoke"),
    path("einladung/<slug:token>/", views.invitation_accept, name="invitation_accept"),
    path("daten/", views.data_export, name="data_export"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<int:pk>/widerrufen/", views.api_token_revoke, name="api_token_revoke"),
    path("loeschen/", views.account_delete, name="account_delete"),
]
