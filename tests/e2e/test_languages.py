"""The app in the user's language: German chosen in Settings (the screen changes at once, the
choice survives a relaunch, dates follow), Spanish taken from the system's locale; and the README's
screenshots of the sign-in screen and the dashboard in both."""

import os
import re
from pathlib import Path

from selenium.webdriver.support.ui import Select

from conftest import unique_email

GALLERY = Path(os.environ.get("AUTHDESK_SCREENSHOTS", "docs/screenshots"))


def page_language(app):
    return app.driver.execute_script("return document.documentElement.lang")


def test_german_chosen_in_settings_stays_after_a_relaunch(make_app):
    GALLERY.mkdir(parents=True, exist_ok=True)
    app = make_app(AUTHDESK_THEME="light")
    app.wait_text("#signin-title", "Sign in")
    assert page_language(app) == "en"
    app.sign_up(unique_email("sprache"))
    for title in ["Steuererklärung abgeben", "Fahrrad reparieren", "Geschenk für Oma kaufen"]:
        app.add_task(title)

    app.click("#nav-settings")
    Select(app.el("#language")).select_by_value("de")
    app.wait_text("#settings-title", "Einstellungen")
    assert page_language(app) == "de"
    assert app.driver.title == "Einstellungen · authdesk"
    # Dates as German writes them (the webview's Intl): 06.12.2026, 21:40.
    app.wait_for(lambda d: re.search(r"\b\d{2}\.\d{2}\.\d{4}\b", app.text("#sessions")), message="no German date")

    app.click("#back")
    app.wait_text("#dash-title", "Aufgaben")
    app.screenshot(GALLERY / "dashboard-de.png")
    app.click("#sign-out")
    app.wait_text("#signin-title", "Anmelden")
    app.screenshot(GALLERY / "sign-in-de.png")

    app.relaunch()
    app.wait_text("#signin-title", "Anmelden")
    assert page_language(app) == "de"

    # Back to the system's language.
    app.click("#nav-settings")
    Select(app.el("#language")).select_by_value("")
    app.wait_text("#settings-title", "Settings")
    assert page_language(app) == "en"


def test_spanish_from_the_system_locale(make_app):
    GALLERY.mkdir(parents=True, exist_ok=True)
    app = make_app(AUTHDESK_THEME="light", LANG="es_ES.UTF-8")
    app.wait_text("#signin-title", "Iniciar sesión")
    assert page_language(app) == "es"
    app.screenshot(GALLERY / "sign-in-es.png")
    app.sign_up(unique_email("idioma"))
    for title in ["Renovar el pasaporte", "Llamar al fontanero", "Preparar la reunión del lunes"]:
        app.add_task(title)
    app.wait_text("#dash-title", "Sus tareas")
    app.screenshot(GALLERY / "dashboard-es.png")
