# Errors, worded from what went wrong (the server's code, or the rule that was broken).

error-unreachable = Cannot reach { $server }. Check the address and your connection.
error-connection-lost = The connection to the server was lost. Try again.
error-validation = Some of what you entered is not valid. Check it and try again.
error-weak-password = This password does not meet the password rules.
error-breached-password = This password has appeared in a data breach; choose another.
error-email-taken = Email already registered
error-invalid-credentials = Invalid email or password
error-wrong-password = Password is incorrect
error-not-authenticated = Please sign in.
error-session-expired = Your session has expired — please sign in again.
error-session-revoked = This session has been signed out. Please sign in again.
error-refresh-token-reused = This session was signed out for safety, because its sign-in was used twice. Please sign in again.
error-mfa-required = Enter the code from your authenticator app.
error-invalid-code = Invalid or expired code
error-code-required = Enter a code from your authenticator app or one of your recovery codes.
error-mfa-expired = The sign-in expired. Please sign in again.
error-mfa-already-enabled = Two-factor authentication is already on.
error-mfa-not-enabled = Two-factor authentication is off.
error-mfa-not-set-up = Set up two-factor authentication first.
error-invalid-reset-code = Invalid or expired code
error-account-disabled = This account is disabled
error-email-not-verified = Your email address is not verified yet. Enter the code we sent you.
error-invitation-required = Registration requires an invitation
error-invalid-invitation = This invitation code is wrong, used or expired.
error-domain-not-allowed = Registration is not open for this email address.
error-sso-failed = The single sign-on did not complete. Start it again from the app.
error-admin-required = This needs an administrator.
error-not-allowed = You cannot do that to your own account.
error-not-found = It is no longer there: it may have been removed elsewhere.
error-conflict = It already exists.
error-version-conflict = It was changed elsewhere in the meantime. Look at the current version and try again.
error-sync-restart = The list has to be loaded again from the server.
error-rate-limited = Too many attempts.
error-locked-out = Too many failed attempts for this account: it is paused for a while.
error-payload-too-large = That is too large for the server.
error-server-mismatch = The server did not understand the app. Is it an authdesk server of a matching version?
error-busy = The server is busy. Try again in a moment.
error-unavailable = The server is unavailable at the moment. Try again shortly.
error-internal = Something went wrong on the server. Try again; if it keeps happening, tell the server's administrator.

# The password rules, as errors and as the checklist.
password-rule-min-length = At least 8 characters
password-rule-max-length = At most 128 characters
password-rule-uppercase = An uppercase letter
password-rule-lowercase = A lowercase letter
password-rule-digit = A number
password-rule-special = A special character (!@#$%^&* …)

password-error-min-length = Password must be at least 8 characters long
password-error-max-length = Password must not exceed 128 characters
password-error-uppercase = Password must contain at least one uppercase letter
password-error-lowercase = Password must contain at least one lowercase letter
password-error-digit = Password must contain at least one number
password-error-special = Password must contain at least one special character

email-error-empty = Email is required
email-error-too-long = The email address is too long (at most 254 characters).
email-error-invalid-format = Invalid email format
email-error-lookalike = Email must not mix alphabets or contain invisible characters
