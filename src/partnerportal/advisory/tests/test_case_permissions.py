"""Who reads what of a case, asked of every person the issue names: the requester, the editors
of both partner municipalities, another municipality's editor, the advisor, other staff, a
reviewer and the public. The internal log is the agency's: nobody outside its staff reads it,
not on the case page, the plan page, the exports or the list."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SECRET = "Vertrauliche Notiz"

#: person -> (case page, plan page)
EXPECTED = {
    "public": ("login", "login"),
    "requester": ("deny", "missing"),
    "german_editor": ("deny", "ok"),
    "partner_editor": ("deny", "ok"),
    "third_editor": ("deny", "missing"),
    "advisor": ("ok", "ok"),
    "other_staff": ("ok", "ok"),
    "reviewer": ("deny", "missing"),
}


def _outcome(response) -> str:
    if response.status_code == 302:
        return "login" if "/login/" in response["Location"] else "ok"
    return {200: "ok", 403: "deny", 404: "missing"}.get(
        response.status_code, str(response.status_code)
    )


@pytest.mark.parametrize("who", list(EXPECTED))
def test_who_reads_the_case_the_plan_and_the_log(client, case_world, who):
    user = None if who == "public" else getattr(case_world, who)
    if user is not None:
        client.force_login(user)
    pk = case_world.case.pk
    pages = [
        reverse("advisory:case_detail", kwargs={"pk": pk}),
        reverse("advisory:plan_detail", kwargs={"pk": pk}),
    ]
    got = []
    for url in pages:
        response = client.get(url)
        got.append(_outcome(response))
        staff = who in ("advisor", "other_staff")
        if response.status_code == 200:
            assert (SECRET in response.content.decode()) == (staff and url == pages[0]), url
    assert tuple(got) == EXPECTED[who]
    # the staff's list and dashboard (where a log could leak through a search) are staff only
    for name in ("advisory:case_list", "advisory:dashboard"):
        outcome = _outcome(client.get(reverse(name), {"q": "Vertrauliche"}))
        assert outcome == (
            "ok" if who in ("advisor", "other_staff") else "login" if who == "public" else "deny"
        )
    # the exports carry the plan, never the log
    for name in ("advisory:plan_pdf", "advisory:plan_xlsx"):
        response = client.get(reverse(name, kwargs={"pk": pk}))
        if response.status_code == 200:
            assert SECRET.encode() not in response.content
