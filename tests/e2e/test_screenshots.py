"""A gallery of every screen, light and dark, for docs/screenshots (also a smoke test); and the same
screens in the pseudo-locale (every letter accented, each text 40 % longer), where a text that is
not in a message file stays plain English and is caught, and clipped text shows in the shots."""

import os
import subprocess
import time
from pathlib import Path

import pyotp
import pytest
from selenium.webdriver.common.by import By

from conftest import ENTER, OUT, PASSWORD, early_in_a_step, unique_email
from languages import untranslated

GALLERY = Path(os.environ.get("AUTHDESK_SCREENSHOTS", "docs/screenshots"))
TASKS = ["Renew passport", "Call the plumber", "Write the quarterly report"]
# What the story typed and the server's own names (its database), which the screens quote.
TYPED = [*TASKS, "nobody-matches-this", "sqlite", "postgres"]


@pytest.mark.parametrize("theme,language", [("light", "en"), ("dark", "en"), ("light", "en-XA"), ("dark", "en-XA")])
def test_every_screen(make_app, theme, language):
    pseudo = language == "en-XA"
    # The pseudo-locale's shots are looked at, not published: they go with the run's output.
    gallery = OUT / "pseudo-locale" if pseudo else GALLERY
    gallery.mkdir(parents=True, exist_ok=True)
    app = make_app(AUTHDESK_THEME=theme, AUTHDESK_LANGUAGE=language)

    plain = {}

    def shot(name):
        app.screenshot(gallery / f"{name}-{theme}.png")
        if pseudo and (found := untranslated(app.driver, TYPED)):
            plain[name] = found

    app.el("#signin-title")
    shot("sign-in")

    app.type("#email", "someone@example.com")
    app.type("#password", "nope" + ENTER)
    app.el("#error")
    shot("sign-in-error")

    app.click("#to-signup")
    app.type("#email", "someone@")
    app.type("#password", "Passw0rd")
    shot("sign-up")

    email = unique_email("shots")
    app.sign_up(email)
    app.el("#empty")
    shot("dashboard-empty")
    for title in TASKS:
        app.add_task(title)
    app.task("Renew passport").find_element(By.CSS_SELECTOR, ".task-toggle").click()
    app.wait_for(lambda d: "done" in app.task("Renew passport").get_attribute("class"))
    shot("dashboard")

    app.click("#nav-settings")
    app.el("#about-version")
    app.click("#test-connection")
    app.el("#health")
    shot("settings")

    app.driver.execute_script("document.getElementById('account').scrollIntoView({block: 'start'})")
    app.wait_for(lambda d: app.els("#sessions li.session"), message="no sessions listed")
    app.type("#new-password", "Passw0rd")
    app.driver.execute_script("document.getElementById('account').scrollIntoView({block: 'start'})")
    shot("account")

    # Two-factor: setting it up (QR code and key), the recovery codes, the sign-in's code step.
    app.driver.execute_script("document.getElementById('two-factor').scrollIntoView({block: 'start'})")
    app.type("#totp-password", PASSWORD)
    app.click("#totp-setup")
    secret = app.el("#totp-secret").get_attribute("data-secret")
    app.el("#totp-qr svg")
    app.driver.execute_script("document.getElementById('two-factor').scrollIntoView({block: 'start'})")
    shot("two-factor-setup")
    early_in_a_step()
    app.type("#totp-code", pyotp.TOTP(secret).at(time.time() - 30))
    app.click("#totp-enable")
    app.el("#recovery-codes")
    app.driver.execute_script("document.getElementById('two-factor').scrollIntoView({block: 'start'})")
    shot("recovery-codes")
    app.click("#codes-done")
    app.el("#mfa-status[data-on='true']")
    app.driver.execute_script("document.getElementById('two-factor').scrollIntoView({block: 'start'})")
    shot("two-factor-on")

    app.click("#back")
    app.sign_out()
    app.sign_in(email)
    app.el("#code-title")
    app.type("#code", "000000")
    app.click("#verify")
    app.el("#code-help")
    shot("sign-in-code")

    # Forgot password: on the embedded server (the administrator's command), then on a remote one.
    app.click("#restart-sign-in")
    app.click("#to-forgot")
    app.type("#email", email)
    app.el("#reset-command")
    shot("forgot-password-embedded")

    app.click("#nav-settings")
    app.click("#backend-remote")
    app.type("#remote-url", os.environ["AUTHDESK_REMOTE_URL"])
    app.click("#save-settings")
    app.el("#saved")
    app.click("#back")
    app.click("#to-forgot")
    app.el("#send-code")
    shot("forgot-password")
    app.type("#email", unique_email("shots-reset"))
    app.click("#send-code")
    app.el("#code-sent")
    app.type("#reset-password", "Passw0rd")
    shot("forgot-password-code")

    # Administration (the embedded server's own database, made admin as the person at this computer would).
    app.click("#nav-settings")
    app.click("#backend-embedded")
    app.click("#save-settings")
    app.el("#saved")
    app.click("#back")
    admin = unique_email("shots-admin")
    app.click("#to-signup")
    app.sign_up(admin)
    database = app.data_dir / "authdesk.db"
    subprocess.run(
        [os.environ["AUTHDESK_SERVER_BIN"], "admin", "users", "grant-admin", admin, "--database-url", f"sqlite:{database}"],
        capture_output=True, timeout=60, check=True,
    )
    app.sign_out()
    app.sign_in(admin)
    app.click("#nav-admin")
    app.wait_for(lambda d: app.els("#admin-users li.admin-user"), message="no accounts listed")
    app.wait_for(lambda d: app.els("#audit-events li"), message="no events listed")
    shot("admin")
    app.driver.execute_script("document.querySelector('#audit-events').scrollIntoView({block: 'start'})")
    shot("admin-audit")
    app.type("#admin-search", "nobody-matches-this")
    app.click("#admin-search-submit")
    app.el("#admin-empty")
    app.driver.execute_script("document.getElementById('admin-title').scrollIntoView({block: 'start'})")
    shot("admin-empty")

    assert not plain, "text not in a message file, by screen:\n" + "\n".join(f"  {k}: {v}" for k, v in plain.items())
