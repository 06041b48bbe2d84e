//! Connections that the server can cut: every accepted TCP stream carries a kill switch the
//! request handler reaches through `ConnectInfo`, so that an injected dropped connection
//! closes the socket without a single byte of the response being written.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

use super::server::lock;

/// The kill switch of one connection.
#[derive(Debug, Default)]
pub struct KillSwitch {
    killed: AtomicBool,
    /// The last task that waited to read, woken on kill so it sees the error at once.
    reader: Mutex<Option<Waker>>,
}

impl KillSwitch {
    fn is_killed(&self) -> bool {
        self.killed.load(Ordering::Acquire)
    }

    /// From now on every read and write of the connection fails, so the server gives up on
    /// it and closes the socket; nothing more reaches the client.
    pub fn kill(&self) {
        self.killed.store(true, Ordering::Release);
        if let Some(waker) = lock(&self.reader).take() {
            waker.wake();
        }
    }
}

fn aborted() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "connection dropped on purpose",
    )
}

/// A TCP stream that fails every operation once its [`KillSwitch`] is thrown.
#[derive(Debug)]
pub struct SimStream {
    inner: TcpStream,
    switch: Arc<KillSwitch>,
}

impl AsyncRead for SimStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.switch.is_killed() {
            return Poll::Ready(Err(aborted()));
        }
        *lock(&self.switch.reader) = Some(cx.waker().clone());
        if self.switch.is_killed() {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for SimStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.switch.is_killed() {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        if self.switch.is_killed() {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.switch.is_killed() {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.switch.is_killed() {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The TCP listener handing out [`SimStream`]s.
#[derive(Debug)]
pub struct SimListener(pub TcpListener);

impl Listener for SimListener {
    type Io = SimStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (inner, addr) = Listener::accept(&mut self.0).await;
        let _ = inner.set_nodelay(true);
        let stream = SimStream {
            inner,
            switch: Arc::new(KillSwitch::default()),
        };
        (stream, addr)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

/// What a handler knows of its connection: the kill switch (an axum `ConnectInfo`).
#[derive(Clone, Debug)]
pub struct Conn(pub Arc<KillSwitch>);

impl axum::extract::connect_info::Connected<IncomingStream<'_, SimListener>> for Conn {
    fn connect_info(stream: IncomingStream<'_, SimListener>) -> Self {
        Conn(Arc::clone(&stream.io().switch))
    }
}
