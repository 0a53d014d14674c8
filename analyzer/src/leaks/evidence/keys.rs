//! Key shape: maps keyed by per-request tokens (UUIDs, random session ids) accumulate one entry
//! per request; maps keyed by enum constants or short codes have a bounded domain; numeric ids
//! are natural keys (database ids) but say little alone; hex digests (SHA-1, SHA-256) are
//! content addresses, new per distinct content rather than per request, and say nothing alone.
//! Key text is read only to classify its shape and is never shown; a key that wraps one String
//! (`record MessageId(String uuid)`) has that String's shape, unless a non-zero `long` beside it (a
//! window's start, a tenant's id) makes the key composite.

use super::super::candidate::{evidence, Candidate};
use super::super::model::{EvidenceName, Strength, Supports};
use super::Reads;

/// Share of sampled keys that must have one shape for it to count.
const DOMINANT: f64 = 0.8;
/// Share of sampled keys that must be per-request tokens: when two in three keys are new for
/// every request, the map grows with the requests whatever the other keys are.
const TOKENS: f64 = 2.0 / 3.0;
/// Keys needed for a judgement.
const MIN_KEYS: usize = 20;
/// The longest key that is a short code.
const SHORT_CODE: usize = 8;

/// The shape of one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyShape {
    /// A UUID or a long random-looking token.
    Token,
    /// A short code (`LHR`, `EUR`, `DE-BY`).
    Code,
    /// A number, or a prefix and a number (`user-1042`).
    Numeric,
    /// Anything else.
    Other,
    /// A hex digest (40, 64 or 128 hex digits of one case: SHA-1, SHA-256, SHA-512): a content
    /// address, equal for equal content, so not a sign of one entry per request.
    Digest,
}

/// Classifies a String key.
pub(crate) fn shape(s: &str) -> KeyShape {
    let b = s.as_bytes();
    if is_digest(token_body(s)) {
        return KeyShape::Digest;
    }
    if is_token(s) {
        return KeyShape::Token;
    }
    let digits = b.iter().filter(|c| c.is_ascii_digit()).count();
    let trailing = b.iter().rev().take_while(|c| c.is_ascii_digit()).count();
    if !b.is_empty()
        && (digits == b.len() || (trailing >= 3 && (trailing == digits || numbered_part(b))))
    {
        return KeyShape::Numeric;
    }
    if !b.is_empty()
        && b.len() <= SHORT_CODE
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'/'))
    {
        return KeyShape::Code;
    }
    KeyShape::Other
}

/// Whether the trailing digits of `b` are a whole part after a separator, behind a short
/// prefix of codes (`dev-th-200-000123`: a model code, then the device's number).
fn numbered_part(b: &[u8]) -> bool {
    let trailing = b.iter().rev().take_while(|c| c.is_ascii_digit()).count();
    let prefix = &b[..b.len() - trailing];
    prefix.len() <= 2 * SHORT_CODE
        && prefix
            .last()
            .is_some_and(|c| matches!(c, b'-' | b'_' | b':' | b'/' | b'#' | b'.'))
}

/// Separators between the parts of a composite key (`3000042/<uuid>`, `tenant:<token>`).
const PART_SEPARATORS: [char; 5] = ['/', ':', '|', '#', ' '];

/// A UUID or a random token, as the whole key or as one part of a composite key.
fn is_token(s: &str) -> bool {
    let one = |p: &str| is_uuid(p.as_bytes()) || is_random_token(p);
    one(s) || (s.contains(PART_SEPARATORS) && s.split(PART_SEPARATORS).any(one))
}

fn is_uuid(b: &[u8]) -> bool {
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// A part of at least 16 characters between separators (the id after a prefix, the trace id
/// of a W3C `traceparent` `00-<32 hex>-<16 hex>-01`) mixing letters and digits with no long run
/// of either: hex or base64 ids, session ids.
fn is_random_token(s: &str) -> bool {
    let body = token_body(s);
    if body.len() < 16 || !body.bytes().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let digits = body.bytes().filter(|c| c.is_ascii_digit()).count();
    let letters = body.len() - digits;
    if digits * 8 < body.len() || letters * 8 < body.len() {
        return false;
    }
    let mut run = 0usize;
    let mut longest = 0usize;
    let mut prev_digit = None;
    for c in body.bytes() {
        let d = c.is_ascii_digit();
        run = if Some(d) == prev_digit { run + 1 } else { 1 };
        longest = longest.max(run);
        prev_digit = Some(d);
    }
    longest <= body.len() / 2
}

/// The longest part of `s` between `-`, `:` and `_` (the id after a prefix such as `sess-` or
/// `sha256:`).
fn token_body(s: &str) -> &str {
    s.split(['-', ':', '_'])
        .max_by_key(|part| part.len())
        .unwrap_or(s)
}

/// Whether `body` is a hex digest: the length of a SHA-1, SHA-256 or SHA-512 value, hex digits
/// only, letters all of one case (as `HexFormat` and `%x` write them).
fn is_digest(body: &str) -> bool {
    let b = body.as_bytes();
    matches!(b.len(), 40 | 64 | 128)
        && b.iter().all(|c| c.is_ascii_hexdigit())
        && !(b.iter().any(|c| c.is_ascii_lowercase()) && b.iter().any(|c| c.is_ascii_uppercase()))
}

/// SQL text (a statement's first word) with its literals masked: digit runs become `#`,
/// quoted strings `?`. None for text that is not SQL or holds no literal.
pub(crate) fn sql_template(s: &str) -> Option<String> {
    const VERBS: [&str; 6] = ["select", "insert", "update", "delete", "with", "merge"];
    let first = s.split_whitespace().next()?.to_ascii_lowercase();
    if !VERBS.contains(&first.as_str()) {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let (mut literal, mut quoted) = (false, false);
    for ch in s.chars() {
        match ch {
            '\'' => {
                if !quoted {
                    out.push('?');
                }
                quoted = !quoted;
                literal = true;
            }
            _ if quoted => {}
            d if d.is_ascii_digit() => {
                if !out.ends_with('#') {
                    out.push('#');
                }
                literal = true;
            }
            _ => out.push(ch),
        }
    }
    literal.then_some(out)
}

/// Share of the sampled keys that must be one SQL statement with different literals.
const ONE_STATEMENT: f64 = 0.5;

/// Keys that are one SQL statement with a different literal each (`... WHERE id = 1042`): a
/// statement or query-plan cache keyed by SQL built with literals instead of bind parameters
/// gets an entry per value, not per query. Whether the evidence was added.
fn literal_sql(c: &mut Candidate, reads: &Reads) -> bool {
    let mut templates: rustc_hash::FxHashMap<String, usize> = Default::default();
    let keys = shaped_keys(c);
    for k in keys {
        if let Some(t) = reads.key_text.get(k).and_then(|t| sql_template(t)) {
            *templates.entry(t).or_default() += 1;
        }
    }
    let n = keys.len();
    let top = templates.values().copied().max().unwrap_or(0);
    if top == 0 || (top as f64) < ONE_STATEMENT * n as f64 {
        return false;
    }
    c.add(evidence(
        EvidenceName::KeyShape,
        Supports::Leak,
        Strength::Moderate,
        format!("{top} of {n} sampled keys are one SQL statement with a different literal value in each: built with literals instead of bind parameters, it gets an entry per value, not per query, and grows with the data"),
    ));
    true
}

/// A URL key's shape: its path with digit runs masked and its query's parameter names
/// (`/menu/hall-#?date&sid&_`), for a path (or an http(s) URL) with a query string; None
/// for other text.
pub(crate) fn url_template(s: &str) -> Option<String> {
    let rest = ["https://", "http://"]
        .iter()
        .find_map(|p| s.strip_prefix(p))
        .map_or(Some(s), |r| r.find('/').map(|i| &r[i..]))?;
    let (path, query) = rest.split_once('?')?;
    if !path.starts_with('/') || !query.contains('=') {
        return None;
    }
    let mut out = String::with_capacity(path.len() + query.len());
    for ch in path.chars() {
        if !ch.is_ascii_digit() {
            out.push(ch);
        } else if !out.ends_with('#') {
            out.push('#');
        }
    }
    out.push('?');
    let names: Vec<&str> = query
        .split('&')
        .map(|p| p.split('=').next().unwrap_or(p))
        .collect();
    out.push_str(&names.join("&"));
    Some(out)
}

/// Share of the sampled keys that must be URLs with a query string.
const URLS: f64 = 2.0 / 3.0;
/// Sampled keys per URL shape, at least, for the query's values to be per request.
const KEYS_PER_SHAPE: usize = 4;

/// Keys that are URLs with their query strings, a few shapes each with many values (a
/// session id, a cache-busting time): a map keyed by the full request URL gets an entry per
/// request, not per page. Whether the evidence was added.
fn query_urls(c: &mut Candidate, reads: &Reads) -> bool {
    let mut shapes: rustc_hash::FxHashMap<String, usize> = Default::default();
    let keys = shaped_keys(c);
    for k in keys {
        if let Some(t) = reads.key_text.get(k).and_then(|t| url_template(t)) {
            *shapes.entry(t).or_default() += 1;
        }
    }
    let n = keys.len();
    let urls: usize = shapes.values().sum();
    if urls == 0 || (urls as f64) < URLS * n as f64 || urls < KEYS_PER_SHAPE * shapes.len() {
        return false;
    }
    c.add(evidence(
        EvidenceName::KeyShape,
        Supports::Leak,
        Strength::Moderate,
        format!("{urls} of {n} sampled keys are URLs with a query string, of {} shapes: keyed by the full URL, whose query values change with every request, the map gets an entry per request, not per page", shapes.len()),
    ));
    true
}

/// The number key `k` carries, in an order-preserving form, for ranking keys against times
/// (never shown): a boxed `Long` or `Integer`'s value (the sign bit flipped), or the trailing
/// digits of a String key (`hold-4400123`, at most 18 of them).
pub(crate) fn key_number(a: &crate::dom::analysis::Analysis, reads: &Reads, k: u32) -> Option<u64> {
    match reads.key_text.get(&k) {
        Some(t) => trailing_number(t),
        None => boxed_number(a, reads, k),
    }
}

/// The number in the trailing digits of `s` (1 to 18 of them).
fn trailing_number(s: &str) -> Option<u64> {
    let digits = s.bytes().rev().take_while(u8::is_ascii_digit).count();
    if !(1..=18).contains(&digits) {
        return None;
    }
    s[s.len() - digits..].parse().ok()
}

/// The value of boxed `Long` or `Integer` `k`, order-preserving as unsigned (the sign bit of
/// the 64-bit or 32-bit value flipped).
pub(crate) fn boxed_number(
    a: &crate::dom::analysis::Analysis,
    reads: &Reads,
    k: u32,
) -> Option<u64> {
    let boxes = ["java.lang.Long", "java.lang.Integer"].map(|n| a.heap.classes.by_name(n));
    let numeric = a.graph.class_object(k).is_none() && boxes.contains(&Some(a.graph.class_of(k)));
    let f = reads.views.get(&k).filter(|_| numeric)?.field("value")?;
    Some(match f.ty {
        hprof_parser::BasicType::Long => f.raw ^ (1 << 63),
        _ => (f.raw as u32 ^ (1 << 31)) as u64,
    })
}

/// How many of `keys` are boxed `Long`s holding a time of the last thirty days, in
/// milliseconds or seconds since the epoch (a minute's start keying its bucket). Not micro- or
/// nanoseconds: 64-bit ids generated from a clock are that large.
fn time_keys(a: &crate::dom::analysis::Analysis, reads: &Reads, keys: &[u32], now: u64) -> usize {
    let long = a.heap.classes.by_name("java.lang.Long");
    keys.iter()
        .filter(|&&k| long == Some(a.graph.class_of(k)))
        .filter_map(|&k| boxed_number(a, reads, k))
        .map(|n| (n ^ (1 << 63)) as i64)
        .filter(|&raw| {
            let ms = super::ages::as_millis(raw, now);
            ms == Some(raw as u64) || ms == (raw as u64).checked_mul(1000)
        })
        .count()
}

/// The keys whose shape is judged: a map's sampled keys, or a set's sampled elements (a set of
/// ids is keyed by them as a map is).
pub(crate) fn shaped_keys(c: &Candidate) -> &[u32] {
    let set = c.collection.as_ref().is_some_and(|f| {
        matches!(
            f.spec.shape,
            crate::query::collections::Shape::MapBackedSet(_)
        )
    });
    if c.keys.is_empty() && set {
        &c.values
    } else {
        &c.keys
    }
}

/// Adds the key-shape evidence of a map of collections whose own keys are per-request tokens
/// (a cache per booking session under `tenant:<session id>`): a new collection for every
/// request or session, however its inner keys look. Whether it was added.
fn outer_tokens(c: &mut Candidate, reads: &Reads) -> bool {
    let n = c.outer_keys.len();
    let k = c
        .outer_keys
        .iter()
        .filter(|k| {
            reads
                .key_text
                .get(k)
                .is_some_and(|t| shape(t) == KeyShape::Token)
        })
        .count();
    if n < MIN_KEYS || (k as f64) < TOKENS * n as f64 {
        return false;
    }
    c.add(evidence(
        EvidenceName::KeyShape,
        Supports::Leak,
        Strength::Moderate,
        format!("{k} of {n} sampled keys of the outer map are per-request tokens (UUIDs or random ids): a new collection for every request or session, so collections only go if something removes them"),
    ));
    true
}

/// Adds the key-shape evidence of a map (or a set).
pub(crate) fn add(a: &crate::dom::analysis::Analysis, c: &mut Candidate, reads: &Reads, now: u64) {
    if outer_tokens(c, reads) {
        return;
    }
    if shaped_keys(c).len() < MIN_KEYS || literal_sql(c, reads) || query_urls(c, reads) {
        return;
    }
    let mut counts = [0usize; 5];
    let mut enums = 0usize;
    let keys = shaped_keys(c).to_vec();
    for k in &keys {
        match reads
            .key_text
            .get(k)
            .or_else(|| reads.wrapped_key_text.get(k))
        {
            Some(t) => counts[shape(t) as usize] += 1,
            None => {
                if reads
                    .views
                    .get(k)
                    .is_some_and(|v| v.field("ordinal").is_some() && v.field("name").is_some())
                {
                    enums += 1;
                } else if matches!(
                    crate::query::objects::node_class(a, *k).as_str(),
                    "java.lang.Long" | "java.lang.Integer" | "java.lang.Short"
                ) {
                    counts[KeyShape::Numeric as usize] += 1;
                }
            }
        }
    }
    let n = keys.len();
    let dominant = |k: usize| k as f64 >= DOMINANT * n as f64;
    let detail = |k: usize, what: &str| format!("{k} of {n} sampled keys {what}");
    if counts[KeyShape::Token as usize] as f64 >= TOKENS * n as f64 {
        let k = counts[KeyShape::Token as usize];
        c.add(evidence(
            EvidenceName::KeyShape,
            Supports::Leak,
            Strength::Moderate,
            detail(k, "are per-request tokens (UUIDs or random ids): a new key for every request, so entries only come back if something removes them"),
        ));
    } else if dominant(enums) {
        c.add(evidence(
            EvidenceName::KeyShape,
            Supports::MemoryHungry,
            Strength::Strong,
            detail(enums, "are enum constants: the map cannot outgrow the enum"),
        ));
    } else if dominant(counts[KeyShape::Code as usize]) {
        let k = counts[KeyShape::Code as usize];
        c.add(evidence(
            EvidenceName::KeyShape,
            Supports::MemoryHungry,
            Strength::Moderate,
            detail(k, "are short codes (at most 8 characters): a bounded natural domain, as in reference data"),
        ));
    } else if dominant(time_keys(a, reads, &keys, now)) {
        let k = time_keys(a, reads, &keys, now);
        c.add(evidence(
            EvidenceName::KeyShape,
            Supports::Leak,
            Strength::Weak,
            detail(k, "are times (milliseconds or seconds since the epoch): one entry per moment or period, a window only if something drops the old ones (the entries' ages tell)"),
        ));
    } else if dominant(counts[KeyShape::Numeric as usize]) {
        let k = counts[KeyShape::Numeric as usize];
        c.add(evidence(
            EvidenceName::KeyShape,
            Supports::MemoryHungry,
            Strength::Weak,
            detail(k, "are numeric ids: natural keys such as database ids, as in a directory (request counters look the same, so this decides nothing alone)"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_shapes_mask_query_values() {
        assert_eq!(
            url_template("/menu/hall-3?date=2026-12-04&sid=1a2b&_=1764806400000").as_deref(),
            Some("/menu/hall-#?date&sid&_")
        );
        assert_eq!(
            url_template("https://shop.example/order/5000042?sid=9f").as_deref(),
            Some("/order/#?sid")
        );
        assert_eq!(url_template("/menu/hall-3"), None);
        assert_eq!(url_template("what?is=this"), None);
        assert_eq!(url_template("LHR"), None);
    }

    #[test]
    fn trailing_numbers() {
        assert_eq!(trailing_number("hold-4400123"), Some(4_400_123));
        assert_eq!(trailing_number("42"), Some(42));
        assert_eq!(trailing_number("EUR"), None);
        assert_eq!(trailing_number("x1234567890123456789"), None);
    }

    #[test]
    fn key_shapes() {
        assert_eq!(
            shape("3f2b8c1e-9a4d-4e7b-8f21-0c5d6e7f8a9b"),
            KeyShape::Token
        );
        assert_eq!(shape("sess-9f8e7d6c5b4a3f2e1d0c"), KeyShape::Token);
        assert_eq!(
            shape("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            KeyShape::Token
        );
        assert_eq!(
            shape("3000042/3f2b8c1e-9a4d-4e7b-8f21-0c5d6e7f8a9b"),
            KeyShape::Token
        );
        assert_eq!(shape("acme:9f8e7d6c5b4a3f2e1d0c"), KeyShape::Token);
        assert_eq!(shape("reports/2026/q3/summary"), KeyShape::Other);
        assert_eq!(shape("en-US-x-private-variant"), KeyShape::Other);
        assert_eq!(shape("LHR"), KeyShape::Code);
        assert_eq!(shape("DE-BY"), KeyShape::Code);
        assert_eq!(shape("100042"), KeyShape::Numeric);
        assert_eq!(shape("user-100042"), KeyShape::Numeric);
        assert_eq!(shape("dev-th-200-000123"), KeyShape::Numeric);
        assert_eq!(shape("v2.1.0"), KeyShape::Code);
        assert_eq!(shape("Some longer name"), KeyShape::Other);
        assert_eq!(shape("aaaaaaaaaaaaaaaaaaaa1"), KeyShape::Other);
        let sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        assert_eq!(shape(sha256), KeyShape::Digest);
        assert_eq!(shape(&format!("sha256:{sha256}")), KeyShape::Digest);
        assert_eq!(
            shape("A94A8FE5CCB19BA61C4C0873D391E987982FBBD3"),
            KeyShape::Digest
        );
        // Mixed case is not how digests are written: a random token.
        assert_eq!(
            shape("9f86D081884c7d659a2feaa0c55ad015A3bf4f1b2b0b822cd15d6c15b0f00a08"),
            KeyShape::Token
        );
        // 32 hex digits: an MD5 or a UUID without dashes, as a session id is often written.
        assert_eq!(shape("4bf92f3577b34da6a3ce929d0e0e4736"), KeyShape::Token);
    }

    #[test]
    fn sql_templates_mask_literals() {
        assert_eq!(
            sql_template("SELECT a FROM t WHERE id = 1042 AND s = 'x y'").as_deref(),
            Some("SELECT a FROM t WHERE id = # AND s = ?")
        );
        assert_eq!(sql_template("select a from t where id = ?"), None);
        assert_eq!(sql_template("selected 1042"), None);
        assert_eq!(sql_template("user-1042"), None);
    }
}
