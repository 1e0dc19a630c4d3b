# Administration (the screen)
admin-title = Administration
admin-refused = Administrator access required
admin-role-admin = admin
admin-role-user = user

# Administration: accounts
admin-users-heading = Accounts
admin-search-placeholder = Search by email
admin-search-label = Search accounts by email
admin-search-submit = Search
admin-user-disabled = { $email }: disabled; every session ended.
admin-user-enabled = { $email }: enabled.
admin-sessions-ended = { $count ->
    [one] Signed out of { $count } session
   *[other] Signed out of { $count } sessions
}
admin-users-loading = Loading accounts…
admin-users-empty = No accounts match.
admin-load-more = Load more
admin-user-never = never
admin-user-facts = Last sign-in { $last } · joined { $joined }
admin-user-facts-verified = Last sign-in { $last } · joined { $joined } · address verified
admin-user-status-disabled = Disabled
admin-user-status-active = Active
admin-user-enable = Enable
admin-user-disable = Disable
admin-user-end-sessions = End sessions
admin-user-events = Events

# Administration: the audit log (event types are shown as they are: they are identifiers)
admin-audit-heading = Audit log
admin-audit-type = Type
admin-audit-all-types = All types
admin-audit-since = Since
admin-audit-clear-user = Show every account's events
admin-audit-loading = Loading events…
admin-audit-empty = No events match these filters.
admin-audit-outcome = { $outcome ->
    [success] success
    [failure] failure
   *[other] { $outcome }
}
admin-audit-detail-none = none

# Administration: invitations (the address in bold between the two parts of the notice)
invitations-heading = Invitations
invitations-email-label = Address to invite
invitations-role-label = Role
invitations-role-option-user = User
invitations-role-option-admin = Administrator
invitations-invite = Invite
invitations-inviting = Inviting…
invitations-made-before = Invitation for{ " " }
invitations-made-after = { " " }({ $role }), until { $until }. The code is shown only now:
invitations-copy = Copy
invitations-copied = Copied.
invitations-copy-failed = Could not copy: select the code and copy it.
invitations-loading = Loading invitations…
invitations-empty = No pending invitations.
invitations-pending-facts = { $role } · expires { $expires }
invitations-revoke-label = Revoke the invitation for { $email }
invitations-revoke = Revoke
