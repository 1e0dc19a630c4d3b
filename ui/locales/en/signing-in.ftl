# Sign in
sign-in-title = Sign in
sign-in-server = Server:
sign-in-server-unknown = unknown
sign-in-password = Password
sign-in-submit = Sign in
sign-in-submitting = Signing in…
sign-in-forgot-password = Forgot password?
sign-in-no-account = No account yet?
sign-in-create-account = Create one

# Sign in: the second step (a code from the authenticator app, or a recovery code)
sign-in-code-title = Two-step sign-in
sign-in-code-account-before = Signing in as
sign-in-code-account-after = .
sign-in-code-missing = Enter the 6-digit code from your app
sign-in-recovery-code-missing = Enter a recovery code
sign-in-recovery-code = Recovery code
sign-in-recovery-code-hint = One of the codes you saved when you turned two-factor on. Each works once.
sign-in-code = 6-digit code
sign-in-code-hint = Open your authenticator app and enter the code it shows for authdesk.
sign-in-code-help = Codes change every 30 seconds: use the one showing now, and check that this computer's clock is right.
sign-in-code-submit = Verify
sign-in-code-submitting = Checking…
sign-in-use-app = Use the authenticator app instead
sign-in-use-recovery-code = Use a recovery code instead
sign-in-start-over = Start over

# Single sign-on (on the sign-in screen of a team server)
sso-waiting = Continue in your browser: sign in with { $provider } there, then come back here.
sso-cancel = Cancel
sso-sign-in = Sign in with { $provider }
sso-divider = or with your email and password

# Sign up
sign-up-title = Create account
sign-up-heading = Create your account
sign-up-password = Password
sign-up-invitation-code = Invitation code
sign-up-invitation-hint = From your invitation email, or from your administrator.
sign-up-submit = Create account
sign-up-submitting = Creating account…
sign-up-have-account = Already have an account?
sign-up-sign-in = Sign in
sign-up-second-factor = Account created; sign in to continue
sign-up-mode-invite = This server registers by invitation: enter the code you were sent.
sign-up-mode-verified = We will email you a code to verify your address.
sign-up-domains = Only addresses ending in { $domains } can register here.

# Check your email (the mailed verification code)
verify-email-heading = Check your email
verify-email-sent-before = We sent an 8-digit code to
verify-email-sent-after = .
verify-email-unverified-before = Your address is not verified yet. Ask for a code, then enter it here:
verify-email-unverified-after = .
verify-email-code = Verification code
verify-email-hint = The code works for an hour; asking for a new one replaces it.
verify-email-help = That code is wrong, already used, replaced by a newer one or expired. Use the code in the newest email, or send a new one.
verify-email-submit = Verify and sign in
verify-email-submitting = Checking…
verify-email-resend = Send a new code
verify-email-resend-in = Send a new code (in { $seconds } s)
verify-email-start-over = Start over
verify-email-code-missing = Enter the 8-digit code from the email
verify-email-verified = Your address is verified. Sign in to continue.
verify-email-resent = If an unverified account exists for that address, a new code has been sent.

# Forgot password
forgot-password-title = Reset password
forgot-password-heading = Reset your password
forgot-password-loading = Loading…
forgot-password-code-sent = If an account exists for that address, a reset code has been sent.
forgot-password-check-inbox = Check your inbox (and spam folder); the code works for 30 minutes.
forgot-password-intro = Enter your account's email address and we'll send you a code to set a new password.
forgot-password-send-code = Send code
forgot-password-sending = Sending…
forgot-password-have-code = I already have a code
forgot-password-back = Back to sign in
forgot-password-embedded = This app's own server sends no mail. On this computer, get a code with:
forgot-password-embedded-source-before = From the authdesk source folder:
forgot-password-embedded-source-after = . The code works once, for 30 minutes.
forgot-password-code-missing = Enter the 8-digit code
forgot-password-reset-code = Reset code
forgot-password-new-password = New password
forgot-password-submit = Set new password
forgot-password-submitting = Saving…
forgot-password-done = Your password has been reset. Sign in with the new password.

# Form fields: email, password (with its Show button and the checklist of rules)
email-field-label = Email
email-field-problem = { $problem } — e.g. name@example.com
email-field-hint = We'll use it to sign you in.
password-field-show = Show
password-field-hide = Hide
password-field-show-label = Show password
password-field-hide-label = Hide password
password-checklist-label = Password requirements
password-checklist-met = (met)
password-checklist-not-met = (not met)
