"""Two-factor sign-in and password reset, end to end through the real window.

Codes are computed from the secret the window shows (pyotp), as an authenticator app would; reset
codes are read from the mail the remote server sent to a real SMTP server on loopback (aiosmtpd
writing a Maildir, started by scripts/e2e.sh).
"""

import os
import re
import subprocess
from pathlib import Path

import pyotp

from conftest import PASSWORD, code_now, early_in_a_step, unique_email, wait_for_mail

NEW_PASSWORD = "N3w!Passw0rd-e2e"


def open_account(app):
    app.click("#nav-settings")
    app.el("#account-title")
    app.driver.execute_script("document.getElementById('two-factor').scrollIntoView({block: 'start'})")


def turn_on_totp(app):
    """Sets TOTP up from Settings; returns (secret, recovery codes)."""
    open_account(app)
    app.el("#mfa-status")
    assert "Off" in app.text("#mfa-status")
    app.type("#totp-password", PASSWORD)
    app.click("#totp-setup")
    secret = app.el("#totp-secret").get_attribute("data-secret")
    assert len(secret) >= 32, secret
    assert app.el("#totp-qr svg"), "the QR code is drawn"
    app.type("#totp-code", "000000")
    app.click("#totp-enable")
    app.wait_text("#totp-enable-form #error", "Invalid or expired code")
    early_in_a_step()
    # The previous step's code (one step of drift is allowed), so the current one is left unused
    # for the sign-in that follows.
    app.type("#totp-code", code_now(secret, steps_back=1))
    app.click("#totp-enable")
    app.wait_text("#mfa-enabled", "Two-factor authentication is on")
    codes = [li.text.strip() for li in app.els("#recovery-codes li")]
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z0-9]{5}-[a-z0-9]{5}", c) for c in codes), codes
    return secret, codes


def test_turn_on_totp_then_sign_in_with_a_code_and_with_a_recovery_code(make_app, data_dir):
    home = data_dir / "home"
    home.mkdir(exist_ok=True)
    app = make_app(HOME=str(home))
    address = unique_email("totp")
    app.sign_up(address)
    secret, codes = turn_on_totp(app)

    app.click("#save-codes")
    app.wait_text("#codes-note", "Saved to")
    saved = Path(app.text("#codes-note").split("Saved to ", 1)[1].strip())
    assert saved.is_file() and saved.stat().st_mode & 0o777 == 0o600, saved
    assert all(c in saved.read_text() for c in codes)
    app.click("#codes-done")
    app.wait_text("#mfa-status", "10 recovery codes left")

    # Sign out; the password alone no longer signs in.
    app.click("#back")
    app.sign_out()
    app.sign_in(address)
    app.wait_text("#code-account", address)
    app.type("#code", "000000")
    app.click("#verify")
    app.wait_text("#error", "Invalid or expired code")
    assert app.els("#code-help"), "a wrong code explains what to check"
    early_in_a_step()
    app.type("#code", code_now(secret))
    app.click("#verify")
    app.wait_text("#user-email", address)

    # Again, with a recovery code instead.
    app.sign_out()
    app.sign_in(address)
    app.el("#code-title")
    app.click("#toggle-recovery")
    app.type("#recovery-code", codes[0])
    app.click("#verify")
    app.wait_text("#user-email", address)
    open_account(app)
    app.wait_text("#mfa-status", "9 recovery codes left")



def test_reset_a_forgotten_password_with_the_mailed_code(app):
    app.switch_server(os.environ["AUTHDESK_REMOTE_URL"])
    address = unique_email("reset")
    app.sign_up(address)
    app.sign_out()

    app.click("#to-forgot")
    app.el("#forgot-title")
    app.type("#email", address)
    app.click("#send-code")
    app.wait_text("#code-sent", "If an account exists for that address")
    code = re.search(r"Your reset code: (\d{8})", wait_for_mail(address)).group(1)

    app.type("#reset-code", "00000000" if code != "00000000" else "11111111")
    app.type("#reset-password", NEW_PASSWORD)
    app.click("#reset-submit")
    app.wait_text("#reset-form #error", "Invalid or expired code")
    app.type("#reset-code", code)
    app.click("#reset-submit")
    app.wait_text("#notice", "Your password has been reset")

    app.sign_in(address)
    app.wait_text("#error", "Invalid email or password")
    app.sign_in(address, NEW_PASSWORD)
    app.wait_text("#user-email", address)


def test_embedded_reset_with_the_administrators_code(app):
    address = unique_email("admin-reset")
    app.sign_up(address)
    app.sign_out()
    app.click("#to-forgot")
    app.type("#email", address)
    command = app.text("#reset-command")
    assert f"admin reset-code {address}" in command, command
    database = re.search(r'--database-url "sqlite:(.+)"', command).group(1)
    assert Path(database).is_file(), database

    # What the person at this computer runs, with a deadline.
    out = subprocess.run(
        [os.environ["AUTHDESK_SERVER_BIN"], "admin", "reset-code", address, "--database-url", f"sqlite:{database}"],
        capture_output=True, text=True, timeout=60, check=True,
    )
    code = re.search(r": (\d{8})$", out.stdout.splitlines()[0]).group(1)
    app.type("#reset-code", code)
    app.type("#reset-password", NEW_PASSWORD)
    app.click("#reset-submit")
    app.wait_text("#notice", "Your password has been reset")
    app.sign_in(address, NEW_PASSWORD)
    app.wait_text("#user-email", address)
