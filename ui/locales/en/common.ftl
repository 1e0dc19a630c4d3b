# Words shared by every screen.
window-title = { $screen } · authdesk
app-starting = Starting authdesk…
action-retry = Retry
error-retry-after = { $seconds ->
    [one] You can try again in { $seconds } second.
   *[other] You can try again in { $seconds } seconds.
}
server-embedded = Embedded server (this computer)
signed-out-not-on-server = Signed out on this computer, but the server could not be told to end the session. It ends by itself once unused for the server's sign-in lifetime (30 days by default), or sign out everywhere from another device.
