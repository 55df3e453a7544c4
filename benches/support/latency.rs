//! A TCP proxy on loopback that adds network latency: every byte that
//! crosses it, either way, arrives half the configured round trip later.
//! Bandwidth is not limited and order is kept, as on a real link whose
//! round trip is the added delay.
//!
//! ```ignore
//! let proxy = LatencyProxy::start("127.0.0.1:8000", Duration::from_millis(10)).await?;
//! let client = client_via(&client, proxy.endpoint());
//! ```
//!
//! The proxy and every connection it carries stop when it is dropped.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;

/// A running proxy: connections to [`endpoint`](LatencyProxy::endpoint)
/// reach the target with the delay added.
pub(crate) struct LatencyProxy {
    endpoint: String,
    accept: JoinHandle<()>,
}

impl LatencyProxy {
    /// Listens on a free loopback port and forwards each connection to
    /// `target` (`host:port`, or a URL such as `http://127.0.0.1:8000`),
    /// adding `round_trip` to every request's round trip.
    pub(crate) async fn start(target: &str, round_trip: Duration) -> io::Result<Self> {
        let target = target
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let address: SocketAddr = listener.local_addr()?;
        let one_way = round_trip / 2;
        let accept = tokio::spawn(async move {
            // Dropping the set (when the accept task is aborted) aborts every
            // connection's task.
            let mut connections = JoinSet::new();
            loop {
                tokio::select! {
                    accepted = listener.accept() => {
                        let Ok((client, _)) = accepted else { continue };
                        let target = target.clone();
                        connections.spawn(async move {
                            if let Ok(server) = TcpStream::connect(&target).await {
                                carry(client, server, one_way).await;
                            }
                        });
                    }
                    // Reap finished connections so the set does not grow.
                    Some(_) = connections.join_next(), if !connections.is_empty() => {}
                }
            }
        });
        Ok(LatencyProxy {
            endpoint: format!("http://{address}"),
            accept,
        })
    }

    /// The proxy's URL, to use as a client's endpoint.
    pub(crate) fn endpoint(&self) -> &str {
        &self.endpoint
    }
}

impl Drop for LatencyProxy {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// Carries one connection both ways until both sides have closed.
async fn carry(client: TcpStream, server: TcpStream, one_way: Duration) {
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    tokio::join!(
        delayed(client_read, server_write, one_way),
        delayed(server_read, client_write, one_way),
    );
}

/// Copies `from` to `to`, each chunk written `delay` after it was read. A
/// reader and a writer task joined by a queue, so that chunks read while
/// earlier ones wait are not held back further: the link has latency, not
/// a lower bandwidth.
async fn delayed(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, delay: Duration) {
    let (sender, mut receiver) = mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
    let reader = async move {
        let mut buffer = vec![0; 64 * 1024];
        loop {
            match from.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if sender
                        .send((Instant::now() + delay, buffer[..n].to_vec()))
                        .is_err()
                    {
                        break;
                    }
                }
            }
        }
        // Dropping the sender ends the writer after the last chunk.
    };
    let writer = async move {
        while let Some((due, chunk)) = receiver.recv().await {
            tokio::time::sleep_until(due).await;
            if to.write_all(&chunk).await.is_err() {
                return;
            }
        }
        let _ = to.shutdown().await;
    };
    tokio::join!(reader, writer);
}
