"""Keyboard only, in the real window: sign up, add a task, rename it, complete it, delete it and
sign out with nothing but keys (Tab, Enter, Space, Escape, the shortcuts), pressed at whatever has
the focus; a listener counts pointer events and finds none. Each screen puts the focus where it
starts, and the focus comes back after an edit and a delete.
"""

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from conftest import PASSWORD, unique_email

COUNT_POINTERS = """
window.__pointers = 0;
for (const type of ['pointerdown', 'mousedown', 'touchstart']) {
  window.addEventListener(type, () => { window.__pointers += 1; }, true);
}
"""


class Keyboard:
    def __init__(self, app):
        self.app = app
        self.driver = app.driver

    def press(self, *keys):
        ActionChains(self.driver).send_keys(*keys).perform()

    def chord(self, key):
        """Ctrl + `key` (the shortcuts; ⌘ on macOS)."""
        ActionChains(self.driver).key_down(Keys.CONTROL).send_keys(key).key_up(Keys.CONTROL).perform()

    def type(self, text):
        self.press(text)

    def focused(self, css):
        return self.driver.execute_script("return !!document.activeElement && document.activeElement.matches(arguments[0])", css)

    def wait_focus(self, css, timeout=10):
        self.app.wait_for(lambda d: self.focused(css), timeout, f"the focus never reached {css}")

    def heard(self, needle, timeout=10):
        """Waits until the live region says `needle` (it is visually hidden, so read its text)."""
        said = lambda d: d.execute_script("return document.getElementById('announcer').textContent")
        self.app.wait_for(lambda d: needle in said(d), timeout, f"the live region never said {needle!r}")

    def tab_to(self, css, limit=60):
        """Presses Tab (as a person would) until `css` has the focus."""
        for _ in range(limit):
            if self.focused(css):
                return
            self.press(Keys.TAB)
        raise AssertionError(f"{limit} presses of Tab never reached {css}")


def test_sign_up_and_tasks_without_a_pointer(make_app):
    app = make_app()
    keys = Keyboard(app)
    app.driver.execute_script(COUNT_POINTERS)
    email = unique_email("keys")

    # The sign-in screen starts in its email field; its link to sign-up is reached with Tab.
    keys.wait_focus("#email")
    keys.tab_to("#to-signup")
    keys.press(Keys.ENTER)
    app.el("#signup-title")
    keys.wait_focus("#email")
    keys.type(email)
    keys.tab_to("#password")
    keys.type(PASSWORD + Keys.ENTER)
    app.wait_text("#user-email", email, timeout=20)

    # The dashboard starts in the new task's field.
    keys.wait_focus("#task-input")
    keys.type("Buy milk" + Keys.ENTER)
    app.task("Buy milk")
    keys.heard("Added “Buy milk”")

    # Rename: Enter on the button, Escape cancels and gives the focus back, Enter saves.
    keys.tab_to(".task-rename")
    keys.press(Keys.ENTER)
    keys.wait_focus(".task-edit")
    keys.press(Keys.ESCAPE)
    keys.wait_focus(".task-rename")
    keys.press(Keys.ENTER)
    keys.wait_focus(".task-edit")
    keys.chord("a")
    keys.type("Buy oat milk" + Keys.ENTER)
    app.task("Buy oat milk")
    keys.wait_focus(".task-rename")

    # Complete with Space on its checkbox, from the shortcut's field backwards.
    keys.chord("n")
    keys.wait_focus("#task-input")
    keys.tab_to(".task-toggle")
    keys.press(Keys.SPACE)
    app.el('#tasks li.task.done[data-title="Buy oat milk"]')

    # Search (Ctrl+F) finds it; Delete with Enter; the focus goes to the new task's field.
    keys.chord("f")
    keys.wait_focus("#task-search")
    keys.type("oat")
    keys.tab_to(".task-delete")
    keys.press(Keys.ENTER)
    app.gone("#tasks li.task")
    keys.wait_focus("#task-input")
    keys.heard("Deleted “Buy oat milk”")

    # Settings (Ctrl+,) and back; sign out.
    keys.chord(",")
    app.el("#settings-title")
    keys.tab_to("#back")
    keys.press(Keys.ENTER)
    keys.wait_focus("#task-input")
    keys.tab_to("#sign-out")
    keys.press(Keys.ENTER)
    app.el("#signin-title")

    assert app.driver.execute_script("return window.__pointers") == 0, "a pointer event happened"
