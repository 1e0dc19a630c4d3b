# Sus datos (la pantalla)
data-title = Sus datos
data-intro = Sus tareas son suyas: guarde una copia, llévelas a otro lugar, tráigalas de vuelta.
data-loading = Cargando…
data-cancel = Cancelar

# Sus datos: exportar
data-export-heading = Exportar
data-export-about = JSON: su cuenta, sus tareas, sus sesiones y su propia actividad, tal como las guarda el servidor (nunca una contraseña ni un código). CSV: las tareas, para una hoja de cálculo.
data-export-json = Exportar JSON…
data-export-csv = Exportar CSV…
data-exporting = Exportando…
data-export-saved = Guardado en { $file }

# Sus datos: importar (title, id, completed y created_at son los nombres de las columnas del CSV)
data-import-heading = Importar
data-import-about = Una exportación de authdesk, o un archivo CSV con una columna title (y id, completed, created_at si las tiene).
data-import-counts = { $new ->
    [one] { $new } nueva
   *[other] { $new } nuevas
} · { $already ->
    [one] { $already } ya está aquí
   *[other] { $already } ya están aquí
} · { $conflicts } en conflicto (se quedan como están)
data-importing = Importando…
data-import-confirm = { $count ->
    [one] Importar { $count } tarea
   *[other] Importar { $count } tareas
}
data-import-choose = Elegir un archivo…
data-import-done = { $created ->
    [one] Se importó { $created } tarea
   *[other] Se importaron { $created } tareas
} ({ $unchanged ->
    [one] { $unchanged } ya estaba aquí
   *[other] { $unchanged } ya estaban aquí
}, { $conflicts } en conflicto).
data-import-queued = { $count ->
    [one] Se enviará al servidor con la próxima sincronización.
   *[other] Se enviarán al servidor con la próxima sincronización.
}

# Sus datos: copias de seguridad (la carpeta como código entre las dos partes de la frase)
data-restored = Se restauró la copia de seguridad. Inicie sesión.
data-backups-heading = Copias de seguridad
data-backups-where-before = Una vez al día se hace una copia de la base de datos de este equipo; las últimas 7 se guardan en{ " " }
data-backups-where-after = .
data-backup-problem = Falló la última copia de seguridad automática: { $problem }
data-no-backups = Todavía no hay ninguna copia de seguridad automática.
data-backup-entry = { $when } · { $size } KiB
data-backup-restore-label = Restaurar la copia de seguridad del { $when }
data-backup-restore = Restaurar…
data-restore-preview = Restaurar { $file }: { $accounts ->
    [one] { $accounts } cuenta
   *[other] { $accounts } cuentas
}, { $tasks ->
    [one] { $tasks } tarea
   *[other] { $tasks } tareas
}.
data-restore-warning = Se reemplaza todo lo que hay en la base de datos de esta aplicación; la base de datos tal como está ahora se conserva junto a ella. Tendrá que volver a iniciar sesión.
data-restoring = Restaurando…
data-restore-confirm = Restaurar
data-back-up-now = Hacer una copia ahora…
data-backing-up = Haciendo la copia…
data-restore-from-file = Restaurar desde un archivo…
data-backup-done = { $count ->
    [one] Se guardó { $count } tarea en { $file }
   *[other] Se guardaron { $count } tareas en { $file }
}

# Sus datos: el traslado a un servidor de equipo
data-move-started = Ahora en { $server }. Inicie sesión, o cree allí su cuenta, para subir sus tareas.
data-move-heading = Trasladar a un servidor de equipo
data-move-about = Sus tareas pasan a su cuenta en el servidor de equipo, con sus identificadores y fechas. La base de datos de este equipo se conserva hasta que usted la elimine.
data-move-url-label = Servidor de equipo
data-move-start = Trasladar…
data-move-checking = Comprobando el servidor…
data-moving-heading = Trasladando a { $server }
data-move-progress-label = Tareas subidas
data-move-counts = Tareas subidas: { $uploaded } de { $total }
data-move-continue = Continuar
data-move-done = Sus tareas están en { $server }.
data-move-refused = El servidor rechazó estas tareas; se quedan en la base de datos de este equipo:
data-move-remove-local = Eliminar la base de datos de este equipo
data-move-keep = Conservarla y cerrar
data-move-waiting = Sus tareas de este equipo esperan para pasar a { $server } (subidas: { $uploaded } de { $total }).
data-move-resume = Continuar el traslado
