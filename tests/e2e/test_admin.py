"""Administration, end to end through the real window: an administrator (made one with
`authdesk-server admin users grant-admin` on the app's own database, as the person at this computer
would) finds an account, disables it, sees it in the audit log, and enables it again."""

import os
import subprocess

from conftest import unique_email


def admin_command(data_dir, *args):
    """`authdesk-server admin …` on the embedded server's database, with a deadline."""
    database = data_dir / "authdesk.db"
    return subprocess.run(
        [os.environ["AUTHDESK_SERVER_BIN"], "admin", *args, "--database-url", f"sqlite:{database}"],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout


def make_admin(app, data_dir, email):
    """Grants the role, then opens the app again so the window knows it (no sign-in: the embedded
    server's five a minute are the story's)."""
    admin_command(data_dir, "users", "grant-admin", email)
    app.relaunch()
    app.wait_text("#user-email", email, timeout=20)
    app.el("#nav-admin")


def test_an_administrator_disables_an_account_and_reads_the_audit_log(app, data_dir):
    other = unique_email("member")
    app.sign_up(other)
    app.sign_out()
    admin = unique_email("admin")
    app.click("#to-signup")
    app.sign_up(admin)
    assert not app.els("#nav-admin"), "only administrators see the page"
    make_admin(app, data_dir, admin)

    app.click("#nav-admin")
    app.el("#admin-title")
    app.wait_for(lambda d: len(app.els("#admin-users li.admin-user")) == 2, message="both accounts listed")
    app.type("#admin-search", other.split("@")[0])
    app.click("#admin-search-submit")
    app.wait_for(lambda d: [li.get_attribute("data-email") for li in app.els("#admin-users li.admin-user")] == [other])

    row = f'#admin-users li.admin-user[data-email="{other}"]'
    app.el(f"{row} .admin-toggle").click()
    app.wait_text("#admin-note", f"{other}: disabled")
    app.wait_for(lambda d: app.el(row).get_attribute("data-disabled") == "true")

    # The audit log, filtered to that account.
    app.el(f"{row} .admin-events").click()
    app.wait_text("#audit-user", other)
    app.wait_for(lambda d: app.els('#audit-events li[data-type="admin_user_disabled"]'), message="no disable event")
    kinds = [li.get_attribute("data-type") for li in app.els("#audit-events li")]
    assert kinds[0] == "admin_user_disabled" and "registered" in kinds, kinds

    # The disabled account cannot sign in, with its right password.
    app.click("#nav-dashboard")
    app.sign_out()
    app.sign_in(other)
    app.wait_text("#error", "This account is disabled")
    assert not app.els("#user-email"), "still on the sign-in screen"

    # Its administrator enables it again; now it can.
    app.sign_in(admin)
    app.wait_text("#user-email", admin)
    app.click("#nav-admin")
    app.el("#admin-title")
    app.type("#admin-search", other.split("@")[0])
    app.click("#admin-search-submit")
    app.wait_for(lambda d: app.els(row) and app.el(row).get_attribute("data-disabled") == "true")
    app.el(f"{row} .admin-toggle").click()
    app.wait_text("#admin-note", f"{other}: enabled")
    assert "admin_user_enabled" in admin_command(data_dir, "audit", "--user", other)
    # Disabling ended its sessions; ending them again finds none, and says so.
    app.el(f"{row} .admin-end-sessions").click()
    app.wait_text("#admin-note", "Signed out of 0 sessions")
    app.click("#nav-dashboard")
    app.sign_out()
    app.sign_in(other)
    app.wait_text("#user-email", other)
    assert not app.els("#nav-admin"), "a member sees no Administration link"
