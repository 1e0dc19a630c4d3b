//! Serving a router on a TCP listener, with the bound address and a handle to stop it gracefully.
//!
//! hyper directly rather than `axum::serve`, which runs hyper without a timer (so hyper's
//! header-read deadline is off) and accepts every connection: a client trickling one header line
//! at a time, or a few thousand of them, would hold their connections (and file descriptors) for
//! ever. Here a connection that has not sent a whole request head within the deadline — a new one
//! or an idle keep-alive one — is closed, and past the cap a new connection is closed at once while
//! the ones being served carry on.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::middleware::AddExtension;
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinHandle;
use tower::Service;

pub use crate::config::ConnectionLimits;

pub struct RunningServer {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: JoinHandle<io::Result<()>>,
}

/// Stops a [`RunningServer`] from elsewhere (a signal handler, a test).
#[derive(Clone)]
pub struct ShutdownHandle(watch::Sender<bool>);

impl ShutdownHandle {
    /// Stops accepting connections; requests in flight finish.
    pub fn shutdown(&self) {
        let _ = self.0.send(true);
    }
}

impl RunningServer {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn shutdown_handle(&self) -> ShutdownHandle {
        ShutdownHandle(self.stop.clone())
    }

    /// Waits until the server stops (after a shutdown request).
    pub async fn wait(self) -> io::Result<()> {
        self.task.await.map_err(io::Error::other)?
    }

    /// Requests a graceful shutdown and waits for it.
    pub async fn shutdown(self) -> io::Result<()> {
        let _ = self.stop.send(true);
        self.wait().await
    }
}

/// Serves `router` on `listener` in a background task, within `limits`. Clients' addresses reach
/// handlers (the login rate limit is per address).
pub fn serve(router: Router, listener: TcpListener, limits: ConnectionLimits) -> io::Result<RunningServer> {
    let addr = listener.local_addr()?;
    let (stop, stopped) = watch::channel(false);
    let router = router.layer(axum::Extension(crate::http::ShuttingDown(stopped.clone())));
    let task = tokio::spawn(accept(router, listener, limits, stopped));
    Ok(RunningServer { addr, stop, task })
}

fn builder(limits: &ConnectionLimits) -> auto::Builder<TokioExecutor> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    // The deadline runs from the first byte a request head is awaited, so it also closes an idle
    // keep-alive connection.
    builder.http1().timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(limits.header_read_timeout)
        .keep_alive_timeout(limits.header_read_timeout)
        .max_concurrent_streams(100);
    builder
}

async fn accept(
    router: Router,
    listener: TcpListener,
    limits: ConnectionLimits,
    mut stopped: watch::Receiver<bool>,
) -> io::Result<()> {
    let builder = builder(&limits);
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut make_service = router.into_make_service_with_connect_info::<SocketAddr>();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = stop_requested(&mut stopped) => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                accept_failed(e).await;
                continue;
            }
        };
        // Full: this connection is closed unread; the ones being served are not slowed.
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tracing::debug!(%peer, max = limits.max_connections, "connection refused: at the connection cap");
            drop(stream);
            continue;
        };
        let service = match make_service.call(peer).await {
            Ok(service) => service,
            Err(never) => match never {},
        };
        let connection = serve_connection(&builder, stream, service);
        let connection = graceful.watch(connection.into_owned());
        tokio::spawn(async move {
            // A client that went away or broke the protocol: nothing to tell anyone.
            if let Err(e) = connection.await {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// The router with the client's address as a request extension, as `axum::serve` gives it.
type WithPeer = AddExtension<Router, ConnectInfo<SocketAddr>>;

fn serve_connection<'a>(
    builder: &'a auto::Builder<TokioExecutor>,
    stream: TcpStream,
    service: WithPeer,
) -> auto::UpgradeableConnection<'a, TokioIo<TcpStream>, TowerToHyperService<WithPeer>, TokioExecutor> {
    let _ = stream.set_nodelay(true);
    builder.serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(service))
}

/// Resolves once a stop is requested (the guard `wait_for` returns is not `Send`: dropped here).
async fn stop_requested(stopped: &mut watch::Receiver<bool>) {
    let _ = stopped.wait_for(|stop| *stop).await;
}

/// What `accept` failing means: a connection reset before it was taken is nothing; out of file
/// descriptors, wait a moment for some to close rather than spin (as `axum::serve` does).
async fn accept_failed(e: io::Error) {
    if matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused | io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset
    ) {
        return;
    }
    tracing::warn!(error = %e, "accepting a connection failed; retrying in a second");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// Resolves on SIGINT (Ctrl-C) or, on Unix, SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sig) => {
                sig.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}
