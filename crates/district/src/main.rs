//! `district`: serve the endpoint, enroll phones, import divisions, move the filing clock.

use std::io::Write;

use anyhow::Context;
use clap::Parser;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;
use wenming_district::config::{
    AdvanceClockArgs, Command, Config, EnrollArgs, ImportArgs, ServeArgs,
};
use wenming_district::{db, divisions, enrollment, filings, http};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = Config::parse();
    // Logs go to stderr: stdout carries only what scripts read (the listening line, JSON).
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let store = db::open(&config.db)
        .await
        .with_context(|| format!("cannot open the database {}", config.db.display()))?;
    match config.command {
        Command::Serve(args) => serve(store, args).await,
        Command::Enroll(args) => enroll(store, args).await,
        Command::ImportDivisions(args) => import(store, args).await,
        Command::AdvanceClock(args) => advance_clock(store, args).await,
    }
}

async fn serve(store: std::sync::Arc<dyn db::Store>, args: ServeArgs) -> anyhow::Result<()> {
    let listener = TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.addr))?;
    let addr = listener
        .local_addr()
        .context("cannot read the bound address")?;
    if !args.static_dir.join("index.html").is_file() {
        tracing::warn!(dir = %args.static_dir.display(), "no index.html in the static folder: only the API will answer");
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening on http://{addr}").context("cannot write to stdout")?;
    out.flush().context("cannot write to stdout")?;
    drop(out);
    let sweeper = tokio::spawn(filings::sweep_every(store.clone(), filings::SWEEP_EVERY));
    let settings = http::Settings {
        static_dir: args.static_dir,
        notice_days: args.notice_days,
        volunteer_rules: args.volunteers.rules(),
    };
    let served = http::serve(listener, store, settings, shutdown_signal()).await;
    sweeper.abort();
    served.context("server failed")?;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on SIGINT or SIGTERM. If a handler cannot be installed, that signal is simply
/// not awaited: the process still stops on it, only less gracefully.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}

async fn enroll(store: std::sync::Arc<dyn db::Store>, args: EnrollArgs) -> anyhow::Result<()> {
    let issued = enrollment::issue(
        &*store,
        args.role,
        &args.scope,
        &args.name,
        chrono::Utc::now(),
    )
    .await?;
    let link = enrollment::link(&args.base_url, args.role, &issued.code);
    if args.json {
        let line = serde_json::json!({ "code": issued.code.to_string(), "link": link });
        println!("{line}");
        return Ok(());
    }
    let qr = enrollment::qr(&link).context("cannot draw the QR code")?;
    println!("{qr}");
    println!("enrollment link: {link}");
    println!("code:            {}", issued.code);
    println!(
        "for:             {} as {} ({}) in {}",
        args.name,
        args.role.as_str(),
        args.role.name_zh(),
        args.scope
    );
    println!(
        "valid until:     {} (one use)",
        issued.expires_at.format("%Y-%m-%d %H:%M UTC")
    );
    Ok(())
}

async fn import(store: std::sync::Arc<dyn db::Store>, args: ImportArgs) -> anyhow::Result<()> {
    let report = divisions::import_from_file(&*store, &args.source, &args.district).await?;
    println!(
        "imported district {}: {} towns, {} villages, {} stations; {} changes appended",
        args.district, report.towns, report.villages, report.stations, report.changes
    );
    Ok(())
}

async fn advance_clock(
    store: std::sync::Arc<dyn db::Store>,
    args: AdvanceClockArgs,
) -> anyhow::Result<()> {
    let by = chrono::Duration::days(args.days.into()) + chrono::Duration::hours(args.hours.into());
    let offset = store
        .advance_clock(by)
        .await
        .context("cannot move the filing clock")?;
    let now = chrono::Utc::now() + offset;
    println!(
        "filing clock: {} h ahead of real time, now {} (test deployments only)",
        offset.num_hours(),
        now.format("%Y-%m-%dT%H:%M:%SZ")
    );
    Ok(())
}
