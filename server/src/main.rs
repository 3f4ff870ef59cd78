//! `alleyvote`: serve the site (default), or load the demo data and exit.

use std::process::ExitCode;
use std::time::Duration;

use alleyvote::config::{Config, Vars};
use alleyvote::{build, demo, run, store, telemetry};

const USAGE: &str = "usage: alleyvote [serve | demo | migrate]
  serve    serve the site (the default)
  demo     load the demo campaign into the database, then exit
  migrate  apply database migrations, then exit
  ballot-codes <community-id> <count> [--cards FILE.html]
           print <count> new one-time ballot codes for a community as CSV,
           and with --cards write a printable page with a QR code per card
  admin create <username> <role> [display name]
           create an organizer account (roles: admin, reviewer,
           station_operator, screen_operator); the password is read from
           ALLEYVOTE_ADMIN_PASSWORD or, if unset, from the first line of stdin
  audit verify [--head SEQ:HASH]
           check the audit log's keyed hash chain; names the first broken
           entry; prints the head (SEQ:HASH) to note down elsewhere, and
           with --head checks that a noted head is still there, unchanged
  audit seal
           seal entries hashed before the chain was keyed (once, after an
           upgrade, by an operator who has checked them)
  tally verify [campaign]
           recount every vote and compare with the running tally, nominee by
           nominee (every campaign if none is named); fails on any difference
  purge    remove sign-in codes, expired sessions, login attempts and kept
           vote answers past their keeping periods (ALLEYVOTE_KEEP_*_DAYS);
           every instance also does this hourly
Configuration comes from environment variables; see docs/configuration.md.";

#[tokio::main]
async fn main() -> ExitCode {
    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".into());
    let config = match Vars::from_env().and_then(|vars| Config::load(&vars)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("alleyvote: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(config.log_json);
    let result = match command.as_str() {
        "serve" => serve(config).await,
        "demo" => load_demo(config).await,
        "migrate" => migrate(config).await,
        "ballot-codes" => ballot_codes(config, std::env::args().skip(2).collect()).await,
        "admin" => admin(config, std::env::args().skip(2).collect()).await,
        "audit" => audit(config, std::env::args().skip(2).collect()).await,
        "tally" => tally(config, std::env::args().skip(2).collect()).await,
        "purge" => purge(config).await,
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command {other:?}\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("alleyvote: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> Result<(), String> {
    let server = build(&config).await.map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    tracing::info!(addr = %config.addr, database = %config.database.redacted(), "serving Alley Vote on http://{}", config.addr);
    let grace = config.shutdown_grace;
    run(listener, server, shutdown_signal(grace))
        .await
        .map_err(|e| e.to_string())
}

async fn load_demo(config: Config) -> Result<(), String> {
    let store = store::connect(&config.database, &store::StoreSettings::of(&config))
        .await
        .map_err(|e| e.to_string())?;
    let summary = demo::load(
        &*store,
        alleyvote_domain::Millis::now(),
        demo::DemoVotes::Some,
    )
    .await
    .map_err(|e| e.to_string())?;
    println!(
        "demo campaign {} ready: {} nominees, {} demo votes added",
        summary.campaign_slug, summary.nominees, summary.votes_cast
    );
    Ok(())
}

async fn migrate(config: Config) -> Result<(), String> {
    store::connect(&config.database, &store::StoreSettings::of(&config))
        .await
        .map_err(|e| e.to_string())?;
    println!("database {} is up to date", config.database.redacted());
    Ok(())
}

/// Prints new ballot codes as CSV (`code,community_id`) and, with
/// `--cards FILE`, writes a printable page with a QR code per card. Only the
/// codes' hashes are stored, so this is the one chance to print them.
async fn ballot_codes(config: Config, args: Vec<String>) -> Result<(), String> {
    let usage = || {
        format!(
            "usage: alleyvote ballot-codes <community-id> <count (1-10000)> [--cards FILE.html]\n{USAGE}"
        )
    };
    let (Some(community), Some(count)) = (args.first(), args.get(1)) else {
        return Err(usage());
    };
    let cards_file = match args.get(2).map(String::as_str) {
        None => None,
        Some("--cards") => Some(args.get(3).ok_or_else(usage)?.clone()),
        Some(_) => return Err(usage()),
    };
    let community = alleyvote_domain::CommunityId(community.parse().map_err(|_| usage())?);
    let count: usize = count
        .parse()
        .ok()
        .filter(|n| (1..=10_000).contains(n))
        .ok_or_else(usage)?;
    let store = store::connect(&config.database, &store::StoreSettings::of(&config))
        .await
        .map_err(|e| e.to_string())?;
    let place = store
        .community(community)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("there is no community with id {}", community.0))?;
    let signin = alleyvote::signin::Signin {
        store,
        hasher: alleyvote::keyed_hashes::Hasher::new(&config.phone_hash_key),
        sender: std::sync::Arc::new(alleyvote::signin::sms::LogSender::new(
            config.sms_outbox.clone(),
        )),
        limits: config.sms_limits,
        session_ttl_ms: config.session_ttl.as_millis() as i64,
        sessions: alleyvote::ttl_cache::Memo::new(alleyvote::signin::SESSION_MEMO, 1),
        cards: Default::default(),
        challenges: alleyvote::signin::challenge::Challenges::new(
            config.secret_key.expose(),
            None,
            alleyvote::cache::shared::SharedState::none(),
        ),
    };
    let codes = signin
        .new_ballot_codes(
            alleyvote::audit::Actor::SYSTEM,
            community,
            count,
            alleyvote_domain::Millis::now(),
        )
        .await
        .map_err(|e| format!("cannot store the codes: {e}"))?;
    if let Some(path) = cards_file {
        let base = config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", config.addr));
        let page = alleyvote::signin::ballot_cards::printable_page(&codes, &place, &base);
        std::fs::write(&path, page).map_err(|e| format!("cannot write {path}: {e}"))?;
        eprintln!("wrote {} printable cards to {path}", codes.len());
    }
    println!("code,community_id");
    for code in codes {
        println!(
            "{},{}",
            alleyvote_domain::signin::ballot_code::printed(&code),
            community.0
        );
    }
    Ok(())
}

/// `alleyvote admin create <username> <role> [display name]`
async fn admin(config: Config, args: Vec<String>) -> Result<(), String> {
    use alleyvote_domain::organizer::Role;
    let usage =
        || format!("usage: alleyvote admin create <username> <role> [display name]\n{USAGE}");
    let (Some("create"), Some(username), Some(role)) =
        (args.first().map(String::as_str), args.get(1), args.get(2))
    else {
        return Err(usage());
    };
    let role = Role::parse(role).ok_or_else(|| {
        format!("unknown role {role:?}: use admin, reviewer, station_operator or screen_operator")
    })?;
    let display_name = args.get(3).cloned().unwrap_or_default();
    let password = match std::env::var("ALLEYVOTE_ADMIN_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            eprintln!("password for {username} (one line):");
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| format!("cannot read the password: {e}"))?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    let store = store::connect(&config.database, &store::StoreSettings::of(&config))
        .await
        .map_err(|e| e.to_string())?;
    let organizers = alleyvote::organizers::Organizers::new(
        store.clone(),
        store,
        alleyvote::keyed_hashes::Hasher::new(&config.phone_hash_key),
    );
    let id = organizers
        .create(
            None,
            username,
            &display_name,
            role,
            &password,
            alleyvote_domain::Millis::now(),
        )
        .await
        .map_err(|e| format!("cannot create {username}: {e}"))?;
    println!(
        "created organizer {username} ({}) with id {}",
        role.as_str(),
        id.0
    );
    Ok(())
}

/// `alleyvote audit verify [--head SEQ:HASH]`
async fn audit(config: Config, args: Vec<String>) -> Result<(), String> {
    let usage = || format!("usage: alleyvote audit verify [--head SEQ:HASH] | audit seal\n{USAGE}");
    match args.first().map(String::as_str) {
        Some("verify") => {}
        Some("seal") if args.len() == 1 => return audit_seal(config).await,
        _ => return Err(usage()),
    }
    // A head noted down earlier: the chain must still hold that entry, unchanged.
    let noted = match (args.get(1).map(String::as_str), args.get(2)) {
        (None, _) => None,
        (Some("--head"), Some(head)) => Some(parse_head(head).ok_or_else(usage)?),
        _ => return Err(usage()),
    };
    let store = store::connect(&config.database, &store::StoreSettings::of(&config))
        .await
        .map_err(|e| e.to_string())?;
    let chain = store.audit_chain().await.map_err(|e| e.to_string())?;
    let kept = noted.map(|(seq, _)| chain.iter().find(|e| e.record.seq == seq).map(|e| e.hash));
    let head = alleyvote::audit::verify(&config.audit_key, chain.into_iter().map(|e| e.link()))
        .map_err(|broken| broken.to_string())?;
    if let (Some((seq, hash)), Some(kept)) = (noted, kept) {
        if kept != Some(hash) {
            return Err(format!(
                "the noted head, entry {seq}, is not in the log as noted: entries were cut off or replaced"
            ));
        }
    }
    println!(
        "audit log intact: {} entries, head {}:{}",
        head.entries,
        head.entries,
        hex::encode(head.hash)
    );
    Ok(())
}

/// `alleyvote audit seal`: seals entries hashed before the chain was keyed,
/// once, by an operator who has checked them.
async fn audit_seal(config: Config) -> Result<(), String> {
    let store = store::connect(&config.database, &store::StoreSettings::of(&config))
        .await
        .map_err(|e| e.to_string())?;
    let log = alleyvote::audit::AuditLog {
        store,
        key: config.audit_key.clone(),
    };
    match log
        .seal_plain_entries(alleyvote_domain::Millis::now())
        .await
        .map_err(|e| e.to_string())?
    {
        Some(seq) => println!("sealed entries 1 to {seq} with a keyed entry after them"),
        None => println!("nothing to seal: the newest entry is keyed"),
    }
    Ok(())
}

/// `alleyvote purge`
async fn purge(config: Config) -> Result<(), String> {
    let store = store::connect(&config.database, &store::StoreSettings::of(&config))
        .await
        .map_err(|e| e.to_string())?;
    let purged =
        alleyvote::retention::purge(&*store, &config.retention, alleyvote_domain::Millis::now())
            .await
            .map_err(|e| e.to_string())?;
    println!("removed: {purged}");
    Ok(())
}

/// `SEQ:HASH`, as `audit verify` prints a head.
fn parse_head(text: &str) -> Option<(i64, [u8; 32])> {
    let (seq, hash) = text.split_once(':')?;
    let hash: [u8; 32] = hex::decode(hash).ok()?.try_into().ok()?;
    Some((seq.parse().ok()?, hash))
}

async fn tally(config: Config, args: Vec<String>) -> Result<(), String> {
    if args.first().map(String::as_str) != Some("verify") {
        return Err(format!("usage: alleyvote tally verify [campaign]\n{USAGE}"));
    }
    let store = store::connect(&config.database, &store::StoreSettings::of(&config))
        .await
        .map_err(|e| e.to_string())?;
    let campaigns = match args.get(1) {
        Some(slug) => vec![store
            .campaign(slug)
            .await
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("no campaign {slug:?}"))?],
        None => store.campaigns().await.map_err(|e| e.to_string())?,
    };
    let mut differing = 0;
    for campaign in &campaigns {
        let check = alleyvote::results::verify::verify(&*store, campaign)
            .await
            .map_err(|e| e.to_string())?;
        println!("{check}\n");
        differing += usize::from(!check.agrees());
    }
    match differing {
        0 => Ok(()),
        n => Err(format!(
            "the running tally differs from the records in {n} campaign(s)"
        )),
    }
}

/// Resolves on SIGTERM or Ctrl-C; a second signal, or the grace period
/// running out, ends the process even if requests are still running.
async fn shutdown_signal(grace: Duration) {
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
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tokio::spawn(async move {
        tokio::time::sleep(grace).await;
        tracing::warn!("grace period over: exiting with requests still running");
        std::process::exit(1);
    });
}
