//! `authdesk-server admin …`: the administration service on `DATABASE_URL`, printed for a person
//! (or, with `--json`, for a script).

use authdesk_server::admin::{Actor, Admin, UserDetail, RESET_CODE_TTL};
use authdesk_server::config::{DatabaseUrl, DEFAULT_DATABASE_TIMEOUT};
use authdesk_server::store::{AuditEvent, AuditFilter, Role, Store, UserRecord};
use clap::{Args, Subcommand};
use serde_json::json;

#[derive(Args)]
pub struct AdminArgs {
    #[command(flatten)]
    pub database: crate::DatabaseArgs,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: AdminCommand,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Find, disable and enable accounts, end their sessions, grant and revoke the administrator role.
    #[command(subcommand)]
    Users(UsersCommand),
    /// Print a password reset code for an account: for servers without mail, and for the desktop
    /// app's own database. It works once, for 30 minutes, and replaces any earlier code.
    ResetCode {
        /// The account's email address.
        email: String,
    },
    /// The audit log, newest first.
    Audit {
        /// Only events about this account.
        #[arg(long)]
        user: Option<String>,
        /// Only events of this type, e.g. login_failed.
        #[arg(long = "type")]
        kind: Option<String>,
        /// Only events since this day (2026-11-01) or time (RFC 3339).
        #[arg(long)]
        since: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

#[derive(Subcommand)]
enum UsersCommand {
    /// Accounts by email, optionally only those whose email contains QUERY.
    List {
        #[arg(long)]
        query: Option<String>,
        #[arg(long, default_value_t = 200)]
        limit: u32,
    },
    Show {
        email: String,
    },
    /// End every session at once and refuse the password until enabled again.
    Disable {
        email: String,
    },
    Enable {
        email: String,
    },
    RevokeSessions {
        email: String,
    },
    GrantAdmin {
        email: String,
    },
    RevokeAdmin {
        email: String,
    },
}

fn user_json(u: &UserRecord) -> serde_json::Value {
    json!({
        "id": u.id, "email": u.email, "role": u.role.as_str(), "disabled": u.disabled_at.is_some(),
        "created_at": u.created_at, "last_login_at": u.last_login_at,
    })
}

fn user_line(u: &UserRecord) -> String {
    let status = if u.disabled_at.is_some() { "disabled" } else { "active" };
    let last = u.last_login_at.map_or("never".to_owned(), |t| t.format("%Y-%m-%d %H:%M").to_string());
    format!("{:<40} {:<6} {:<8} last sign-in {last}  {}", u.email, u.role.as_str(), status, u.id)
}

fn event_json(e: &AuditEvent) -> serde_json::Value {
    let details: serde_json::Value =
        e.details.as_deref().and_then(|d| serde_json::from_str(d).ok()).unwrap_or_else(|| json!({}));
    json!({
        "id": e.id, "at": e.at, "type": e.kind, "outcome": e.outcome, "user_id": e.user_id, "email": e.email,
        "client_ip": e.client_ip, "client": e.client, "session_id": e.session_id, "request_id": e.request_id,
        "actor_id": e.actor_id, "details": details,
    })
}

fn event_line(e: &AuditEvent) -> String {
    let who = e.email.clone().unwrap_or_else(|| e.user_id.map(|u| u.to_string()).unwrap_or_default());
    let from = e.client_ip.clone().unwrap_or_default();
    let details = e.details.clone().filter(|d| d != "{}").unwrap_or_default();
    format!("{}  {:<32} {:<7} {who}  {from}  {details}", e.at.format("%Y-%m-%d %H:%M:%S"), e.kind, e.outcome)
}

/// Runs the command; what to print, or why it failed.
pub async fn run(args: AdminArgs, url: &DatabaseUrl) -> Result<String, String> {
    let store =
        Store::open(url, DEFAULT_DATABASE_TIMEOUT).await.map_err(|e| format!("cannot open the database {url}: {e}"))?;
    let admin = Admin::new(store);
    let by = Actor::operator();
    let json = args.json;
    let find = |email: String| {
        let admin = admin.clone();
        async move { admin.user_by_email(&email).await.map_err(|_| format!("no account has the address {email}")) }
    };
    let fail = |e: authdesk_server::auth::AuthError| e.to_string();
    let done = |target: &UserRecord, what: &str| {
        if json {
            user_json(target).to_string()
        } else {
            format!("{}: {what}", target.email)
        }
    };
    Ok(match args.command {
        AdminCommand::Users(UsersCommand::List { query, limit }) => {
            let (users, _) = admin.users(query.as_deref(), None, limit).await.map_err(fail)?;
            if json {
                serde_json::Value::Array(users.iter().map(user_json).collect()).to_string()
            } else if users.is_empty() {
                "No accounts match.".to_owned()
            } else {
                users.iter().map(user_line).collect::<Vec<_>>().join("\n")
            }
        }
        AdminCommand::Users(UsersCommand::Show { email }) => {
            let UserDetail { user, mfa_enabled, active_sessions } =
                admin.detail(find(email).await?).await.map_err(fail)?;
            if json {
                let mut v = user_json(&user);
                v["mfa_enabled"] = json!(mfa_enabled);
                v["active_sessions"] = json!(active_sessions);
                v.to_string()
            } else {
                format!(
                    "{}\n  two-factor: {}\n  active sessions: {active_sessions}\n  created {}",
                    user_line(&user),
                    if mfa_enabled { "on" } else { "off" },
                    user.created_at.format("%Y-%m-%d %H:%M")
                )
            }
        }
        AdminCommand::Users(UsersCommand::Disable { email }) => {
            let target = find(email).await?;
            admin.disable(&target, &by).await.map_err(fail)?;
            done(&admin.user(target.id).await.map_err(fail)?, "disabled; every session ended")
        }
        AdminCommand::Users(UsersCommand::Enable { email }) => {
            let target = find(email).await?;
            admin.enable(&target, &by).await.map_err(fail)?;
            done(&admin.user(target.id).await.map_err(fail)?, "enabled")
        }
        AdminCommand::Users(UsersCommand::RevokeSessions { email }) => {
            let target = find(email).await?;
            let n = admin.revoke_sessions(&target, &by).await.map_err(fail)?;
            if json {
                json!({ "id": target.id, "email": target.email, "sessions_ended": n }).to_string()
            } else {
                format!("{}: {n} session{} ended", target.email, if n == 1 { "" } else { "s" })
            }
        }
        AdminCommand::Users(UsersCommand::GrantAdmin { email }) => {
            let target = find(email).await?;
            admin.set_role(&target, Role::Admin, &by).await.map_err(fail)?;
            done(&admin.user(target.id).await.map_err(fail)?, "is an administrator")
        }
        AdminCommand::Users(UsersCommand::RevokeAdmin { email }) => {
            let target = find(email).await?;
            admin.set_role(&target, Role::User, &by).await.map_err(fail)?;
            done(&admin.user(target.id).await.map_err(fail)?, "is no longer an administrator")
        }
        AdminCommand::ResetCode { email } => {
            let target = find(email).await?;
            let code = admin.reset_code(&target, &by).await.map_err(fail)?;
            let minutes = RESET_CODE_TTL.as_secs() / 60;
            if json {
                json!({ "email": target.email, "code": code, "expires_in_minutes": minutes }).to_string()
            } else {
                format!(
                    "Password reset code for {}: {code}\nIt works once, for {minutes} minutes, and replaces any earlier \
                     code. Enter it in authdesk under \"Forgot password?\" (or POST it to \
                     /api/auth/password-reset/confirm).",
                    target.email
                )
            }
        }
        AdminCommand::Audit { user, kind, since, limit } => {
            let user_id = match user {
                Some(email) => Some(find(email).await?.id),
                None => None,
            };
            let since = since
                .map(|s| {
                    authdesk_server::admin::parse_since(&s)
                        .ok_or_else(|| format!("--since {s:?}: use a day (2026-11-01) or an RFC 3339 time"))
                })
                .transpose()?;
            let filter = AuditFilter { user_id, kind, since, before: None, limit: i64::from(limit) };
            let (events, _) = admin.audit(filter).await.map_err(fail)?;
            if json {
                serde_json::Value::Array(events.iter().map(event_json).collect()).to_string()
            } else if events.is_empty() {
                "No events match.".to_owned()
            } else {
                events.iter().map(event_line).collect::<Vec<_>>().join("\n")
            }
        }
    })
}
