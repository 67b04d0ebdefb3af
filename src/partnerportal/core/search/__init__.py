"""One search over pages and registry records (ADR 0008).

`analysis` turns German text into the terms that are indexed and searched; `models` holds one
search document per searchable thing, indexed through Wagtail's search framework; `sources`
is the catalogue through which the apps above core say what they make searchable; `selectors`
runs a search with its facets; `services` keeps the documents current.
"""
