"""Cross-cutting security: headers on every public page, cookies, and the production settings."""

import os
import secrets
import subprocess
import sys

import pytest
from django.test import override_settings

from partnerportal.accounts.tests.factories import PASSWORD, UserFactory


@pytest.fixture
def public_response(client, site):
    response = client.get("/de/")
    assert response.status_code == 200
    return response


def _directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.strip().split()
        directives[name] = values
    return directives


def test_content_security_policy_forbids_inline_script(public_response):
    policy = _directives(public_response["Content-Security-Policy"])
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_hardening_headers(public_response):
    assert public_response["X-Content-Type-Options"] == "nosniff"
    assert public_response["X-Frame-Options"] == "DENY"
    assert public_response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert public_response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_admin_gets_its_own_wider_policy_only_there(client, site):
    response = client.get("/admin/login/")
    assert "'unsafe-inline'" in _directives(response["Content-Security-Policy"])["script-src"]


def test_session_cookie_is_http_only_after_login(client, site):
    user = UserFactory()
    response = client.post("/de/konto/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_hsts_header_on_https(client, site):
    response = client.get("/de/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def _production_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "DATABASE_URL",
            "SECURE_HSTS_SECONDS",
            "SECURE_SSL_REDIRECT",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        DJANGO_SETTINGS_MODULE="partnerportal.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.org",
        **extra,
    )
    return env


def _run_in_production(code: str, *, apps: bool = True) -> subprocess.CompletedProcess:
    """`code` in a Python of its own under the production settings; with `apps`, Django set up
    first (a second and a half), without, only the settings read."""
    setup = "import django; django.setup()\n" if apps else ""
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", setup + code],
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_for_production_settings():
    result = _run_in_production(
        "from django.core.management import call_command\n"
        "call_command('check', deploy=True, fail_level='WARNING')\n"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_turn_on_hsts_and_secure_cookies():
    result = _run_in_production(
        "from django.conf import settings as s\n"
        "assert s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_HSTS_SECONDS\n"
        "assert s.SECURE_SSL_REDIRECT and s.SESSION_COOKIE_SECURE and s.CSRF_COOKIE_SECURE\n"
        "assert not s.DEBUG\n",
        apps=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
