from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("redaktion/", views.staff_memberships, name="staff_memberships"),
]
