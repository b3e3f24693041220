//! Accepted connections with a read timeout: a peer that sends nothing for the
//! timeout (no request line or header, no HTTP/2 preface, no answer to the server's
//! keepalive ping) is disconnected, so slow or stalled clients cannot hold sockets
//! and memory forever. Both listeners use it.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{Instant, Sleep};

/// A connection whose reads fail with `TimedOut` after `timeout` without a byte.
pub struct ReadTimeout {
    io: TcpStream,
    timeout: Duration,
    /// Armed while a read waits.
    deadline: Pin<Box<Sleep>>,
    armed: bool,
}

impl ReadTimeout {
    /// Wraps an accepted connection.
    pub fn new(io: TcpStream, timeout: Duration) -> Self {
        Self {
            io,
            timeout,
            deadline: Box::pin(tokio::time::sleep(timeout)),
            armed: false,
        }
    }
}

impl AsyncRead for ReadTimeout {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.io).poll_read(cx, buf) {
            Poll::Ready(result) => {
                this.armed = false;
                Poll::Ready(result)
            }
            Poll::Pending => {
                if !this.armed {
                    this.deadline.as_mut().reset(Instant::now() + this.timeout);
                    this.armed = true;
                }
                match this.deadline.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        format!("the peer sent nothing for {:?}", this.timeout),
                    ))),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }
}

impl AsyncWrite for ReadTimeout {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }
}

impl tonic::transport::server::Connected for ReadTimeout {
    type ConnectInfo = tonic::transport::server::TcpConnectInfo;
    fn connect_info(&self) -> Self::ConnectInfo {
        self.io.connect_info()
    }
}

/// A listener whose connections are [`ReadTimeout`]s, for `axum::serve`.
pub struct TimedListener {
    listener: TcpListener,
    timeout: Duration,
}

impl TimedListener {
    /// Wraps a bound listener.
    pub fn new(listener: TcpListener, timeout: Duration) -> Self {
        Self { listener, timeout }
    }

    /// The connections of this listener, as a stream for tonic.
    pub fn incoming(self) -> impl tokio_stream::Stream<Item = io::Result<ReadTimeout>> {
        let timeout = self.timeout;
        tokio_stream::StreamExt::map(
            tokio_stream::wrappers::TcpListenerStream::new(self.listener),
            move |accepted| {
                let io = accepted?;
                let _ = io.set_nodelay(true);
                Ok(ReadTimeout::new(io, timeout))
            },
        )
    }
}

impl axum::serve::Listener for TimedListener {
    type Io = ReadTimeout;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (ReadTimeout, std::net::SocketAddr) {
        let (io, addr) = axum::serve::Listener::accept(&mut self.listener).await;
        (ReadTimeout::new(io, self.timeout), addr)
    }

    fn local_addr(&self) -> io::Result<std::net::SocketAddr> {
        self.listener.local_addr()
    }
}
