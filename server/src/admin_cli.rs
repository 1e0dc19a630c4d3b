//! `authdesk-server admin …`: the administration service on `DATABASE_URL`, printed for a person
//! (or, with `--json`, for a script).

use authdesk_contract::text::shown;
use authdesk_server::admin::{audit_view, detail_view, user_view, Actor, Admin, UserDetail, RESET_CODE_TTL};
use authdesk_server::auth::signing::{KeyState, DEFAULT_PROMOTE_AFTER};
use authdesk_server::config::{parse_token_ttl_minutes, DatabaseUrl, DEFAULT_DATABASE_TIMEOUT, DEFAULT_TOKEN_TTL};
use authdesk_server::store::sqlite::backup as sqlite_backup;
use authdesk_server::store::{AuditEvent, AuditFilter, Role, SigningKeyRecord, Store, UserRecord};
use authdesk_server::Secret;
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
    /// Invite an address: prints the invitation code alone on the last line (for servers without
    /// mail). It works once, for that address, for --days days.
    Invite {
        /// The address to invite.
        email: String,
        /// Register the account as an administrator.
        #[arg(long, value_enum, default_value_t = InvitedRole::User)]
        role: InvitedRole,
        #[arg(long, env = "AUTHDESK_INVITATION_DAYS", default_value_t = 7)]
        days: u32,
    },
    /// Write a consistent copy of a SQLite DATABASE_URL to FILE (0600), safe while servers or the
    /// desktop app write to it. For PostgreSQL, use pg_dump.
    Backup {
        /// Where the copy goes; replaced only once the copy is whole and checked.
        file: std::path::PathBuf,
    },
    /// The keys EdDSA access tokens are signed with (AUTHDESK_TOKEN_SIGNING=eddsa).
    #[command(subcommand)]
    Keys(KeysCommand),
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

#[derive(Clone, Copy, clap::ValueEnum)]
enum InvitedRole {
    User,
    Admin,
}

#[derive(Subcommand)]
enum KeysCommand {
    /// The next, current and previous keys, and until when each signs or verifies
    /// (ACCESS_TOKEN_EXPIRE_MINUTES as the servers have it).
    List,
    /// Add a new key: published at once, signing after --promote-after seconds (by then every
    /// instance and every JWKS cache has it); the current key verifies until its tokens expire.
    /// Needs the servers' BETTER_AUTH_SECRET, which seals the private key.
    Rotate {
        #[arg(long, default_value_t = DEFAULT_PROMOTE_AFTER.as_secs())]
        promote_after: u64,
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

/// `admin backup`: off the async runtime, like every other SQLite call.
async fn backup(url: &DatabaseUrl, file: std::path::PathBuf, as_json: bool) -> Result<String, String> {
    let DatabaseUrl::Sqlite(source) = url.clone() else {
        return Err("admin backup copies a SQLite database; back up PostgreSQL with pg_dump".into());
    };
    let dest = file.clone();
    let info = tokio::task::spawn_blocking(move || sqlite_backup::backup(&source, &dest, DEFAULT_DATABASE_TIMEOUT))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    Ok(if as_json {
        json(
            &json!({"file": file, "schema_version": info.schema_version, "accounts": info.accounts, "tasks": info.tasks}),
        )
    } else {
        format!("{}: {} accounts, {} tasks (schema {})", file.display(), info.accounts, info.tasks, info.schema_version)
    })
}

fn user_line(u: &UserRecord) -> String {
    let status = if u.disabled_at.is_some() { "disabled" } else { "active" };
    let last = u.last_login_at.map_or("never".to_owned(), |t| t.format("%Y-%m-%d %H:%M").to_string());
    format!("{:<40} {:<6} {:<8} last sign-in {last}  {}", u.email, u.role.as_str(), status, u.id)
}

fn event_line(e: &AuditEvent) -> String {
    let who = e.email.clone().unwrap_or_else(|| e.user_id.map(|u| u.to_string()).unwrap_or_default());
    let from = e.client_ip.clone().unwrap_or_default();
    let details = e.details.clone().filter(|d| d != "{}").unwrap_or_default();
    // Stored text is shown escaped: a row an older version wrote may hold a newline or an escape
    // sequence meant for the administrator's terminal.
    let (who, details) = (shown(&who), shown(&details));
    format!("{}  {:<32} {:<7} {who}  {from}  {details}", e.at.format("%Y-%m-%d %H:%M:%S"), shown(&e.kind), e.outcome)
}

/// Access token lifetime as the servers have it (ACCESS_TOKEN_EXPIRE_MINUTES).
fn access_token_ttl() -> Result<std::time::Duration, String> {
    match std::env::var("ACCESS_TOKEN_EXPIRE_MINUTES") {
        Ok(raw) => parse_token_ttl_minutes(&raw).map_err(|e| e.to_string()),
        Err(_) => Ok(DEFAULT_TOKEN_TTL),
    }
}

fn key_line(key: &SigningKeyRecord, state: KeyState) -> String {
    let at = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M:%S UTC").to_string();
    let state = match state {
        KeyState::Next => format!("next      signs from {}", at(key.activates_at)),
        KeyState::Current => format!("current   signing since {}", at(key.activates_at)),
        KeyState::Previous(until) => format!("previous  verifies until {}", at(until)),
    };
    format!("{:>3}  {}  {state}", key.generation, key.kid)
}

fn key_json(key: &SigningKeyRecord, state: KeyState) -> serde_json::Value {
    let (state, verifies_until) = match state {
        KeyState::Next => ("next", None),
        KeyState::Current => ("current", None),
        KeyState::Previous(until) => ("previous", Some(until)),
    };
    json!({
        "kid": key.kid,
        "generation": key.generation,
        "algorithm": key.algorithm,
        "state": state,
        "created_at": key.created_at,
        "activates_at": key.activates_at,
        "verifies_until": verifies_until,
    })
}

/// The JSON an administrator's script reads: the HTTP API's own shapes.
fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("the admin views serialise")
}

/// Runs the command; what to print, or why it failed.
pub async fn run(args: AdminArgs, url: &DatabaseUrl) -> Result<String, String> {
    if let AdminCommand::Backup { file } = &args.command {
        return backup(url, file.clone(), args.json).await;
    }
    let store =
        Store::open(url, DEFAULT_DATABASE_TIMEOUT).await.map_err(|e| format!("cannot open the database {url}: {e}"))?;
    let admin = Admin::new(store);
    let by = Actor::operator();
    let as_json = args.json;
    let find = |email: String| {
        let admin = admin.clone();
        async move { admin.user_by_email(&email).await.map_err(|_| format!("no account has the address {email}")) }
    };
    let fail = |e: authdesk_server::auth::AuthError| e.to_string();
    let done = |target: &UserRecord, what: &str| {
        if as_json {
            json(&user_view(target))
        } else {
            format!("{}: {what}", target.email)
        }
    };
    Ok(match args.command {
        AdminCommand::Users(UsersCommand::List { query, limit }) => {
            let (users, _) = admin.users(query.as_deref(), None, limit).await.map_err(fail)?;
            if as_json {
                json(&users.iter().map(user_view).collect::<Vec<_>>())
            } else if users.is_empty() {
                "No accounts match.".to_owned()
            } else {
                users.iter().map(user_line).collect::<Vec<_>>().join("\n")
            }
        }
        AdminCommand::Users(UsersCommand::Show { email }) => {
            let detail = admin.detail(find(email).await?).await.map_err(fail)?;
            if as_json {
                json(&detail_view(&detail))
            } else {
                let UserDetail { user, mfa_enabled, active_sessions } = &detail;
                format!(
                    "{}\n  two-factor: {}\n  active sessions: {active_sessions}\n  created {}",
                    user_line(user),
                    if *mfa_enabled { "on" } else { "off" },
                    user.created_at.format("%Y-%m-%d %H:%M")
                )
            }
        }
        AdminCommand::Users(UsersCommand::Disable { email }) => {
            let target = find(email).await?;
            admin.set_disabled(&target, true, &by).await.map_err(fail)?;
            done(&admin.user(target.id).await.map_err(fail)?, "disabled; every session ended")
        }
        AdminCommand::Users(UsersCommand::Enable { email }) => {
            let target = find(email).await?;
            admin.set_disabled(&target, false, &by).await.map_err(fail)?;
            done(&admin.user(target.id).await.map_err(fail)?, "enabled")
        }
        AdminCommand::Users(UsersCommand::RevokeSessions { email }) => {
            let target = find(email).await?;
            let n = admin.revoke_sessions(&target, &by).await.map_err(fail)?;
            if as_json {
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
            if as_json {
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
        AdminCommand::Invite { email, role, days } => {
            let role = match role {
                InvitedRole::User => Role::User,
                InvitedRole::Admin => Role::Admin,
            };
            let ttl = std::time::Duration::from_secs(u64::from(days.max(1)) * 86_400);
            let (invitation, code) = admin.invite(&email, role, ttl, None, &by).await.map_err(fail)?;
            if as_json {
                json!({ "id": invitation.id, "email": invitation.email, "role": role.as_str(), "code": code,
                        "expires_at": invitation.expires_at })
                .to_string()
            } else {
                format!(
                    "Invited {} as {} until {}. Give them this code, which works once, for that address:\n{code}",
                    invitation.email,
                    role.as_str(),
                    invitation.expires_at.format("%Y-%m-%d %H:%M UTC")
                )
            }
        }
        AdminCommand::Keys(KeysCommand::List) => {
            let keys = admin.signing_keys(access_token_ttl()?).await.map_err(fail)?;
            if as_json {
                let keys: Vec<_> = keys.iter().map(|(key, state)| key_json(key, *state)).collect();
                json(&keys)
            } else if keys.is_empty() {
                "No signing keys: the server signs with HS256 (AUTHDESK_TOKEN_SIGNING=eddsa creates the first).".into()
            } else {
                keys.iter().map(|(key, state)| key_line(key, *state)).collect::<Vec<_>>().join("\n")
            }
        }
        AdminCommand::Keys(KeysCommand::Rotate { promote_after }) => {
            let secret = Secret::new(std::env::var("BETTER_AUTH_SECRET").unwrap_or_default())
                .map_err(|e| format!("{e} (the new private key is sealed with the servers' secret)"))?;
            let promote_after = std::time::Duration::from_secs(promote_after);
            let key = admin.rotate_signing_key(&secret, promote_after, &by).await.map_err(|e| e.to_string())?;
            let state = if key.activates_at > chrono::Utc::now() { KeyState::Next } else { KeyState::Current };
            if as_json {
                key_json(&key, state).to_string()
            } else {
                format!(
                    "Added signing key {} (generation {}): published now, signing from {}.",
                    key.kid,
                    key.generation,
                    key.activates_at.format("%Y-%m-%d %H:%M:%S UTC")
                )
            }
        }
        // Answered above, before the store opens (opening would migrate the file being copied).
        AdminCommand::Backup { file } => backup(url, file, as_json).await?,
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
            if as_json {
                json(&events.into_iter().map(audit_view).collect::<Vec<_>>())
            } else if events.is_empty() {
                "No events match.".to_owned()
            } else {
                events.iter().map(event_line).collect::<Vec<_>>().join("\n")
            }
        }
    })
}
