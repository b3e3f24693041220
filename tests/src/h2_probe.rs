//! A raw HTTP/2 client connection whose server SETTINGS have arrived, to check the
//! limits a server advertises (`SETTINGS_MAX_CONCURRENT_STREAMS`, ...) and to send
//! what a typed client cannot (headers without a body).

use bytes::Bytes;
use h2::client::{Connection, SendRequest};
use tokio::net::{TcpStream, ToSocketAddrs};

/// An HTTP/2 connection to `addr`, after the server's SETTINGS (which come before its
/// answer to a ping). Poll or spawn the connection to keep using it.
pub async fn settled(
    addr: impl ToSocketAddrs,
) -> (SendRequest<Bytes>, Connection<TcpStream, Bytes>) {
    let tcp = TcpStream::connect(addr).await.unwrap();
    let (client, mut connection) = h2::client::handshake(tcp).await.unwrap();
    let mut ping_pong = connection.ping_pong().unwrap();
    tokio::select! {
        closed = &mut connection => panic!("the connection closed: {closed:?}"),
        pong = ping_pong.ping(h2::Ping::opaque()) => drop(pong.unwrap()),
    }
    (client, connection)
}
