# Titel und Filter der Dateidialoge der App.
dialog-backup = authdesk-Sicherung
dialog-export = Ihre Daten exportieren
dialog-import = Aufgaben importieren
filter-backup = authdesk-Sicherung
filter-import = authdesk-Export oder CSV

# Einmalanmeldung: der Browser-Tab nach der Rückkehr und warum eine Anmeldung abgelehnt wurde.
sso-page-done = Sie sind bei authdesk angemeldet. Sie können dieses Fenster schließen und zur App zurückkehren.
sso-page-failed = Die Anmeldung wurde nicht abgeschlossen. Kehren Sie zu authdesk zurück, um den Grund zu sehen.
sso-page-not-ours = Diese Anmeldung wurde nicht von dieser App gestartet.
sso-timed-out = Der Browser ist nicht innerhalb von fünf Minuten zurückgekehrt. Bitte versuchen Sie es erneut.
sso-refused-cancelled = Die Anmeldung wurde beim Anbieter abgebrochen.
sso-refused-email-not-verified = Ihr Anbieter hat Ihre E-Mail-Adresse nicht bestätigt, und ein Konto hier verwendet sie bereits. Melden Sie sich mit Ihrem Passwort an, oder bitten Sie die Administration Ihres Anbieters, die Adresse zu bestätigen.
sso-refused-registration-closed = Dieser Server lässt Ihre Adresse nicht beitreten. Bitten Sie seine Administration um eine Einladung.
sso-refused-account-disabled = Dieses Konto ist gesperrt.
sso-refused-other = Die Anmeldung konnte nicht abgeschlossen werden. Bitte versuchen Sie es erneut.

# Abmelden, während Änderungen den Server noch nicht erreicht haben.
sign-out-changes-waiting = { $count ->
    [one] 1 Änderung hat { $server } noch nicht erreicht. Wenn Sie sich jetzt abmelden, wird sie verworfen.
   *[other] { $count } Änderungen haben { $server } noch nicht erreicht. Wenn Sie sich jetzt abmelden, werden sie verworfen.
}
