//! Serving a router on a listener with hyper's HTTP/1 connections instead
//! of `axum::serve`, for what it does not offer: a header-read timeout (a
//! client dribbling its headers is cut off), and the peer's address for
//! the rate limits, and a lingering close: an answer that closes the
//! connection before the request's body was read (413, 408) reaches a
//! client still sending it. A stop signal stops accepting, closes idle
//! connections and lets in-flight requests finish.

use axum::extract::ConnectInfo;
use axum::http::header;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt;

/// Longest a closing connection keeps reading what its client still
/// sends after the answer.
pub const LINGER_TIME: Duration = Duration::from_secs(2);
/// Most bytes a closing connection reads and discards after the answer.
pub const LINGER_BYTES: usize = 4 * 1024 * 1024;

/// Serves `app` on `listener` until `stop` turns true, then waits for the
/// in-flight requests.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    header_timeout: Duration,
    mut stop: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let stopped = async move {
        let _ = stop.wait_for(|s| *s).await;
    };
    tokio::pin!(stopped);
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    pause_after(&e).await;
                    continue;
                }
            },
            () = &mut stopped => break,
        };
        let linger = Arc::new(AtomicBool::new(false));
        let io = TokioIo::new(Lingering::new(stream, linger.clone()));
        let conn = builder.serve_connection(io, service(app.clone(), peer, linger));
        let watched = graceful.watch(conn);
        // A connection's error (a reset, a header timeout) is the client's
        // business; the connection just ends.
        tokio::spawn(async move {
            let _ = watched.await;
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// The router as a hyper service for one connection from `peer`; an
/// answer that closes the connection (`Connection: close`, as 413 and 408
/// do with the body unread) sets `linger`.
fn service(
    app: Router,
    peer: SocketAddr,
    linger: Arc<AtomicBool>,
) -> impl hyper::service::Service<
    http::Request<Incoming>,
    Response = axum::response::Response,
    Error = std::convert::Infallible,
    Future = impl Send,
> + Clone {
    hyper::service::service_fn(move |mut req: http::Request<Incoming>| {
        req.extensions_mut().insert(ConnectInfo(peer));
        let (app, linger) = (app.clone(), linger.clone());
        async move {
            let res = app.oneshot(req).await?;
            if closes(&res) {
                linger.store(true, Ordering::Relaxed);
            }
            Ok::<_, std::convert::Infallible>(res)
        }
    })
}

/// Whether the answer closes its connection.
fn closes(res: &axum::response::Response) -> bool {
    res.headers()
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim().eq_ignore_ascii_case("close"))
}

/// A connection's socket whose shutdown, once its answer said it closes
/// the connection, lingers: it sends the end of the answer (FIN), then
/// reads and discards what the client still sends until the client
/// closes too, for at most [`LINGER_TIME`] and [`LINGER_BYTES`]. Closing
/// a socket with unread data makes the kernel send a reset, which can
/// destroy the answer before the client reads it (a client still writing
/// its body sees `ECONNRESET` instead of the 413).
///
/// hyper shuts the socket down only when a connection ends in order (an
/// error such as the header timeout drops it at once), after the answer
/// is flushed.
struct Lingering {
    stream: TcpStream,
    /// Set by the service when an answer closes the connection.
    linger: Arc<AtomicBool>,
    /// While lingering: until when, and how much is discarded so far.
    draining: Option<(Pin<Box<tokio::time::Sleep>>, usize)>,
}

impl Lingering {
    fn new(stream: TcpStream, linger: Arc<AtomicBool>) -> Self {
        Lingering {
            stream,
            linger,
            draining: None,
        }
    }
}

impl AsyncRead for Lingering {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Lingering {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
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

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.draining.is_none() {
            ready!(Pin::new(&mut this.stream).poll_shutdown(cx))?;
            if !this.linger.load(Ordering::Relaxed) {
                return Poll::Ready(Ok(()));
            }
            this.draining = Some((Box::pin(tokio::time::sleep(LINGER_TIME)), 0));
        }
        let Some((deadline, discarded)) = this.draining.as_mut() else {
            return Poll::Ready(Ok(()));
        };
        let mut scratch = [0u8; 16 * 1024];
        loop {
            if *discarded >= LINGER_BYTES || deadline.as_mut().poll(cx).is_ready() {
                return Poll::Ready(Ok(()));
            }
            let mut buf = ReadBuf::new(&mut scratch);
            match ready!(Pin::new(&mut this.stream).poll_read(cx, &mut buf)) {
                // The client closed its side (or the connection broke):
                // nothing more to wait for.
                Ok(()) if buf.filled().is_empty() => return Poll::Ready(Ok(())),
                Ok(()) => *discarded += buf.filled().len(),
                Err(_) => return Poll::Ready(Ok(())),
            }
        }
    }
}

/// After a failed accept: a connection-level error (the client gave up) is
/// retried at once; anything else (out of file descriptors) after a
/// moment, so the loop does not spin.
async fn pause_after(e: &std::io::Error) {
    use std::io::ErrorKind::*;
    if !matches!(
        e.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        eprintln!("link-server: accept failed: {e}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
