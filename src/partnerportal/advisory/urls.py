from django.urls import path

from .views import cases as case_views
from .views import deployments as deployment_views
from .views import experts as expert_views

app_name = "advisory"

urlpatterns: list = []

# Advisory cases and action plans (issue 14, cases part)
urlpatterns += case_views.urlpatterns

# --- Experts, deployments, needs and evaluations (advexperts) ----------------------------------
urlpatterns += [
    path("fachkraefte/", expert_views.expert_list, name="expert_list"),
    path("fachkraefte/neu/", expert_views.expert_create, name="expert_create"),
    path("fachkraefte/<int:pk>/", expert_views.expert_detail, name="expert_detail"),
    path("fachkraefte/<int:pk>/bearbeiten/", expert_views.expert_edit, name="expert_edit"),
    path("fachkraefte/<int:pk>/profil/", expert_views.expert_public, name="expert_public"),
    path("mein-fachkraefteprofil/", expert_views.my_expert_page, name="my_expert_page"),
    path(
        "vorschlaege/<int:pk>/<slug:answer>/",
        expert_views.proposal_answer,
        name="proposal_answer",
    ),
    path("einsaetze/", deployment_views.deployment_list, name="deployment_list"),
    path("einsaetze/neu/", deployment_views.deployment_create_view, name="deployment_create"),
    path("einsaetze/statistik/", deployment_views.deployment_statistics,
         name="deployment_statistics"),
    path("einsaetze.geojson", deployment_views.deployments_geojson, name="deployments_geojson"),
    path("einsaetze/<int:pk>/", deployment_views.deployment_detail, name="deployment_detail"),
    path(
        "einsaetze/<int:pk>/status/",
        deployment_views.deployment_transition_view,
        name="deployment_transition",
    ),
    path(
        "einsaetze/<int:pk>/berichte/<int:report_pk>/",
        deployment_views.deployment_report,
        name="deployment_report",
    ),
    path(
        "einsaetze/<int:pk>/bewertung/",
        deployment_views.deployment_evaluate_view,
        name="deployment_evaluate",
    ),
    path("bewertungen/", deployment_views.evaluation_overview, name="evaluation_overview"),
    path(
        "bewertungen/fall/<int:pk>/", deployment_views.case_evaluate_view, name="case_evaluate"
    ),
    path("bedarfe/", deployment_views.need_list, name="need_list"),
    path("bedarfe/neu/", deployment_views.need_create_view, name="need_create"),
    path("bedarfe/<int:pk>/", deployment_views.need_detail, name="need_detail"),
    path(
        "bedarfe/<int:pk>/vorschlagen/",
        deployment_views.proposal_create_view,
        name="proposal_create",
    ),
]  # fmt: skip
