# Títulos y filtros de los diálogos de archivos de la aplicación.
dialog-backup = Copia de seguridad de authdesk
dialog-export = Exportar sus datos
dialog-import = Importar tareas
filter-backup = Copia de seguridad de authdesk
filter-import = Exportación de authdesk o CSV

# Inicio de sesión único: la pestaña del navegador al volver y por qué se rechazó un inicio de sesión.
sso-page-done = Ha iniciado sesión en authdesk. Puede cerrar esta ventana y volver a la aplicación.
sso-page-failed = El inicio de sesión no terminó. Vuelva a authdesk para ver el motivo.
sso-page-not-ours = Este no es un inicio de sesión que haya iniciado esta aplicación.
sso-timed-out = El navegador no volvió en cinco minutos. Inténtelo de nuevo.
sso-refused-cancelled = El inicio de sesión se canceló en el proveedor.
sso-refused-email-not-verified = Su proveedor no ha verificado su correo electrónico y una cuenta de aquí ya lo usa. Inicie sesión con su contraseña o pida a quien administra su proveedor que verifique la dirección.
sso-refused-registration-closed = Este servidor no permite unirse con su dirección. Pida una invitación a quien lo administra.
sso-refused-account-disabled = Esta cuenta está desactivada.
sso-refused-other = No se pudo completar el inicio de sesión. Inténtelo de nuevo.

# Cerrar sesión mientras hay cambios que no han llegado al servidor.
sign-out-changes-waiting = { $count ->
    [one] 1 cambio aún no ha llegado a { $server }. Si cierra la sesión ahora, se descartará.
   *[other] { $count } cambios aún no han llegado a { $server }. Si cierra la sesión ahora, se descartarán.
}
