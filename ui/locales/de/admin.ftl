# Verwaltung (der Bildschirm)
admin-title = Verwaltung
admin-refused = Administratorzugriff erforderlich
admin-role-admin = Admin
admin-role-user = Benutzer

# Verwaltung: Konten
admin-users-heading = Konten
admin-search-placeholder = Nach E-Mail suchen
admin-search-label = Konten nach E-Mail-Adresse durchsuchen
admin-search-submit = Suchen
admin-user-disabled = { $email }: deaktiviert; alle Sitzungen wurden beendet.
admin-user-enabled = { $email }: aktiviert.
admin-sessions-ended = { $count ->
    [one] { $count } Sitzung beendet
   *[other] { $count } Sitzungen beendet
}
admin-users-loading = Konten werden geladen …
admin-users-empty = Keine passenden Konten.
admin-load-more = Mehr laden
admin-user-never = nie
admin-user-facts = Letzte Anmeldung: { $last } · registriert am { $joined }
admin-user-facts-verified = Letzte Anmeldung: { $last } · registriert am { $joined } · Adresse bestätigt
admin-user-status-disabled = Deaktiviert
admin-user-status-active = Aktiv
admin-user-enable = Aktivieren
admin-user-disable = Deaktivieren
admin-user-end-sessions = Sitzungen beenden
admin-user-events = Ereignisse

# Verwaltung: das Audit-Protokoll (Ereignistypen bleiben, wie sie sind: Sie sind Bezeichner)
admin-audit-heading = Audit-Protokoll
admin-audit-type = Typ
admin-audit-all-types = Alle Typen
admin-audit-since = Seit
admin-audit-clear-user = Ereignisse aller Konten anzeigen
admin-audit-loading = Ereignisse werden geladen …
admin-audit-empty = Keine Ereignisse entsprechen diesen Filtern.
admin-audit-outcome = { $outcome ->
    [success] Erfolg
    [failure] Fehlschlag
   *[other] { $outcome }
}
admin-audit-detail-none = keine

# Verwaltung: Einladungen (die Adresse fett zwischen den beiden Teilen der Meldung)
invitations-heading = Einladungen
invitations-email-label = Einzuladende Adresse
invitations-role-label = Rolle
invitations-role-option-user = Benutzer
invitations-role-option-admin = Administrator
invitations-invite = Einladen
invitations-inviting = Wird eingeladen …
invitations-made-before = Einladung für{ " " }
invitations-made-after = { " " }({ $role }), gültig bis { $until }. Der Code wird nur jetzt angezeigt:
invitations-copy = Kopieren
invitations-copied = Kopiert.
invitations-copy-failed = Kopieren nicht möglich: Markieren Sie den Code und kopieren Sie ihn.
invitations-loading = Einladungen werden geladen …
invitations-empty = Keine offenen Einladungen.
invitations-pending-facts = { $role } · läuft ab am { $expires }
invitations-revoke-label = Einladung für { $email } widerrufen
invitations-revoke = Widerrufen
