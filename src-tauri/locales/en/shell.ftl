# The titles and filters of the shell's file dialogs.
dialog-backup = authdesk backup
dialog-export = Export your data
dialog-import = Import tasks
filter-backup = authdesk backup
filter-import = authdesk export or CSV

# Single sign-on: the browser tab once it is back, and why a sign-in was refused.
sso-page-done = You are signed in to authdesk. You can close this window and return to the app.
sso-page-failed = The sign-in did not finish. Return to authdesk to see why.
sso-page-not-ours = This is not a sign-in this app started.
sso-timed-out = The browser did not come back within five minutes. Please try again.
sso-refused-cancelled = The sign-in was cancelled at the provider.
sso-refused-email-not-verified = Your provider has not verified your email address, and an account here already uses it. Sign in with your password, or ask your provider's administrator to verify the address.
sso-refused-registration-closed = This server does not let your address join. Ask its administrator for an invitation.
sso-refused-account-disabled = This account is disabled.
sso-refused-other = The sign-in could not be completed. Please try again.

# Signing out while changes have not reached the server.
sign-out-changes-waiting = { $count ->
    [one] 1 change has not reached { $server } yet. Signing out now discards it.
   *[other] { $count } changes have not reached { $server } yet. Signing out now discards them.
}
