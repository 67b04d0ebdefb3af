from django.urls import path

from . import views

app_name = "api_pages"

urlpatterns = [path("", views.overview, name="overview")]
