# Administración (la pantalla)
admin-title = Administración
admin-refused = Se requiere acceso de administrador
admin-role-admin = admin
admin-role-user = usuario

# Administración: cuentas
admin-users-heading = Cuentas
admin-search-placeholder = Buscar por correo electrónico
admin-search-label = Buscar cuentas por correo electrónico
admin-search-submit = Buscar
admin-user-disabled = { $email }: desactivada; se cerraron todas sus sesiones.
admin-user-enabled = { $email }: activada.
admin-sessions-ended = { $count ->
    [one] Se cerró { $count } sesión
   *[other] Se cerraron { $count } sesiones
}
admin-users-loading = Cargando cuentas…
admin-users-empty = Ninguna cuenta coincide.
admin-load-more = Cargar más
admin-user-never = nunca
admin-user-facts = Último inicio de sesión: { $last } · se unió el { $joined }
admin-user-facts-verified = Último inicio de sesión: { $last } · se unió el { $joined } · dirección verificada
admin-user-status-disabled = Desactivada
admin-user-status-active = Activa
admin-user-enable = Activar
admin-user-disable = Desactivar
admin-user-end-sessions = Cerrar sesiones
admin-user-events = Eventos

# Administración: el registro de auditoría (los tipos de evento se muestran tal cual: son identificadores)
admin-audit-heading = Registro de auditoría
admin-audit-type = Tipo
admin-audit-all-types = Todos los tipos
admin-audit-since = Desde
admin-audit-clear-user = Mostrar los eventos de todas las cuentas
admin-audit-loading = Cargando eventos…
admin-audit-empty = Ningún evento coincide con estos filtros.
admin-audit-outcome = { $outcome ->
    [success] éxito
    [failure] fallo
   *[other] { $outcome }
}
admin-audit-detail-none = ninguno

# Administración: invitaciones (la dirección en negrita entre las dos partes del aviso)
invitations-heading = Invitaciones
invitations-email-label = Dirección a invitar
invitations-role-label = Rol
invitations-role-option-user = Usuario
invitations-role-option-admin = Administrador
invitations-invite = Invitar
invitations-inviting = Invitando…
invitations-made-before = Invitación para{ " " }
invitations-made-after = { " " }({ $role }), válida hasta el { $until }. El código solo se muestra ahora:
invitations-copy = Copiar
invitations-copied = Copiado.
invitations-copy-failed = No se pudo copiar: seleccione el código y cópielo.
invitations-loading = Cargando invitaciones…
invitations-empty = No hay invitaciones pendientes.
invitations-pending-facts = { $role } · caduca el { $expires }
invitations-revoke-label = Revocar la invitación para { $email }
invitations-revoke = Revocar
