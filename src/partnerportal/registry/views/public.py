"""Registry views: public."""

urlpatterns: list = []
