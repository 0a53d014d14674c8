//! One rule for every name a text report prints.
//!
//! Class, field, thread and loader names, paths and the steps of a reference path are whatever
//! the application (or whoever crafted the dump) made them. Printed raw, an escape sequence in a
//! class name can clear the screen, set the terminal's title or move the cursor to overwrite a
//! suspect line, and a newline splits a report line in two. [`name`] shows such characters
//! escaped, so they are seen and never interpreted:
//!
//! - C0 controls and DEL as `\x1b`, `\x7f` (tab, newline and carriage return as `\t`, `\n`,
//!   `\r`);
//! - C1 controls (U+0080..U+009F, which some terminals read as CSI) as `\u{9b}`;
//! - Unicode format controls that reorder or hide text (bidi embeddings, overrides and
//!   isolates, zero-width characters, line and paragraph separators, the byte-order mark, tag
//!   characters) as `\u{202e}`;
//! - the backslash itself as `\\`, so an escaped name reads back unambiguously.
//!
//! Everything else, including non-ASCII letters (`Ärger`, `数据`), is shown as it is. JSON
//! output needs none of this (serde escapes control characters); HTML has its own escaping.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` is shown escaped: a control character, or a Unicode format control that can
/// reorder or hide the text around it.
fn needs_escape(c: char) -> bool {
    c == '\\'
        || c.is_control()
        || matches!(
            c,
            '\u{00ad}'
                | '\u{0600}'..='\u{0605}'
                | '\u{061c}'
                | '\u{06dd}'
                | '\u{070f}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206f}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
                | '\u{e0001}'
                | '\u{e0020}'..='\u{e007f}'
        )
}

/// `s` as a text report shows it: control characters, DEL, C1 controls and Unicode bidi and
/// format controls escaped (`\x1b`, `\n`, `\u{202e}`), backslashes doubled, everything else
/// unchanged. Borrows when nothing needs escaping (the usual case).
pub(crate) fn name(s: &str) -> Cow<'_, str> {
    // Fast path: printable ASCII without a backslash is shown as it is.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b) && b != b'\\') {
        return Cow::Borrowed(s);
    }
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !needs_escape(c) {
            out.push(c);
            continue;
        }
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_are_borrowed_unchanged() {
        for s in [
            "java.util.HashMap$Node[]",
            "testdata.SessionLeak$Session",
            "thread \"main\" (java_frame)",
            "Ärger.数据",
            "",
        ] {
            assert!(matches!(name(s), Cow::Borrowed(_)), "{s}");
            assert_eq!(name(s), s);
        }
    }

    #[test]
    fn escape_sequences_are_shown_not_interpreted() {
        // Clear screen, set the title, move the cursor up and overwrite a line.
        assert_eq!(name("A\x1b[2J\x1b[H"), "A\\x1b[2J\\x1b[H");
        assert_eq!(name("\x1b]0;pwned\x07"), "\\x1b]0;pwned\\x07");
        assert_eq!(
            name("X\x1b[1A\rNo leak suspects"),
            "X\\x1b[1A\\rNo leak suspects"
        );
        assert_eq!(name("a\0b\x7f"), "a\\x00b\\x7f");
    }

    #[test]
    fn newline_and_tab_cannot_split_a_line() {
        let s = name("com.acme.Cache\n#1 static-collection  fake\tholder");
        assert!(!s.contains('\n') && !s.contains('\t'));
        assert_eq!(s, "com.acme.Cache\\n#1 static-collection  fake\\tholder");
    }

    #[test]
    fn c1_controls_and_bidi_controls_are_escaped() {
        // U+009B is a one-character CSI on some terminals.
        assert_eq!(name("a\u{9b}31mb"), "a\\u{9b}31mb");
        assert_eq!(name("a\u{85}b"), "a\\u{85}b");
        // Right-to-left override makes "Evil\u{202e}gnp.exe" read as "Evilexe.png".
        assert_eq!(name("Evil\u{202e}gnp.exe"), "Evil\\u{202e}gnp.exe");
        assert_eq!(name("\u{2066}x\u{2069}"), "\\u{2066}x\\u{2069}");
        assert_eq!(name("a\u{200b}b\u{feff}"), "a\\u{200b}b\\u{feff}");
        assert_eq!(name("a\u{2028}b"), "a\\u{2028}b");
        assert_eq!(name("tag\u{e0041}"), "tag\\u{e0041}");
    }

    #[test]
    fn backslash_is_doubled_so_escapes_read_back_unambiguously() {
        assert_eq!(name("a\\x1b"), "a\\\\x1b");
        assert_ne!(name("a\\x1b"), name("a\x1b"));
    }

    #[test]
    fn no_output_char_is_a_control() {
        let all: String = (0u32..0x3000).filter_map(char::from_u32).collect();
        let out = name(&all);
        assert!(out
            .chars()
            .all(|c| !c.is_control() && !needs_escape(c) || c == '\\'));
    }
}
