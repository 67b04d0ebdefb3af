"""Registry URLs under /<lang>/register/: the public pages and the editing pages, each in a
module of its own. The Land and country pages, in the same namespace, are atlas's
(atlas/views/places.py; partnerportal/urls.py adds them)."""

from django.urls import include, path

from .views import editing, public, review, work

app_name = "registry"

urlpatterns = [
    path("", include(public.urlpatterns)),
    path("", include(editing.urlpatterns)),
    path("", include(work.urlpatterns)),
    path("pruefung/", include(review.urlpatterns)),
]
