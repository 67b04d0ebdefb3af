import pytest
from django.core.cache import cache
from django.db import transaction

from partnerportal.core.versions import ChangeVersion

VERSION = ChangeVersion("test:versions")


@pytest.fixture(autouse=True)
def _fresh_key():
    cache.delete(VERSION.key)
    yield
    cache.delete(VERSION.key)


def test_a_change_moves_the_version_forward_only_when_it_commits(transactional_db):
    before = VERSION.current()
    assert VERSION.current() == before  # stable while nothing changes

    with pytest.raises(RuntimeError), transaction.atomic():
        VERSION.changed()
        raise RuntimeError("rolled back")
    assert VERSION.current() == before  # a rolled-back change invalidates nothing

    with transaction.atomic():
        VERSION.changed()
        assert VERSION.current() == before  # not yet: readers would cache uncommitted data
    assert VERSION.current() > before


def test_two_changes_in_the_same_instant_still_move_it(db):
    VERSION.bump()
    first = VERSION.current()
    cache.set(VERSION.key, first + 3600)  # another server's clock ran ahead
    VERSION.bump()
    assert VERSION.current() > first + 3600


def test_a_lost_version_restarts_later_than_any_handed_out(db):
    handed_out = VERSION.current()
    cache.delete(VERSION.key)
    assert VERSION.current() >= handed_out
    assert VERSION.last_modified().timestamp() >= int(handed_out)
