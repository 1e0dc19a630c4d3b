"""A gallery of every screen, light and dark, for docs/screenshots (also a smoke test)."""

import os
from pathlib import Path

import pytest

from selenium.webdriver.common.by import By

from conftest import ENTER, unique_email

GALLERY = Path(os.environ.get("AUTHDESK_SCREENSHOTS", "docs/screenshots"))


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_screen(make_app, theme):
    GALLERY.mkdir(parents=True, exist_ok=True)
    app = make_app(AUTHDESK_THEME=theme)
    shot = lambda name: app.screenshot(GALLERY / f"{name}-{theme}.png")
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
    for title in ["Renew passport", "Call the plumber", "Write the quarterly report"]:
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
