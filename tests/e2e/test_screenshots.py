"""A gallery of every screen, light and dark, for docs/screenshots (also a smoke test)."""

import os
from pathlib import Path

import pytest

from conftest import App, unique_email

GALLERY = Path(os.environ.get("AUTHDESK_SCREENSHOTS", "docs/screenshots"))


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_screen(request, data_dir, theme):
    GALLERY.mkdir(parents=True, exist_ok=True)
    app = App(data_dir, AUTHDESK_THEME=theme)
    request.node.app_instance = app
    try:
        shot = lambda name: app.screenshot(GALLERY / f"{name}-{theme}.png")
        app.el("#signin-title")
        shot("sign-in")

        app.type("#email", "someone@example.com")
        app.type("#password", "nope\n")
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
        from selenium.webdriver.common.by import By

        app.task("Renew passport").find_element(By.CSS_SELECTOR, ".task-toggle").click()
        app.wait_for(lambda d: "done" in app.task("Renew passport").get_attribute("class"))
        shot("dashboard")

        app.click("#nav-settings")
        app.el("#about-version")
        app.click("#test-connection")
        app.el("#health")
        shot("settings")
    finally:
        app.quit()
