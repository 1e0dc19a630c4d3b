//! A TCP relay between the server and its PostgreSQL that can stop forwarding, as a database
//! host that hangs (or a network that drops packets) does: connections stay open, nothing answers.
//! It can also cut every connection and refuse new ones for a while, as a database restarting does.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub struct Relay {
    pub addr: SocketAddr,
    frozen: Arc<AtomicBool>,
    /// Bumped to cut every open connection.
    generation: Arc<AtomicU64>,
    refusing: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl Relay {
    pub async fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let frozen = Arc::new(AtomicBool::new(false));
        let generation = Arc::new(AtomicU64::new(0));
        let refusing = Arc::new(AtomicBool::new(false));
        let (flag, cut, refuse) = (frozen.clone(), generation.clone(), refusing.clone());
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                if refuse.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let Ok(server) = TcpStream::connect(target).await else { continue };
                let (client_read, client_write) = client.into_split();
                let (server_read, server_write) = server.into_split();
                let born = cut.load(Ordering::SeqCst);
                tokio::spawn(pump(client_read, server_write, flag.clone(), cut.clone(), born));
                tokio::spawn(pump(server_read, client_write, flag.clone(), cut.clone(), born));
            }
        });
        Self { addr, frozen, generation, refusing, task }
    }

    /// Closes every open connection and refuses new ones until [`Relay::restore`]: what the
    /// server sees while its database restarts.
    pub fn go_down(&self) {
        self.refusing.store(true, Ordering::SeqCst);
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    pub fn restore(&self) {
        self.refusing.store(false, Ordering::SeqCst);
    }

    /// From now on, nothing passes in either direction (bytes wait in the relay).
    pub fn freeze(&self) {
        self.frozen.store(true, Ordering::SeqCst);
    }

    pub fn thaw(&self) {
        self.frozen.store(false, Ordering::SeqCst);
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn pump(
    mut from: impl AsyncReadExt + Unpin,
    mut to: impl AsyncWriteExt + Unpin,
    frozen: Arc<AtomicBool>,
    generation: Arc<AtomicU64>,
    born: u64,
) {
    let mut buf = vec![0u8; 16 * 1024];
    let cut = || generation.load(Ordering::SeqCst) != born;
    loop {
        while frozen.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        // Reads wake up now and then to notice a cut (dropping both halves closes the sockets).
        let n = loop {
            if cut() {
                return;
            }
            match tokio::time::timeout(Duration::from_millis(20), from.read(&mut buf)).await {
                Err(_) => continue,
                Ok(Ok(0) | Err(_)) => return,
                Ok(Ok(n)) => break n,
            }
        };
        if cut() {
            return;
        }
        while frozen.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        if to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}

/// `url` with its host and port replaced by `addr` (`postgresql://user@host:5432/db?…`).
pub fn via(url: &str, addr: SocketAddr) -> String {
    let authority_start = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[authority_start..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let host_start = rest[..authority_end].rfind('@').map_or(0, |i| i + 1);
    format!("{}{}{addr}{}", &url[..authority_start], &rest[..host_start], &rest[authority_end..])
}

/// The host and port of a `postgresql://` URL, resolved.
pub fn target_of(url: &str) -> SocketAddr {
    use std::net::ToSocketAddrs;
    let authority_start = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[authority_start..];
    let authority = &rest[..rest.find(['/', '?']).unwrap_or(rest.len())];
    let host_port = authority.rsplit('@').next().unwrap();
    let host_port = if host_port.contains(':') { host_port.to_owned() } else { format!("{host_port}:5432") };
    host_port.to_socket_addrs().unwrap().next().unwrap()
}
