from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("<str:app_label>/<str:model_name>/<slug:pk>/", views.history, name="history"),
    path(
        "<str:app_label>/<str:model_name>/<slug:pk>/<int:history_id>/revert/",
        views.revert,
        name="revert",
    ),
]
