# Fehler, formuliert nach dem, was schiefging (dem Code des Servers oder der verletzten Regel).

error-unreachable = { $server } ist nicht erreichbar. Prüfen Sie die Adresse und Ihre Verbindung.
error-connection-lost = Die Verbindung zum Server wurde unterbrochen. Versuchen Sie es erneut.
error-validation = Einige Angaben sind ungültig. Prüfen Sie sie und versuchen Sie es erneut.
error-weak-password = Dieses Passwort erfüllt die Passwortregeln nicht.
error-breached-password = Dieses Passwort ist in einem Datenleck aufgetaucht; wählen Sie ein anderes.
error-email-taken = Diese E-Mail-Adresse ist bereits registriert.
error-invalid-credentials = E-Mail-Adresse oder Passwort ist falsch.
error-wrong-password = Das Passwort ist falsch.
error-not-authenticated = Bitte melden Sie sich an.
error-session-expired = Ihre Sitzung ist abgelaufen – bitte melden Sie sich erneut an.
error-session-revoked = Diese Sitzung wurde abgemeldet. Bitte melden Sie sich erneut an.
error-refresh-token-reused = Diese Sitzung wurde zur Sicherheit abgemeldet, weil ihre Anmeldung zweimal verwendet wurde. Bitte melden Sie sich erneut an.
error-mfa-required = Geben Sie den Code aus Ihrer Authenticator-App ein.
error-invalid-code = Ungültiger oder abgelaufener Code
error-code-required = Geben Sie einen Code aus Ihrer Authenticator-App oder einen Ihrer Wiederherstellungscodes ein.
error-mfa-expired = Die Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an.
error-mfa-already-enabled = Die Zwei-Faktor-Authentifizierung ist bereits eingeschaltet.
error-mfa-not-enabled = Die Zwei-Faktor-Authentifizierung ist ausgeschaltet.
error-mfa-not-set-up = Richten Sie zuerst die Zwei-Faktor-Authentifizierung ein.
error-invalid-reset-code = Ungültiger oder abgelaufener Code
error-account-disabled = Dieses Konto ist gesperrt.
error-email-not-verified = Ihre E-Mail-Adresse ist noch nicht bestätigt. Geben Sie den Code ein, den wir Ihnen geschickt haben.
error-invitation-required = Die Registrierung ist nur mit einer Einladung möglich.
error-invalid-invitation = Dieser Einladungscode ist falsch, verbraucht oder abgelaufen.
error-domain-not-allowed = Für diese E-Mail-Adresse ist die Registrierung nicht geöffnet.
error-sso-failed = Die Einmalanmeldung wurde nicht abgeschlossen. Starten Sie sie erneut in der App.
error-admin-required = Dafür sind Administratorrechte nötig.
error-not-allowed = Das können Sie mit Ihrem eigenen Konto nicht tun.
error-not-found = Das gibt es nicht mehr: Es wurde vielleicht anderswo entfernt.
error-conflict = Das gibt es bereits.
error-version-conflict = Das wurde inzwischen anderswo geändert. Sehen Sie sich die aktuelle Fassung an und versuchen Sie es erneut.
error-sync-restart = Die Liste muss erneut vom Server geladen werden.
error-rate-limited = Zu viele Versuche.
error-locked-out = Zu viele Fehlversuche für dieses Konto: Es ist eine Weile gesperrt.
error-payload-too-large = Das ist zu groß für den Server.
error-server-mismatch = Der Server hat die App nicht verstanden. Ist es ein authdesk-Server in passender Version?
error-busy = Der Server ist ausgelastet. Versuchen Sie es gleich noch einmal.
error-unavailable = Der Server ist gerade nicht verfügbar. Versuchen Sie es in Kürze erneut.
error-internal = Auf dem Server ist etwas schiefgegangen. Versuchen Sie es erneut; wenn es wieder passiert, wenden Sie sich an die Administration des Servers.

# Die Passwortregeln, als Fehler und als Checkliste.
password-rule-min-length = Mindestens 8 Zeichen
password-rule-max-length = Höchstens 128 Zeichen
password-rule-uppercase = Ein Großbuchstabe
password-rule-lowercase = Ein Kleinbuchstabe
password-rule-digit = Eine Ziffer
password-rule-special = Ein Sonderzeichen (!@#$%^&* …)

password-error-min-length = Das Passwort muss mindestens 8 Zeichen lang sein.
password-error-max-length = Das Passwort darf höchstens 128 Zeichen lang sein.
password-error-uppercase = Das Passwort muss mindestens einen Großbuchstaben enthalten.
password-error-lowercase = Das Passwort muss mindestens einen Kleinbuchstaben enthalten.
password-error-digit = Das Passwort muss mindestens eine Ziffer enthalten.
password-error-special = Das Passwort muss mindestens ein Sonderzeichen enthalten.

email-error-empty = Bitte geben Sie eine E-Mail-Adresse ein.
email-error-too-long = Die E-Mail-Adresse ist zu lang (höchstens 254 Zeichen).
email-error-invalid-format = Das ist keine gültige E-Mail-Adresse.
email-error-lookalike = Die E-Mail-Adresse darf keine Schriftsysteme mischen und keine unsichtbaren Zeichen enthalten.
