//! Serving a router on a listener with hyper's HTTP/1 connections instead
//! of `axum::serve`, for what it does not offer: a header-read timeout (a
//! client dribbling its headers is cut off), and the peer's address for
//! the rate limits. A stop signal stops accepting, closes idle
//! connections and lets in-flight requests finish.

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;

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
        let conn = builder.serve_connection(TokioIo::new(stream), service(app.clone(), peer));
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

/// The router as a hyper service for one connection from `peer`.
fn service(
    app: Router,
    peer: SocketAddr,
) -> impl hyper::service::Service<
    http::Request<Incoming>,
    Response = axum::response::Response,
    Error = std::convert::Infallible,
    Future = impl Send,
> + Clone {
    hyper::service::service_fn(move |mut req: http::Request<Incoming>| {
        req.extensions_mut().insert(ConnectInfo(peer));
        app.clone().oneshot(req)
    })
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
