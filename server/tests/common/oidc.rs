//! A real OpenID Provider on loopback (panva's oidc-provider, OpenID certified, installed by the
//! test command into `AUTHDESK_TEST_OIDC_MODULES`), and a browser that signs in at it: what a
//! person does at the provider's page, over real HTTP with its cookies.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use super::ChildGuard;

/// How long the provider may take to start.
const DEADLINE: Duration = Duration::from_secs(30);
pub const CLIENT_ID: &str = "authdesk-tests";
pub const CLIENT_SECRET: &str = "a-client-secret-the-provider-and-the-server-share";

pub struct OidcProvider {
    pub issuer: String,
    port: u16,
    callback: String,
    _child: ChildGuard,
}

/// The folder holding `node_modules/oidc-provider` (see `scripts/test.sh`).
fn modules() -> PathBuf {
    let dir = std::env::var_os("AUTHDESK_TEST_OIDC_MODULES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/authdesk/oidc"));
    assert!(
        dir.join("node_modules/oidc-provider").is_dir(),
        "oidc-provider is not installed in {} (run scripts/test.sh, which installs it)",
        dir.display()
    );
    dir
}

impl OidcProvider {
    /// A provider whose one client is this server's, sending browsers back to `callback`.
    pub fn start(callback: &str) -> Self {
        Self::on_port(0, callback)
    }

    /// A hostile provider instead (`tests/oidc/forger.mjs`): its ID tokens are forged as `forge`
    /// says (`key`: signed with a key it did not publish; `audience`: issued to another client).
    pub fn forger(forge: &str) -> Self {
        Self::spawn("forger.mjs", 0, "", Some(forge))
    }

    fn on_port(port: u16, callback: &str) -> Self {
        Self::spawn("provider.mjs", port, callback, None)
    }

    /// Starts `script_name`; a start that fails (the peer, not the server under test) is tried once
    /// more, and if that fails too both reports fail the test.
    fn spawn(script_name: &str, port: u16, callback: &str, forge: Option<&str>) -> Self {
        match Self::try_spawn(script_name, port, callback, forge) {
            Ok(provider) => provider,
            Err(first) => match Self::try_spawn(script_name, port, callback, forge) {
                Ok(provider) => {
                    eprintln!("{script_name}: the first start failed, the second worked:\n{first}");
                    provider
                }
                Err(second) => panic!("{script_name} did not start, twice:\n{first}\n{second}"),
            },
        }
    }

    fn try_spawn(script_name: &str, port: u16, callback: &str, forge: Option<&str>) -> Result<Self, String> {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oidc").join(script_name);
        // Its warnings (development mode) stay out of the test output; read back if it fails.
        let errors = tempfile::tempfile().expect("a temp file");
        let mut errors_copy = errors.try_clone().expect("the temp file again");
        let mut child = ChildGuard::spawn(
            Command::new("node")
                .arg(script)
                .env("FORGE", forge.unwrap_or_default())
                .env("OIDC_MODULES", modules())
                .env("PORT", port.to_string())
                .env("CLIENT_ID", CLIENT_ID)
                .env("CLIENT_SECRET", CLIENT_SECRET)
                .env("REDIRECT_URI", callback)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(errors),
        );
        // It binds first (any free port when 0) and then says which: no port picked here and lost
        // to another test before it binds. Lines before that (the provider's notices) are kept for
        // the report; everything after is read and dropped (a closed pipe would kill it: EPIPE).
        let stdout = child.child().stdout.take().expect("piped");
        let (said, heard) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)).map_while(Result::ok) {
                let _ = said.send(line);
            }
        });
        let started = Instant::now();
        let mut before = Vec::new();
        let outcome = loop {
            match heard.recv_timeout(DEADLINE.saturating_sub(started.elapsed())) {
                Ok(line) => match line.strip_prefix("listening ") {
                    Some(issuer) => break Ok(issuer.trim().to_owned()),
                    None => before.push(line),
                },
                Err(RecvTimeoutError::Timeout) => break Err(format!("nothing said within {DEADLINE:?}")),
                Err(RecvTimeoutError::Disconnected) => {
                    let status = child.wait_within(DEADLINE);
                    break Err(format!("it exited ({status}) after {:?}", started.elapsed()));
                }
            }
        };
        let issuer = outcome.map_err(|why| {
            let mut errors = String::new();
            let _ = std::io::Seek::rewind(&mut errors_copy);
            let _ = std::io::Read::read_to_string(&mut errors_copy, &mut errors);
            format!("{script_name} did not listen: {why}\nstdout:\n{}\nstderr:\n{errors}", before.join("\n"))
        })?;
        let port = issuer.rsplit(':').next().and_then(|p| p.parse().ok()).expect("the issuer names its port");
        Ok(Self { issuer, port, callback: callback.to_owned(), _child: child })
    }

    /// What the provider will say of `subject`: its address, and whether it vouches for it.
    pub async fn account(&self, subject: &str, email: &str, verified: bool) {
        let url = format!("{}/test/accounts/{subject}", self.issuer);
        let body = serde_json::json!({ "email": email, "email_verified": verified });
        let reply = reqwest::Client::new().put(url).json(&body).send().await.unwrap();
        assert_eq!(reply.status(), 204);
    }

    /// Stops the provider (it is down until [`OidcProvider::restart`]).
    pub fn stop(self) -> (u16, String) {
        (self.port, self.callback.clone())
    }

    /// The provider again, on the same port (new signing keys: it keeps nothing).
    pub fn restart((port, callback): (u16, String)) -> Self {
        Self::on_port(port, &callback)
    }
}

/// A browser: its cookies, and no redirect followed by itself (each is looked at).
pub struct Browser {
    http: reqwest::Client,
}

/// Where a sign-in ended: the app's redirect URI, with its query.
pub type Landed = reqwest::Url;

impl Browser {
    pub fn new() -> Self {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        Self { http }
    }

    /// Opens `url` and follows the sign-in through the provider's pages — logging in as the
    /// subject `login` (or cancelling, with `None`) and consenting — until the browser is sent to `app`; the URL
    /// it is sent to. Anything else on the way is the answer it stopped at, as an error.
    pub async fn sign_in(&self, url: &str, login: Option<&str>, app: &str) -> Result<Landed, (u16, String)> {
        let mut at = reqwest::Url::parse(url).unwrap();
        for _ in 0..20 {
            if at.as_str().starts_with(app) {
                return Ok(at);
            }
            let reply = self.http.get(at.clone()).send().await.unwrap();
            let status = reply.status();
            if status.is_redirection() {
                let location = reply.headers()["location"].to_str().unwrap().to_owned();
                at = at.join(&location).unwrap();
                continue;
            }
            let page = reply.text().await.unwrap();
            if status != 200 || !page.contains("<form") {
                return Err((status.as_u16(), page));
            }
            let form: Vec<(&str, &str)> = if page.contains(r#"value="login""#) {
                match login {
                    Some(login) => vec![("prompt", "login"), ("login", login), ("password", "any")],
                    None => {
                        at = at.join(&format!("{}/abort", at.path())).unwrap();
                        continue;
                    }
                }
            } else {
                vec![("prompt", "consent")]
            };
            let reply = self.http.post(at.clone()).form(&form).send().await.unwrap();
            assert!(reply.status().is_redirection(), "the provider's form answered {}", reply.status());
            at = at.join(reply.headers()["location"].to_str().unwrap()).unwrap();
        }
        panic!("the sign-in went round in circles, last at {at}");
    }

    /// One request as the browser makes it: (status, Location, body).
    pub async fn get(&self, url: &str) -> (u16, Option<String>, String) {
        let reply = self.http.get(url).send().await.unwrap();
        let location = reply.headers().get("location").map(|l| l.to_str().unwrap().to_owned());
        (reply.status().as_u16(), location, reply.text().await.unwrap())
    }
}
