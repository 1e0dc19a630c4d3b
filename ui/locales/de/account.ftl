# Einstellungen: der Bildschirm, der Server, die Sprache und Info.
settings-title = Einstellungen
settings-loading = Einstellungen werden geladen …
settings-server-legend = Server
settings-embedded = Eingebettet
settings-embedded-hint = Der Server läuft in dieser App; die Daten bleiben auf diesem Computer.
settings-remote = Extern
settings-remote-hint = Ein authdesk-Server an anderer Stelle (https:// oder http:// auf diesem Computer).
settings-remote-url = Server-URL
settings-health = Verbunden: { $status ->
    [healthy] funktionsfähig
    [unhealthy] gestört
   *[other] { $status }
} · Datenbank { $database } · Serverversion { $version }
settings-saved = Gespeichert.
settings-test-connection = Verbindung testen
settings-testing = Wird getestet …
settings-save = Speichern
settings-saving = Wird gespeichert …
settings-back = Zurück
settings-server-changed = Server gewechselt zu { $server }. Bitte melden Sie sich an.
settings-server-changed-warning = Server gewechselt zu { $server }. { $warning }
settings-language-legend = Sprache
settings-language-label = Sprache
settings-language-system = Wie das System
settings-language-hint = Auch Datums- und Zahlenformate richten sich nach der Sprache.
settings-language-changed = Sprache geändert
settings-about = Info
settings-about-version = Version
settings-about-data-folder = Datenordner
settings-about-server = Aktueller Server

# Einstellungen → Konto: das Passwort, die Sitzungen, das Konto löschen.
account-title = Konto
account-token-storage = Dieses Gerät bleibt mit einem Aktualisierungstoken angemeldet.
account-token-in-keychain = Dieses Gerät bleibt mit einem Aktualisierungstoken angemeldet, das im Schlüsselbund des Systems aufbewahrt wird. Das Zugriffstoken bleibt im Arbeitsspeicher.
account-token-in-data-folder = Dieses Gerät bleibt mit einem Aktualisierungstoken angemeldet, das im Datenordner der App aufbewahrt wird, lesbar nur für Sie. Das Zugriffstoken bleibt im Arbeitsspeicher.
account-change-password = Passwort ändern
account-current-password = Aktuelles Passwort
account-new-password = Neues Passwort
account-current-password-missing = Geben Sie Ihr aktuelles Passwort ein.
account-password-changed = Passwort geändert. Ihre anderen Sitzungen wurden abgemeldet.
account-changing = Wird geändert …
account-sessions-heading = Aktive Sitzungen
account-sessions-loading = Sitzungen werden geladen …
account-sessions-empty = Keine aktiven Sitzungen.
account-session-ended = Diese Sitzung wurde abgemeldet.
account-sessions-others-ended = { $count ->
    [0] Es war keine andere Sitzung angemeldet.
    [one] { $count } andere Sitzung wurde abgemeldet.
   *[other] { $count } andere Sitzungen wurden abgemeldet.
}
account-sign-out-others = Überall sonst abmelden
account-session-times = Zuletzt verwendet { $last_used } · angemeldet { $signed_in }
account-session-this-device = Dieses Gerät
account-session-sign-out = Abmelden
account-session-sign-out-label = { $session } abmelden
account-delete = Konto löschen
account-delete-warning = Damit werden das Konto und alle seine Aufgaben auf dem Server endgültig gelöscht.
account-password = Passwort
account-delete-password-missing = Geben Sie Ihr Passwort ein, um das Konto zu löschen.
account-deleted = Ihr Konto wurde gelöscht.
account-deleting = Wird gelöscht …

# Einstellungen → Konto → Zwei-Faktor-Authentifizierung.
two-factor-heading = Zwei-Faktor-Authentifizierung
two-factor-loading = Wird geladen …
two-factor-on = Ein
two-factor-on-status = Bei der Anmeldung wird ein Code aus Ihrer Authentifizierungs-App abgefragt.
two-factor-codes-left = { $count ->
    [one] Noch { $count } Wiederherstellungscode übrig.
   *[other] Noch { $count } Wiederherstellungscodes übrig.
}
two-factor-off = Aus
two-factor-off-status = Schalten Sie sie ein, damit bei jeder Anmeldung ein Code aus einer Authentifizierungs-App (etwa Aegis, Google Authenticator oder 1Password) abgefragt wird.
two-factor-set-up = Zwei-Faktor-Authentifizierung einrichten
two-factor-preparing = Wird vorbereitet …
two-factor-setup-password-missing = Geben Sie Ihr Passwort ein, um die Zwei-Faktor-Authentifizierung einzurichten.
two-factor-scan = 1. Scannen Sie diesen QR-Code mit Ihrer Authentifizierungs-App oder geben Sie den Schlüssel dort ein.
two-factor-qr-label = QR-Code des Zwei-Faktor-Schlüssels
two-factor-key = Schlüssel
two-factor-key-details = Konto: authdesk · zeitbasiert · 6 Ziffern
two-factor-code-prompt = 2. Geben Sie den 6-stelligen Code ein, den die App anzeigt
two-factor-enroll-code-missing = Geben Sie den 6-stelligen Code ein, den Ihre App anzeigt.
two-factor-enable-hint = Beim Einschalten werden Ihre anderen Geräte abgemeldet; sie melden sich dann mit einem Code wieder an.
two-factor-turn-on = Einschalten
two-factor-checking = Wird geprüft …
two-factor-cancel = Abbrechen
two-factor-enabled = Die Zwei-Faktor-Authentifizierung ist eingeschaltet. Ihre anderen Geräte wurden abgemeldet.
two-factor-save-codes = Speichern Sie diese Wiederherstellungscodes jetzt.
two-factor-save-codes-why = Mit jedem Code können Sie sich einmal anmelden, falls Sie Ihre Authentifizierungs-App verlieren. Sie werden nicht noch einmal angezeigt.
two-factor-copied = In die Zwischenablage kopiert.
two-factor-copy-failed = Kopieren nicht möglich: Markieren Sie die Codes und kopieren Sie sie von Hand.
two-factor-saved-to = Gespeichert unter { $path }
two-factor-copy = Kopieren
two-factor-save-to-file = In Datei speichern
two-factor-codes-done = Ich habe sie gespeichert
two-factor-regenerate-heading = Neue Wiederherstellungscodes
two-factor-regenerate-hint = Erstellt zehn neue Codes; die alten funktionieren dann nicht mehr.
two-factor-code-label = Code aus Ihrer App oder ein Wiederherstellungscode
two-factor-regenerate-password-missing = Geben Sie Ihr Passwort ein, um neue Wiederherstellungscodes zu erstellen.
two-factor-code-missing = Geben Sie einen Code aus Ihrer App oder einen Wiederherstellungscode ein.
two-factor-regenerate = Neue Codes erstellen
two-factor-making = Wird erstellt …
two-factor-turn-off-heading = Ausschalten
two-factor-password-missing = Geben Sie Ihr Passwort ein.
two-factor-turn-off = Zwei-Faktor-Authentifizierung ausschalten
two-factor-turning-off = Wird ausgeschaltet …
