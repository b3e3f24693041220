//! Serving the adapter's HTTP (hyper, HTTP/1.1 and HTTP/2 cleartext): how long a
//! client may take to send its request head, how large the head may be, how many
//! HTTP/2 streams one connection may open, how many connections are served at once,
//! and the drain on shutdown.

use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

/// Default of [`HttpLimits::header_read_timeout`].
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Default of [`HttpLimits::max_header_bytes`] (32 KiB: room for large tokens).
pub const DEFAULT_MAX_HEADER_BYTES: usize = 32 * 1024;
/// Default of [`HttpLimits::max_concurrent_streams`].
pub const DEFAULT_MAX_CONCURRENT_STREAMS: u32 = 100;
/// Default of [`HttpLimits::max_connections`].
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;
/// Default of [`HttpLimits::grace_period`].
pub const DEFAULT_GRACE_PERIOD: Duration = Duration::from_secs(10);
/// Interval of HTTP/2 pings (a ping unanswered for 20 s closes the connection).
pub const HTTP2_KEEPALIVE_INTERVAL: Duration = Duration::from_secs(30);

/// The HTTP server's limits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpLimits {
    /// A client must send its first bytes, and (HTTP/1.1) its whole request head,
    /// within this; else the connection is closed.
    pub header_read_timeout: Duration,
    /// Largest request head (HTTP/1.1 read buffer, at least 8192; HTTP/2
    /// `SETTINGS_MAX_HEADER_LIST_SIZE`), in bytes: 431 above.
    pub max_header_bytes: usize,
    /// HTTP/2 streams one connection may have open (`SETTINGS_MAX_CONCURRENT_STREAMS`).
    pub max_concurrent_streams: u32,
    /// Connections served at once; more wait in the listen backlog.
    pub max_connections: usize,
    /// On shutdown, how long in-flight requests may take to finish.
    pub grace_period: Duration,
}

impl Default for HttpLimits {
    fn default() -> Self {
        Self {
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            max_header_bytes: DEFAULT_MAX_HEADER_BYTES,
            max_concurrent_streams: DEFAULT_MAX_CONCURRENT_STREAMS,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            grace_period: DEFAULT_GRACE_PERIOD,
        }
    }
}

/// The HTTP/2 connection preface: a client that sends a prefix of it is still
/// choosing its protocol.
const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Waits until `stream` has shown which protocol it speaks (the whole HTTP/2
/// preface, or bytes that are not a prefix of it); `false` when it closed first.
async fn protocol_chosen(stream: &TcpStream) -> bool {
    let mut buf = [0u8; 24];
    loop {
        match stream.peek(&mut buf).await {
            Ok(0) | Err(_) => return false,
            Ok(n) if n >= H2_PREFACE.len() || !H2_PREFACE.starts_with(&buf[..n]) => return true,
            // A partial preface: peek again once more has arrived.
            Ok(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

/// Serves `app` on `listener` with `limits` until `shutdown` completes; then stops
/// accepting (the listen socket closes), lets in-flight requests finish for up to
/// `limits.grace_period`, and returns.
pub async fn serve(
    app: axum::Router,
    listener: TcpListener,
    limits: &HttpLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(limits.max_header_bytes.max(8192));
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_concurrent_streams(limits.max_concurrent_streams)
        .max_header_list_size(u32::try_from(limits.max_header_bytes).unwrap_or(u32::MAX))
        .keep_alive_interval(HTTP2_KEEPALIVE_INTERVAL)
        .keep_alive_timeout(Duration::from_secs(20));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of descriptors and the like: back off instead of spinning.
                    tracing::warn!("accept: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let builder = builder.clone();
        let watcher = graceful.watcher();
        let first_bytes = limits.header_read_timeout;
        tokio::spawn(async move {
            let _slot = slot;
            if !matches!(
                tokio::time::timeout(first_bytes, protocol_chosen(&stream)).await,
                Ok(true)
            ) {
                return;
            }
            let connection = builder
                .serve_connection_with_upgrades(TokioIo::new(stream), service)
                .into_owned();
            let _ = watcher.watch(connection).await;
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.grace_period) => {
            tracing::warn!("grace period of {:?} over: closing the requests still in flight", limits.grace_period);
        }
    }
}
