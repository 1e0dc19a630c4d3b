"""Who may join a team server, end to end through the real window against remote servers on
PostgreSQL that mail a real SMTP server on loopback (scripts/e2e.sh starts one that verifies
addresses and one that registers by invitation): sign up with the mailed code; sign in to an
account not verified yet; the first administrator joins with the command line's invitation, invites
a member from the Administration screen, and the member signs up with that code. Light and dark,
each new screen photographed for docs/screenshots."""

import json
import os
import re
import subprocess
import urllib.request
from pathlib import Path

import pytest

from conftest import PASSWORD, unique_email, wait_for_mail

GALLERY = Path(os.environ.get("AUTHDESK_SCREENSHOTS", "docs/screenshots"))


def verification_code(mail):
    return re.search(r"Your verification code: (\d{8})", mail).group(1)



def register_outside(url, email):
    """Registers through the API, as another client would (the account is left unverified)."""
    body = json.dumps({"email": email, "password": PASSWORD}).encode()
    request = urllib.request.Request(f"{url}/api/auth/register", body, {"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 201


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_sign_up_with_the_mailed_code(make_app, theme):
    GALLERY.mkdir(parents=True, exist_ok=True)
    app = make_app(AUTHDESK_THEME=theme)
    shot = lambda name: app.screenshot(GALLERY / f"{name}-{theme}.png")
    url = os.environ["AUTHDESK_VERIFIED_URL"]
    app.switch_server(url)

    address = unique_email("verified")
    app.click("#to-signup")
    app.wait_text("#registration-mode", "email you a code")
    app.type("#email", address)
    app.type("#password", PASSWORD)
    app.click("#submit")
    app.wait_text("#verify-account", address)
    app.wait_text("#verify-resend", "in ")  # the countdown before a new code may be asked for
    shot("verify-email")

    code = verification_code(wait_for_mail(address, 1))
    wrong = code[:7] + str((int(code[7]) + 1) % 10)
    app.type("#verify-code", wrong, shows=wrong)
    app.click("#verify-submit")
    app.wait_text("#error", "Invalid or expired code")
    app.el("#verify-help")
    shot("verify-email-error")

    spaced = f"{code[:4]} {code[4:]}"
    app.type("#verify-code", spaced, shows=spaced)
    app.click("#verify-submit")
    app.wait_text("#user-email", address, timeout=20)
    app.sign_out()
    app.sign_in(address)
    app.wait_text("#user-email", address)
    app.sign_out()

    # An account registered elsewhere and not verified: its sign-in goes to the same step, which
    # asks for a code first (a sign-in mails nothing by itself).
    other = unique_email("unverified")
    register_outside(url, other)
    wait_for_mail(other, 1)
    app.sign_in(other)
    app.wait_text("#verify-account", "not verified yet")
    shot("verify-email-at-sign-in")
    app.click("#verify-resend")
    app.wait_text("#verify-resent", "a new code has been sent")
    app.type("#verify-code", verification_code(wait_for_mail(other, 2)))
    app.click("#verify-submit")
    app.wait_text("#user-email", other, timeout=20)


def invite_command(email, role):
    """`authdesk-server admin invite` on the servers' database: the code, alone on its last line."""
    out = subprocess.run(
        [os.environ["AUTHDESK_SERVER_BIN"], "admin", "invite", email, "--role", role,
         "--database-url", os.environ["AUTHDESK_REMOTE_DATABASE_URL"]],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout
    return out.strip().splitlines()[-1]


def sign_up_invited(app, email, code):
    app.click("#to-signup")
    app.wait_text("#registration-mode", "by invitation")
    app.type("#email", email)
    app.type("#password", PASSWORD)
    app.type("#invitation-code", code)
    app.click("#submit")
    app.wait_text("#user-email", email, timeout=20)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_an_administrator_invites_a_member(make_app, theme):
    GALLERY.mkdir(parents=True, exist_ok=True)
    app = make_app(AUTHDESK_THEME=theme)
    shot = lambda name: app.screenshot(GALLERY / f"{name}-{theme}.png")
    app.switch_server(os.environ["AUTHDESK_INVITE_URL"])

    # Without a code the server says so, in its words.
    app.click("#to-signup")
    app.wait_text("#registration-mode", "by invitation")
    app.type("#email", unique_email("uninvited"))
    app.type("#password", PASSWORD)
    app.click("#submit")
    app.wait_text("#error", "Registration requires an invitation")
    app.type("#invitation-code", "7KQ2-M9XD-4TRB-H0CE")
    shot("sign-up-invitation")
    app.click("#to-signin")

    admin = unique_email("first-admin")
    sign_up_invited(app, admin, invite_command(admin, "admin"))
    app.click("#nav-admin")
    app.el("#invitations-section")
    app.wait_for(lambda d: app.els("#invitations-empty, #invitations li"), message="invitations never loaded")

    member = unique_email("member")
    app.type("#invite-email", member)
    app.click("#invite-submit")
    app.wait_text("#invite-made", member)
    code = app.text("#invite-code")
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code), code
    app.wait_for(lambda d: app.els(f'#invitations li.invitation[data-email="{member}"]'), message="not listed")
    assert code in wait_for_mail(member, 1), "the code is mailed to the address too"
    app.driver.execute_script("document.getElementById('invitations-section').scrollIntoView({block: 'start'})")
    shot("invitations")

    app.click("#nav-dashboard")
    app.sign_out()
    sign_up_invited(app, member, code.lower())
    assert not app.els("#nav-admin"), "invited as a member"
