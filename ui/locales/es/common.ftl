# Palabras que comparten todas las pantallas.
window-title = { $screen } · authdesk
app-starting = Iniciando authdesk…
action-retry = Reintentar
error-retry-after = { $seconds ->
    [one] Puede volver a intentarlo en { $seconds } segundo.
   *[other] Puede volver a intentarlo en { $seconds } segundos.
}
server-embedded = Servidor integrado (este equipo)
signed-out-not-on-server = Se cerró la sesión en este equipo, pero no se pudo pedir al servidor que terminara la sesión. Terminará sola cuando no se use durante la vigencia de inicio de sesión del servidor (30 días por defecto), o cierre la sesión en todas partes desde otro dispositivo.
