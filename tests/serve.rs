//! `lontara serve` as an editor meets it: start it on a free loopback port, edit files on
//! disk, and look at what the server answers.

mod common;

use common::Fixture;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    port: u16,
    /// What serve printed after its address: one line per rebuild.
    log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Server {
    fn rebuilds(&self) -> usize {
        let log = self.log.lock().unwrap();
        log.iter().filter(|l| l.contains(" rebuilt in ")).count()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(f: &Fixture) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lontara"))
        .args(["serve", "--port", "0", "--root"])
        .arg(f.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let err = child.stderr.take().unwrap();
    let out = child.stdout.take().unwrap();
    let mut lines = BufReader::new(out).lines();
    let port = loop {
        let Some(Ok(line)) = lines.next() else {
            let mut e = String::new();
            let _ = BufReader::new(err).read_to_string(&mut e);
            panic!("serve stopped before printing its address: {e}");
        };
        if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    // Keep draining both pipes so the server never blocks on a full one.
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = log.clone();
    std::thread::spawn(move || {
        for l in lines.map_while(Result::ok) {
            sink.lock().unwrap().push(l);
        }
    });
    std::thread::spawn(move || for _ in BufReader::new(err).lines() {});
    Server { child, port, log }
}

/// (status, body) of a raw HTTP/1.1 request.
fn request(port: u16, method: &str, path: &str, host: &str, extra: &str) -> (u16, String) {
    let (status, _, body) = exchange(port, method, path, host, extra);
    (status, body)
}

/// Status, headers (as sent) and body of one request.
fn exchange(port: u16, method: &str, path: &str, host: &str, extra: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).to_string();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (status, head.to_string(), body.to_string())
}

fn get(srv: &Server, path: &str) -> (u16, String) {
    request(
        srv.port,
        "GET",
        path,
        &format!("127.0.0.1:{}", srv.port),
        "",
    )
}

/// Waits until `ok` holds for the answer at `path` (the rebuild follows the write).
fn until(srv: &Server, path: &str, ok: impl Fn(u16, &str) -> bool) -> (u16, String) {
    let start = Instant::now();
    loop {
        let (st, body) = get(srv, path);
        if ok(st, &body) {
            return (st, body);
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{path} never matched; last: {st} {}",
            &body[..body.len().min(400)]
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The first message of the live-reload channel: the present state of errors.
fn first_event(srv: &Server) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", srv.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET /__lontara/events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        srv.port
    )
    .unwrap();
    let mut r = BufReader::new(s);
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line).unwrap() == 0 {
            return String::new();
        }
        if let Some(d) = line.strip_prefix("data: ") {
            return d.trim().to_string();
        }
    }
}

#[test]
fn edits_appear_and_bad_edits_keep_the_last_good_site() {
    let f = Fixture::new();
    let srv = serve(&f);
    let (st, page) = get(&srv, "/inovasi/sipena/");
    assert_eq!(st, 200);
    assert!(page.contains("Teks"), "{page}");
    assert!(
        page.contains("/__lontara/live.js"),
        "the live-reload script is injected when serving"
    );
    assert!(
        !std::fs::read_to_string(f.root().join("content/innovations/sipena.md"))
            .unwrap()
            .contains("live.js")
    );

    // The body changes: the page follows.
    let sipena = std::fs::read_to_string(f.root().join("content/innovations/sipena.md")).unwrap();
    f.write(
        "content/innovations/sipena.md",
        &sipena.replace("Teks", "Kalimat yang baru ditulis"),
    );
    until(&srv, "/inovasi/sipena/", |s, b| {
        s == 200 && b.contains("Kalimat yang baru ditulis")
    });

    // The acronym changes: the list of all innovations follows.
    f.write(
        "content/innovations/sipena.md",
        &sipena.replace("acronym: SIPENA", "acronym: SIPENA Plus"),
    );
    until(&srv, "/inovasi/", |_, b| b.contains("SIPENA Plus"));
    until(&srv, "/perangkat-daerah/dinkes/", |_, b| {
        b.contains("SIPENA Plus")
    });

    // A bad edit: the last good page stays, the overlay's channel carries the diagnostic.
    f.write(
        "content/innovations/si-mira.md",
        "---\nacronym: Si Mira\nagency: dinkse\n---\nIsi.\n",
    );
    let start = Instant::now();
    let errors = loop {
        let e = first_event(&srv);
        if e.contains("\"errors\"") {
            break e;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "no errors: {e}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        errors.contains("content/innovations/si-mira.md"),
        "{errors}"
    );
    assert!(errors.contains("\"line\":3"), "{errors}");
    assert!(
        errors.contains("dinkes"),
        "the hint names the right key: {errors}"
    );
    let (st, page) = get(&srv, "/inovasi/si-mira/");
    assert_eq!(st, 200, "the last good version is still served");
    assert!(page.contains("Si Mira"));

    // The fix clears the errors.
    f.write(
        "content/innovations/si-mira.md",
        "---\nacronym: Si Mira\nagency: dinkes\n---\nIsi yang diperbaiki.\n",
    );
    until(&srv, "/inovasi/si-mira/", |_, b| {
        b.contains("Isi yang diperbaiki")
    });
    assert_eq!(first_event(&srv), "{\"type\":\"ok\"}");

    // Deleting an entry removes its page and its card.
    std::fs::remove_file(f.root().join("content/innovations/si-mira.md")).unwrap();
    until(&srv, "/inovasi/si-mira/", |s, _| s == 404);
    let (_, list) = get(&srv, "/inovasi/");
    assert!(!list.contains("/inovasi/si-mira/"), "{list}");

    // Write-temp-then-rename, as vim and VS Code save.
    f.write("content/innovations/.hypnogreen.md.swp", "swap");
    let hg = std::fs::read_to_string(f.root().join("content/innovations/hypnogreen.md")).unwrap();
    f.write(
        "content/innovations/hypnogreen.md.tmp",
        &hg.replace("---\n---", "---\nDisimpan lewat berkas sementara.\n---"),
    );
    f.write(
        "content/innovations/hypnogreen.md.tmp",
        &format!("{hg}Disimpan lewat berkas sementara.\n"),
    );
    std::fs::rename(
        f.root().join("content/innovations/hypnogreen.md.tmp"),
        f.root().join("content/innovations/hypnogreen.md"),
    )
    .unwrap();
    until(&srv, "/inovasi/hypnogreen/", |_, b| {
        b.contains("Disimpan lewat berkas sementara")
    });
}

#[test]
fn a_new_entry_and_a_renamed_one_update_every_list() {
    let f = Fixture::new();
    let srv = serve(&f);
    f.write(
        "content/innovations/kadal.md",
        "---\nacronym: KADAL\nagency: disdikbud\nstart_year: 2022\n---\nBaru.\n",
    );
    until(&srv, "/inovasi/kadal/", |s, _| s == 200);
    until(&srv, "/tahun/2022/", |s, b| s == 200 && b.contains("KADAL"));
    std::fs::rename(
        f.root().join("content/innovations/kadal.md"),
        f.root().join("content/innovations/kadal-baru.md"),
    )
    .unwrap();
    until(&srv, "/inovasi/kadal-baru/", |s, _| s == 200);
    until(&srv, "/inovasi/kadal/", |s, _| s == 404);
    let (_, list) = get(&srv, "/perangkat-daerah/disdikbud/");
    assert!(
        list.contains("/inovasi/kadal-baru/") && !list.contains("/inovasi/kadal/\""),
        "{list}"
    );
}

#[test]
fn a_template_error_is_reported_with_its_file() {
    let f = Fixture::new();
    let srv = serve(&f);
    f.write("themes/default/templates/404.html", "{% if %}");
    let start = Instant::now();
    let e = loop {
        let e = first_event(&srv);
        if e.contains("\"errors\"") {
            break e;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "no errors: {e}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(e.contains("themes/default/templates/404.html"), "{e}");
    assert!(e.contains("\"line\":1"), "{e}");
    assert_eq!(get(&srv, "/").0, 200, "still serving");
}

#[test]
fn only_this_sites_files_for_this_host() {
    let f = Fixture::new();
    let srv = serve(&f);
    let host = format!("127.0.0.1:{}", srv.port);
    for path in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/inovasi/..%2f..%2f..%2fbook.toml",
        "/content/innovations/sipena.md",
        "/book.toml",
        "//etc/passwd",
    ] {
        let (st, body) = request(srv.port, "GET", path, &host, "");
        assert_eq!(st, 404, "{path}");
        assert!(!body.contains("root:"), "{path}");
        assert!(!body.contains("base_url"), "{path}");
    }
    assert_eq!(
        request(srv.port, "GET", "/", "evil.example", "").0,
        403,
        "DNS rebinding"
    );
    assert_eq!(request(srv.port, "POST", "/", &host, "").0, 405);
    assert_eq!(
        request(
            srv.port,
            "GET",
            "/__lontara/events",
            &host,
            "Origin: http://evil.example\r\n"
        )
        .0,
        403
    );
    assert_eq!(request(srv.port, "HEAD", "/", &host, "").0, 200);
    assert_eq!(get(&srv, "/inovasi/sipena").0, 301);
}

#[test]
fn a_checkout_of_200_files_is_one_rebuild() {
    let f = Fixture::new();
    let srv = serve(&f);
    let before = srv.rebuilds();
    // As `git checkout` writes them: all at once, as fast as the disk takes them.
    for i in 0..200 {
        f.write(
            &format!("content/innovations/cabang-{i}.md"),
            &format!("---\nacronym: CABANG {i}\nagency: dinkes\n---\nIsi {i}.\n"),
        );
    }
    until(&srv, "/inovasi/cabang-199/", |s, _| s == 200);
    std::thread::sleep(Duration::from_millis(500));
    let n = srv.rebuilds() - before;
    assert!(
        n <= 2,
        "{n} rebuilds for one checkout: {:?}",
        srv.log.lock().unwrap()
    );
    // Removing the folder's files at once, too.
    for i in 0..200 {
        std::fs::remove_file(f.root().join(format!("content/innovations/cabang-{i}.md"))).unwrap();
    }
    until(&srv, "/inovasi/cabang-0/", |s, _| s == 404);
    let (_, list) = get(&srv, "/inovasi/");
    assert!(!list.contains("CABANG"));
}

#[test]
fn deleting_an_entry_folder_removes_its_page_and_image() {
    let f = Fixture::new();
    let srv = serve(&f);
    assert_eq!(get(&srv, "/inovasi/anc-hipnoterapi/foto.png").0, 200);
    // The replication names it: move that link away first, in the same burst.
    let hg = std::fs::read_to_string(f.root().join("content/innovations/hypnogreen.md")).unwrap();
    f.write(
        "content/innovations/hypnogreen.md",
        &hg.replace("replication_of: anc-hipnoterapi\n", ""),
    );
    std::fs::remove_dir_all(f.root().join("content/innovations/anc-hipnoterapi")).unwrap();
    until(&srv, "/inovasi/anc-hipnoterapi/", |s, _| s == 404);
    assert_eq!(get(&srv, "/inovasi/anc-hipnoterapi/foto.png").0, 404);
}

/// The reload after an edit fetches the page alone: the stylesheet's address in the page names
/// its version and is cached for good; other files answer 304 to their ETag.
#[test]
fn a_reload_fetches_only_what_changed() {
    let f = Fixture::new();
    let srv = serve(&f);
    let version = |page: &str| {
        page.split("href=\"/style.css?v=")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .map(str::to_string)
            .unwrap_or_else(|| panic!("no versioned stylesheet in {page}"))
    };
    let (_, page) = get(&srv, "/inovasi/sipena/");
    let v = version(&page);
    let host = format!("127.0.0.1:{}", srv.port);
    let (st, head, _) = exchange(srv.port, "GET", &format!("/style.css?v={v}"), &host, "");
    assert_eq!(st, 200);
    assert!(
        head.to_ascii_lowercase()
            .contains("cache-control: max-age=31536000, immutable"),
        "{head}"
    );
    let (st, _) = request(
        srv.port,
        "GET",
        "/style.css",
        &host,
        &format!("If-None-Match: \"{v}\"\r\n"),
    );
    assert_eq!(st, 304, "an unchanged file is not sent again");

    // A new stylesheet: pages name its new version, and the old ETag no longer matches.
    f.write(
        "themes/default/static/style.css",
        "body { color: #123456; }\n",
    );
    let (_, page) = until(&srv, "/inovasi/sipena/", |_, b| !b.contains(&v));
    assert_ne!(version(&page), v);
    let (st, css) = request(
        srv.port,
        "GET",
        "/style.css",
        &host,
        &format!("If-None-Match: \"{v}\"\r\n"),
    );
    assert_eq!(st, 200);
    assert!(css.contains("#123456"), "{css}");
}
