//! `link-server`: with no command, parses flags, starts the service, prints
//! where it listens (and the demo links), and shuts down gracefully on
//! SIGINT/SIGTERM; `link-server merchant …` manages merchants and exits.

use clap::Parser;
use link_server::cli::{run_backup, run_merchant, run_webhook, Cli, Command};
use link_server::{start, Config};

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    match &cli.command {
        Some(Command::Merchant(cmd)) => {
            if let Err(e) = run_merchant(&cli.config, cmd, &mut std::io::stdout()) {
                eprintln!("link-server: {e}");
                std::process::exit(1);
            }
        }
        Some(Command::Webhook(cmd)) => {
            if let Err(e) = run_webhook(&cli.config, cmd, &mut std::io::stdout()) {
                eprintln!("link-server: {e}");
                std::process::exit(1);
            }
        }
        Some(Command::Backup { to }) => {
            if let Err(e) = run_backup(&cli.config, to, &mut std::io::stdout()) {
                eprintln!("link-server: {e}");
                std::process::exit(1);
            }
        }
        Some(Command::Catalog) => println!("{}", druo_core::i18n::export()),
        None => serve(cli.config).await,
    }
}

async fn serve(cfg: Config) {
    let server = match start(cfg).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("link-server: cannot start: {e}");
            std::process::exit(1);
        }
    };
    println!("merchant API   http://{}", server.api_addr);
    println!(
        "hosted links   http://{}  (links point at {})",
        server.link_addr, server.public_base
    );
    if let Some(t) = &server.demo_token {
        println!("merchant NOVO token   {t}");
        if let Some(k) = &server.demo_signing_secret {
            println!("merchant NOVO signing secret   {k}");
        }
        for l in &server.demo_links {
            println!("demo: {:<40} {}", l.label, l.url);
        }
    }
    println!("ready");
    wait_for_signal().await;
    println!("shutting down");
    server.shutdown().await;
}

async fn wait_for_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
