"""What a launch loads: a screen's wasm module arrives the first time the screen is shown, and a
language's messages the first time it is spoken, not before (tools/split-wasm,
scripts/build-wasm.sh). The page's fetches are recorded from the sign-in screen on (the webview
keeps no resource timing for the app's own scheme)."""

import re

from selenium.webdriver.support.ui import Select

RECORD_FETCHES = """
window.__fetched = [];
const fetchOriginal = window.fetch;
window.fetch = (url, ...rest) => {
  const file = String(url).split('/').pop();
  // The app's files; the shell's commands go by fetch too (ipc://).
  if (file.endsWith('.wasm') || file.endsWith('.ftl')) window.__fetched.push(file);
  return fetchOriginal(url, ...rest);
};
"""


def fetched(app):
    """What the page fetched since recording began: screens by name, other files by file name."""
    names = []
    for file in app.driver.execute_script("return window.__fetched"):
        screen = re.match(r"module_\d+_route([A-Za-z]+?)[0-9a-f]{32}\.wasm$", file)
        names.append(screen.group(1) if screen else file)
    return names


def test_a_screen_and_a_language_load_when_first_wanted(app):
    app.wait_text("#signin-title", "Sign in")
    app.driver.execute_script(RECORD_FETCHES)

    app.click("#nav-settings")
    app.el("#settings-title")
    assert fetched(app) == ["Settings"], "the Settings screen's module should arrive only now"

    Select(app.el("#language")).select_by_value("es")
    app.wait_text("#settings-title", "Configuración")
    assert fetched(app) == ["Settings", "es.ftl"]

    # Back to a screen the launch loaded, and back to English (compiled in): nothing fetched.
    Select(app.el("#language")).select_by_value("")
    app.wait_text("#settings-title", "Settings")
    app.click("#nav-signin")
    app.wait_text("#signin-title", "Sign in")
    assert fetched(app) == ["Settings", "es.ftl"]
