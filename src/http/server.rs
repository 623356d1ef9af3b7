//! Running an axum app on a listener with bounds a hostile or broken client cannot push past:
//! a fixed number of connections at once (the rest wait in the kernel's queue), a deadline for
//! each request head and for idle keep-alive connections, a deadline for a client that stops
//! reading, a cap on the size of a request head, and accept errors (out of file descriptors,
//! say) met with a short pause instead of a busy loop or a panic.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Sleep;

/// How much a server lets each client take.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Connections served at once; more wait until one closes.
    pub(crate) connections: usize,
    /// From the start of a connection, or the end of the last response, until a whole
    /// request head has arrived; also how long an idle keep-alive connection stays open.
    pub(crate) head_timeout: Duration,
    /// How long a response may wait for a client that does not read it.
    pub(crate) write_stall: Duration,
    /// Largest request head (request line and headers) in bytes; hyper answers 431 past it.
    pub(crate) max_head: usize,
    /// Most header lines in a request head.
    pub(crate) max_headers: usize,
}

/// Threads the server's runtime runs on: a fixed number, so that no amount of clients makes
/// the process start more (a thread per connection ran out of processes under a limit).
const WORKERS: usize = 2;
/// The first pause after an accept error, doubled on each error in a row up to the longest.
const FIRST_PAUSE: Duration = Duration::from_millis(10);
const LONGEST_PAUSE: Duration = Duration::from_millis(500);

/// Serves `app` on `listener` until the process ends. Fails only if the runtime or the
/// listener cannot be set up.
pub(crate) fn run(listener: std::net::TcpListener, app: Router, limits: Limits) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKERS)
        .max_blocking_threads(1)
        .thread_name("gongdu-http")
        .enable_io()
        .enable_time()
        .build()?;
    listener.set_nonblocking(true)?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        accept_loop(listener, app, limits).await;
        Ok(())
    })
}

async fn accept_loop(listener: tokio::net::TcpListener, app: Router, limits: Limits) {
    let mut http = hyper::server::conn::http1::Builder::new();
    // Header names as most servers write them (`Content-Type`), which simple clients and
    // tests that read raw responses expect.
    http.title_case_headers(true)
        .timer(TokioTimer::new())
        .header_read_timeout(limits.head_timeout)
        .max_buf_size(limits.max_head)
        .max_headers(limits.max_headers);
    let permits = Arc::new(Semaphore::new(limits.connections));
    let mut pause = FIRST_PAUSE;
    loop {
        let permit = match Arc::clone(&permits).acquire_owned().await {
            Ok(permit) => permit,
            Err(_) => return, // the semaphore is never closed
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // The client gave up before we took it: nothing to wait for.
            Err(e) if is_client_error(&e) => continue,
            Err(e) => {
                if pause == FIRST_PAUSE {
                    eprintln!("cannot accept connections for now ({e}); retrying");
                }
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(LONGEST_PAUSE);
                continue;
            }
        };
        pause = FIRST_PAUSE;
        let _ = stream.set_nodelay(true);
        let io = TokioIo::new(Bounded::new(stream, permit, limits.write_stall));
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let connection = http.serve_connection(io, service);
        tokio::spawn(async move {
            // A connection's end, clean or not, concerns only that client.
            let _ = connection.await;
        });
    }
}

fn is_client_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// A client's connection: holds its place among [`Limits::connections`] until dropped, and
/// fails a write that has made no progress for [`Limits::write_stall`].
struct Bounded<S = TcpStream> {
    stream: S,
    _place: OwnedSemaphorePermit,
    write_stall: Duration,
    stalled_since: Option<Pin<Box<Sleep>>>,
}

impl<S> Bounded<S> {
    fn new(stream: S, place: OwnedSemaphorePermit, write_stall: Duration) -> Bounded<S> {
        Bounded {
            stream,
            _place: place,
            write_stall,
            stalled_since: None,
        }
    }

    /// After a write returned `result`: progress resets the stall clock; waiting too long
    /// turns `Pending` into an error that ends the connection.
    fn watch<T>(
        &mut self,
        result: Poll<io::Result<T>>,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<T>> {
        if result.is_ready() {
            self.stalled_since = None;
            return result;
        }
        let stall = self.write_stall;
        let clock = self
            .stalled_since
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(stall)));
        match clock.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Bounded<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Bounded<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.stream).poll_write(cx, buf);
        this.watch(result, cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        this.watch(result, cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.stream).poll_flush(cx);
        this.watch(result, cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    #[tokio::test]
    async fn a_client_that_stops_reading_is_dropped_and_frees_its_place() {
        let places = Arc::new(Semaphore::new(1));
        let place = Arc::clone(&places).acquire_owned().await.expect("a place");
        // The other end never reads, so the second write cannot finish.
        let (ours, _theirs) = tokio::io::duplex(16);
        let mut client = Bounded::new(ours, place, Duration::from_millis(50));
        client.write_all(&[0; 16]).await.expect("fits the buffer");
        let stalled = client.write_all(&[0; 16]).await.expect_err("times out");
        assert_eq!(stalled.kind(), io::ErrorKind::TimedOut);
        assert_eq!(places.available_permits(), 0, "held while open");
        drop(client);
        assert_eq!(places.available_permits(), 1, "freed when dropped");
    }

    #[tokio::test]
    async fn a_slow_reader_that_keeps_reading_is_not_dropped() {
        use tokio::io::AsyncReadExt;
        let places = Arc::new(Semaphore::new(1));
        let place = Arc::clone(&places).acquire_owned().await.expect("a place");
        let (ours, mut theirs) = tokio::io::duplex(4);
        let reader = tokio::spawn(async move {
            let mut got = Vec::new();
            let mut chunk = [0; 4];
            while let Ok(n @ 1..) = theirs.read(&mut chunk).await {
                got.extend_from_slice(&chunk[..n]);
                // Slower than nothing, faster than the stall limit.
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            got.len()
        });
        let mut client = Bounded::new(ours, place, Duration::from_millis(500));
        client
            .write_all(&[7; 64])
            .await
            .expect("written bit by bit");
        drop(client);
        assert_eq!(reader.await.expect("reader"), 64);
    }
}
