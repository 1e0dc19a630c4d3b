# Der Rahmen des Fensters: die Hauptnavigation.
nav-main = Hauptnavigation
nav-tasks = Aufgaben
nav-sign-in = Anmelden
nav-your-data = Ihre Daten
nav-administration = Verwaltung
nav-settings = Einstellungen

# Der Synchronisierungsstand in der Kopfzeile (Remote-Modus).
sync-synced = Synchronisiert
sync-syncing = Wird synchronisiert …
sync-syncing-waiting = { $count ->
    [one] Wird synchronisiert … – { $count } Änderung wartet
   *[other] Wird synchronisiert … – { $count } Änderungen warten
}
sync-offline = Offline
sync-offline-waiting = { $count ->
    [one] Offline – { $count } Änderung wartet
   *[other] Offline – { $count } Änderungen warten
}
sync-failed = Nicht synchronisiert: { $message }
sync-failed-waiting = { $count ->
    [one] Nicht synchronisiert: { $message } – { $count } Änderung wartet
   *[other] Nicht synchronisiert: { $message } – { $count } Änderungen warten
}

# Die Warnung, wenn das Fenster geschlossen wird, während Änderungen warten.
leave-title = Es warten noch Änderungen
leave-text = { $count ->
    [one] { $count } Änderung hat den Server noch nicht erreicht. Sie bleibt auf diesem Computer und wird gesendet, wenn authdesk das nächste Mal geöffnet wird und der Server antwortet.
   *[other] { $count } Änderungen haben den Server noch nicht erreicht. Sie bleiben auf diesem Computer und werden gesendet, wenn authdesk das nächste Mal geöffnet wird und der Server antwortet.
}
leave-stay = Nicht schließen
leave-close-anyway = Trotzdem schließen

# Auf dem Anmeldebildschirm: Änderungen abgemeldeter Konten, die auf den Server warten.
waiting-changes-count = { $count ->
    [one] { $count } Änderung
   *[other] { $count } Änderungen
}
waiting-changes-text = { $count ->
    [one] von { $email } auf diesem Computer hat den Server noch nicht erreicht. Melden Sie sich als { $email } an, um sie zu senden.
   *[other] von { $email } auf diesem Computer haben den Server noch nicht erreicht. Melden Sie sich als { $email } an, um sie zu senden.
}
waiting-changes-cannot-undo = Das Verwerfen kann nicht rückgängig gemacht werden.
waiting-changes-keep = Behalten
waiting-changes-discard-confirm = { $count ->
    [one] { $count } Änderung verwerfen
   *[other] { $count } Änderungen verwerfen
}
waiting-changes-discard = Verwerfen …

# Die Übersicht: die Aufgaben, hinzufügen und suchen, und abmelden.
tasks-title = Aufgaben
tasks-heading = Ihre Aufgaben
tasks-signed-in-as = Angemeldet als
tasks-last-sign-in = letzte Anmeldung
tasks-first-sign-in = dies ist Ihre erste Anmeldung
tasks-sign-out = Abmelden
tasks-signing-out = Wird abgemeldet …
tasks-signed-out = Sie haben sich abgemeldet.
tasks-unsent-title = Noch nicht gesendete Änderungen
tasks-stay-signed-in = Angemeldet bleiben
tasks-discard-and-sign-out = Verwerfen und abmelden
tasks-new-task = Neue Aufgabe
tasks-new-task-placeholder = Was ist zu tun?
tasks-add = Hinzufügen
tasks-adding = Wird hinzugefügt …
tasks-added = „{ $title }“ hinzugefügt
tasks-title-empty = Der Titel darf nicht leer sein
tasks-title-control-characters = Der Titel darf keine Steuerzeichen enthalten
tasks-title-too-long = Der Titel darf höchstens 200 Zeichen lang sein
tasks-loading = Ihre Aufgaben werden geladen …
tasks-empty = Noch nichts zu tun
tasks-empty-hint = Fügen Sie oben Ihre erste Aufgabe hinzu.
tasks-count = { $open } offen · { $total } insgesamt
tasks-search = Aufgaben durchsuchen
tasks-no-match = Keine Aufgabe passt zu „{ $search }“.
tasks-list = Aufgaben

# Eine Aufgabe in der Liste der Übersicht.
task-toggle = Erledigt: { $title }
task-done = „{ $title }“ erledigt
task-not-done = „{ $title }“ nicht erledigt
task-rename = Umbenennen
task-rename-label = { $title } umbenennen
task-rename-field = Aufgabe umbenennen
task-renamed = Umbenannt in „{ $title }“
task-delete = Löschen
task-delete-label = { $title } löschen
task-deleted = „{ $title }“ gelöscht
