"""Fixtures for the authdesk desktop E2E stories (tauri-driver + WebKitWebDriver under Xvfb).

Environment (set by scripts/e2e.sh):
  AUTHDESK_APP          absolute path of the built desktop binary
  AUTHDESK_E2E_OUT      folder for failure screenshots and per-test data
  AUTHDESK_SCREENSHOTS  folder for the screen gallery (docs/screenshots)
  AUTHDESK_REMOTE_URL   base URL of a remote authdesk-server on PostgreSQL (remote story)
  AUTHDESK_VERIFIED_URL, AUTHDESK_INVITE_URL   the same database served in `verified` and
                        `invite` registration modes
  AUTHDESK_REMOTE_DATABASE_URL   their PostgreSQL database (for `authdesk-server admin`)
  AUTHDESK_MAILDIR      the SMTP sink's Maildir
  AUTHDESK_SSO_URL, AUTHDESK_E2E_OIDC_ISSUER   a server with single sign-on, and its OpenID
                        Provider (not AUTHDESK_OIDC_*: servers the stories start read those)
  AUTHDESK_AXE_JS       axe-core's axe.min.js, run on every screenshot (accessibility.py)
  AUTHDESK_A11Y_REPORT  where its totals are written (docs/accessibility.md)
  TAURI_DRIVER_URL      default http://127.0.0.1:4444
"""

import email
import os
import stat
import tempfile
import time
import uuid
from pathlib import Path

import pyotp
import pytest

import accessibility
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.support.ui import WebDriverWait

APP = os.environ["AUTHDESK_APP"]
OUT = Path(os.environ.get("AUTHDESK_E2E_OUT", tempfile.mkdtemp(prefix="authdesk-e2e-")))
GALLERY_DIR = Path(os.environ.get("AUTHDESK_SCREENSHOTS", "docs/screenshots"))
DRIVER = os.environ.get("TAURI_DRIVER_URL", "http://127.0.0.1:4444")
PASSWORD = "Str0ng!Pass"
ENTER = "\ue007"  # WebKitWebDriver does not read "\n" as Enter


class TauriOptions(ArgOptions):
    """tauri-driver wants exactly a `tauri:options` capability."""

    def __init__(self, application):
        super().__init__()
        self.application = application

    @property
    def default_capabilities(self):
        return {}

    def to_capabilities(self):
        return {"tauri:options": {"application": self.application}}


def launcher(data_dir: Path, **env) -> str:
    """A tiny wrapper that starts the app with its own data folder (and e.g. a forced theme)."""
    script = data_dir.parent / f"launch-{data_dir.name}-{uuid.uuid4().hex[:6]}.sh"
    # The system's language is English unless a story says otherwise (the stories read English).
    system = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"}
    exports = "".join(f"export {k}='{v}'\n" for k, v in {**system, "AUTHDESK_DATA_DIR": str(data_dir), **env}.items())
    script.write_text(f"#!/bin/sh\n{exports}exec '{APP}' \"$@\"\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def code_now(secret, steps_back=0):
    """The code an authenticator app shows, `steps_back` 30-second steps ago."""
    return pyotp.TOTP(secret).at(time.time() - 30 * steps_back)


def early_in_a_step():
    """Waits, if needed, until at least 10 s are left in the current 30 s step."""
    into = time.time() % 30
    if into > 20:
        time.sleep(30 - into + 0.5)


def running_apps(data_dir: Path) -> list[int]:
    """The processes of the app started on `data_dir` (read from their environment)."""
    marker = f"AUTHDESK_DATA_DIR={data_dir}".encode()
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and marker in (proc / "environ").read_bytes().split(b"\0"):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def wait_until_gone(data_dir: Path, timeout=20):
    """Waits until no app runs on `data_dir` any more."""
    deadline = time.time() + timeout
    while running_apps(data_dir):
        if time.time() > deadline:
            raise AssertionError(f"the app on {data_dir} was still running {timeout}s after it was closed")
        time.sleep(0.05)


def pytest_sessionfinish(session, exitstatus):
    """Writes axe-core's totals; in the test command (AUTHDESK_E2E_STRICT=1) a skipped story is a
    failure: the setup must provide what every story needs."""
    report = os.environ.get("AUTHDESK_A11Y_REPORT")
    if report:
        accessibility.write_report(Path(report))
    if os.environ.get("AUTHDESK_E2E_STRICT") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        names = ", ".join(getattr(r, "nodeid", "?") for r in skipped)
        print(f"\nFAILED: {len(skipped)} skipped in the test command: {names}")
        session.exitstatus = 1


class App:
    """One running app window, with helpers that read like the user's actions."""

    def __init__(self, data_dir: Path, **env):
        self.data_dir = data_dir
        self.env = env
        self.driver = None
        self.launch()

    def launch(self):
        self.driver = webdriver.Remote(command_executor=DRIVER, options=TauriOptions(launcher(self.data_dir, **self.env)))
        self.driver.set_window_size(960, 700)
        self.wait_for(lambda d: d.find_elements(By.CSS_SELECTOR, "#signin-title, #dash-title"), timeout=30)

    def quit(self):
        if self.driver:
            self.driver.quit()
            self.driver = None
            # A relaunch while this one still runs would only focus it (single instance).
            wait_until_gone(self.data_dir)

    def relaunch(self):
        self.quit()
        self.launch()

    # -- queries
    def wait_for(self, predicate, timeout=15, message="", poll=0.1):
        def safe(d):
            try:
                return predicate(d)
            except StaleElementReferenceException:
                return False

        return WebDriverWait(self.driver, timeout, poll_frequency=poll).until(safe, message)

    def el(self, css, timeout=15):
        return self.wait_for(lambda d: d.find_element(By.CSS_SELECTOR, css) if d.find_elements(By.CSS_SELECTOR, css) else None, timeout, f"no {css}")

    def els(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self, css):
        return self.el(css).text

    def wait_text(self, css, needle, timeout=15):
        return self.wait_for(lambda d: needle in (d.find_element(By.CSS_SELECTOR, css).text if d.find_elements(By.CSS_SELECTOR, css) else ""), timeout, f"{css} never contained {needle!r}")

    def gone(self, css, timeout=15):
        self.wait_for(lambda d: not d.find_elements(By.CSS_SELECTOR, css), timeout, f"{css} still present")

    # -- actions
    def type(self, css, value, clear=True, shows=None):
        """Types `value` into the field `css`; with `shows`, until the field holds that (a field
        whose value the UI sets from what was typed can fall behind keys sent far faster than
        anyone types when the machine is busy: then it is typed again)."""
        for _ in range(3):
            field = self.el(css)
            if clear:
                field.clear()
                # clear() does not always fire `input`; select-all + delete does.
                field.send_keys("\ue009a")
                field.send_keys("\ue017")
            field.send_keys(value)
            if shows is None:
                return field
            try:
                self.wait_for(lambda d: field.get_attribute("value") == shows, timeout=3)
                return field
            except TimeoutException:
                continue
        raise AssertionError(f"{css} never showed {shows!r} (it shows {field.get_attribute('value')!r})")

    def click(self, css):
        self.el(css).click()

    def sign_up(self, email, password=PASSWORD):
        if not self.els("#signup-title"):
            self.click("#to-signup")
        self.el("#signup-title")
        self.type("#email", email)
        self.type("#password", password)
        self.click("#submit")
        self.wait_text("#user-email", email, timeout=20)

    def sign_in(self, email, password=PASSWORD):
        self.el("#signin-title")
        self.type("#email", email)
        self.type("#password", password + ENTER)  # Enter submits

    def sign_out(self):
        self.click("#sign-out")
        self.el("#signin-title")

    def use_server(self, url):
        """Settings: point the app at the remote server `url` (after testing the connection)."""
        self.click("#nav-settings")
        self.el("#settings-title")
        self.click("#backend-remote")
        self.type("#remote-url", url)
        self.click("#test-connection")
        self.wait_text("#health", "database postgres")
        self.click("#save-settings")
        self.el("#saved")
        self.wait_text("#about-backend", url)
        self.click("#back")
        self.wait_text("#server", url)

    def switch_server(self, url):
        """Settings: point the app at the remote server `url`, back on the sign-in screen."""
        self.click("#nav-settings")
        self.click("#backend-remote")
        self.type("#remote-url", url)
        self.click("#save-settings")
        self.el("#saved")
        self.click("#back")
        self.wait_text("#server", url)

    def rename_task(self, title, new_title):
        self.task(title).find_element(By.CSS_SELECTOR, ".task-rename").click()
        edit = self.el("#tasks .task-edit")
        edit.send_keys("\ue009a")
        edit.send_keys("\ue017")
        edit.send_keys(new_title + ENTER)
        self.task(new_title)

    def task_titles(self):
        return [li.get_attribute("data-title") for li in self.els("#tasks li.task")]

    def task(self, title):
        return self.el(f'#tasks li.task[data-title="{title}"]')

    def add_task(self, title):
        before = len(self.els("#tasks li.task"))
        self.type("#task-input", title + ENTER)
        self.wait_for(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#tasks li.task")) == before + 1, message=f"task {title!r} not added")

    def screenshot(self, path):
        """Saves what is painted, then has axe-core check that very screen (accessibility.py)."""
        # What the DOM says is painted once two animation frames have passed.
        self.driver.execute_async_script(
            "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));"
        )
        self.driver.save_screenshot(str(path))
        # The gallery's shots by name; others (pseudo-locale, 200 % text) under their folder's.
        path = Path(path)
        name = path.stem if path.parent.resolve() == GALLERY_DIR.resolve() else f"{path.parent.name}/{path.stem}"
        accessibility.audit(self.driver, name)


@pytest.fixture
def data_dir(request):
    d = OUT / "data" / request.node.name
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture
def make_app(request, data_dir):
    """Starts apps on this test's data folder; they are quit after the failure hook ran."""
    started = []

    def start(**env):
        instance = App(data_dir, **env)
        started.append(instance)
        request.node.app_instance = instance
        return instance

    yield start
    for instance in started:
        instance.quit()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        for name in ("app_instance",):
            instance = getattr(item, name, None)
            if instance and instance.driver:
                shot = OUT / f"FAILED-{item.name}.png"
                try:
                    instance.driver.save_screenshot(str(shot))
                    print(f"\nfailure screenshot: {shot}")
                except Exception as e:  # the app may be gone
                    print(f"\nno failure screenshot: {e}")


def unique_email(tag):
    return f"{tag}-{uuid.uuid4().hex[:8]}@example.com"


def wait_for_mail(to, n=None, timeout=20):
    """The newest mail to `to` in the sink's Maildir (AUTHDESK_MAILDIR), or, with `n`, the n-th
    (1-based, oldest first), waiting for it to come; its body as text."""
    new = Path(os.environ["AUTHDESK_MAILDIR"]) / "new"
    deadline = time.time() + timeout
    while time.time() < deadline:
        paths = sorted(new.glob("*"), key=lambda p: p.stat().st_mtime) if new.exists() else []
        mails = [m for m in (email.message_from_bytes(p.read_bytes()) for p in paths) if m["To"] == to]
        if mails and (n is None or len(mails) >= n):
            return (mails[-1] if n is None else mails[n - 1]).get_payload(decode=True).decode()
        time.sleep(0.2)
    raise AssertionError(f"no mail {n or ''} to {to} within {timeout}s")
