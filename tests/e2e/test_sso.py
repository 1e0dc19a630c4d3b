"""Single sign-on from the real window against a team server that signs in through a real OpenID
Provider on loopback (oidc-provider), the system browser replaced by a command that does what a
person would at the provider's pages (sso_browser.py): sign in with the provider and land on the
dashboard; a refusal said in words; the wait for the browser, cancelled. Light and dark."""

import json
import os
import sys
import urllib.request
from pathlib import Path

import pytest

from conftest import unique_email

GALLERY = Path(os.environ.get("AUTHDESK_SCREENSHOTS", "docs/screenshots"))
BROWSER = f"{sys.executable} {Path(__file__).with_name('sso_browser.py')}"


def provider_account(subject, email, verified=True):
    """What the provider will say of `subject` (its test-only side door)."""
    body = json.dumps({"email": email, "email_verified": verified}).encode()
    request = urllib.request.Request(f"{os.environ['AUTHDESK_E2E_OIDC_ISSUER']}/test/accounts/{subject}", body, method="PUT")
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 204



@pytest.mark.parametrize("theme", ["light", "dark"])
def test_sign_in_with_the_teams_provider(make_app, theme):
    GALLERY.mkdir(parents=True, exist_ok=True)
    subject = f"e2e-{theme}"
    email = unique_email(f"sso-{theme}")
    provider_account(subject, email)
    app = make_app(AUTHDESK_THEME=theme, AUTHDESK_BROWSER=BROWSER, E2E_SSO_LOGIN=subject)
    shot = lambda name: app.screenshot(GALLERY / f"{name}-{theme}.png")
    app.switch_server(os.environ["AUTHDESK_SSO_URL"])
    app.wait_text("#sso-sign-in", "Sign in with Acme SSO")
    shot("sign-in-sso")
    app.click("#sso-sign-in")
    app.wait_text("#user-email", email, timeout=30)
    shot("dashboard-after-sso")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_refusal_is_said_in_words_and_a_wait_can_be_cancelled(make_app, theme):
    GALLERY.mkdir(parents=True, exist_ok=True)
    # An account has the address, and the provider does not vouch for it: not linked.
    owner = unique_email(f"sso-owner-{theme}")
    subject = f"e2e-stranger-{theme}"
    provider_account(subject, owner, verified=False)
    body = json.dumps({"email": owner, "password": "Str0ng!Pass"}).encode()
    request = urllib.request.Request(f"{os.environ['AUTHDESK_SSO_URL']}/api/auth/register", body, {"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 201
    app = make_app(AUTHDESK_THEME=theme, AUTHDESK_BROWSER=BROWSER, E2E_SSO_LOGIN=subject)
    shot = lambda name: app.screenshot(GALLERY / f"{name}-{theme}.png")
    app.switch_server(os.environ["AUTHDESK_SSO_URL"])
    app.click("#sso-sign-in")
    app.wait_text("#error", "has not verified your email address", timeout=30)
    shot("sign-in-sso-refused")
    app.quit()

    # A browser that never comes back: the app waits, and Cancel gives up.
    waiting = make_app(AUTHDESK_THEME=theme, AUTHDESK_BROWSER=BROWSER, E2E_SSO_LOGIN="")
    waiting.wait_text("#server", os.environ["AUTHDESK_SSO_URL"])
    waiting.click("#sso-sign-in")
    waiting.wait_text("#sso-waiting", "Continue in your browser")
    waiting.screenshot(GALLERY / f"sign-in-sso-waiting-{theme}.png")
    waiting.click("#sso-cancel")
    waiting.el("#sso-sign-in")
    assert not waiting.els("#error"), "a cancel the user asked for is not an error"
