# Wörter, die alle Bildschirme teilen.
window-title = { $screen } · authdesk
app-starting = authdesk startet …
action-retry = Erneut versuchen
error-retry-after = { $seconds ->
    [one] Sie können es in { $seconds } Sekunde erneut versuchen.
   *[other] Sie können es in { $seconds } Sekunden erneut versuchen.
}
server-embedded = Eingebetteter Server (dieser Computer)
signed-out-not-on-server = Auf diesem Computer abgemeldet, aber der Server konnte nicht angewiesen werden, die Sitzung zu beenden. Sie endet von selbst, wenn sie so lange nicht genutzt wird, wie eine Anmeldung auf dem Server gilt (standardmäßig 30 Tage), oder melden Sie sich von einem anderen Gerät aus überall ab.
