//! Accepting connections so that idle or hostile clients cannot starve the
//! others: at most `max_connections` open at once (a new one waits for a free
//! slot instead of failing for lack of file descriptors), and a connection
//! that neither sends nor receives anything for `idle_timeout` (a request
//! head or body that stalls, a keep-alive nobody uses) is closed.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};

/// The listener axum serves from.
#[derive(Debug)]
pub(crate) struct Guarded {
    listener: TcpListener,
    slots: Arc<Semaphore>,
    idle_timeout: Duration,
}

impl Guarded {
    pub(crate) fn new(listener: TcpListener, max_connections: usize, idle_timeout: Duration) -> Self {
        Self { listener, slots: Arc::new(Semaphore::new(max_connections.max(1))), idle_timeout }
    }
}

impl axum::serve::Listener for Guarded {
    type Io = Connection;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            // Wait for a free slot before taking the next connection off the backlog.
            let permit = match self.slots.clone().acquire_owned().await {
                Ok(permit) => permit,
                // The semaphore is never closed; if it were, accept nothing more.
                Err(_) => std::future::pending().await,
            };
            match self.listener.accept().await {
                Ok((stream, address)) => {
                    let _ = stream.set_nodelay(true);
                    let connection = Connection {
                        stream,
                        _permit: permit,
                        idle_timeout: self.idle_timeout,
                        last_activity: Instant::now(),
                        timer: None,
                    };
                    return (connection, address);
                }
                // Out of descriptors or a connection reset before accept: wait a little, go on.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.listener.local_addr()
    }
}

/// One accepted connection: its slot is freed when it closes.
#[derive(Debug)]
pub(crate) struct Connection {
    stream: TcpStream,
    _permit: OwnedSemaphorePermit,
    idle_timeout: Duration,
    last_activity: Instant,
    /// One timer per connection, armed when a read has to wait and pushed
    /// back only when it fires after activity.
    timer: Option<Pin<Box<Sleep>>>,
}

impl Connection {
    /// Whether the connection has been idle too long; arms the timer otherwise.
    fn idle_too_long(&mut self, cx: &mut Context<'_>) -> bool {
        let deadline = self.last_activity + self.idle_timeout;
        let timer = self.timer.get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
        loop {
            if timer.as_mut().poll(cx).is_pending() {
                return false;
            }
            let deadline = self.last_activity + self.idle_timeout;
            if Instant::now() >= deadline {
                return true;
            }
            timer.as_mut().reset(deadline);
        }
    }
}

impl AsyncRead for Connection {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let before = buf.filled().len();
        match Pin::new(&mut this.stream).poll_read(cx, buf) {
            Poll::Ready(result) => {
                if buf.filled().len() > before {
                    this.last_activity = Instant::now();
                }
                Poll::Ready(result)
            }
            Poll::Pending if this.idle_too_long(cx) => {
                Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "the client sent nothing for too long")))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncWrite for Connection {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let result = Pin::new(&mut this.stream).poll_write(cx, data);
        if let Poll::Ready(Ok(n)) = &result
            && *n > 0
        {
            this.last_activity = Instant::now();
        }
        result
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
