# Configuración: la pantalla, el servidor, el idioma y Acerca de.
settings-title = Configuración
settings-loading = Cargando la configuración…
settings-server-legend = Servidor
settings-embedded = Integrado
settings-embedded-hint = El servidor funciona dentro de esta aplicación; los datos se quedan en este equipo.
settings-remote = Remoto
settings-remote-hint = Un servidor authdesk en otro lugar (https://, o http:// en este equipo).
settings-remote-url = URL del servidor
settings-health = Conectado: { $status ->
    [healthy] en buen estado
    [unhealthy] con problemas
   *[other] { $status }
} · base de datos { $database } · versión del servidor { $version }
settings-saved = Guardado.
settings-test-connection = Probar la conexión
settings-testing = Probando…
settings-save = Guardar
settings-saving = Guardando…
settings-back = Volver
settings-server-changed = Servidor cambiado a { $server }. Inicie sesión.
settings-server-changed-warning = Servidor cambiado a { $server }. { $warning }
settings-language-legend = Idioma
settings-language-label = Idioma
settings-language-system = El mismo que el sistema
settings-language-hint = Las fechas y los números también siguen el idioma.
settings-language-changed = Idioma cambiado
settings-about = Acerca de
settings-about-version = Versión
settings-about-data-folder = Carpeta de datos
settings-about-server = Servidor actual

# Configuración → Cuenta: la contraseña, las sesiones, eliminar la cuenta.
account-title = Cuenta
account-token-storage = Este dispositivo mantiene la sesión iniciada con un token de actualización.
account-token-in-keychain = Este dispositivo mantiene la sesión iniciada con un token de actualización guardado en el llavero del sistema. El token de acceso se queda en la memoria.
account-token-in-data-folder = Este dispositivo mantiene la sesión iniciada con un token de actualización guardado en la carpeta de datos de la aplicación, que solo usted puede leer. El token de acceso se queda en la memoria.
account-change-password = Cambiar la contraseña
account-current-password = Contraseña actual
account-new-password = Contraseña nueva
account-current-password-missing = Introduzca su contraseña actual.
account-password-changed = Contraseña cambiada. Se cerraron las demás sesiones.
account-changing = Cambiando…
account-sessions-heading = Sesiones activas
account-sessions-loading = Cargando las sesiones…
account-sessions-empty = No hay sesiones activas.
account-session-ended = Se cerró esa sesión.
account-sessions-others-ended = { $count ->
    [0] No había ninguna otra sesión iniciada.
    [one] Se cerró { $count } otra sesión.
   *[other] Se cerraron { $count } otras sesiones.
}
account-sign-out-others = Cerrar sesión en todos los demás sitios
account-session-times = Último uso { $last_used } · sesión iniciada { $signed_in }
account-session-this-device = Este dispositivo
account-session-sign-out = Cerrar sesión
account-session-sign-out-label = Cerrar la sesión { $session }
account-delete = Eliminar la cuenta
account-delete-warning = Esto elimina la cuenta y todas sus tareas del servidor, para siempre.
account-password = Contraseña
account-delete-password-missing = Introduzca su contraseña para eliminar la cuenta.
account-deleted = Su cuenta se ha eliminado.
account-deleting = Eliminando…

# Configuración → Cuenta → Verificación en dos pasos.
two-factor-heading = Verificación en dos pasos
two-factor-loading = Cargando…
two-factor-on = Activada
two-factor-on-status = Al iniciar sesión se pide un código de su aplicación de autenticación.
two-factor-codes-left = { $count ->
    [one] Queda { $count } código de recuperación.
   *[other] Quedan { $count } códigos de recuperación.
}
two-factor-off = Desactivada
two-factor-off-status = Actívela para que se pida un código de una aplicación de autenticación (como Aegis, Google Authenticator o 1Password) en cada inicio de sesión.
two-factor-set-up = Configurar la verificación en dos pasos
two-factor-preparing = Preparando…
two-factor-setup-password-missing = Introduzca su contraseña para configurar la verificación en dos pasos.
two-factor-scan = 1. Escanee este código QR con su aplicación de autenticación, o escriba la clave en ella.
two-factor-qr-label = Código QR de la clave de verificación en dos pasos
two-factor-key = Clave
two-factor-key-details = Cuenta: authdesk · basada en el tiempo · 6 dígitos
two-factor-code-prompt = 2. Introduzca el código de 6 dígitos que muestra la aplicación
two-factor-enroll-code-missing = Introduzca el código de 6 dígitos que muestra su aplicación.
two-factor-enable-hint = Al activarla se cierra la sesión en sus otros dispositivos; volverán a iniciar sesión con un código.
two-factor-turn-on = Activar
two-factor-checking = Comprobando…
two-factor-cancel = Cancelar
two-factor-enabled = La verificación en dos pasos está activada. Se cerró la sesión en sus otros dispositivos.
two-factor-save-codes = Guarde ahora estos códigos de recuperación.
two-factor-save-codes-why = Cada uno le permite iniciar sesión una vez si pierde su aplicación de autenticación. No se volverán a mostrar.
two-factor-copied = Copiado al portapapeles.
two-factor-copy-failed = No se pudo copiar: seleccione los códigos y cópielos a mano.
two-factor-saved-to = Guardado en { $path }
two-factor-copy = Copiar
two-factor-save-to-file = Guardar en un archivo
two-factor-codes-done = Ya los he guardado
two-factor-regenerate-heading = Nuevos códigos de recuperación
two-factor-regenerate-hint = Genera diez códigos nuevos; los anteriores dejan de funcionar.
two-factor-code-label = Código de su aplicación, o un código de recuperación
two-factor-regenerate-password-missing = Introduzca su contraseña para generar nuevos códigos de recuperación.
two-factor-code-missing = Introduzca un código de su aplicación o un código de recuperación.
two-factor-regenerate = Generar nuevos códigos
two-factor-making = Generando…
two-factor-turn-off-heading = Desactivar
two-factor-password-missing = Introduzca su contraseña.
two-factor-turn-off = Desactivar la verificación en dos pasos
two-factor-turning-off = Desactivando…
