# Your data (the screen)
data-title = Your data
data-intro = Your tasks are yours: keep a copy, take them elsewhere, bring them back.
data-loading = Loading…
data-cancel = Cancel

# Your data: export
data-export-heading = Export
data-export-about = JSON: your account, tasks, sessions and your own activity, as the server keeps them (never a password or a code). CSV: the tasks, for a spreadsheet.
data-export-json = Export JSON…
data-export-csv = Export CSV…
data-exporting = Exporting…
data-export-saved = Saved to { $file }

# Your data: import (title, id, completed and created_at are the CSV's column names)
data-import-heading = Import
data-import-about = An authdesk export, or a CSV file with a title column (and id, completed, created_at if it has them).
data-import-counts = { $new } new · { $already } already here · { $conflicts } in conflict (left as they are)
data-importing = Importing…
data-import-confirm = { $count ->
    [one] Import { $count } task
   *[other] Import { $count } tasks
}
data-import-choose = Choose a file…
data-import-done = { $created ->
    [one] Imported { $created } task
   *[other] Imported { $created } tasks
} ({ $unchanged ->
    [one] { $unchanged } was already here
   *[other] { $unchanged } were already here
}, { $conflicts } in conflict).
data-import-queued = { $count ->
    [one] It goes to the server with the next sync.
   *[other] They go to the server with the next sync.
}

# Your data: backups (the folder in code between the two parts of the sentence)
data-restored = Restored from the backup. Please sign in.
data-backups-heading = Backups
data-backups-where-before = A copy of this computer's database is made once a day; the last 7 are kept in{ " " }
data-backups-where-after = .
data-backup-problem = The last automatic backup failed: { $problem }
data-no-backups = No automatic backup yet.
data-backup-entry = { $when } · { $size } KiB
data-backup-restore-label = Restore the backup of { $when }
data-backup-restore = Restore…
data-restore-preview = Restore { $file }: { $accounts ->
    [one] { $accounts } account
   *[other] { $accounts } accounts
}, { $tasks ->
    [one] { $tasks } task
   *[other] { $tasks } tasks
}.
data-restore-warning = Everything in this app's database is replaced; the database as it is now is kept beside it. You will sign in again.
data-restoring = Restoring…
data-restore-confirm = Restore
data-back-up-now = Back up now…
data-backing-up = Backing up…
data-restore-from-file = Restore from a file…
data-backup-done = { $count ->
    [one] Backed up { $count } task to { $file }
   *[other] Backed up { $count } tasks to { $file }
}

# Your data: the move to a team server
data-move-started = Now on { $server }. Sign in, or create your account there, to upload your tasks.
data-move-heading = Move to a team server
data-move-about = Your tasks go to your account on the team server, with their ids and dates. This computer's database stays until you remove it.
data-move-url-label = Team server
data-move-start = Move…
data-move-checking = Checking the server…
data-moving-heading = Moving to { $server }
data-move-progress-label = Tasks uploaded
data-move-counts = { $uploaded } of { $total ->
    [one] { $total } task
   *[other] { $total } tasks
} uploaded
data-move-continue = Continue
data-move-done = Your tasks are on { $server }.
data-move-refused = The server refused these tasks; they stay in this computer's database:
data-move-remove-local = Remove this computer's database
data-move-keep = Keep it and close
data-move-waiting = Your tasks from this computer are waiting to go to { $server } ({ $uploaded } of { $total } uploaded).
data-move-resume = Continue the move
