"""Your data, in the real window: a backup made with "Back up now", a task added after it, the
backup restored (the app signs out, the task added after is gone); an offline install moved to a
team server (the app switches, the user registers there, the upload runs with its progress and
the dashboard shows the same tasks from the server). Light and dark; the README's screenshots.

The native save and open dialogs cannot be driven through WebDriver: AUTHDESK_TEST_DIALOGS makes
the shell save into a folder and open the path written in its `open` file (data/mod.rs).
"""

import os
from pathlib import Path

import pytest

from conftest import unique_email

GALLERY = Path(os.environ.get("AUTHDESK_SCREENSHOTS", "docs/screenshots"))


def dialogs_for(data_dir: Path) -> Path:
    files = data_dir.parent / f"{data_dir.name}-files"
    files.mkdir(parents=True, exist_ok=True)
    return files


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_back_up_and_restore(make_app, data_dir, theme):
    GALLERY.mkdir(parents=True, exist_ok=True)
    files = dialogs_for(data_dir)
    app = make_app(AUTHDESK_THEME=theme, AUTHDESK_TEST_DIALOGS=str(files))
    shot = lambda name: app.screenshot(GALLERY / f"{name}-{theme}.png")
    email = unique_email(f"backup-{theme}")
    app.sign_up(email)
    app.add_task("Kept by the backup")

    app.click("#nav-data")
    app.el("#data-title")
    app.click("#backup-now")
    app.wait_text("#backup-done", "Backed up")
    backup = next(files.glob("authdesk-backup-*.db"))
    assert backup.stat().st_mode & 0o777 == 0o600
    shot("your-data")

    # The tasks out as CSV, and that file counted back in: nothing new, one already here.
    app.click("#export-csv")
    app.wait_text("#export-done", "Saved to")
    exported = next(files.glob("authdesk-export-*.csv"))
    assert "Kept by the backup" in exported.read_text()
    (files / "open").write_text(str(exported))
    app.click("#import-choose")
    app.wait_text("#import-counts", "0 new · 1 already here · 0 in conflict")
    shot("import-preview")
    app.click("#import-cancel")
    app.el("#import-choose")

    app.click("#nav-dashboard")
    app.add_task("Added after the backup")
    app.click("#nav-data")
    (files / "open").write_text(str(backup))
    app.click("#restore-choose")
    app.wait_text("#restore-preview", "1 account,")
    shot("restore-preview")
    app.click("#restore-confirm")
    app.wait_text("#notice", "Restored from the backup")
    app.sign_in(email)
    app.wait_text("#user-email", email, timeout=20)
    app.wait_for(lambda d: app.task_titles() == ["Kept by the backup"], message=f"tasks after restore: {app.task_titles()}")


@pytest.mark.skipif(not os.environ.get("AUTHDESK_REMOTE_URL"), reason="no remote server (AUTHDESK_REMOTE_URL)")
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_move_to_a_team_server(make_app, data_dir, theme):
    url = os.environ["AUTHDESK_REMOTE_URL"].rstrip("/")
    app = make_app(AUTHDESK_THEME=theme)
    shot = lambda name: app.screenshot(GALLERY / f"{name}-{theme}.png")
    email = unique_email(f"move-{theme}")
    app.sign_up(email)
    titles = ["Water the plants", "Book the train", "Call Bo"]
    for title in titles:
        app.add_task(title)

    app.click("#nav-data")
    app.type("#move-url", url)
    shot("move-to-team")
    app.click("#move-start")
    app.wait_text("#server", url)
    app.sign_up(email)
    app.wait_text("#move-waiting", "waiting to go to")
    app.click("#move-resume")
    app.wait_text("#move-done", "Your tasks are on", timeout=30)
    app.wait_text("#move-counts", "3 of 3")
    shot("move-done")
    app.click("#move-keep")
    app.gone("#move-progress-section")
    app.click("#nav-dashboard")
    app.wait_for(lambda d: sorted(app.task_titles()) == sorted(titles), timeout=20, message=f"tasks on the team server: {app.task_titles()}")
