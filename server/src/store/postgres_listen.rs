//! PostgreSQL's `LISTEN`, on a connection of its own (pooled connections are handed from request
//! to request and cannot hold a subscription): each notification's payload goes to `deliver`. A
//! lost connection is made again, waiting 1 s, then twice as long each time, up to 30 s.

use std::time::Duration;

use futures_util::stream::{self, StreamExt as _};
use tokio_postgres::tls::MakeTlsConnect;
use tokio_postgres::{AsyncMessage, Config, NoTls, Socket};
use tokio_postgres_rustls::MakeRustlsConnect;

/// Listens on `channel` until the task is aborted, saying whether it listens through `listening`.
pub async fn listen(
    config: Config,
    tls: Option<MakeRustlsConnect>,
    channel: &'static str,
    deliver: impl Fn(&str),
    listening: impl Fn(bool),
) {
    let mut wait = Duration::from_secs(1);
    loop {
        let outcome = match &tls {
            Some(tls) => session(&config, tls.clone(), channel, &deliver, &listening).await,
            None => session(&config, NoTls, channel, &deliver, &listening).await,
        };
        listening(false);
        match outcome {
            Ok(()) => wait = Duration::from_secs(1),
            Err(e) => tracing::warn!(error = %e, "task events: the listening connection failed; connecting again"),
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(Duration::from_secs(30));
    }
}

/// One connection's life: `LISTEN`, then every notification until it ends.
async fn session<T>(
    config: &Config,
    tls: T,
    channel: &'static str,
    deliver: &impl Fn(&str),
    listening: &impl Fn(bool),
) -> Result<(), String>
where
    T: MakeTlsConnect<Socket>,
    T::Stream: Send + 'static,
{
    let (client, mut connection) = config.connect(tls).await.map_err(|e| e.to_string())?;
    let mut messages = stream::poll_fn(move |cx| connection.poll_message(cx));
    let statement = format!("LISTEN {channel}");
    let listened = client.batch_execute(&statement);
    tokio::pin!(listened);
    let mut listened_yet = false;
    loop {
        tokio::select! {
            done = &mut listened, if !listened_yet => {
                done.map_err(|e| e.to_string())?;
                listened_yet = true;
                listening(true);
            }
            message = messages.next() => match message {
                Some(Ok(AsyncMessage::Notification(n))) if n.channel() == channel => deliver(n.payload()),
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e.to_string()),
                None => return Ok(()),
            },
        }
    }
}
