"""The models and the migrations agree: a change to a model without its migration fails here,
not on an installation that migrates."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_its_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
