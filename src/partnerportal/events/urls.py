from django.urls import path

from .views import calendar, manage, organiser, registration

app_name = "events"

urlpatterns: list = [
    # Registration (evreg); before the event page's "<slug>/". The link request before the
    # token's pattern, which would match its path too.
    path(
        "anmeldung/neuer-link/",
        registration.registration_link_request,
        name="registration_link_request",
    ),
    path("anmeldung/<str:token>/", registration.registration_manage, name="registration_manage"),
    path(
        "anmeldung/<str:token>/visum.pdf",
        registration.registration_visa_letter,
        name="registration_visa_letter",
    ),
    path("<slug:slug>/anmelden/", registration.registration_create, name="registration_create"),
    path("<slug:slug>/anmelden/danke/", registration.registration_done, name="registration_done"),
]

# Organisers (participant list, exports, badges, check-in, certificates, messages).
urlpatterns += organiser.urlpatterns
# Calendar, event and series pages, iCal feeds, staff's event pages (evcal).
urlpatterns += [
    path("", calendar.calendar, name="calendar"),
    path("regionalkonferenzen/", calendar.regional_plan, name="regional_plan"),
    path("kalender.ics", calendar.feed_all, name="feed_all"),
    path("reihen/<slug:slug>/", calendar.series_detail, name="series_detail"),
    path("reihen/<slug:slug>/kalender.ics", calendar.feed_series, name="feed_series"),
    path("verwaltung/neu/", manage.event_create, name="event_create"),
    path("verwaltung/reihen/", manage.series_list, name="series_list"),
    path("verwaltung/reihen/neu/", manage.series_create, name="series_create"),
    path("verwaltung/reihen/<slug:slug>/", manage.series_edit, name="series_edit"),
    path(
        "verwaltung/reihen/<slug:slug>/vergangen/neu/",
        manage.series_history_entry,
        name="series_history_create",
    ),
    path(
        "verwaltung/reihen/<slug:slug>/vergangen/<int:pk>/",
        manage.series_history_entry,
        name="series_history_edit",
    ),
    path("<slug:slug>/bearbeiten/", manage.event_edit, name="event_edit"),
    path("<slug:slug>/einladen/", manage.event_invite, name="event_invite"),
    path("<slug:slug>/kalender.ics", calendar.event_ical_view, name="event_ical"),
    path("<slug:slug>/", calendar.event_detail, name="event_detail"),
]
