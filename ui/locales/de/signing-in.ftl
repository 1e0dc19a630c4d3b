# Anmelden
sign-in-title = Anmelden
sign-in-server = Server:
sign-in-server-unknown = unbekannt
sign-in-password = Passwort
sign-in-submit = Anmelden
sign-in-submitting = Anmeldung läuft …
sign-in-forgot-password = Passwort vergessen?
sign-in-no-account = Noch kein Konto?
sign-in-create-account = Jetzt erstellen

# Anmelden: der zweite Schritt (ein Code aus der Authenticator-App oder ein Wiederherstellungscode)
sign-in-code-title = Anmeldung in zwei Schritten
sign-in-code-account-before = Anmeldung als
sign-in-code-account-after = .
sign-in-code-missing = Geben Sie den 6-stelligen Code aus Ihrer App ein
sign-in-recovery-code-missing = Geben Sie einen Wiederherstellungscode ein
sign-in-recovery-code = Wiederherstellungscode
sign-in-recovery-code-hint = Einer der Codes, die Sie beim Einschalten der Zwei-Faktor-Authentifizierung gespeichert haben. Jeder funktioniert nur einmal.
sign-in-code = 6-stelliger Code
sign-in-code-hint = Öffnen Sie Ihre Authenticator-App und geben Sie den Code ein, den sie für authdesk anzeigt.
sign-in-code-help = Die Codes wechseln alle 30 Sekunden: Verwenden Sie den gerade angezeigten und prüfen Sie, ob die Uhr dieses Computers richtig geht.
sign-in-code-submit = Bestätigen
sign-in-code-submitting = Wird geprüft …
sign-in-use-app = Stattdessen die Authenticator-App verwenden
sign-in-use-recovery-code = Stattdessen einen Wiederherstellungscode verwenden
sign-in-start-over = Von vorn beginnen

# Single Sign-on (auf dem Anmeldebildschirm eines Team-Servers)
sso-waiting = Fahren Sie in Ihrem Browser fort: Melden Sie sich dort mit { $provider } an und kehren Sie dann hierher zurück.
sso-cancel = Abbrechen
sso-sign-in = Mit { $provider } anmelden
sso-divider = oder mit Ihrer E-Mail-Adresse und Ihrem Passwort

# Registrieren
sign-up-title = Konto erstellen
sign-up-heading = Erstellen Sie Ihr Konto
sign-up-password = Passwort
sign-up-invitation-code = Einladungscode
sign-up-invitation-hint = Aus Ihrer Einladungs-E-Mail oder von Ihrem Administrator.
sign-up-submit = Konto erstellen
sign-up-submitting = Konto wird erstellt …
sign-up-have-account = Sie haben bereits ein Konto?
sign-up-sign-in = Anmelden
sign-up-second-factor = Konto erstellt; melden Sie sich an, um fortzufahren
sign-up-mode-invite = Auf diesem Server registrieren Sie sich per Einladung: Geben Sie den Code ein, den Sie erhalten haben.
sign-up-mode-verified = Wir senden Ihnen per E-Mail einen Code, um Ihre Adresse zu bestätigen.
sign-up-domains = Hier können sich nur Adressen registrieren, die auf { $domains } enden.

# Prüfen Sie Ihre E-Mails (der zugesandte Bestätigungscode)
verify-email-heading = Prüfen Sie Ihre E-Mails
verify-email-sent-before = Wir haben einen 8-stelligen Code an
verify-email-sent-after = {" "}gesendet.
verify-email-unverified-before = Ihre Adresse ist noch nicht bestätigt. Fordern Sie einen Code an und geben Sie ihn hier ein:
verify-email-unverified-after = .
verify-email-code = Bestätigungscode
verify-email-hint = Der Code gilt eine Stunde lang; ein neu angeforderter Code ersetzt ihn.
verify-email-help = Dieser Code ist falsch, wurde schon verwendet, durch einen neueren ersetzt oder ist abgelaufen. Verwenden Sie den Code aus der neuesten E-Mail oder lassen Sie sich einen neuen senden.
verify-email-submit = Bestätigen und anmelden
verify-email-submitting = Wird geprüft …
verify-email-resend = Neuen Code senden
verify-email-resend-in = Neuen Code senden (in { $seconds } s)
verify-email-start-over = Von vorn beginnen
verify-email-code-missing = Geben Sie den 8-stelligen Code aus der E-Mail ein
verify-email-verified = Ihre Adresse ist bestätigt. Melden Sie sich an, um fortzufahren.
verify-email-resent = Falls für diese Adresse ein unbestätigtes Konto existiert, wurde ein neuer Code gesendet.

# Passwort vergessen
forgot-password-title = Passwort zurücksetzen
forgot-password-heading = Setzen Sie Ihr Passwort zurück
forgot-password-loading = Wird geladen …
forgot-password-code-sent = Falls für diese Adresse ein Konto existiert, wurde ein Code zum Zurücksetzen gesendet.
forgot-password-check-inbox = Sehen Sie in Ihrem Posteingang (und im Spam-Ordner) nach; der Code gilt 30 Minuten lang.
forgot-password-intro = Geben Sie die E-Mail-Adresse Ihres Kontos ein. Wir senden Ihnen dann einen Code, mit dem Sie ein neues Passwort festlegen können.
forgot-password-send-code = Code senden
forgot-password-sending = Wird gesendet …
forgot-password-have-code = Ich habe bereits einen Code
forgot-password-back = Zurück zur Anmeldung
forgot-password-embedded = Der eigene Server dieser App versendet keine E-Mails. Einen Code erhalten Sie auf diesem Computer mit:
forgot-password-embedded-source-before = Aus dem Quellordner von authdesk:
forgot-password-embedded-source-after = . Der Code funktioniert einmal, 30 Minuten lang.
forgot-password-code-missing = Geben Sie den 8-stelligen Code ein
forgot-password-reset-code = Code zum Zurücksetzen
forgot-password-new-password = Neues Passwort
forgot-password-submit = Neues Passwort festlegen
forgot-password-submitting = Wird gespeichert …
forgot-password-done = Ihr Passwort wurde zurückgesetzt. Melden Sie sich mit dem neuen Passwort an.

# Formularfelder: E-Mail, Passwort (mit der Schaltfläche „Anzeigen“ und der Liste der Regeln)
email-field-label = E-Mail
email-field-problem = { $problem } – z. B. name@example.com
email-field-hint = Damit melden Sie sich an.
password-field-show = Anzeigen
password-field-hide = Verbergen
password-field-show-label = Passwort anzeigen
password-field-hide-label = Passwort verbergen
password-checklist-label = Anforderungen an das Passwort
password-checklist-met = (erfüllt)
password-checklist-not-met = (nicht erfüllt)
