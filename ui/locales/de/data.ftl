# Ihre Daten (der Bildschirm)
data-title = Ihre Daten
data-intro = Ihre Aufgaben gehören Ihnen: Behalten Sie eine Kopie, nehmen Sie sie mit, bringen Sie sie zurück.
data-loading = Wird geladen …
data-cancel = Abbrechen

# Ihre Daten: Export
data-export-heading = Export
data-export-about = JSON: Ihr Konto, Ihre Aufgaben, Sitzungen und Ihre eigenen Aktivitäten, so wie der Server sie speichert (niemals ein Passwort oder einen Code). CSV: die Aufgaben, für eine Tabellenkalkulation.
data-export-json = JSON exportieren …
data-export-csv = CSV exportieren …
data-exporting = Wird exportiert …
data-export-saved = Gespeichert unter { $file }

# Ihre Daten: Import (title, id, completed und created_at sind die Spaltennamen der CSV-Datei)
data-import-heading = Import
data-import-about = Ein authdesk-Export oder eine CSV-Datei mit einer Spalte title (und id, completed, created_at, falls vorhanden).
data-import-counts = { $new } neu · { $already } bereits vorhanden · { $conflicts } im Konflikt (bleiben, wie sie sind)
data-importing = Wird importiert …
data-import-confirm = { $count ->
    [one] { $count } Aufgabe importieren
   *[other] { $count } Aufgaben importieren
}
data-import-choose = Datei auswählen …
data-import-done = { $created ->
    [one] { $created } Aufgabe importiert
   *[other] { $created } Aufgaben importiert
} ({ $unchanged } bereits vorhanden, { $conflicts } im Konflikt).
data-import-queued = { $count ->
    [one] Sie wird mit der nächsten Synchronisierung an den Server übertragen.
   *[other] Sie werden mit der nächsten Synchronisierung an den Server übertragen.
}

# Ihre Daten: Sicherungen (der Ordner als Code zwischen den beiden Teilen des Satzes)
data-restored = Aus der Sicherung wiederhergestellt. Bitte melden Sie sich an.
data-backups-heading = Sicherungen
data-backups-where-before = Einmal täglich wird eine Kopie der Datenbank dieses Computers erstellt; die letzten 7 werden in{ " " }
data-backups-where-after = { " " }aufbewahrt.
data-backup-problem = Die letzte automatische Sicherung ist fehlgeschlagen: { $problem }
data-no-backups = Noch keine automatische Sicherung.
data-backup-entry = { $when } · { $size } KiB
data-backup-restore-label = Sicherung vom { $when } wiederherstellen
data-backup-restore = Wiederherstellen …
data-restore-preview = { $file } wiederherstellen: { $accounts ->
    [one] { $accounts } Konto
   *[other] { $accounts } Konten
}, { $tasks ->
    [one] { $tasks } Aufgabe
   *[other] { $tasks } Aufgaben
}.
data-restore-warning = Alles in der Datenbank dieser App wird ersetzt; die Datenbank, wie sie jetzt ist, wird daneben aufbewahrt. Sie melden sich danach erneut an.
data-restoring = Wird wiederhergestellt …
data-restore-confirm = Wiederherstellen
data-back-up-now = Jetzt sichern …
data-backing-up = Wird gesichert …
data-restore-from-file = Aus einer Datei wiederherstellen …
data-backup-done = { $count ->
    [one] { $count } Aufgabe in { $file } gesichert
   *[other] { $count } Aufgaben in { $file } gesichert
}

# Ihre Daten: der Umzug auf einen Team-Server
data-move-started = Jetzt mit { $server } verbunden. Melden Sie sich dort an oder erstellen Sie dort Ihr Konto, um Ihre Aufgaben hochzuladen.
data-move-heading = Auf einen Team-Server umziehen
data-move-about = Ihre Aufgaben werden mit ihren IDs und Datumsangaben in Ihr Konto auf dem Team-Server übertragen. Die Datenbank dieses Computers bleibt erhalten, bis Sie sie entfernen.
data-move-url-label = Team-Server
data-move-start = Umziehen …
data-move-checking = Server wird geprüft …
data-moving-heading = Umzug auf { $server }
data-move-progress-label = Hochgeladene Aufgaben
data-move-counts = { $uploaded } von { $total ->
    [one] { $total } Aufgabe
   *[other] { $total } Aufgaben
} hochgeladen
data-move-continue = Fortsetzen
data-move-done = Ihre Aufgaben sind jetzt auf { $server }.
data-move-refused = Der Server hat diese Aufgaben abgelehnt; sie bleiben in der Datenbank dieses Computers:
data-move-remove-local = Datenbank dieses Computers entfernen
data-move-keep = Behalten und schließen
data-move-waiting = Ihre Aufgaben von diesem Computer warten darauf, auf { $server } übertragen zu werden ({ $uploaded } von { $total } hochgeladen).
data-move-resume = Umzug fortsetzen
