//! link-server: the DRUO Link reference service. One process, two
//! listeners, mirroring production's two hosts: the merchant API
//! (api.druo.com paths) and the hosted-link origin (the built app plus the
//! public API the pages call).

pub mod auth;
pub mod body;
pub mod catalog;
pub mod cli;
pub mod clock;
pub mod error;
pub mod files;
pub mod forms;
pub mod html;
pub mod ids;
pub mod inventory;
pub mod limits;
pub mod merchant;
pub mod page;
pub mod preview;
pub mod probes;
pub mod public;
pub mod rate;
pub mod receipts;
pub mod reports;
pub mod sealed;
pub mod seclog;
pub mod secrets;
pub mod seed;
pub mod serve;
pub mod state;
pub mod store;
pub mod upkeep;
pub mod visit;
pub mod web;
pub mod webhooks;

use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Command-line flags; each also reads an environment variable.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// The database: a SQLite file (a path or `sqlite:PATH`, created and
    /// migrated on start) or PostgreSQL (`postgres://…`, migrated on
    /// start; several link-servers may share it).
    #[arg(long, env = "LINK_DB", default_value = "data/link.db", global = true)]
    pub db: store::db::Location,
    /// Folder for the files kept beside the database (the demo token)
    /// [default: the SQLite file's folder, or `data` with PostgreSQL].
    #[arg(long, env = "LINK_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// The file of the service's keys (`name=value` lines, mode 0600),
    /// shared by every instance on one database; `LINK_SECRET_KEY` in the
    /// environment derives them instead [default with SQLite: `secrets`
    /// in the data folder, created on first start]. See `secrets`.
    #[arg(long, env = "LINK_SECRET_FILE", global = true)]
    pub secret_file: Option<PathBuf>,
    /// Directory of the built app (trunk's output).
    #[arg(long, env = "LINK_DIST", default_value = "dist")]
    pub dist: PathBuf,
    /// Merchant API listen address.
    #[arg(long, env = "LINK_API_ADDR", default_value = "127.0.0.1:8081")]
    pub api_addr: SocketAddr,
    /// Hosted-link origin listen address.
    #[arg(long, env = "LINK_LINK_ADDR", default_value = "127.0.0.1:8080")]
    pub link_addr: SocketAddr,
    /// Origin written into each link's `url` [default: http://<link-addr>].
    #[arg(long, env = "LINK_PUBLIC_BASE")]
    pub public_link_base: Option<String>,
    /// Seed the demo merchant NOVO, the reference fixtures and demo links.
    #[arg(long, env = "LINK_SEED_DEMO")]
    pub seed_demo: bool,
    /// Serve the link pages as built, for the browser to render, as a
    /// static file host would (the tests walk both ways); by default a
    /// link page's first screen comes rendered in its first response.
    #[arg(long, env = "LINK_CLIENT_RENDER")]
    pub client_render: bool,
    /// Hours an `Idempotency-Key`'s answer is kept: a retry within them
    /// is answered the same; older answers are deleted.
    #[arg(long, env = "LINK_IDEMPOTENCY_HOURS", default_value_t = 24)]
    pub idempotency_hours: u32,
    /// File the security log is appended to (`seclog`; created 0600)
    /// [default: standard error].
    #[arg(long, env = "LINK_SECURITY_LOG", global = true)]
    pub security_log: Option<PathBuf>,
    /// Request size, time and rate limits (docs/reliability.md).
    #[command(flatten)]
    pub limits: limits::Limits,
    /// Webhook deliveries (docs/api.md, "Webhooks").
    #[command(flatten)]
    pub webhooks: webhooks::Flags,
    /// Receipt emails (docs/api.md, "Receipts").
    #[command(flatten)]
    pub receipts: receipts::Flags,
}

impl Config {
    /// Where the files kept beside the database go.
    pub fn data_folder(&self) -> PathBuf {
        self.data_dir.clone().unwrap_or_else(|| self.db.folder())
    }
}

/// A running service.
pub struct Server {
    /// Where the merchant API listens.
    pub api_addr: SocketAddr,
    /// Where the hosted links listen.
    pub link_addr: SocketAddr,
    /// The origin in link urls.
    pub public_base: String,
    /// The demo merchant's token, when seeded.
    pub demo_token: Option<String>,
    /// The demo merchant's signing secret, when seeded.
    pub demo_signing_secret: Option<String>,
    /// Demo links, when seeded.
    pub demo_links: Vec<seed::DemoLink>,
    /// The database, for tests that need a second merchant.
    pub db: store::db::Db,
    /// The service's keys, for tests that read sealed rows (`sealed`).
    pub secrets: Arc<secrets::Secrets>,
    /// The merchant API's router as served, for tests that send it requests
    /// in process (`tower::ServiceExt::oneshot`) rather than over a socket.
    pub api_router: axum::Router,
    /// The hosted-link origin's router as served, likewise.
    pub link_router: axum::Router,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<std::io::Result<()>>>,
    upkeep: JoinHandle<()>,
    sender: JoinHandle<()>,
    receipts: Option<JoinHandle<()>>,
}

impl Server {
    /// Stops accepting, lets in-flight requests finish, and returns.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        self.upkeep.abort();
        self.sender.abort();
        if let Some(r) = self.receipts {
            r.abort();
        }
        for t in self.tasks {
            let _ = t.await;
        }
    }
}

/// Opens the database, seeds, binds both listeners and starts serving.
pub async fn start(cfg: Config) -> Result<Server, Box<dyn std::error::Error + Send + Sync>> {
    let db = store::db::Db::open(&cfg.db)?;
    db.blocking(store::institutions::seed_catalog)?;
    let secrets =
        secrets::Secrets::load(&db, &cfg.db, cfg.secret_file.as_deref(), &cfg.data_folder())?;
    let secrets = Arc::new(secrets);
    // Rows from before sealing are sealed before serving: the list filters
    // compare blind indexes, which only sealed rows have.
    upkeep::seal_plaintext(&db, secrets.sealer())?;
    // Every merchant signs its redirects, under the current key.
    db.blocking(|tx| {
        store::merchants::ensure_signing_secrets(tx, secrets.sealer())?;
        store::merchants::reseal_signing_secrets(tx, secrets.sealer())?;
        store::webhooks::reseal_endpoints(tx, secrets.sealer())
    })?;
    let api = TcpListener::bind(cfg.api_addr).await?;
    let link = TcpListener::bind(cfg.link_addr).await?;
    let (api_addr, link_addr) = (api.local_addr()?, link.local_addr()?);
    let public_base = cfg
        .public_link_base
        .clone()
        .unwrap_or_else(|| format!("http://{link_addr}"))
        .trim_end_matches('/')
        .to_string();
    let (demo_keys, demo_links) = if cfg.seed_demo {
        let folder = cfg.data_folder();
        let keys = seed::DemoKeys {
            token: seed::demo_token(&folder, std::env::var("DRUO_API_TOKEN").ok())?,
            signing_secret: seed::demo_signing_secret(
                &folder,
                std::env::var("DRUO_SIGNING_SECRET").ok(),
            )?,
        };
        let (_, links) = seed::demo(&db, secrets.sealer(), &keys, &public_base)?;
        (Some(keys), links)
    } else {
        (None, Vec::new())
    };
    let seclog = seclog::SecurityLog::open(cfg.security_log.as_deref())?;
    // Payments promise a receipt email only when a sender runs.
    let receipts = receipts::spawn(db.clone(), secrets.clone(), &cfg.receipts);
    let state = state::AppState {
        seclog,
        db: db.clone(),
        public_base: Arc::from(public_base.as_str()),
        dist: Arc::new(cfg.dist.clone()),
        render_pages: !cfg.client_render,
        secrets: secrets.clone(),
        trusted_proxies: cfg.limits.trusted_proxy.clone().into(),
        webhook_allow: cfg.webhooks.allow(),
        email_receipts: receipts.is_some(),
        rate: Arc::new(rate::RateLimiter::new(
            cfg.limits.link_writes_per_minute,
            cfg.limits.client_writes_per_minute,
        )),
    };
    let (tx, rx) = watch::channel(false);
    let header_timeout = cfg.limits.header_timeout();
    let serve = |listener: TcpListener, app: axum::Router, rx: watch::Receiver<bool>| {
        tokio::spawn(serve::serve(listener, app, header_timeout, rx))
    };
    let api_router = merchant::router(state.clone(), &cfg.limits);
    let link_router = web::router(state, &cfg.limits);
    let tasks = vec![
        serve(api, api_router.clone(), rx.clone()),
        serve(link, link_router.clone(), rx),
    ];
    let keep_ms = i64::from(cfg.idempotency_hours) * 3_600_000;
    let upkeep = upkeep::spawn(db.clone(), keep_ms, secrets.sealer().clone());
    let sender = webhooks::spawn(
        db.clone(),
        secrets.clone(),
        public_base.clone(),
        cfg.webhooks.clone(),
    );
    Ok(Server {
        api_addr,
        link_addr,
        public_base,
        demo_token: demo_keys.as_ref().map(|k| k.token.clone()),
        demo_signing_secret: demo_keys.map(|k| k.signing_secret),
        demo_links,
        db,
        secrets,
        api_router,
        link_router,
        shutdown: tx,
        tasks,
        upkeep,
        sender,
        receipts,
    })
}
