//! Serving the backend: the transport limits (HTTP/2 streams and headers, request
//! timeout, keepalives, connections), the shared-key check in front of every
//! service, and the drain on shutdown.

use crate::Backend;
use crate::auth::{self, SharedKey};
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, oneshot};
use tonic::transport::server::{Connected, TcpConnectInfo};

/// Default of [`ServerOptions::max_concurrent_streams`].
pub const DEFAULT_MAX_CONCURRENT_STREAMS: u32 = 100;
/// Default of [`ServerOptions::max_header_list_bytes`] (16 KiB).
pub const DEFAULT_MAX_HEADER_LIST_BYTES: u32 = 16 * 1024;
/// Default of [`ServerOptions::request_timeout`].
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Default of [`ServerOptions::http2_keepalive_interval`].
pub const DEFAULT_HTTP2_KEEPALIVE_INTERVAL: Duration = Duration::from_secs(30);
/// Default of [`ServerOptions::http2_keepalive_timeout`].
pub const DEFAULT_HTTP2_KEEPALIVE_TIMEOUT: Duration = Duration::from_secs(10);
/// Default of [`ServerOptions::tcp_keepalive`].
pub const DEFAULT_TCP_KEEPALIVE: Duration = Duration::from_secs(60);
/// Default of [`ServerOptions::max_connections`].
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;
/// Default of [`ServerOptions::grace_period`].
pub const DEFAULT_GRACE_PERIOD: Duration = Duration::from_secs(10);
/// Default of [`ServerOptions::handshake_timeout`].
pub const DEFAULT_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// The HTTP/2 connection preface every gRPC client sends first.
const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// How the backend serves: who may call and the transport limits.
#[derive(Clone, Debug)]
pub struct ServerOptions {
    /// The key every call must carry (`None`: no check; see [`auth`]).
    pub key: Option<SharedKey>,
    /// HTTP/2 streams (calls) one connection may have open at once
    /// (`SETTINGS_MAX_CONCURRENT_STREAMS`).
    pub max_concurrent_streams: u32,
    /// Largest header list (metadata) of a call, in bytes
    /// (`SETTINGS_MAX_HEADER_LIST_SIZE`).
    pub max_header_list_bytes: u32,
    /// A call not answered within this is cancelled (`CANCELLED`, "Timeout
    /// expired"); a shorter `grpc-timeout` of the caller wins.
    pub request_timeout: Duration,
    /// Interval of HTTP/2 pings on idle connections.
    pub http2_keepalive_interval: Duration,
    /// A connection whose ping is not answered within this is closed.
    pub http2_keepalive_timeout: Duration,
    /// TCP keepalive idle time of accepted sockets.
    pub tcp_keepalive: Duration,
    /// Connections served at once; more wait in the listen backlog.
    pub max_connections: usize,
    /// A new connection must send the whole HTTP/2 preface within this, else it is
    /// closed (a slow or silent client holds a connection slot no longer).
    pub handshake_timeout: Duration,
    /// On shutdown, how long in-flight calls may take to finish before their
    /// connections are closed.
    pub grace_period: Duration,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            key: None,
            max_concurrent_streams: DEFAULT_MAX_CONCURRENT_STREAMS,
            max_header_list_bytes: DEFAULT_MAX_HEADER_LIST_BYTES,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            http2_keepalive_interval: DEFAULT_HTTP2_KEEPALIVE_INTERVAL,
            http2_keepalive_timeout: DEFAULT_HTTP2_KEEPALIVE_TIMEOUT,
            tcp_keepalive: DEFAULT_TCP_KEEPALIVE,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            handshake_timeout: DEFAULT_HANDSHAKE_TIMEOUT,
            grace_period: DEFAULT_GRACE_PERIOD,
        }
    }
}

impl Backend {
    /// Serves every service on `listener` with `options` until `shutdown` completes;
    /// then stops accepting, lets in-flight calls finish for up to
    /// `options.grace_period`, and returns.
    pub async fn serve_with(
        self,
        listener: TcpListener,
        options: &ServerOptions,
        shutdown: impl Future<Output = ()> + Send,
    ) -> Result<(), tonic::transport::Error> {
        let key = options.key.clone();
        let check = move |request: tonic::Request<()>| {
            auth::check(key.as_ref(), &request)?;
            Ok(request)
        };
        let (stopping, stopped) = oneshot::channel::<()>();
        let signal = async move {
            shutdown.await;
            let _ = stopping.send(());
        };
        let server = tonic::transport::Server::builder()
            .max_concurrent_streams(options.max_concurrent_streams)
            .http2_max_header_list_size(options.max_header_list_bytes)
            .timeout(options.request_timeout)
            .http2_keepalive_interval(Some(options.http2_keepalive_interval))
            .http2_keepalive_timeout(Some(options.http2_keepalive_timeout))
            .layer(tonic::service::InterceptorLayer::new(check))
            .add_routes(self.routes())
            .serve_with_incoming_shutdown(incoming(listener, options), signal);
        let grace = options.grace_period;
        let cut = async move {
            match stopped.await {
                Ok(()) => tokio::time::sleep(grace).await,
                Err(_) => std::future::pending().await,
            }
        };
        tokio::select! {
            served = server => served,
            () = cut => {
                eprintln!("grace period of {grace:?} over: closing the calls still in flight");
                Ok(())
            }
        }
    }
}

/// Waits until `stream` has sent the whole HTTP/2 preface; `false` when it closed or
/// sent something else first.
async fn preface_sent(stream: &TcpStream) -> bool {
    let mut buf = [0u8; 24];
    loop {
        match stream.peek(&mut buf).await {
            Ok(0) | Err(_) => return false,
            Ok(n) if !H2_PREFACE.starts_with(&buf[..n]) => return false,
            Ok(n) if n >= H2_PREFACE.len() => return true,
            // Part of it: peek again once more has arrived.
            Ok(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

/// The accepted connections of `listener`, at most `options.max_connections` at once,
/// each with TCP keepalive and only once it sent the HTTP/2 preface within
/// `options.handshake_timeout`. Accepting stops (and the listen socket closes) once
/// the stream is dropped.
fn incoming(
    listener: TcpListener,
    options: &ServerOptions,
) -> tokio_stream::wrappers::ReceiverStream<io::Result<Limited>> {
    let (tx, rx) = mpsc::channel(1);
    let slots = Arc::new(Semaphore::new(options.max_connections));
    let (keepalive, handshake) = (options.tcp_keepalive, options.handshake_timeout);
    tokio::spawn(async move {
        loop {
            let permit = tokio::select! {
                permit = slots.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
                () = tx.closed() => return,
            };
            let accepted = tokio::select! {
                accepted = listener.accept() => accepted,
                () = tx.closed() => return,
            };
            let stream = match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of descriptors and the like: back off instead of spinning.
                    eprintln!("accept: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let keepalive = socket2::TcpKeepalive::new().with_time(keepalive);
            let _ = socket2::SockRef::from(&stream).set_tcp_keepalive(&keepalive);
            let _ = stream.set_nodelay(true);
            let tx = tx.clone();
            tokio::spawn(async move {
                let sent = tokio::time::timeout(handshake, preface_sent(&stream)).await;
                if sent == Ok(true) {
                    let connection = Limited {
                        stream,
                        _slot: permit,
                    };
                    let _ = tx.send(Ok(connection)).await;
                }
            });
        }
    });
    tokio_stream::wrappers::ReceiverStream::new(rx)
}

/// An accepted connection holding one of the `max_connections` slots until dropped.
struct Limited {
    stream: TcpStream,
    _slot: OwnedSemaphorePermit,
}

impl Connected for Limited {
    type ConnectInfo = TcpConnectInfo;

    fn connect_info(&self) -> TcpConnectInfo {
        self.stream.connect_info()
    }
}

impl AsyncRead for Limited {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Limited {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}
