"""Registry views: review."""

urlpatterns: list = []
