//! Thread name patterns: a name with its per-thread numbers and generated ids masked
//! (`pool-12-thread-1` -> `pool-#-thread-#`), its stem (the name up to its last separator) and
//! its family (the pattern up to its first masked token), by which live threads and pools of
//! one kind are grouped.

/// `pool-12-thread-1` -> `pool-#-thread-#`; an id made per request in the name is one `#`
/// too (`group-rates-GS-3f9a1c2b8d7e6f50` -> `group-rates-GS-#`), so the threads named after
/// their request group together.
pub(crate) fn digits_to_hash(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut token = String::new();
    for ch in name.chars().chain(std::iter::once('\0')) {
        if ch.is_ascii_alphanumeric() {
            token.push(ch);
            continue;
        }
        if is_id(&token) {
            out.push('#');
        } else {
            mask_digits(&token, &mut out);
        }
        token.clear();
        if ch != '\0' {
            out.push(ch);
        }
    }
    out
}

/// A token that reads as a generated id: hex of four or more characters mixing digits and
/// letters (a UUID's groups, a hex id), also after a prefix of up to four letters (`up3c00b7a`),
/// or ten or more letters and digits with at least two digits.
fn is_id(token: &str) -> bool {
    let digits = token.bytes().filter(u8::is_ascii_digit).count();
    let prefix = token.bytes().take_while(u8::is_ascii_alphabetic).count();
    let rest = &token[if prefix <= MAX_ID_PREFIX { prefix } else { 0 }..];
    let hex = rest.bytes().all(|b| b.is_ascii_hexdigit());
    (hex && rest.len() >= 4 && digits >= 1 && digits < rest.len())
        || (digits >= 2 && token.len() >= 10)
}

/// Letters that may precede a hex id in one token (`up`, `req`, `tx`).
const MAX_ID_PREFIX: usize = 4;

/// `token` with each run of digits as one `#`.
fn mask_digits(token: &str, out: &mut String) {
    let mut in_digits = false;
    for ch in token.chars() {
        if ch.is_ascii_digit() {
            if !in_digits {
                out.push('#');
            }
            in_digits = true;
        } else {
            out.push(ch);
            in_digits = false;
        }
    }
}

/// A pattern up to and including its last separator, when something precedes it and a token
/// of letters or `#` follows it (`autosave-booth-QKZT` -> `autosave-booth-`).
pub(super) fn stem(pattern: &str) -> Option<&str> {
    let cut = pattern.rfind(|c: char| !c.is_ascii_alphanumeric() && c != '#')?;
    let (head, tail) = pattern.split_at(cut + 1);
    let named = head.bytes().any(|b| b.is_ascii_alphabetic());
    (named && !tail.is_empty()).then_some(head)
}

/// A pattern up to its first token with a `#` when letters precede it: the threads of one
/// kind of pool whose names carry an id with letters in it (a tenant `1003Y` and `1007H` give
/// `club-sync-#Y-v#` and `club-sync-#H-v#`, both `club-sync-`); else the whole pattern.
pub(super) fn family(pattern: &str) -> &str {
    let mut start = 0;
    for (i, c) in pattern.char_indices() {
        if c == '#' {
            let head = &pattern[..start];
            return match head.bytes().any(|b| b.is_ascii_alphabetic()) {
                true => head,
                false => pattern,
            };
        }
        if !c.is_ascii_alphanumeric() {
            start = i + 1;
        }
    }
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_of_patterns() {
        assert_eq!(family("club-sync-DBC-#Y-v#"), "club-sync-DBC-");
        assert_eq!(family("club-sync-DBC-#-v#"), "club-sync-DBC-");
        assert_eq!(family("pool-#-thread-#"), "pool-");
        assert_eq!(family("#-worker"), "#-worker");
        assert_eq!(family("scheduler"), "scheduler");
    }

    #[test]
    fn stems_of_patterns() {
        assert_eq!(stem("autosave-booth-QKZT"), Some("autosave-booth-"));
        assert_eq!(stem("C# CompilerThread#"), Some("C# "));
        assert_eq!(stem("main"), None);
        assert_eq!(stem("-QKZT"), None);
        assert_eq!(stem("worker-"), None);
    }

    #[test]
    fn thread_name_patterns() {
        assert_eq!(digits_to_hash("pool-12-thread-1"), "pool-#-thread-#");
        assert_eq!(digits_to_hash("main"), "main");
        assert_eq!(digits_to_hash("w7x"), "w#x");
        assert_eq!(
            digits_to_hash("group-rates-GS-3f9a1c2b8d7e6f50"),
            "group-rates-GS-#"
        );
        assert_eq!(
            digits_to_hash("worker-6f1c2e9a-0b1d-4c3e-9f2a-7d5e8c1b3a40"),
            "worker-#-#-#-#-#"
        );
        assert_eq!(digits_to_hash("http-nio-8080-exec-12"), "http-nio-#-exec-#");
        assert_eq!(digits_to_hash("C2 CompilerThread0"), "C# CompilerThread#");
        assert_eq!(digits_to_hash("scan-upload-up3c00b7a"), "scan-upload-#");
        assert_eq!(digits_to_hash("scan-upload-up3c00127"), "scan-upload-#");
        assert_eq!(digits_to_hash("worker1ab"), "worker#ab");
    }
}
