//! Single sign-on from the desktop app, as RFC 8252 has it: the system browser (never a webview
//! the provider cannot trust), a one-shot listener on a loopback port for the answer, and PKCE
//! whose verifier never leaves this process. The browser can be replaced by a command for tests
//! (`AUTHDESK_BROWSER`: it is run with the URL as its one argument).

use std::time::Duration;

use authdesk_contract::desktop::SignInStep;
use authdesk_contract::{sso_error, SsoInfo, SsoTokenRequest};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::RngCore;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use authdesk_i18n::Catalog;

use super::Desktop;
use crate::{words, CommandError, ErrorKind, Result};

/// How long the app waits for the browser to come back.
const WAIT: Duration = Duration::from_secs(5 * 60);
/// How long one connection to the listener may take to send its request.
const REQUEST_DEADLINE: Duration = Duration::from_secs(10);
/// The path the server sends the browser back to.
const PATH: &str = "/sso";
/// What the browser tab shows once it is back, in the app's language.
struct Pages {
    lang: &'static str,
    done: String,
    failed: String,
    not_ours: String,
}

impl Pages {
    fn new(words: &Catalog) -> Pages {
        Pages {
            lang: words.language().tag(),
            done: words.text("sso-page-done", None),
            failed: words.text("sso-page-failed", None),
            not_ours: words.text("sso-page-not-ours", None),
        }
    }
}

fn random() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the browser brought back.
enum Outcome {
    Code(String),
    Refused { error: String },
}

/// The sentence for an `error` the server sent the app, in the app's language.
fn refusal(error: &str, words: &Catalog) -> CommandError {
    let id = match error {
        sso_error::ACCESS_DENIED => "sso-refused-cancelled",
        sso_error::EMAIL_NOT_VERIFIED => "sso-refused-email-not-verified",
        sso_error::REGISTRATION_CLOSED => "sso-refused-registration-closed",
        sso_error::ACCOUNT_DISABLED => "sso-refused-account-disabled",
        _ => "sso-refused-other",
    };
    CommandError::rejected(words.text(id, None))
}

/// Reads one request from `stream` and, when it is the server's redirect with our `state`, answers
/// the browser and says what it brought; anything else (another path, another state, junk) gets a
/// 400 and `None`: the wait goes on.
async fn answer(mut stream: TcpStream, state: &str, pages: &Pages) -> Option<Outcome> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    let read = async {
        while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 8 * 1024 {
            let n = stream.read(&mut buf).await.ok()?;
            if n == 0 {
                break;
            }
            head.extend_from_slice(&buf[..n]);
        }
        Some(())
    };
    tokio::time::timeout(REQUEST_DEADLINE, read).await.ok()??;
    let line = String::from_utf8_lossy(&head).lines().next().unwrap_or_default().to_owned();
    let target = line.strip_prefix("GET ").and_then(|rest| rest.split(' ').next()).unwrap_or_default();
    let url = url::Url::parse(&format!("http://127.0.0.1{target}")).ok();
    let query: Vec<(String, String)> = url
        .as_ref()
        .filter(|u| u.path() == PATH)
        .map(|u| u.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
        .unwrap_or_default();
    let get = |key: &str| query.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let ours = get("state")
        .is_some_and(|s| s.len() == state.len() && s.as_bytes().iter().zip(state.as_bytes()).all(|(a, b)| a == b));
    let outcome = match (ours, get("code"), get("error")) {
        (true, Some(code), None) => Some(Outcome::Code(code)),
        (true, _, Some(error)) => Some(Outcome::Refused { error }),
        _ => None,
    };
    let (status, page) = match &outcome {
        Some(Outcome::Code(_)) => ("200 OK", &pages.done),
        Some(Outcome::Refused { .. }) => ("200 OK", &pages.failed),
        None => ("400 Bad Request", &pages.not_ours),
    };
    let body = format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>authdesk</title></head>\
         <body style=\"font-family: sans-serif; margin: 3em\"><p>{page}</p></body></html>",
        lang = pages.lang
    );
    let reply = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(REQUEST_DEADLINE, stream.write_all(reply.as_bytes())).await;
    outcome
}

/// Opens `url` in the system browser, or with `AUTHDESK_BROWSER` when set.
fn open_browser(url: &str) -> Result<()> {
    match std::env::var("AUTHDESK_BROWSER").ok().filter(|c| !c.trim().is_empty()) {
        Some(command) => {
            let mut words = command.split_whitespace();
            let program = words.next().unwrap_or_default();
            std::process::Command::new(program)
                .args(words)
                .arg(url)
                .stdin(std::process::Stdio::null())
                .spawn()
                .map(drop)
                .map_err(|e| CommandError::local(format!("Cannot start the browser command {program:?}: {e}")))
        }
        None => tauri_plugin_opener::open_url(url, None::<&str>)
            .map_err(|e| CommandError::local(format!("Cannot open the browser: {e}"))),
    }
}

impl Desktop {
    /// Whether the current server offers single sign-on (the embedded server does not).
    pub async fn sso_info(&self) -> Result<SsoInfo> {
        let (_, client) = self.current().await;
        if client.browser_url("/").is_none() {
            return Ok(SsoInfo::default());
        }
        client.sso_info().await
    }

    /// Signs in through the provider in the system browser: waits (five minutes at most, or until
    /// [`Desktop::cancel_sso`]) for the browser to come back, then trades the code for a session.
    pub async fn sign_in_with_sso(&self) -> Result<SignInStep> {
        let (server, client) = self.current().await;
        let language = self.language();
        let pages = Pages::new(&words::catalog(language));
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| CommandError::local(format!("Cannot listen for the browser: {e}")))?;
        let port = listener.local_addr().map_err(|e| CommandError::local(e.to_string()))?.port();
        let (state, verifier) = (random(), random());
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        let redirect = format!("http://127.0.0.1:{port}{PATH}");
        let query = [
            ("redirect_uri", redirect.as_str()),
            ("state", &state),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ];
        let start = client
            .browser_url("/api/auth/sso/start")
            .ok_or_else(|| CommandError::rejected("Single sign-on needs a team server"))?;
        let start = url::Url::parse_with_params(&start, query).map_err(|e| CommandError::local(e.to_string()))?;
        open_browser(start.as_str())?;
        let wait = async {
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                if let Some(outcome) = answer(stream, &state, &pages).await {
                    return outcome;
                }
            }
        };
        let outcome = tokio::select! {
            outcome = wait => outcome,
            () = self.sso_cancel.notified() => {
                return Err(CommandError::new(ErrorKind::Rejected, "Single sign-on cancelled"));
            }
            () = tokio::time::sleep(WAIT) => {
                return Err(CommandError::rejected(words::catalog(language).text("sso-timed-out", None)));
            }
        };
        let code = match outcome {
            Outcome::Code(code) => code,
            Outcome::Refused { error } => return Err(refusal(&error, &words::catalog(language))),
        };
        let answer = client.sso_token(&SsoTokenRequest { code, code_verifier: verifier }).await?;
        self.next_step(answer, "your single sign-on account".into(), server).await
    }

    /// Stops a sign-in waiting for the browser.
    pub fn cancel_sso(&self) {
        self.sso_cancel.notify_waiters();
    }
}
