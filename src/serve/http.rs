//! The HTTP side of `serve`: files from the current snapshot in memory, the live-reload
//! channel, and the checks that keep a local preview server from serving anyone else:
//! GET and HEAD only, the `Host` of this server only (against DNS rebinding), an `Origin`
//! check on the event channel, and paths looked up in the site's own routes (never joined
//! onto a folder, so `..` and encoded slashes cannot leave it).

use super::State;
use crate::engine::Snapshot;
use crate::site::plan::hash_of;
use axum::body::Body;
use axum::extract::State as Extract;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::sync::Arc;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

pub const LIVE_JS: &str = include_str!("live.js");
const EVENTS: &str = "/__lontara/events";
const SCRIPT: &str = "/__lontara/live.js";

pub fn router(state: Arc<State>) -> axum::Router {
    axum::Router::new().fallback(handle).with_state(state)
}

/// True when `host` (the Host header) names this server: its bound address or localhost,
/// or any IP literal when bound beyond loopback (a rebinding attack needs a host name).
pub fn host_allowed(host: &str, bind: &str, port: u16, loopback: bool) -> bool {
    let host = host.to_ascii_lowercase();
    let (name, p) = match host.rsplit_once(':') {
        Some((n, p)) if !n.ends_with(']') || host.starts_with('[') => (n.to_string(), p),
        _ => (host.clone(), ""),
    };
    if !p.is_empty() && p != port.to_string() {
        return false;
    }
    let bare = name.trim_start_matches('[').trim_end_matches(']');
    if bare == "localhost" || bare == bind {
        return true;
    }
    match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback() || !loopback,
        Err(_) => false,
    }
}

async fn handle(
    Extract(state): Extract<Arc<State>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
        )
            .into_response();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !host_allowed(host, &state.bind, state.port, state.loopback) {
        return (StatusCode::FORBIDDEN, "unknown host\n").into_response();
    }
    match uri.path() {
        EVENTS => events(state, &headers),
        // Its address carries a hash of it (`script_tag`): a reload takes it from the cache.
        SCRIPT => (
            [
                (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                (header::CACHE_CONTROL, "max-age=31536000, immutable"),
            ],
            LIVE_JS,
        )
            .into_response(),
        path => file(&state, path, uri.query(), &headers).await,
    }
}

fn events(state: Arc<State>, headers: &HeaderMap) -> Response {
    if let Some(origin) = headers.get(header::ORIGIN) {
        let ok = origin.to_str().ok().is_some_and(|o| {
            let rest = o
                .strip_prefix("http://")
                .unwrap_or("")
                .trim_end_matches('/');
            host_allowed(rest, &state.bind, state.port, state.loopback)
        });
        if !ok {
            return (StatusCode::FORBIDDEN, "foreign origin\n").into_response();
        }
    }
    // The page learns the present state first, then every change.
    let first = state.status_message();
    let rx = state.events.subscribe();
    let stream = tokio_stream::once(first)
        .chain(BroadcastStream::new(rx).filter_map(|m| m.ok()))
        .map(|m| Ok::<Event, Infallible>(Event::default().data(m)));
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// The site path a request names: percent-decoded, folders ending in `index.html`.
/// None for anything that is not a plain path inside the site.
pub fn site_path(path: &str) -> Option<String> {
    let decoded = percent_decode(path)?;
    let rel = decoded.strip_prefix('/')?;
    if rel.contains('\\')
        || rel.contains('\0')
        || rel.split('/').any(|seg| seg == ".." || seg == ".")
        || rel.starts_with('/')
        || rel.contains("//")
    {
        return None;
    }
    Some(if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    })
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

async fn file(
    state: &Arc<State>,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
) -> Response {
    let Some(rel) = site_path(path) else {
        return not_found(state);
    };
    let Some(snap) = state.snapshot() else {
        // The first build failed: a page that shows the errors and waits for the fix.
        return html(
            StatusCode::SERVICE_UNAVAILABLE,
            b"<!doctype html><title>lontara</title><body><p>The catalogue has errors; fix them and this page reloads.</p></body>".to_vec(),
            None,
        );
    };
    let ask = Ask {
        query,
        headers,
        snap: &snap,
    };
    if rel.starts_with("pagefind/") {
        return match state.search_file(&rel) {
            Some(bytes) => ok(&rel, &bytes, &ask),
            None => not_found(state),
        };
    }
    // Rendered pages are in memory: answered at once, off no other thread.
    if let Some(bytes) = snap.pages.get(&rel) {
        return ok(&rel, bytes, &ask);
    }
    let root = state.root.clone();
    let books = state.books.clone();
    let rel2 = rel.clone();
    let snap2 = snap.clone();
    // Producing may typeset a book or read an image: off the async threads.
    let got = tokio::task::spawn_blocking(move || snap2.get(&rel2, &books, &root))
        .await
        .ok()
        .flatten();
    match got {
        Some(Ok(bytes)) => ok(&rel, &bytes, &ask),
        Some(Err(e)) => (StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")).into_response(),
        None => {
            // "/inovasi/x" → "/inovasi/x/" when that is a page.
            let folder = format!("{rel}/index.html");
            if !rel.ends_with(".html") && snap.routes.contains_key(&folder) {
                let to = format!("{}/", path.trim_end_matches('/'));
                return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response();
            }
            not_found(state)
        }
    }
}

fn not_found(state: &Arc<State>) -> Response {
    let snap = state.snapshot();
    let body = snap
        .as_ref()
        .and_then(|s| s.pages.get("404.html").cloned())
        .map(|b| b.as_ref().clone())
        .unwrap_or_else(|| b"not found".to_vec());
    html(StatusCode::NOT_FOUND, body, snap.as_deref())
}

/// What a request asked, beside its path.
struct Ask<'a> {
    query: Option<&'a str>,
    headers: &'a HeaderMap,
    snap: &'a Snapshot,
}

/// A file's version: its ETag, and the `?v=` of stylesheet links.
fn version(bytes: &[u8]) -> String {
    format!("{:016x}", hash_of(bytes))
}

/// Stylesheet links name the stylesheet's version (`?v=`), under which it is cached for
/// good: the reload after an edit to an entry's text fetches the page alone. (A stylesheet
/// edit is swapped in by live.js with an address of its own.)
fn versioned(mut text: String, snap: &Snapshot) -> String {
    let base = snap.site.config.base_path();
    for (rel, bytes) in snap.site.theme.assets.iter() {
        if !rel.ends_with(".css") {
            continue;
        }
        let from = format!("href=\"{base}{rel}\"");
        if text.contains(&from) {
            text = text.replace(&from, &format!("href=\"{base}{rel}?v={}\"", version(bytes)));
        }
    }
    text
}

fn ok(rel: &str, bytes: &[u8], ask: &Ask) -> Response {
    let mime = mime_of(rel);
    if mime.starts_with("text/html") {
        return html(StatusCode::OK, bytes.to_vec(), Some(ask.snap));
    }
    // Stylesheets, images, data: asked again on every load but sent only when they changed
    // (a reload after an edit to an entry's text fetches the page alone).
    let v = version(bytes);
    // Asked for by this version's address (`versioned`): the same bytes for good.
    let cache = if ask
        .query
        .is_some_and(|q| q.split('&').any(|p| p == format!("v={v}")))
    {
        "max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let etag = format!("\"{v}\"");
    let same = ask
        .headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let head = [
        (header::CONTENT_TYPE, mime.to_string()),
        (header::CACHE_CONTROL, cache.to_string()),
        (header::ETAG, etag),
    ];
    if same {
        return (StatusCode::NOT_MODIFIED, head).into_response();
    }
    (StatusCode::OK, head, Body::from(bytes.to_vec())).into_response()
}

/// The live-reload script's tag: its address names this version of it.
fn script_tag() -> String {
    format!(
        "<script src=\"{SCRIPT}?v={:08x}\"></script>",
        hash_of(LIVE_JS) as u32
    )
}

/// HTML with the live-reload script before `</body>`.
fn html(status: StatusCode, bytes: Vec<u8>, snap: Option<&Snapshot>) -> Response {
    let mut text = String::from_utf8(bytes).unwrap_or_default();
    if let Some(snap) = snap {
        text = versioned(text, snap);
    }
    let tag = script_tag();
    match text.rfind("</body>") {
        Some(at) => text.insert_str(at, &tag),
        None => text.push_str(&tag),
    }
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    )
        .into_response()
}

fn mime_of(rel: &str) -> &'static str {
    let ext = rel.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "pdf" => "application/pdf",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_site() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            site_path("/inovasi/x/").as_deref(),
            Some("inovasi/x/index.html")
        );
        assert_eq!(site_path("/style.css").as_deref(), Some("style.css"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/inovasi/%2e%2e/%2e%2e/x",
            "/a%2f..%2f..%2fb",
            "/a\\..\\b",
            "//etc/passwd",
            "/a%00b",
            "/%zz",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_this_servers_host_is_served() {
        assert!(host_allowed("127.0.0.1:1111", "127.0.0.1", 1111, true));
        assert!(host_allowed("localhost:1111", "127.0.0.1", 1111, true));
        assert!(!host_allowed("evil.example:1111", "127.0.0.1", 1111, true));
        assert!(!host_allowed("127.0.0.1:2222", "127.0.0.1", 1111, true));
        assert!(!host_allowed("192.168.1.5:1111", "127.0.0.1", 1111, true));
        assert!(host_allowed("192.168.1.5:1111", "0.0.0.0", 1111, false));
        assert!(!host_allowed("", "127.0.0.1", 1111, true));
    }
}
