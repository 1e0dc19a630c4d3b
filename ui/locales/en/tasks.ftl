# The window's frame: the main navigation.
nav-main = Main
nav-tasks = Tasks
nav-sign-in = Sign in
nav-your-data = Your data
nav-administration = Administration
nav-settings = Settings

# The header's sync state (remote mode).
sync-synced = Synced
sync-syncing = Syncing…
sync-syncing-waiting = { $count ->
    [one] Syncing… — { $count } change waiting
   *[other] Syncing… — { $count } changes waiting
}
sync-offline = Offline
sync-offline-waiting = { $count ->
    [one] Offline — { $count } change waiting
   *[other] Offline — { $count } changes waiting
}
sync-failed = Not synced: { $message }
sync-failed-waiting = { $count ->
    [one] Not synced: { $message } — { $count } change waiting
   *[other] Not synced: { $message } — { $count } changes waiting
}

# The warning when the window is closed with changes waiting.
leave-title = Changes are still waiting
leave-text = { $count ->
    [one] { $count } change has not reached the server yet. It stays on this computer and is sent the next time authdesk opens and the server answers.
   *[other] { $count } changes have not reached the server yet. They stay on this computer and are sent the next time authdesk opens and the server answers.
}
leave-stay = Stay
leave-close-anyway = Close anyway

# On the sign-in screen: changes of accounts now signed out that wait for the server.
waiting-changes-count = { $count ->
    [one] { $count } change
   *[other] { $count } changes
}
waiting-changes-text = { $count ->
    [one] made here as { $email } has not reached the server yet. Sign in as { $email } to send it.
   *[other] made here as { $email } have not reached the server yet. Sign in as { $email } to send them.
}
waiting-changes-cannot-undo = Discarding cannot be undone.
waiting-changes-keep = { $count ->
    [one] Keep it
   *[other] Keep them
}
waiting-changes-discard-confirm = { $count ->
    [one] Discard { $count } change
   *[other] Discard { $count } changes
}
waiting-changes-discard = { $count ->
    [one] Discard it…
   *[other] Discard them…
}

# The dashboard: the tasks, adding and searching them, and signing out.
tasks-title = Tasks
tasks-heading = Your tasks
tasks-signed-in-as = Signed in as
tasks-last-sign-in = last sign-in
tasks-first-sign-in = this is your first sign-in
tasks-sign-out = Sign out
tasks-signing-out = Signing out…
tasks-signed-out = You have signed out.
tasks-unsent-title = Changes not sent yet
tasks-stay-signed-in = Stay signed in
tasks-discard-and-sign-out = Discard and sign out
tasks-new-task = New task
tasks-new-task-placeholder = What needs doing?
tasks-add = Add
tasks-adding = Adding…
tasks-added = Added “{ $title }”
tasks-title-empty = Title must not be empty
tasks-title-control-characters = Title must not contain control characters
tasks-title-too-long = Title must not exceed 200 characters
tasks-loading = Loading your tasks…
tasks-empty = Nothing to do yet
tasks-empty-hint = Add your first task above.
tasks-count = { $open } open · { $total } total
tasks-search = Search tasks
tasks-no-match = No task matches “{ $search }”.
tasks-list = Tasks

# One task in the dashboard's list.
task-toggle = Done: { $title }
task-done = “{ $title }” done
task-not-done = “{ $title }” not done
task-rename = Rename
task-rename-label = Rename { $title }
task-rename-field = Rename task
task-renamed = Renamed to “{ $title }”
task-delete = Delete
task-delete-label = Delete { $title }
task-deleted = Deleted “{ $title }”
