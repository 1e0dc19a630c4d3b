# El marco de la ventana: la navegación principal.
nav-main = Navegación principal
nav-tasks = Tareas
nav-sign-in = Iniciar sesión
nav-your-data = Sus datos
nav-administration = Administración
nav-settings = Configuración

# El estado de la sincronización en la cabecera (modo remoto).
sync-synced = Sincronizado
sync-syncing = Sincronizando…
sync-syncing-waiting = { $count ->
    [one] Sincronizando… — { $count } cambio pendiente
   *[other] Sincronizando… — { $count } cambios pendientes
}
sync-offline = Sin conexión
sync-offline-waiting = { $count ->
    [one] Sin conexión — { $count } cambio pendiente
   *[other] Sin conexión — { $count } cambios pendientes
}
sync-failed = No sincronizado: { $message }
sync-failed-waiting = { $count ->
    [one] No sincronizado: { $message } — { $count } cambio pendiente
   *[other] No sincronizado: { $message } — { $count } cambios pendientes
}

# El aviso al cerrar la ventana con cambios pendientes.
leave-title = Todavía hay cambios pendientes
leave-text = { $count ->
    [one] { $count } cambio aún no ha llegado al servidor. Se queda en este equipo y se enviará la próxima vez que se abra authdesk y el servidor responda.
   *[other] { $count } cambios aún no han llegado al servidor. Se quedan en este equipo y se enviarán la próxima vez que se abra authdesk y el servidor responda.
}
leave-stay = No cerrar
leave-close-anyway = Cerrar de todos modos

# En la pantalla de inicio de sesión: cambios de cuentas sin sesión que esperan al servidor.
waiting-changes-count = { $count ->
    [one] { $count } cambio
   *[other] { $count } cambios
}
waiting-changes-text = { $count ->
    [one] hecho aquí como { $email } aún no ha llegado al servidor. Inicie sesión como { $email } para enviarlo.
   *[other] hechos aquí como { $email } aún no han llegado al servidor. Inicie sesión como { $email } para enviarlos.
}
waiting-changes-cannot-undo = Descartarlos no se puede deshacer.
waiting-changes-keep = { $count ->
    [one] Conservarlo
   *[other] Conservarlos
}
waiting-changes-discard-confirm = { $count ->
    [one] Descartar { $count } cambio
   *[other] Descartar { $count } cambios
}
waiting-changes-discard = { $count ->
    [one] Descartarlo…
   *[other] Descartarlos…
}

# El panel: las tareas, añadirlas y buscarlas, y cerrar la sesión.
tasks-title = Tareas
tasks-heading = Sus tareas
tasks-signed-in-as = Sesión iniciada como
tasks-last-sign-in = último inicio de sesión
tasks-first-sign-in = este es su primer inicio de sesión
tasks-sign-out = Cerrar sesión
tasks-signing-out = Cerrando sesión…
tasks-signed-out = Ha cerrado la sesión.
tasks-unsent-title = Cambios aún sin enviar
tasks-stay-signed-in = Mantener la sesión iniciada
tasks-discard-and-sign-out = Descartar y cerrar sesión
tasks-new-task = Nueva tarea
tasks-new-task-placeholder = ¿Qué hay que hacer?
tasks-add = Añadir
tasks-adding = Añadiendo…
tasks-added = Se añadió «{ $title }»
tasks-title-empty = El título no puede estar vacío
tasks-title-control-characters = El título no puede contener caracteres de control
tasks-title-too-long = El título no puede superar los 200 caracteres
tasks-loading = Cargando sus tareas…
tasks-empty = Todavía no hay nada que hacer
tasks-empty-hint = Añada su primera tarea arriba.
tasks-count =
    { $open ->
        [one] { $open } pendiente
       *[other] { $open } pendientes
    } · { $total } en total
tasks-search = Buscar tareas
tasks-no-match = Ninguna tarea coincide con «{ $search }».
tasks-list = Tareas

# Una tarea de la lista del panel.
task-toggle = Hecha: { $title }
task-done = «{ $title }» marcada como hecha
task-not-done = «{ $title }» marcada como pendiente
task-rename = Cambiar nombre
task-rename-label = Cambiar nombre de { $title }
task-rename-field = Cambiar el nombre de la tarea
task-renamed = Nombre cambiado a «{ $title }»
task-delete = Eliminar
task-delete-label = Eliminar { $title }
task-deleted = Se eliminó «{ $title }»
