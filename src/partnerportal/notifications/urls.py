from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.feed, name="feed"),
    path("gelesen/", views.mark_read, name="mark_read"),
]
