//! Markdown → Typst markup, for the printed book.
//!
//! The rule that matters: nothing an editor writes is ever evaluated as Typst. Every piece of
//! text is escaped character by character (`#read("/etc/passwd")` prints those characters),
//! strings inside generated calls are Typst string literals, and the only Typst code in the
//! output is the handful of calls this module writes itself (`#emph[..]`, `#link("..")[..]`,
//! `#table(..)`, ...).

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;

/// Converts Markdown for one entry or front-matter page.
pub struct Converter<'a> {
    /// Turns a root-relative link ("/warkop-indah/") into one a printed page can carry.
    pub absolute: &'a dyn Fn(&str) -> String,
    /// Resolves an image to a file the Typst world serves, or None to print its alt text.
    pub image: &'a dyn Fn(&str) -> Option<String>,
}

/// Markup-escapes text: every ASCII punctuation mark that Typst markup gives a meaning to is
/// preceded by a backslash (parentheses too: text that opens with `(` right after a generated
/// `#strong[..]` would continue the call, found by fuzzing); line breaks become spaces (paragraphs are the converter's job).
pub fn escape_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '#' | '*' | '_' | '`' | '$' | '<' | '>' | '@' | '=' | '-' | '+' | '/' | '['
            | ']' | '~' | '.' | ':' | '\'' | '"' | '(' | ')' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c if is_bidi_control(c) => {}
            _ => out.push(c),
        }
    }
    out
}

/// Explicit direction overrides and isolates: invisible, and Typst 0.15's shaper panics on
/// some of them next to code (found by fuzzing); the book leaves them out.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A Typst string literal.
pub fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_bidi_control(c) => {}
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

enum Frame {
    /// An element whose closing `]` or `)` is written at its end.
    Close(&'static str),
    List {
        ordered: bool,
    },
    Table {
        cells: Vec<String>,
        columns: usize,
        header: usize,
    },
    Cell,
    Image {
        fallback: Option<String>,
        file: Option<String>,
        alt: String,
    },
    Code {
        lang: Option<String>,
        text: String,
    },
}

/// Open elements that still format their text (see `open`).
const MAX_NESTING: usize = 12;

/// The open elements, with the innermost table and cell and the number of open lists kept
/// up to date as they change: finding them by scanning made deep nesting quadratic.
#[derive(Default)]
struct Frames {
    /// Depth already open around this text (a footnote's, inside the text citing it).
    base: usize,
    items: Vec<Frame>,
    tables: Vec<usize>,
    cells: usize,
    lists: usize,
}

impl Frames {
    fn push(&mut self, f: Frame) {
        match f {
            Frame::Table { .. } => self.tables.push(self.items.len()),
            Frame::Cell => self.cells += 1,
            Frame::List { .. } => self.lists += 1,
            _ => {}
        }
        self.items.push(f);
    }

    fn pop(&mut self) -> Option<Frame> {
        let f = self.items.pop()?;
        match f {
            Frame::Table { .. } => {
                self.tables.pop();
            }
            Frame::Cell => self.cells -= 1,
            Frame::List { .. } => self.lists -= 1,
            _ => {}
        }
        Some(f)
    }

    fn in_cell(&self) -> bool {
        self.cells > 0
    }

    /// The innermost table (a cell holds inline text only, so never a table of its own).
    fn table_mut(&mut self) -> Option<&mut Frame> {
        let at = *self.tables.last()?;
        self.items.get_mut(at)
    }
}

impl Converter<'_> {
    pub fn convert(&self, src: &str) -> String {
        let opts = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS;
        let events: Vec<Event> = Parser::new_ext(src, opts).collect();
        // Footnote texts come after their references; render them first.
        let mut notes: HashMap<String, String> = HashMap::new();
        // Notes referenced from the text itself (a note citing itself does not count).
        let mut referenced = std::collections::HashSet::new();
        let mut in_note = 0usize;
        for e in &events {
            match e {
                Event::Start(Tag::FootnoteDefinition(_)) => in_note += 1,
                Event::End(TagEnd::FootnoteDefinition) => in_note -= 1,
                Event::FootnoteReference(l) if in_note == 0 => {
                    referenced.insert(l.as_ref());
                }
                _ => {}
            }
        }
        let mut i = 0;
        while i < events.len() {
            if let Event::Start(Tag::FootnoteDefinition(label)) = &events[i] {
                let start = i + 1;
                let mut depth = 1;
                while depth > 0 && i + 1 < events.len() {
                    i += 1;
                    match &events[i] {
                        Event::Start(Tag::FootnoteDefinition(_)) => depth += 1,
                        Event::End(TagEnd::FootnoteDefinition) => depth -= 1,
                        _ => {}
                    }
                }
                if referenced.contains(label.as_ref()) {
                    // A note is printed inside the text that cites it, perhaps already deep:
                    // its own formatting gets half the depth.
                    let body = self.render(&events[start..i], &HashMap::new(), MAX_NESTING / 2);
                    // The first definition is the note, as on the web page.
                    notes
                        .entry(label.to_string())
                        .or_insert_with(|| body.trim().to_string());
                }
            }
            i += 1;
        }
        self.render(&events, &notes, 0)
    }

    fn render(&self, events: &[Event], notes: &HashMap<String, String>, depth: usize) -> String {
        let mut out = String::new();
        let mut stack = Frames {
            base: depth,
            ..Frames::default()
        };
        let mut skip_depth = 0usize;
        // Labels whose first definition was met: a second one is printed where it stands.
        let mut defined = std::collections::HashSet::new();
        for ev in events {
            // Footnote definitions were rendered up front; skip them in place.
            if skip_depth > 0 {
                match ev {
                    Event::Start(Tag::FootnoteDefinition(_)) => skip_depth += 1,
                    Event::End(TagEnd::FootnoteDefinition) => skip_depth -= 1,
                    _ => {}
                }
                continue;
            }
            // Text inside an image is its alt text; inside a code block, the code.
            match (stack.items.last_mut(), ev) {
                (Some(Frame::Image { alt, .. }), Event::Text(t) | Event::Code(t)) => {
                    alt.push_str(t);
                    continue;
                }
                (Some(Frame::Code { text, .. }), Event::Text(t)) => {
                    text.push_str(t);
                    continue;
                }
                _ => {}
            }
            // A note no reference points to is printed where it stands (as the web page
            // does), not lost.
            if let Event::Start(Tag::FootnoteDefinition(label)) = ev
                && (!notes.contains_key(label.as_ref()) || !defined.insert(label.as_ref()))
            {
                stack.push(Frame::Close("\n\n"));
                continue;
            }
            let sink = &mut out;
            match ev {
                Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
                    push_to(&mut stack, sink, &escape_markup(t))
                }
                Event::Code(t) => {
                    push_to(&mut stack, sink, &format!("#raw({})", string_literal(t)))
                }
                Event::SoftBreak => push_to(&mut stack, sink, " "),
                Event::HardBreak => push_to(&mut stack, sink, "#linebreak()"),
                Event::Rule => push_to(&mut stack, sink, "\n#line(length: 100%)\n\n"),
                Event::TaskListMarker(done) => {
                    push_to(&mut stack, sink, if *done { "☑ " } else { "☐ " })
                }
                Event::FootnoteReference(label) => {
                    let note = notes.get(label.as_ref()).cloned().unwrap_or_default();
                    push_to(&mut stack, sink, &format!("#footnote[{note}]"));
                }
                Event::InlineMath(t) | Event::DisplayMath(t) => {
                    push_to(&mut stack, sink, &escape_markup(t))
                }
                Event::Start(tag) => self.start(tag, &mut stack, &mut out, &mut skip_depth),
                Event::End(tag) => end(tag, &mut stack, &mut out),
            }
        }
        out
    }

    fn start(&self, tag: &Tag, stack: &mut Frames, out: &mut String, skip: &mut usize) {
        let list_depth = stack.lists;
        let open = |stack: &mut Frames, out: &mut String, s: &str, close: &'static str| {
            // Deeper than this, the text goes on unformatted: Typst's parser stops at a fixed
            // depth, and a book must not fail over an entry's nesting.
            if stack.base + stack.items.len() < MAX_NESTING {
                push_to(stack, out, s);
                stack.push(Frame::Close(close));
            } else {
                stack.push(Frame::Close(""));
            }
        };
        match tag {
            Tag::Paragraph => {
                if list_depth == 0 && !stack.in_cell() {
                    push_to(stack, out, "\n");
                }
            }
            Tag::Heading { level, .. } => {
                // The book gives each profile level 1; an entry's sections start at 2.
                let n = match level {
                    HeadingLevel::H1 | HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    _ => 5,
                };
                push_to(stack, out, &format!("\n{} ", "=".repeat(n)));
                stack.push(Frame::Close("\n"));
            }
            Tag::BlockQuote(_) => open(stack, out, "\n#quote(block: true)[", "]\n"),
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => l.split_whitespace().next().map(str::to_string),
                    CodeBlockKind::Indented => None,
                };
                stack.push(Frame::Code {
                    lang,
                    text: String::new(),
                });
            }
            Tag::List(start) => stack.push(Frame::List {
                ordered: start.is_some(),
            }),
            Tag::Item => {
                let ordered = stack
                    .items
                    .iter()
                    .rev()
                    .find_map(|f| match f {
                        Frame::List { ordered } => Some(*ordered),
                        _ => None,
                    })
                    .unwrap_or(false);
                let indent = "  ".repeat(list_depth.saturating_sub(1).min(MAX_NESTING));
                push_to(
                    stack,
                    out,
                    &format!("\n{indent}{} ", if ordered { "+" } else { "-" }),
                );
                stack.push(Frame::Close(""));
            }
            Tag::Emphasis => open(stack, out, "#emph[", "]"),
            Tag::Strong => open(stack, out, "#strong[", "]"),
            Tag::Strikethrough => open(stack, out, "#strike[", "]"),
            Tag::Link { dest_url, .. } => {
                let url = if dest_url.starts_with('/') {
                    (self.absolute)(dest_url)
                } else {
                    dest_url.to_string()
                };
                let lower = url.to_ascii_lowercase();
                if lower.starts_with("http://")
                    || lower.starts_with("https://")
                    || lower.starts_with("mailto:")
                {
                    open(
                        stack,
                        out,
                        &format!("#link({})[", string_literal(&url)),
                        "]",
                    );
                } else {
                    // Anchors and unknown schemes lead nowhere on paper: keep the words only.
                    stack.push(Frame::Close(""));
                }
            }
            Tag::Image { dest_url, .. } => {
                let file = (self.image)(dest_url);
                stack.push(Frame::Image {
                    fallback: file.is_none().then(|| dest_url.to_string()),
                    file,
                    alt: String::new(),
                });
            }
            Tag::Table(aligns) => stack.push(Frame::Table {
                cells: Vec::new(),
                columns: aligns.len().max(1),
                header: 0,
            }),
            Tag::TableHead | Tag::TableRow => {}
            Tag::TableCell => {
                open_cell(stack);
                stack.push(Frame::Cell);
            }
            Tag::FootnoteDefinition(_) => *skip += 1,
            Tag::HtmlBlock => {}
            _ => stack.push(Frame::Close("")),
        }
    }
}

/// Appends to the innermost table cell if there is one, else to `out`.
fn push_to(stack: &mut Frames, out: &mut String, s: &str) {
    if stack.in_cell()
        && let Some(Frame::Table { cells, .. }) = stack.table_mut()
        && let Some(last) = cells.last_mut()
    {
        last.push_str(s);
        return;
    }
    out.push_str(s);
}

fn end(tag: &TagEnd, stack: &mut Frames, out: &mut String) {
    match tag {
        TagEnd::Paragraph => {
            let in_list = stack.lists > 0;
            if !in_list && !stack.in_cell() {
                push_to(stack, out, "\n");
            } else if in_list {
                push_to(stack, out, " ");
            }
        }
        TagEnd::TableHead | TagEnd::TableRow | TagEnd::HtmlBlock => {
            if let TagEnd::TableHead = tag
                && let Some(Frame::Table { cells, header, .. }) = stack.items.last_mut()
            {
                *header = cells.len();
            }
        }
        TagEnd::TableCell => {
            // The cell's text went straight into its table (see `push_to`).
            stack.pop();
        }
        TagEnd::Table => {
            if let Some(Frame::Table {
                cells,
                columns,
                header,
            }) = stack.pop()
            {
                let cell = |c: &String| format!("[{}]", c.trim());
                let head: Vec<String> = cells[..header].iter().map(cell).collect();
                let body: Vec<String> = cells[header..].iter().map(cell).collect();
                let mut s = format!("\n#table(columns: {columns}, ");
                if !head.is_empty() {
                    s.push_str(&format!("table.header({}), ", head.join(", ")));
                }
                s.push_str(&body.join(", "));
                s.push_str(")\n");
                push_to(stack, out, &s);
            }
        }
        TagEnd::Image => {
            if let Some(Frame::Image {
                fallback,
                file,
                alt,
            }) = stack.pop()
            {
                let s = match (file, fallback) {
                    (Some(f), _) => format!(
                        "\n#figure(image({}, alt: {}), caption: [{}])\n",
                        string_literal(&f),
                        string_literal(&alt),
                        escape_markup(&alt)
                    ),
                    (None, Some(url)) => {
                        format!(r"\[{}\: {}\]", escape_markup(&alt), escape_markup(&url))
                    }
                    (None, None) => escape_markup(&alt),
                };
                push_to(stack, out, &s);
            }
        }
        TagEnd::CodeBlock => {
            if let Some(Frame::Code { lang, text }) = stack.pop() {
                let lang = lang
                    .map(|l| format!(", lang: {}", string_literal(&l)))
                    .unwrap_or_default();
                push_to(
                    stack,
                    out,
                    &format!("\n#raw(block: true{lang}, {})\n", string_literal(&text)),
                );
            }
        }
        TagEnd::List(_) => {
            stack.pop();
            push_to(stack, out, "\n");
        }
        _ => {
            if let Some(Frame::Close(s)) = stack.pop() {
                push_to(stack, out, s);
            }
        }
    }
}

/// Opens a new cell in the innermost table (called when a cell starts).
fn open_cell(stack: &mut Frames) {
    if let Some(Frame::Table { cells, .. }) = stack.table_mut() {
        cells.push(String::new());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(md: &str) -> String {
        let absolute = |p: &str| format!("https://contoh.go.id{p}");
        let image = |p: &str| (p == "foto.jpg").then(|| "/img/x/foto.jpg".to_string());
        Converter {
            absolute: &absolute,
            image: &image,
        }
        .convert(md)
    }

    #[test]
    fn typst_code_in_text_is_printed_not_run() {
        let out = conv("Lihat #read(\"/etc/passwd\") dan $x$ serta <label> @ref");
        assert!(out.contains(r#"\#read\(\"\/etc\/passwd\"\)"#), "{out}");
        assert!(out.contains(r"\$x\$"), "{out}");
        assert!(out.contains(r"\<label\> \@ref"), "{out}");
    }

    #[test]
    fn emphasis_links_and_code_map_to_calls() {
        let out = conv("*miring* **tebal** [Warkop](/warkop-indah/) `kode`");
        assert!(out.contains("#emph[miring]"), "{out}");
        assert!(out.contains("#strong[tebal]"), "{out}");
        assert!(
            out.contains(r#"#link("https://contoh.go.id/warkop-indah/")[Warkop]"#),
            "{out}"
        );
        assert!(out.contains(r#"#raw("kode")"#), "{out}");
    }

    #[test]
    fn script_links_keep_only_their_words() {
        let out = conv("[klik](javascript:alert(1))");
        assert!(!out.contains("#link"), "{out}");
        assert!(out.contains("klik"), "{out}");
    }

    #[test]
    fn headings_lists_tables_footnotes_and_images() {
        let md = "## Dampak\n\n- satu\n- dua\n  1. dalam\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\nCatatan[^1].\n\n[^1]: Sumber: berita.\n\n![Foto kegiatan](foto.jpg)\n\n![Jauh](https://x.id/a.png)\n";
        let out = conv(md);
        assert!(out.contains("\n== Dampak\n"), "{out}");
        assert!(out.contains("\n- satu"), "{out}");
        assert!(out.contains("\n  + dalam"), "{out}");
        assert!(
            out.contains("#table(columns: 2, table.header([A], [B]), [1], [2])"),
            "{out}"
        );
        assert!(out.contains(r"#footnote[Sumber\: berita\.]"), "{out}");
        assert!(out.contains(r#"image("/img/x/foto.jpg""#), "{out}");
        assert!(
            out.contains(r"\[Jauh\: https\:\/\/x\.id\/a\.png\]"),
            "{out}"
        );
    }

    #[test]
    fn code_blocks_are_string_literals() {
        let out = conv("```rust\nlet x = \"#y\";\n```\n");
        assert!(
            out.contains(r##"#raw(block: true, lang: "rust", "let x = \"#y\";\n")"##),
            "{out}"
        );
    }
}
