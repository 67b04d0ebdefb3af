"""The series and past events the agency's pages name, stored as data (issue 12).

Source: the page "Runde Tische und Regionalkonferenzen" and the conference news among the seed
pages (/work/shared/seeds). Only what they say is stored: where a page gives the year alone
("Afrika (2010, 2013, 2016, 2019)"), the event spans that year with `date_precision="year"` and
is shown as "2013"; "im September 2022 in Dresden" is a month. No day, place or event is
invented: the round tables of Burkina Faso, Mongolia and Nicaragua are series without events,
because the page says only since when they meet.

`history_ensure()` runs after every `migrate` (events.signals, like content's site structure):
series are found by slug, events by `source_key`, so a second run changes nothing and a fresh
installation has the history at once."""

from __future__ import annotations

import calendar
import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.db import transaction

BERLIN = "Europe/Berlin"


@dataclass(frozen=True)
class SeriesSpec:
    slug: str
    name: str
    format: str
    description: str = ""
    world_region: str = ""
    country: str = ""  # ISO 3166 alpha-2
    rotation_years: int | None = None
    oda_recipients_only: bool = False


@dataclass(frozen=True)
class EventSpec:
    source_key: str
    series: str
    title: str
    year: int
    month: int | None = None
    day: int | None = None
    end_day: int | None = None
    place: str = ""
    summary: str = ""
    country: str = "DE"
    host_names: tuple[str, ...] = field(default_factory=tuple)

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def period(self) -> tuple[dt.datetime, dt.datetime]:
        return history_period(self.year, self.month, self.day, self.end_day)


def history_period(
    year: int, month: int | None = None, day: int | None = None, end_day: int | None = None
) -> tuple[dt.datetime, dt.datetime]:
    """The span a source allows: the whole year, the whole month, or the days (in Berlin time;
    the history's events were all in Germany). Raises ValueError for a date that does not
    exist (31 April)."""
    zone = zoneinfo.ZoneInfo(BERLIN)
    if day is not None:
        start = dt.datetime(year, month, day, 9, 0, tzinfo=zone)
        end = dt.datetime(year, month, end_day or day, 17, 0, tzinfo=zone)
    elif month is not None:
        last = calendar.monthrange(year, month)[1]
        start = dt.datetime(year, month, 1, tzinfo=zone)
        end = dt.datetime(year, month, last, 23, 59, tzinfo=zone)
    else:
        start = dt.datetime(year, 1, 1, tzinfo=zone)
        end = dt.datetime(year, 12, 31, 23, 59, tzinfo=zone)
    return start, end


ODA_NOTE = (
    "Die Regionalkonferenzen finden in einem dreijährigen Turnus statt. Von der Partnerseite sind "
    "nur Kommunen aus Ländern eingeladen, die offiziell Entwicklungshilfegelder empfangen "
    "(DAC-Liste der ODA-Empfänger)."
)

SERIES: tuple[SeriesSpec, ...] = (
    SeriesSpec(
        "regionalkonferenz-afrika",
        "Regionalkonferenz Afrika",
        "regional_conference",
        "Aktuelle Themen der entwicklungspolitischen Partnerschaftsarbeit zwischen afrikanischen "
        "und deutschen Kommunen. " + ODA_NOTE,
        world_region="afrika",
        rotation_years=3,
        oda_recipients_only=True,
    ),
    SeriesSpec(
        "regionalkonferenz-asien",
        "Regionalkonferenz Asien",
        "regional_conference",
        "Akteure aus Verwaltung, Zivilgesellschaft, Politik und Expertinnen und Experten für die "
        "asiatische Region tauschen sich über kommunale Partnerschaftsarbeit und Themen der "
        "Agenda 2030 aus. " + ODA_NOTE,
        world_region="asien",
        rotation_years=3,
        oda_recipients_only=True,
    ),
    SeriesSpec(
        "regionalkonferenz-lateinamerika",
        "Regionalkonferenz Lateinamerika",
        "regional_conference",
        "Akteure und Projekte rund um entwicklungspolitische Partnerschaften mit Kommunen aus "
        "Lateinamerika und der Karibik. " + ODA_NOTE,
        world_region="lateinamerika",
        rotation_years=3,
        oda_recipients_only=True,
    ),
    SeriesSpec(
        "regionalkonferenz-osteuropa",
        "Regionalkonferenz Osteuropa",
        "regional_conference",
        "Akteure aus Kommunalverwaltung, Zivilgesellschaft und Politik für die osteuropäische "
        "Region tauschen sich zur Partnerschaftsarbeit aus. " + ODA_NOTE,
        world_region="osteuropa",
        rotation_years=3,
        oda_recipients_only=True,
    ),
    SeriesSpec(
        "runder-tisch-argentinien",
        "Runder Tisch Argentinien",
        "round_table",
        "Für Vertreterinnen und Vertreter deutscher Kommunen mit bestehenden oder anbahnenden "
        "Beziehungen zu einer argentinischen Kommune.",
        world_region="lateinamerika",
        country="AR",
    ),
    SeriesSpec(
        "runder-tisch-burkina-faso",
        "Runder Tisch Burkina Faso",
        "round_table",
        "Seit 2014 tauschen sich deutsche Kommunen bei Vernetzungstreffen regelmäßig über ihre "
        "Erfahrungen in der Partnerschaftsarbeit mit Burkina Faso aus.",
        world_region="afrika",
        country="BF",
    ),
    SeriesSpec(
        "runder-tisch-mongolei",
        "Runder Tisch Mongolei",
        "round_table",
        "Seit 2015: „Kommunale Partnerschaften mit der Mongolei“. Kommunale Akteure aus ganz "
        "Deutschland arbeiten gemeinsam an der Weiterentwicklung ihrer Partnerschaften.",
        world_region="asien",
        country="MN",
    ),
    SeriesSpec(
        "runder-tisch-nicaragua",
        "Runder Tisch Nicaragua",
        "round_table",
        "Seit 2012: „Kommunale Partnerschaften mit Nicaragua“. Mit Nicaragua gibt es über 30 "
        "partnerschaftliche Beziehungen von Kommunen und Zivilgesellschaft.",
        world_region="lateinamerika",
        country="NI",
    ),
    SeriesSpec(
        "partnerschaftskonferenz-deutsch-ukrainisch",
        "Deutsch-ukrainische kommunale Partnerschaftskonferenz",
        "partnership_conference",
        world_region="osteuropa",
        country="UA",
    ),
    SeriesSpec(
        "partnerschaftskonferenz-deutsch-asiatisch",
        "Deutsch-asiatische kommunale Partnerschaftskonferenz",
        "partnership_conference",
        world_region="asien",
    ),
    SeriesSpec(
        "partnerschaftskonferenz-lateinamerika-karibik",
        "Kommunale Partnerschaftskonferenz Deutschland – Lateinamerika und Karibik",
        "partnership_conference",
        world_region="lateinamerika",
    ),
)


def _regional(region: str, label: str, years: tuple[int, ...]) -> list[EventSpec]:
    return [
        EventSpec(
            f"history:regionalkonferenz-{region}-{year}",
            f"regionalkonferenz-{region}",
            f"Regionalkonferenz {label} {year}",
            year,
        )
        for year in years
    ]


EVENTS: tuple[EventSpec, ...] = (
    *_regional("afrika", "Afrika", (2010, 2013, 2016, 2019)),
    EventSpec(
        "history:regionalkonferenz-afrika-2022",
        "regionalkonferenz-afrika",
        "Regionalkonferenz Afrika 2022",
        2022,
        month=9,
        place="Dresden",
        summary="Die fünfte Konferenz fand im September 2022 in Dresden statt.",
    ),
    *_regional("asien", "Asien", (2014, 2017, 2021)),
    *_regional("lateinamerika", "Lateinamerika", (2015, 2018)),
    EventSpec(
        "history:regionalkonferenz-osteuropa-2017",
        "regionalkonferenz-osteuropa",
        "Regionalkonferenz Osteuropa 2017",
        2017,
        place="Esslingen am Neckar",
        summary="Die erste Konferenz fand im Herbst 2017 in Esslingen am Neckar statt.",
    ),
    EventSpec(
        "history:runder-tisch-argentinien-2019",
        "runder-tisch-argentinien",
        "Runder Tisch Argentinien 2019",
        2019,
        place="Berlin",
        summary="Der erste Runde Tisch fand im Herbst 2019 in Berlin statt.",
    ),
    EventSpec(
        "history:partnerschaftskonferenz-deutsch-ukrainisch-2023",
        "partnerschaftskonferenz-deutsch-ukrainisch",
        "6. deutsch-ukrainische kommunale Partnerschaftskonferenz",
        2023,
        month=11,
        place="Leipzig",
        summary="Gastgeberin der sechsten Konferenz im November 2023 war die Stadt Leipzig.",
    ),
    EventSpec(
        "history:partnerschaftskonferenz-deutsch-asiatisch-2023",
        "partnerschaftskonferenz-deutsch-asiatisch",
        "Deutsch-asiatische kommunale Partnerschaftskonferenz 2023",
        2023,
        month=9,
        day=26,
        end_day=28,
        place="Hildesheim",
        summary="Ausgerichtet von den Partnerstädten Hildesheim und Padang (Indonesien).",
    ),
    EventSpec(
        "history:partnerschaftskonferenz-lateinamerika-karibik-2021",
        "partnerschaftskonferenz-lateinamerika-karibik",
        "3. kommunale Partnerschaftskonferenz Deutschland – Lateinamerika und Karibik",
        2021,
        summary=(
            "Wie können internationale Städtepartnerschaften gleichberechtigt angegangen werden? "
            "Über 90 Vertretende lateinamerikanischer und deutscher Kommunen diskutierten."
        ),
    ),
)


def history_ensure(*, using: str = "default") -> tuple[int, int]:
    """Create what is missing of the series and events above; returns (series, events) created.
    Existing rows are left as staff may have edited them (a re-run never overwrites)."""
    from partnerportal.geo.models import Country

    from .models import Event, EventSeries

    countries = set(Country.objects.using(using).values_list("iso2", flat=True))
    created_series = created_events = 0
    with transaction.atomic(using=using):
        series_by_slug = {s.slug: s for s in EventSeries.objects.using(using).all()}
        for spec in SERIES:
            if spec.slug in series_by_slug:
                continue
            series = EventSeries(
                slug=spec.slug,
                name=spec.name,
                format=spec.format,
                description=spec.description,
                world_region=spec.world_region,
                country_id=spec.country if spec.country in countries else None,
                rotation_years=spec.rotation_years,
                oda_recipients_only=spec.oda_recipients_only,
            )
            series._change_reason = "events.history_loaded"
            series.save(using=using)
            series_by_slug[spec.slug] = series
            created_series += 1
        known = set(
            Event.objects.using(using)
            .filter(source_key__startswith="history:")
            .values_list("source_key", flat=True)
        )
        for spec in EVENTS:
            if spec.source_key in known:
                continue
            series = series_by_slug[spec.series]
            start, end = spec.period()
            event = Event(
                series=series,
                title=spec.title,
                slug=spec.source_key.removeprefix("history:"),
                format=series.format,
                summary=spec.summary,
                starts_at=start,
                ends_at=end,
                timezone=BERLIN,
                place=spec.place,
                country_id=spec.country if spec.country in countries else None,
                date_precision=spec.precision,
                source_key=spec.source_key,
                registration_open=False,
            )
            event._change_reason = "events.history_loaded"
            event.save(using=using)
            created_events += 1
    return created_series, created_events
