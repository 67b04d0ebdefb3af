"""Registry views: editing."""

urlpatterns: list = []
