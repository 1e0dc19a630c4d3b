"""Remote mode offline, in the real window: signed in to a server on PostgreSQL, the server stops;
the user adds, edits and deletes tasks while the header counts them; the app is closed and opened
again, still offline; the server comes back and the changes reach it and a second device.

Also takes the README's screenshots of the offline and syncing states.
"""

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from selenium.webdriver.common.keys import Keys

from conftest import ENTER, OUT, PASSWORD, unique_email

SERVER_BIN = os.environ.get("AUTHDESK_SERVER_BIN")
DATABASE_URL = os.environ.get("AUTHDESK_REMOTE_DATABASE_URL")
GALLERY = Path(os.environ.get("AUTHDESK_SCREENSHOTS", "docs/screenshots"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """An authdesk-server process of its own on the shared PostgreSQL database, on a fixed port,
    that the story stops, pauses and starts again."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": DATABASE_URL,
            "BETTER_AUTH_SECRET": secrets.token_hex(32),
            "AUTHDESK_LOGIN_RATE_LIMIT": "off",
            "RUST_LOG": "warn",
        }
        self.proc = None
        self.log = open(OUT / f"offline-server-{self.port}.log", "ab")

    def start(self):
        self.proc = subprocess.Popen(
            [SERVER_BIN, "serve", "--bind", f"127.0.0.1:{self.port}"], env=self.env, stdout=self.log, stderr=self.log
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"authdesk-server exited: see {self.log.name}"
            try:
                urllib.request.urlopen(f"{self.url}/api/health", timeout=2).read()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"authdesk-server did not come up within 30 s: see {self.log.name}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None

    def pause(self):
        """Accepts connections (the kernel does) but answers nothing: a pass stays in flight."""
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self):
        self.proc.send_signal(signal.SIGCONT)


class Device:
    """A second device signed in to the same account: the HTTP API, as any client would use it."""

    def __init__(self, url, email):
        self.url = url
        self.token = self.call("POST", "/api/auth/login", {"email": email, "password": PASSWORD})["access_token"]

    def call(self, method, path, body=None):
        request = urllib.request.Request(
            f"{self.url}{path}",
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {self.token}"} if getattr(self, "token", None) else {})},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read() or "null")

    def titles(self):
        return sorted((t["title"], t["completed"]) for t in self.call("GET", "/api/tasks"))

    def feed_titles(self):
        """Everything the change feed says, from the beginning: live tasks and tombstones."""
        page = self.call("GET", "/api/tasks/changes?limit=1000")
        return sorted((c["title"], c["deleted"]) for c in page["changes"])


@pytest.fixture
def server():
    if not (SERVER_BIN and DATABASE_URL):
        pytest.skip("no server binary or PostgreSQL database (AUTHDESK_SERVER_BIN, AUTHDESK_REMOTE_DATABASE_URL)")
    s = Server()
    s.start()
    yield s
    s.stop()


def test_changes_made_offline_reach_the_server_after_a_relaunch(make_app, server):
    GALLERY.mkdir(parents=True, exist_ok=True)
    # Retries at most a second apart, so the story does not wait for the default 15 s.
    app = make_app(AUTHDESK_SYNC_RETRY_MAX_SECONDS="1", AUTHDESK_THEME="light")
    app.use_server(server.url)
    email = unique_email("offline")
    app.sign_up(email)
    for title in ["Buy stamps", "Water the plants", "Old idea"]:
        app.add_task(title)
    app.wait_text("#sync-state", "Synced")
    phone = Device(server.url, email)
    assert phone.titles() == [("Buy stamps", False), ("Old idea", False), ("Water the plants", False)]

    server.stop()
    app.add_task("Written on the train")
    app.rename_task("Buy stamps", "Buy stamps and envelopes")
    app.task("Water the plants").find_element("css selector", ".task-toggle").click()
    app.wait_for(lambda d: "done" in app.task("Water the plants").get_attribute("class"))
    app.task("Old idea").find_element("css selector", ".task-delete").click()
    app.gone('#tasks li.task[data-title="Old idea"]')
    app.wait_text("#sync-state", "Offline — 4 changes waiting", timeout=20)
    app.el("#sync-retry")
    app.screenshot(GALLERY / "sync-offline-light.png")

    # Signing out now would lose them: the app says so and signs nobody out.
    # A modal dialog: the focus goes into it and Tab stays inside; Escape stays signed in and
    # gives the focus back to Sign out.
    app.el("#sign-out").send_keys(ENTER)
    app.wait_text("#unsent", "4 changes have not reached", timeout=20)
    app.screenshot(GALLERY / "sync-sign-out-waiting-light.png")
    focused = lambda: app.driver.switch_to.active_element.get_attribute("id")
    app.wait_for(lambda d: focused() == "keep-unsent", message="the dialog did not take the focus")
    for expected in ["discard-and-sign-out", "keep-unsent", "discard-and-sign-out"]:
        app.driver.switch_to.active_element.send_keys(Keys.TAB)
        assert focused() == expected, f"Tab left the dialog: {focused()!r}"
    app.driver.switch_to.active_element.send_keys(Keys.SHIFT, Keys.TAB)
    assert focused() == "keep-unsent"
    app.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    app.gone("#unsent")
    app.wait_for(lambda d: focused() == "sign-out", message="the focus did not come back to Sign out")
    app.wait_text("#user-email", email)

    # Closed and opened again, still offline: signed in, the tasks as left, the count kept.
    app.relaunch()
    app.wait_text("#user-email", email, timeout=20)
    app.wait_for(lambda d: app.task_titles() == ["Written on the train", "Water the plants", "Buy stamps and envelopes"])
    assert "done" in app.task("Water the plants").get_attribute("class")
    app.wait_text("#sync-state", "Offline — 4 changes waiting", timeout=20)

    # The server is back but slow to answer (paused before the app opens, so the first pass
    # hangs): the app opens at once from this computer's copy, and says it is syncing.
    app.quit()
    server.start()
    server.pause()
    app.launch()
    app.wait_for(lambda d: app.task_titles() == ["Written on the train", "Water the plants", "Buy stamps and envelopes"])
    app.wait_text("#sync-state", "Syncing… — 4 changes waiting", timeout=20)
    app.screenshot(GALLERY / "sync-syncing-light.png")
    server.resume()
    app.wait_text("#sync-state", "Synced", timeout=30)

    assert phone.titles() == [
        ("Buy stamps and envelopes", False),
        ("Water the plants", True),
        ("Written on the train", False),
    ]
    assert ("Old idea", True) in phone.feed_titles(), "the delete reached the server as a tombstone"

    # Offline again, and meanwhile the session is ended from the phone: the app signs out, keeps
    # the change for this account, says so on the sign-in screen, and sends it after sign-in.
    server.stop()
    app.add_task("Kept for the next sign-in")
    app.wait_text("#sync-state", "Offline — 1 change waiting", timeout=20)
    server.start()
    for session in phone.call("GET", "/api/auth/sessions"):
        if not session["current"]:
            phone.call("DELETE", f"/api/auth/sessions/{session['id']}")
    app.click("#sync-retry")
    app.el("#signin-title", timeout=20)
    app.wait_text(".waiting-changes", f"1 change made here as {email} has not reached the server yet")
    app.screenshot(GALLERY / "sync-waiting-sign-in-light.png")
    app.sign_in(email)
    app.wait_text("#user-email", email, timeout=20)
    app.wait_text("#sync-state", "Synced", timeout=30)
    assert ("Kept for the next sign-in", False) in phone.titles()
