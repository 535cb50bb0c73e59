//! `lontara serve`: the site built in memory, served over HTTP, rebuilt after every edit.
//!
//! Three threads of work: the watcher (`watch`) reports settled bursts of changes; one
//! rebuild loop owns the build `Session`, folds every report waiting into one rebuild and
//! swaps the new snapshot in whole; the HTTP server (`http`) answers from whatever
//! snapshot is current. The search index is rebuilt on its own thread once edits have been
//! quiet for a moment, and never holds up a rebuild or a page.

pub mod http;
pub mod watch;

use crate::commands::BuildOptions;
use crate::diagnostics::{self, Diagnostic, Format};
use crate::engine::{self, Outcome, Session, Snapshot};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

pub struct ServeOptions {
    pub root: PathBuf,
    pub port: u16,
    pub bind: String,
    pub drafts: bool,
    pub open: bool,
    pub this_year: i32,
}

/// How long edits must be quiet before the search index is rebuilt.
const INDEX_AFTER: Duration = Duration::from_millis(800);
/// A report arriving this soon after the last one belongs to the same burst of changes
/// (the watcher reports every quarter of its settle time while a burst goes on).
const BURST_GAP: Duration = Duration::from_millis(8);
/// A burst that goes on longer is rebuilt anyway, so that the page does not wait forever.
const BURST_MAX: Duration = Duration::from_millis(1000);

/// What the HTTP side reads; written only by the rebuild loop.
pub struct State {
    pub bind: String,
    pub port: u16,
    pub loopback: bool,
    /// `LONTARA_TRACE` set: each rebuild prints the time of its steps.
    pub trace: bool,
    pub root: PathBuf,
    pub books: Arc<engine::books::BookCache>,
    snapshot: RwLock<Option<Arc<Snapshot>>>,
    errors: RwLock<Vec<Diagnostic>>,
    search: RwLock<Arc<HashMap<String, Arc<Vec<u8>>>>>,
    pub events: tokio::sync::broadcast::Sender<String>,
}

impl State {
    pub fn snapshot(&self) -> Option<Arc<Snapshot>> {
        self.snapshot.read().ok()?.clone()
    }

    pub fn search_file(&self, rel: &str) -> Option<Arc<Vec<u8>>> {
        self.search.read().ok()?.get(rel).cloned()
    }

    /// The message a newly opened page gets first: the errors, if any.
    pub fn status_message(&self) -> String {
        let errors = self.errors.read().map(|e| e.clone()).unwrap_or_default();
        if errors.is_empty() {
            serde_json::json!({"type": "ok"}).to_string()
        } else {
            serde_json::json!({"type": "errors", "items": errors}).to_string()
        }
    }

    fn send(&self, msg: serde_json::Value) {
        let _ = self.events.send(msg.to_string());
    }
}

enum Msg {
    Changed(watch::Batch),
    Indexed(u64, Result<engine::Indexed, String>),
}

pub fn run(opts: ServeOptions) -> Result<(), String> {
    let root = opts
        .root
        .canonicalize()
        .map_err(|e| format!("cannot open the catalogue {}: {e}", opts.root.display()))?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let listener = rt
        .block_on(tokio::net::TcpListener::bind((
            opts.bind.as_str(),
            opts.port,
        )))
        .map_err(|e| format!("cannot listen on {}:{}: {e}", opts.bind, opts.port))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot listen: {e}"))?;
    let loopback = addr.ip().is_loopback();
    let host = if addr.ip().is_unspecified() {
        "localhost".to_string()
    } else {
        opts.bind.clone()
    };
    let url = format!("http://{host}:{}/", addr.port());
    if !loopback {
        eprintln!(
            "warning: serving on {} makes the preview reachable from other machines; \
             use the default --bind 127.0.0.1 unless you mean it",
            addr
        );
    }

    let mut session = Session::new(BuildOptions {
        root: root.clone(),
        out: None,
        base_url: Some(url.clone()),
        drafts: opts.drafts,
        this_year: opts.this_year,
    })
    .watched();
    let (events, _) = tokio::sync::broadcast::channel(64);
    let state = Arc::new(State {
        bind: host.clone(),
        port: addr.port(),
        loopback,
        trace: std::env::var_os("LONTARA_TRACE").is_some(),
        root: root.clone(),
        books: session.books.clone(),
        snapshot: RwLock::new(None),
        errors: RwLock::new(Vec::new()),
        search: RwLock::new(Arc::new(HashMap::new())),
        events,
    });

    let (tx, rx) = mpsc::channel::<Msg>();
    let (wtx, wrx) = mpsc::channel::<watch::Batch>();
    let _watcher = watch::start(&root, wtx)?;
    {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for batch in wrx {
                if tx.send(Msg::Changed(batch)).is_err() {
                    break;
                }
            }
        });
    }
    // The first build, before the first request.
    apply(&state, session.rebuild(&[]), Why::Start);
    println!("serving {url} (Ctrl+C to stop)");
    if opts.open {
        let _ = open::that(&url);
    }
    {
        let state = state.clone();
        std::thread::spawn(move || rebuild_loop(session, state, rx, tx));
    }
    rt.block_on(async move {
        axum::serve(listener, http::router(state))
            .await
            .map_err(|e| format!("the server stopped: {e}"))
    })
}

fn rebuild_loop(
    mut session: Session,
    state: Arc<State>,
    rx: mpsc::Receiver<Msg>,
    tx: mpsc::Sender<Msg>,
) {
    let mut indexing = false;
    loop {
        let first = match rx.recv_timeout(INDEX_AFTER) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => {
                // Quiet: bring the search index up to date, on its own thread.
                if !indexing && let Some((fp, records, lang)) = session.index_job() {
                    indexing = true;
                    let tx = tx.clone();
                    std::thread::spawn(move || {
                        let _ = tx.send(Msg::Indexed(fp, engine::index(records, &lang)));
                    });
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return,
        };
        // Everything already waiting joins this rebuild, and so does what follows within
        // BURST_GAP: the watcher reports a long burst (a checkout of 200 files on a busy
        // machine) in several batches, and it must still be one rebuild.
        let mut dirty = Vec::new();
        let mut since: Option<Instant> = None;
        let burst = matches!(first, Msg::Changed(_));
        let mut msgs = vec![first];
        let started = Instant::now();
        loop {
            match rx.try_recv() {
                Ok(m) => msgs.push(m),
                Err(_) if !burst || started.elapsed() > BURST_MAX => break,
                Err(_) => match rx.recv_timeout(BURST_GAP) {
                    Ok(m) => msgs.push(m),
                    Err(_) => break,
                },
            }
        }
        for m in msgs {
            match m {
                Msg::Changed(b) => {
                    since = Some(since.map_or(b.since, |s| s.min(b.since)));
                    dirty.extend(b.paths);
                }
                Msg::Indexed(fp, result) => {
                    indexing = false;
                    match result {
                        Ok((files, page)) => {
                            let files = files.into_iter().map(|(p, b)| (p, Arc::new(b))).collect();
                            if let Ok(mut s) = state.search.write() {
                                *s = Arc::new(files);
                            }
                            session.indexed(fp, page);
                        }
                        Err(e) => eprintln!("error: search index: {e}"),
                    }
                }
            }
        }
        if dirty.iter().any(|p| *p == state.root) {
            // A rescan: nothing read before can be trusted.
            session = session.forget_all();
        }
        let why = if dirty.is_empty() {
            Why::Indexed
        } else {
            Why::Edit
        };
        if state.trace
            && let Some(t) = since
        {
            println!(
                "  first event {:.1} ms before the rebuild",
                t.elapsed().as_secs_f64() * 1000.0
            );
        }
        apply(&state, session.rebuild(&dirty), why);
    }
}

#[derive(PartialEq)]
enum Why {
    Start,
    Edit,
    Indexed,
}

/// Publishes a rebuild: the new snapshot and a reload message, or the errors.
fn apply(state: &State, outcome: Outcome, why: Why) {
    let clock = clock();
    match outcome {
        Outcome::Updated(u) => {
            let had_errors = state.errors.read().map(|e| !e.is_empty()).unwrap_or(false);
            if let Ok(mut e) = state.errors.write() {
                e.clear();
            }
            if let Ok(mut s) = state.snapshot.write() {
                *s = Some(u.snapshot.clone());
            }
            let n = u.snapshot.site.cat.entries.len();
            if why == Why::Indexed {
                println!("{clock} search index updated ({n} innovations)");
                notify(state, &u, had_errors);
                return;
            }
            if why == Why::Start {
                println!(
                    "{clock} built {n} innovations, {} pages in {} ms",
                    u.rendered,
                    u.took.as_millis()
                );
                return;
            }
            let what = if u.entries.is_empty() {
                String::new()
            } else if u.entries.len() <= 5 {
                format!(": {}", u.entries.join(", "))
            } else {
                format!(": {} entries", u.entries.len())
            };
            println!(
                "{clock} rebuilt in {} ms{what} ({} pages rendered, {} files changed)",
                u.took.as_millis(),
                u.rendered,
                u.changed.len()
            );
            if state.trace {
                let steps: Vec<String> = u
                    .phases
                    .iter()
                    .map(|(s, d)| format!("{s} {:.1}", d.as_secs_f64() * 1000.0))
                    .collect();
                println!("  steps (ms): {}", steps.join(", "));
            }
            notify(state, &u, had_errors);
        }
        Outcome::Failed(diags) => {
            eprint!("{}", diagnostics::render(&diags, Format::Human));
            eprintln!(
                "{clock} {}; still serving the last good version",
                diagnostics::summary(diags.len(), 0)
            );
            if let Ok(mut e) = state.errors.write() {
                *e = diags.clone();
            }
            state.send(serde_json::json!({"type": "errors", "items": diags}));
        }
    }
}

/// Tells open pages what changed: reload the pages that did, swap stylesheets, or clear the
/// error overlay.
fn notify(state: &State, u: &engine::Update, had_errors: bool) {
    if u.css_only {
        state.send(serde_json::json!({"type": "css"}));
    } else if !u.changed.is_empty() {
        let paths: Vec<String> = u
            .changed
            .iter()
            .map(|p| format!("/{}", p.strip_suffix("index.html").unwrap_or(p)))
            .collect();
        let all = paths.len() > 500 || paths.iter().any(|p| !p.ends_with('/'));
        state.send(serde_json::json!({"type": "reload", "all": all, "paths": if all { Vec::new() } else { paths }}));
    } else if had_errors {
        state.send(serde_json::json!({"type": "ok"}));
    }
}

/// Hours:minutes:seconds (UTC), for the rebuild lines.
fn clock() -> String {
    let s = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!("{:02}:{:02}:{:02}", s / 3600 % 24, s / 60 % 60, s % 60)
}
