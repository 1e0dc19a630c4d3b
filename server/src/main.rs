//! `authdesk-server serve | migrate | admin`.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);

use authdesk_server::config::{
    parse_breached_passwords_url, parse_token_ttl_minutes, parse_trusted_proxies, ConnectionLimits, MailSettings,
    TokenSigning, DEFAULT_TOKEN_TTL,
};
use authdesk_server::{Config, ConfigError, DatabaseUrl, RateLimit, Secret};
use clap::{Args, Parser, Subcommand};

mod admin_cli;
mod descriptors;
mod memory;
mod registration_args;
use tracing_subscriber::EnvFilter;

/// A request allocates many small, short-lived values (rows, JSON); mimalloc serves them with less
/// contention than the system allocator (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "authdesk-server",
    version,
    about = "The authdesk auth server: register, log in, JWT-protected tasks."
)]
struct Cli {
    /// How log lines are written (to stderr): for a person, or one JSON object per line for a log
    /// shipper.
    #[arg(long, env = "AUTHDESK_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Signing {
    Hs256,
    Eddsa,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API (migrations are applied first).
    Serve(Box<ServeArgs>),
    /// Apply pending database migrations and exit.
    Migrate(DatabaseArgs),
    /// Administer accounts directly on the database (no server needed).
    Admin(admin_cli::AdminArgs),
}

#[derive(Args)]
struct DatabaseArgs {
    /// sqlite:<path>, postgres://… or postgresql://… [default: authdesk.db in the platform data directory]
    // Global: `admin reset-code <email> --database-url …` reads naturally after the subcommand.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, global = true)]
    database_url: Option<String>,
}

#[derive(Args)]
struct ServeArgs {
    #[arg(long, env = "AUTHDESK_BIND", default_value = "127.0.0.1:8000")]
    bind: SocketAddr,
    #[command(flatten)]
    database: DatabaseArgs,
    /// Access token lifetime in minutes [default: 1440]
    #[arg(long, env = "ACCESS_TOKEN_EXPIRE_MINUTES")]
    access_token_expire_minutes: Option<String>,
    /// Login attempts per client address, e.g. "5/minute", or "off".
    #[arg(long, env = "AUTHDESK_LOGIN_RATE_LIMIT", default_value = "5/minute")]
    login_rate_limit: String,
    /// Failed password checks per account (sign-in, password change, account deletion) before its
    /// password checks pause, e.g. "10/15minutes", or "off".
    #[arg(long, env = "AUTHDESK_ACCOUNT_LOCKOUT", default_value = "10/15minutes")]
    account_lockout: String,
    /// Registration attempts per client address, e.g. "20/hour", or "off".
    #[arg(long, env = "AUTHDESK_REGISTER_RATE_LIMIT", default_value = "20/hour")]
    register_rate_limit: String,
    /// Token refreshes per session, e.g. "60/hour", or "off".
    #[arg(long, env = "AUTHDESK_REFRESH_RATE_LIMIT", default_value = "60/hour")]
    refresh_rate_limit: String,
    /// Refresh token lifetime in days; each refresh starts a new one.
    #[arg(long, env = "AUTHDESK_REFRESH_TOKEN_DAYS", default_value_t = 30)]
    refresh_token_days: u32,
    /// Days after sign-in when a session ends, however often it is refreshed.
    #[arg(long, env = "AUTHDESK_SESSION_MAX_DAYS", default_value_t = 90)]
    session_max_days: u32,
    /// Seconds after a refresh during which the spent token still yields its successor (racing
    /// clients, a lost answer retried).
    #[arg(long, env = "AUTHDESK_REFRESH_GRACE_SECONDS", default_value_t = 30)]
    refresh_grace_seconds: u32,
    /// Reverse proxies whose X-Forwarded-For is believed: addresses or CIDR ranges, comma-separated.
    #[arg(long, env = "AUTHDESK_TRUSTED_PROXIES", default_value = "")]
    trusted_proxies: String,
    /// Refuse new passwords seen in a breach, asking this k-anonymity range API (only the first 5
    /// hex characters of the password's SHA-1 are sent), e.g. https://api.pwnedpasswords.com/range.
    /// Off by default; an unreachable service is skipped, never blocking sign-up.
    #[arg(long, env = "AUTHDESK_BREACHED_PASSWORDS")]
    breached_passwords: Option<String>,
    /// Send password reset codes through this mail server: smtp://host:port, smtp://host?tls=required
    /// (STARTTLS) or smtps://user:password@host. Without it, codes come from `admin reset-code`.
    #[arg(long, env = "AUTHDESK_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// The sender of those mails, e.g. "authdesk <noreply@example.com>".
    #[arg(long, env = "AUTHDESK_MAIL_FROM")]
    mail_from: Option<String>,
    /// Password reset requests per email address, e.g. "5/hour", or "off".
    #[arg(long, env = "AUTHDESK_PASSWORD_RESET_EMAIL_LIMIT", default_value = "5/hour")]
    password_reset_email_limit: String,
    /// Password reset requests per client address, e.g. "20/hour", or "off".
    #[arg(long, env = "AUTHDESK_PASSWORD_RESET_ADDRESS_LIMIT", default_value = "20/hour")]
    password_reset_address_limit: String,
    /// Reset code confirmations per client address, e.g. "30/hour", or "off".
    #[arg(long, env = "AUTHDESK_PASSWORD_RESET_CONFIRM_ADDRESS_LIMIT", default_value = "30/hour")]
    password_reset_confirm_address_limit: String,
    /// Reset code confirmations per email address (known or not), e.g. "10/hour", or "off".
    #[arg(long, env = "AUTHDESK_PASSWORD_RESET_CONFIRM_EMAIL_LIMIT", default_value = "10/hour")]
    password_reset_confirm_email_limit: String,
    /// Days audit events are kept before the background task deletes them.
    #[arg(long, env = "AUTHDESK_AUDIT_RETENTION_DAYS", default_value_t = 90)]
    audit_retention_days: u32,
    /// How new access tokens are signed: hs256 with BETTER_AUTH_SECRET (the original design's), or
    /// eddsa with Ed25519 keys kept in the database and published at /.well-known/jwks.json. Tokens
    /// of either kind keep verifying after a switch.
    #[arg(long, env = "AUTHDESK_TOKEN_SIGNING", value_enum, default_value_t = Signing::Hs256)]
    token_signing: Signing,
    /// `iss` of EdDSA access tokens, e.g. https://auth.example.com (HS256 tokens carry none).
    #[arg(long, env = "AUTHDESK_TOKEN_ISSUER")]
    token_issuer: Option<String>,
    /// `aud` of EdDSA access tokens, e.g. the services that verify them through the JWKS.
    #[arg(long, env = "AUTHDESK_TOKEN_AUDIENCE")]
    token_audience: Option<String>,
    /// Minutes an EdDSA access token lives [default: ACCESS_TOKEN_EXPIRE_MINUTES]; other services
    /// cannot see a sign-out before it expires, so keep it short (e.g. 15).
    #[arg(long, env = "AUTHDESK_EDDSA_TOKEN_MINUTES")]
    eddsa_token_minutes: Option<String>,
    /// Seconds between reloads of the signing keys (a rotation shows within this).
    // The setting keeps the name deployments already use; in the code this is a "reload".
    #[arg(long = "signing-keys-refresh-seconds", env = "AUTHDESK_SIGNING_KEYS_REFRESH_SECONDS", default_value_t = 60)]
    signing_keys_reload_seconds: u32,
    /// Days a deleted task is kept as a tombstone for syncing clients; a sync cursor older than
    /// this gets 410 and reloads everything.
    #[arg(long, env = "AUTHDESK_SYNC_TOMBSTONE_DAYS", default_value_t = 30)]
    sync_tombstone_days: u32,
    /// Serve Prometheus metrics at http://<this>/metrics on a listener of its own, e.g.
    /// 127.0.0.1:9464. Off by default; keep it off the public network.
    #[arg(long, env = "AUTHDESK_METRICS_BIND")]
    metrics_bind: Option<SocketAddr>,
    /// Extra CORS origins (the Tauri webview's are always allowed); comma-separated.
    #[arg(long = "cors-origin", env = "AUTHDESK_CORS_ORIGINS", value_delimiter = ',')]
    cors_origins: Vec<String>,
    /// Argon2 hashes allowed to run at once [default: the number of cores]
    #[arg(long, env = "AUTHDESK_HASH_CONCURRENCY")]
    hash_concurrency: Option<usize>,
    /// Password checks allowed to wait for a hash slot before new ones get 503 [default: 16 per slot]
    #[arg(long, env = "AUTHDESK_HASH_QUEUE")]
    hash_queue: Option<usize>,
    /// Seconds a database statement, lock wait or round trip may take before the request gets 503.
    #[arg(long, env = "AUTHDESK_DATABASE_TIMEOUT_SECONDS", default_value_t = 5)]
    database_timeout_seconds: u32,
    /// Seconds a whole request may take before it gets 503.
    #[arg(long, env = "AUTHDESK_REQUEST_TIMEOUT_SECONDS", default_value_t = 30)]
    request_timeout_seconds: u32,
    /// Seconds a connection may take to send a request head (or, idle, the next one) before it is closed.
    #[arg(long, env = "AUTHDESK_HEADER_READ_TIMEOUT_SECONDS", default_value_t = 30)]
    header_read_timeout_seconds: u32,
    /// Open connections beyond which new ones are closed at once [default: 512 a core, 1,024 to
    /// 16,384, within the file descriptor limit]
    #[arg(long, env = "AUTHDESK_MAX_CONNECTIONS")]
    max_connections: Option<usize>,
    #[command(flatten)]
    registration: registration_args::RegistrationArgs,
}

fn database_url(args: &DatabaseArgs) -> Result<DatabaseUrl, ConfigError> {
    match args.database_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => DatabaseUrl::parse(url),
        None => DatabaseUrl::default_sqlite(),
    }
}

/// The configuration `args` give, the connection cap within `descriptors` (the process's file
/// descriptor limit, when known).
fn serve_config(args: &ServeArgs, descriptors: Option<u64>) -> Result<Config, ConfigError> {
    let secret = Secret::new(std::env::var("BETTER_AUTH_SECRET").unwrap_or_default())?;
    let mut config = Config::new(database_url(&args.database)?, secret);
    config.access_token_ttl = match &args.access_token_expire_minutes {
        Some(raw) => parse_token_ttl_minutes(raw)?,
        None => DEFAULT_TOKEN_TTL,
    };
    config.login_rate_limit = RateLimit::parse(&args.login_rate_limit)?;
    config.account_lockout = RateLimit::parse(&args.account_lockout)?;
    config.register_rate_limit = RateLimit::parse(&args.register_rate_limit)?;
    config.refresh_rate_limit = RateLimit::parse(&args.refresh_rate_limit)?;
    config.refresh_token_ttl =
        Duration::from_secs(positive("AUTHDESK_REFRESH_TOKEN_DAYS", args.refresh_token_days)? * 86_400);
    config.session_max_age =
        Duration::from_secs(positive("AUTHDESK_SESSION_MAX_DAYS", args.session_max_days)? * 86_400);
    config.refresh_grace = Duration::from_secs(args.refresh_grace_seconds.into());
    config.trusted_proxies = parse_trusted_proxies(&args.trusted_proxies)?;
    config.breached_passwords = parse_breached_passwords_url(args.breached_passwords.as_deref().unwrap_or_default())?;
    config.database_timeout =
        Duration::from_secs(positive("AUTHDESK_DATABASE_TIMEOUT_SECONDS", args.database_timeout_seconds)?);
    config.request_timeout =
        Duration::from_secs(positive("AUTHDESK_REQUEST_TIMEOUT_SECONDS", args.request_timeout_seconds)?);
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    config.connections = ConnectionLimits::for_host(cores, descriptors);
    config.connections.header_read_timeout =
        Duration::from_secs(positive("AUTHDESK_HEADER_READ_TIMEOUT_SECONDS", args.header_read_timeout_seconds)?);
    if let Some(n) = args.max_connections {
        config.connections.max_connections = n.max(1);
    }
    config.password_reset_by_email = RateLimit::parse(&args.password_reset_email_limit)?;
    config.password_reset_by_address = RateLimit::parse(&args.password_reset_address_limit)?;
    config.password_reset_confirm_by_address = RateLimit::parse(&args.password_reset_confirm_address_limit)?;
    config.password_reset_confirm_by_email = RateLimit::parse(&args.password_reset_confirm_email_limit)?;
    config.mail = match args.smtp_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => Some(MailSettings::new(url, args.mail_from.as_deref().unwrap_or_default())?),
        None => None,
    };
    config.audit_retention =
        Duration::from_secs(positive("AUTHDESK_AUDIT_RETENTION_DAYS", args.audit_retention_days)? * 86_400);
    let named = |value: &Option<String>| value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    config.token_issuer = named(&args.token_issuer);
    config.token_audience = named(&args.token_audience);
    config.eddsa_token_ttl = named(&args.eddsa_token_minutes).as_deref().map(parse_token_ttl_minutes).transpose()?;
    config.token_signing = match args.token_signing {
        Signing::Hs256 => TokenSigning::Hs256,
        Signing::Eddsa => TokenSigning::EdDsa,
    };
    config.signing_keys_reload =
        Duration::from_secs(positive("AUTHDESK_SIGNING_KEYS_REFRESH_SECONDS", args.signing_keys_reload_seconds)?);
    config.tombstone_retention =
        Duration::from_secs(positive("AUTHDESK_SYNC_TOMBSTONE_DAYS", args.sync_tombstone_days)? * 86_400);
    config.cors_origins = args.cors_origins.iter().map(|o| o.trim().to_owned()).filter(|o| !o.is_empty()).collect();
    if let Some(n) = args.hash_concurrency {
        config.hash_concurrency = n.max(1);
        config.hash_queue = config.hash_concurrency * 16;
    }
    if let Some(n) = args.hash_queue {
        config.hash_queue = n.max(1);
    }
    args.registration.apply(&mut config)?;
    Ok(config)
}

/// `value`, refused when zero (a zero lifetime or timeout is a mistake, not a setting).
fn positive(name: &'static str, value: u32) -> Result<u64, ConfigError> {
    match value {
        0 => Err(ConfigError::InvalidNumber(name, "0".into())),
        n => Ok(n.into()),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    memory::without_huge_pages();
    // A missing .env is normal; a malformed one is worth saying.
    if let Err(e) = dotenvy::dotenv() {
        if !e.not_found() {
            eprintln!("warning: ignoring .env: {e}");
        }
    }
    let cli = Cli::parse();
    // An admin command's output is what it prints; its log says only what went wrong, on stderr.
    let default_filter = match cli.command {
        Command::Admin(_) => "warn",
        _ => "info,tower_http=info",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match cli.log_format {
        // Each line carries its spans' fields, so the request id goes with every line of a request.
        LogFormat::Json => logs.json().with_current_span(true).with_span_list(false).init(),
        LogFormat::Text => logs.init(),
    }
    let result = match cli.command {
        Command::Serve(args) => serve(*args).await,
        Command::Migrate(args) => migrate(args).await,
        Command::Admin(args) => admin(args).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: ServeArgs) -> Result<(), String> {
    let config = serve_config(&args, descriptors::raise_limit()).map_err(|e| e.to_string())?;
    tracing::info!(database = %config.database, ttl_minutes = config.access_token_ttl.as_secs() / 60,
        login_rate_limit = ?config.login_rate_limit, register_rate_limit = ?config.register_rate_limit,
        trusted_proxies = ?config.trusted_proxies, hash_concurrency = config.hash_concurrency,
        hash_queue = config.hash_queue, token_signing = ?config.token_signing, "starting");
    let app = authdesk_server::build(&config)
        .await
        .map_err(|e| format!("cannot open the database {}: {e}", config.database))?;
    let listener =
        tokio::net::TcpListener::bind(args.bind).await.map_err(|e| format!("cannot listen on {}: {e}", args.bind))?;
    if let Some(bind) = args.metrics_bind {
        let metrics = tokio::net::TcpListener::bind(bind)
            .await
            .map_err(|e| format!("cannot listen for metrics on {bind}: {e}"))?;
        let addr = metrics.local_addr().map_err(|e| e.to_string())?;
        tracing::info!(%addr, "serving metrics at /metrics");
        // Served within the same limits as the API: whoever can reach it, it holds nothing for ever.
        let metrics = authdesk_server::serve(app.metrics_router(), metrics, config.connections)
            .map_err(|e| format!("cannot serve metrics on {bind}: {e}"))?;
        tokio::spawn(async move {
            if let Err(e) = metrics.wait().await {
                tracing::warn!(error = %e, "the metrics listener stopped");
            }
        });
    }
    let server = authdesk_server::serve(app.router, listener, config.connections).map_err(|e| e.to_string())?;
    tracing::info!(addr = %server.addr(), max_connections = config.connections.max_connections, "listening");
    match &config.mail {
        Some(mail) if mail.is_plaintext_remote() => tracing::warn!(server = %mail.server(),
            "password reset codes are mailed WITHOUT encryption: use smtps:// or add ?tls=required"),
        Some(mail) => tracing::info!(server = %mail.server(), "password reset codes are mailed"),
        None => tracing::info!("no mail server: password reset codes come from `authdesk-server admin reset-code`"),
    }
    if let Some(url) = &config.breached_passwords {
        tracing::info!(url = %authdesk_server::config::redact_url(url), "refusing passwords seen in a breach");
    }
    let stop = server.shutdown_handle();
    let stopping = std::sync::Arc::new(tokio::sync::Notify::new());
    let notify = stopping.clone();
    tokio::spawn(async move {
        authdesk_server::serve::shutdown_signal().await;
        tracing::info!("shutting down");
        stop.shutdown();
        notify.notify_one();
    });
    let mut server = std::pin::pin!(server.wait());
    tokio::select! {
        result = &mut server => return result.map_err(|e| e.to_string()),
        _ = stopping.notified() => {}
    }
    // In-flight requests get a bounded time to finish once the signal arrived.
    match tokio::time::timeout(SHUTDOWN_GRACE, server).await {
        Ok(result) => result.map_err(|e| e.to_string()),
        Err(_) => {
            tracing::warn!("requests still running after {SHUTDOWN_GRACE:?}; exiting anyway");
            Ok(())
        }
    }
}

async fn migrate(args: DatabaseArgs) -> Result<(), String> {
    let url = database_url(&args).map_err(|e| e.to_string())?;
    let applied = authdesk_server::store::migrate(&url).await.map_err(|e| format!("cannot migrate {url}: {e}"))?;
    if applied.is_empty() {
        println!("{url}: schema is up to date");
    }
    for m in applied {
        println!("{url}: applied {:04}_{}", m.version, m.name);
    }
    Ok(())
}

async fn admin(args: admin_cli::AdminArgs) -> Result<(), String> {
    let url = database_url(&args.database).map_err(|e| e.to_string())?;
    println!("{}", admin_cli::run(args, &url).await?);
    Ok(())
}
