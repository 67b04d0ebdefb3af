"""No page of ours, the back office included, makes the browser load anything from another host
(Gravatar avatars would hand a hash of staff e-mail addresses to a third party)."""

import re

import pytest

from partnerportal.accounts.tests.factories import UserFactory

#: Attributes that make a browser fetch something as the page loads.
LOADING = re.compile(
    r"""<(?:img|script|iframe|source|video|audio|input)\b[^>]*?\s(?:src|srcset|poster)=["']([^"']+)"""
    r"""|<link\b[^>]*?\shref=["']([^"']+)["'][^>]*>""",
    re.IGNORECASE,
)


def outside_urls(html: str) -> list[str]:
    found = []
    for match in LOADING.finditer(html):
        value = match.group(1) or match.group(2)
        if match.group(2) and not re.search(
            r"rel=[\"'](?:stylesheet|icon|preload|modulepreload|manifest)", match.group(0)
        ):
            continue
        for url in value.split(","):
            url = url.strip().split(" ")[0]
            if url.startswith(("//", "http://", "https://")) and "testserver" not in url:
                found.append(url)
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/", "/admin/users/", "/admin/account/", "/admin/pages/"])
def test_back_office_loads_nothing_from_outside(client, site, path):
    admin = UserFactory(role="agency_admin", mfa=True, email="staff@example.org")
    admin.is_superuser = True  # sees the list of people too, with their avatars
    admin.save()
    UserFactory(role="agency_editor", email="another@example.org")
    client.force_login(admin)
    response = client.get(path)
    assert response.status_code == 200
    assert outside_urls(response.content.decode()) == []
