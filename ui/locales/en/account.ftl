# Settings: the screen, the server, the language and About.
settings-title = Settings
settings-loading = Loading settings…
settings-server-legend = Server
settings-embedded = Embedded
settings-embedded-hint = The server runs inside this app; data stays on this computer.
settings-remote = Remote
settings-remote-hint = An authdesk server elsewhere (https://, or http:// on this computer).
settings-remote-url = Server URL
settings-health = Connected: { $status ->
    [healthy] healthy
    [unhealthy] unhealthy
   *[other] { $status }
} · database { $database } · server version { $version }
settings-saved = Saved.
settings-test-connection = Test connection
settings-testing = Testing…
settings-save = Save
settings-saving = Saving…
settings-back = Back
settings-server-changed = Server changed to { $server }. Please sign in.
settings-server-changed-warning = Server changed to { $server }. { $warning }
settings-language-legend = Language
settings-language-label = Language
settings-language-system = Same as the system
settings-language-hint = Dates and numbers follow the language too.
settings-language-changed = Language changed
settings-about = About
settings-about-version = Version
settings-about-data-folder = Data folder
settings-about-server = Current server

# Settings → Account: the password, the sessions, deleting the account.
account-title = Account
account-token-storage = This device stays signed in with a refresh token.
account-token-in-keychain = This device stays signed in with a refresh token kept in the system keychain. The access token stays in memory.
account-token-in-data-folder = This device stays signed in with a refresh token kept in the app's data folder, readable only by you. The access token stays in memory.
account-change-password = Change password
account-current-password = Current password
account-new-password = New password
account-current-password-missing = Enter your current password
account-password-changed = Password changed. Other sessions have been signed out.
account-changing = Changing…
account-sessions-heading = Active sessions
account-sessions-loading = Loading sessions…
account-sessions-empty = No active sessions.
account-session-ended = Signed out that session.
account-sessions-others-ended = { $count ->
    [0] No other session was signed in.
    [one] Signed out { $count } other session.
   *[other] Signed out { $count } other sessions.
}
account-sign-out-others = Sign out everywhere else
account-session-times = Last used { $last_used } · signed in { $signed_in }
account-session-this-device = This device
account-session-sign-out = Sign out
account-session-sign-out-label = Sign out { $session }
account-delete = Delete account
account-delete-warning = This deletes the account and all its tasks on the server, for good.
account-password = Password
account-delete-password-missing = Enter your password to delete the account
account-deleted = Your account has been deleted.
account-deleting = Deleting…

# Settings → Account → Two-factor authentication.
two-factor-heading = Two-factor authentication
two-factor-loading = Loading…
two-factor-on = On
two-factor-on-status = Sign-in asks for a code from your authenticator app.
two-factor-codes-left = { $count ->
    [one] { $count } recovery code left.
   *[other] { $count } recovery codes left.
}
two-factor-off = Off
two-factor-off-status = Turn it on to ask for a code from an authenticator app (such as Aegis, Google Authenticator or 1Password) at every sign-in.
two-factor-set-up = Set up two-factor
two-factor-preparing = Preparing…
two-factor-setup-password-missing = Enter your password to set up two-factor authentication
two-factor-scan = 1. Scan this QR code with your authenticator app, or type the key into it.
two-factor-qr-label = QR code of the two-factor key
two-factor-key = Key
two-factor-key-details = Account: authdesk · time-based · 6 digits
two-factor-code-prompt = 2. Enter the 6-digit code the app shows
two-factor-enroll-code-missing = Enter the 6-digit code your app shows
two-factor-enable-hint = Turning it on signs out your other devices; they sign in again with a code.
two-factor-turn-on = Turn on
two-factor-checking = Checking…
two-factor-cancel = Cancel
two-factor-enabled = Two-factor authentication is on. Your other devices were signed out.
two-factor-save-codes = Save these recovery codes now.
two-factor-save-codes-why = Each signs you in once if you lose your authenticator app. They are not shown again.
two-factor-copied = Copied to the clipboard.
two-factor-copy-failed = Could not copy: select the codes and copy them by hand.
two-factor-saved-to = Saved to { $path }
two-factor-copy = Copy
two-factor-save-to-file = Save to file
two-factor-codes-done = I have saved them
two-factor-regenerate-heading = New recovery codes
two-factor-regenerate-hint = Makes ten new codes; the old ones stop working.
two-factor-code-label = Code from your app, or a recovery code
two-factor-regenerate-password-missing = Enter your password to make new recovery codes
two-factor-code-missing = Enter a code from your app or a recovery code
two-factor-regenerate = Make new codes
two-factor-making = Making…
two-factor-turn-off-heading = Turn off
two-factor-password-missing = Enter your password
two-factor-turn-off = Turn off two-factor
two-factor-turning-off = Turning off…
