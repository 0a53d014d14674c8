//! Pseudonyms for the names an application gives its classes, packages, fields, methods and
//! source files, for [`crate::redact`] copies of dumps whose class names are themselves
//! confidential.
//!
//! Names live in UTF8 records that LOAD_CLASS (class names), CLASS_DUMP (field names) and
//! FRAME (method names, signatures, source files) records point to by string id. A first pass
//! ([`Pseudonyms::plan`]) finds each string's roles; the copy then carries a replacement for
//! every string that names only application things:
//!
//! - a class name outside the platform ([`is_platform_class`]: `java.`, `javax.`, `jdk.`,
//!   `sun.`, `com.sun.`, `kotlin.`, `android.`, `dalvik.` and primitive types) keeps its shape:
//!   each package segment becomes `pkg_...`, each `$`-separated part of the simple name
//!   `Class_...`, so `com/acme/Billing$Invoice` becomes `pkg_3k9f2b/pkg_x81c0d/Class_k3f9a2$Class_7tq0mz`
//!   and its array class `[Lcom/acme/Billing$Invoice;` becomes
//!   `[Lpkg_3k9f2b/pkg_x81c0d/Class_k3f9a2$Class_7tq0mz;`. Numbers of anonymous
//!   classes, the `Lambda` of lambdas and hidden-class suffixes (`+0x...`) stay, and so do the
//!   words the leak analysis reads in a class name (a `Listener`, `Callback`, `Handler`,
//!   `Observer`, `Subscriber` or `FutureTask` ending, `Map` anywhere, a part named `Node`,
//!   `Entry` or `Index`), as suffixes: `SessionListener` becomes `Class_w8b2ncListener`;
//! - a field name used only by application classes becomes `field_...`; a name any platform class
//!   also uses (`size`, `value`) is one string shared with the platform and stays, as do the
//!   names the analysis reads: synthetic `this$0`, the `arg$`/`val$` prefixes of captured
//!   variables (`val$field_...`), cap-like names (`maxSize` becomes `maxField_...`) and the flags of
//!   borrowed pooled connections (`borrowed`, `inUse`, ...);
//! - a method name of application frames only becomes `method_...`, a source file `Source_....java`
//!   (its extension kept), and application class names inside method signatures are replaced
//!   as above.
//!
//! A pseudonym is a keyed hash of the name it replaces ([`NameKey`], see `hash.rs`): the same
//! name gets the same pseudonym in every dump redacted with the same key, so a series of dumps
//! of one application can be compared (`growth`, `leaks A B C`) after redaction. Everything the
//! analyses compute (sizes, references, verdicts) is unchanged: only names differ.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::{self, Write};

use crate::error::ParseError;
use crate::heap::{walk_heap, ClassDump, HeapVisitor};
use crate::index::DumpIndex;
use crate::names::java_name;
use crate::reader::{read_id, read_u32};
use crate::redact::shape_filler;
use crate::source::DumpSource;

mod hash;
mod shapes;

use hash::hashed;
pub use hash::{NameKey, DEFAULT_NAMES_KEY};
use shapes::{field_kept, field_pseudonym, ClassNames};

/// Package prefixes (Java source form) whose names are never replaced: every analysis
/// recognises platform classes by name.
pub const PLATFORM_PREFIXES: [&str; 8] = [
    "java.", "javax.", "jdk.", "sun.", "com.sun.", "kotlin.", "android.", "dalvik.",
];

/// What a replaced name names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NameKind {
    /// A class (JVM internal form in the dump, Java source form in the map).
    Class,
    /// A field.
    Field,
    /// A method.
    Method,
    /// A method signature.
    Signature,
    /// A source file.
    Source,
}

impl NameKind {
    /// The word used in the map file.
    pub fn word(self) -> &'static str {
        match self {
            NameKind::Class => "class",
            NameKind::Field => "field",
            NameKind::Method => "method",
            NameKind::Signature => "signature",
            NameKind::Source => "source",
        }
    }
}

/// The replacements of one dump's application names.
#[derive(Clone, Debug, Default)]
pub struct Pseudonyms {
    /// UTF8 string id -> the replacement text.
    replace: HashMap<u64, Vec<u8>>,
    /// The string ids some record refers to; every other string becomes filler.
    referenced: HashSet<u64>,
    /// (kind, pseudonym, original) of every replacement, sorted, for the map file.
    entries: Vec<(NameKind, String, String)>,
}

/// Whether a class name (Java source form, arrays as `Foo[]`) is the platform's.
pub fn is_platform_class(name: &str) -> bool {
    let base = name.trim_end_matches("[]");
    PLATFORM_PREFIXES.iter().any(|p| base.starts_with(p))
        || matches!(
            base,
            "boolean" | "char" | "float" | "double" | "byte" | "short" | "int" | "long"
        )
        || base.starts_with('<')
        || base.is_empty()
}

/// The string ids of a dump by the roles they play.
#[derive(Default)]
struct Roles {
    /// Class object id -> whether its class is the platform's.
    platform_class: HashMap<u64, bool>,
    /// Class serial -> whether its class is the platform's.
    platform_serial: HashMap<u32, bool>,
    /// Name ids of application classes.
    app_classes: BTreeSet<u64>,
    /// Field name ids declared by application classes, and by platform ones.
    app_fields: HashSet<u64>,
    kept_fields: HashSet<u64>,
    /// Method name ids of application frames, and of platform ones.
    app_methods: HashSet<u64>,
    kept_methods: HashSet<u64>,
    /// Source file ids of application frames, and of platform ones.
    app_sources: HashSet<u64>,
    kept_sources: HashSet<u64>,
    /// Signature ids of every frame.
    signatures: BTreeSet<u64>,
    /// Every string id a record refers to.
    referenced: HashSet<u64>,
}

/// Collects the field name ids of class dumps.
struct FieldNames<'r> {
    roles: &'r mut Roles,
}

impl HeapVisitor for FieldNames<'_> {
    fn heap_info(&mut self, _offset: u64, _heap_type: u32, name_id: u64) {
        self.roles.referenced.insert(name_id);
    }

    fn class_dump(&mut self, c: &ClassDump<'_>) {
        // A class without LOAD_CLASS has no known name: its fields are kept.
        let platform = self
            .roles
            .platform_class
            .get(&c.id)
            .copied()
            .unwrap_or(true);
        let ids = c
            .statics
            .statics()
            .map(|s| s.name_id)
            .chain(c.fields.fields().map(|f| f.name_id));
        for id in ids {
            self.roles.referenced.insert(id);
            if platform {
                self.roles.kept_fields.insert(id);
            } else {
                self.roles.app_fields.insert(id);
            }
        }
    }
}

/// The text of a string id, lossily decoded (names are modified UTF-8).
fn text(idx: &DumpIndex, data: &[u8], id: u64) -> Option<String> {
    idx.string(data, id)
        .map(|b| String::from_utf8_lossy(b).into_owned())
}

impl Roles {
    /// Classes from LOAD_CLASS, fields from every class dump, methods from FRAME records.
    fn collect(idx: &DumpIndex, src: &DumpSource) -> Result<Roles, ParseError> {
        let data = src.bytes();
        let mut r = Roles::default();
        for lc in &idx.load_classes {
            let name = text(idx, data, lc.name_id).unwrap_or_default();
            let platform = is_platform_class(&java_name(&name));
            r.platform_class.insert(lc.class_id, platform);
            r.platform_serial.insert(lc.serial, platform);
            r.referenced.insert(lc.name_id);
            if !platform {
                r.app_classes.insert(lc.name_id);
            }
        }
        let id_size = idx.header.id_size;
        for range in &idx.heap_ranges {
            let body = &data[range.start as usize..range.end as usize];
            walk_heap(
                body,
                range.start,
                id_size,
                &mut FieldNames { roles: &mut r },
            )?;
            src.release(range.start as usize, range.end as usize);
        }
        let ids = id_size as usize;
        for &off in &idx.frames {
            // Tag, time, length; then frame id, method, signature, source ids, class serial.
            let start = off as usize + 9;
            let need = 4 * ids + 4;
            let Some(b) = data.get(start..start + need) else {
                return Err(ParseError::Truncated {
                    record: "FRAME",
                    offset: off,
                    needed: need as u64,
                    remaining: data.len().saturating_sub(start) as u64,
                });
            };
            let method = read_id(&b[ids..], id_size);
            let signature = read_id(&b[2 * ids..], id_size);
            let source = read_id(&b[3 * ids..], id_size);
            let serial = read_u32(&b[4 * ids..]);
            let platform = r.platform_serial.get(&serial).copied().unwrap_or(true);
            let (m, s) = if platform {
                (&mut r.kept_methods, &mut r.kept_sources)
            } else {
                (&mut r.app_methods, &mut r.app_sources)
            };
            m.insert(method);
            s.insert(source);
            r.signatures.insert(signature);
            r.referenced.extend([method, signature, source]);
        }
        r.thread_names(idx, data);
        Ok(r)
    }
}

impl Roles {
    /// The thread and group names of START_THREAD records (the `-agentlib:hprof` agent's).
    fn thread_names(&mut self, idx: &DumpIndex, data: &[u8]) {
        let id_size = idx.header.id_size;
        let ids = id_size as usize;
        let mut records = crate::records::Records::new(data, idx.header.len);
        for rec in records.by_ref().map_while(|r| r.ok()) {
            // Serial, thread id, stack serial, then the thread, group and parent group names.
            let at = 8 + ids;
            if rec.tag == crate::tag::RecordTag::START_THREAD && rec.body.len() >= at + 3 * ids {
                for k in 0..3 {
                    self.referenced
                        .insert(read_id(&rec.body[at + k * ids..], id_size));
                }
            }
        }
    }
}

/// Escapes a name for the map file: tab, newline, backslash and control characters.
fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

impl Pseudonyms {
    /// Reads the dump once (its top-level records and every class dump) and works out the
    /// replacement of every name that only the application uses, under the public default
    /// key. Fails on damage, naming it and its offset, like [`crate::redact::redact`].
    pub fn plan(src: &DumpSource) -> Result<Pseudonyms, ParseError> {
        Self::plan_with(src, Some(&NameKey::default()))
    }

    /// Like [`Pseudonyms::plan`], the pseudonyms hashed under `key` (a user's secret: without
    /// it, a guessed name cannot be confirmed by hashing it).
    pub fn plan_keyed(src: &DumpSource, key: &NameKey) -> Result<Pseudonyms, ParseError> {
        Self::plan_with(src, Some(key))
    }

    /// Like [`Pseudonyms::plan`] without pseudonyms: only the strings no record refers to
    /// become filler, every name stays. What a plain redacted copy does.
    pub fn symbols_only(src: &DumpSource) -> Result<Pseudonyms, ParseError> {
        Self::plan_with(src, None)
    }

    fn plan_with(src: &DumpSource, key: Option<&NameKey>) -> Result<Pseudonyms, ParseError> {
        let data = src.bytes();
        let idx = DumpIndex::scan_releasing(data, false, &mut |s, e| {
            src.release(s as usize, e as usize)
        })?;
        let roles = Roles::collect(&idx, src)?;
        let mut p = Pseudonyms {
            referenced: roles.referenced.clone(),
            ..Default::default()
        };
        let Some(key) = key else {
            return Ok(p);
        };
        p.add_classes(&idx, data, &roles, key);
        p.add_fields(&idx, data, &roles, key);
        let methods: BTreeSet<String> = roles
            .app_methods
            .difference(&roles.kept_methods)
            .filter_map(|&id| text(&idx, data, id))
            .filter(|m| !m.starts_with('<'))
            .collect();
        let methods = hashed(methods, "method", key);
        for &id in roles.app_methods.difference(&roles.kept_methods) {
            if let Some(new) = text(&idx, data, id).and_then(|m| methods.get(&m)) {
                p.add(NameKind::Method, id, new.clone(), text(&idx, data, id));
            }
        }
        let sources: BTreeSet<String> = roles
            .app_sources
            .difference(&roles.kept_sources)
            .filter_map(|&id| text(&idx, data, id))
            .collect();
        let sources = hashed(sources, "Source", key);
        for &id in roles.app_sources.difference(&roles.kept_sources) {
            let Some(old) = text(&idx, data, id) else {
                continue;
            };
            let Some(n) = sources.get(&old) else {
                continue;
            };
            let ext = old.rfind('.').map_or("", |i| &old[i..]);
            let new = format!("{n}{ext}");
            p.add(NameKind::Source, id, new, Some(old));
        }
        p.entries.sort();
        Ok(p)
    }

    /// Records one replacement (nothing when it changes nothing).
    fn add(&mut self, kind: NameKind, id: u64, new: String, old: Option<String>) {
        let old = old.unwrap_or_default();
        if new == old {
            return;
        }
        self.replace.insert(id, new.clone().into_bytes());
        let shown = |s: &str| match kind {
            NameKind::Class => java_name(s),
            _ => s.to_string(),
        };
        self.entries.push((kind, shown(&new), shown(&old)));
    }

    /// Application class names, and the signatures that mention them.
    fn add_classes(&mut self, idx: &DumpIndex, data: &[u8], roles: &Roles, key: &NameKey) {
        let names: Vec<String> = roles
            .app_classes
            .iter()
            .filter_map(|&id| text(idx, data, id))
            .collect();
        let classes = ClassNames::new(&names, key);
        for &id in &roles.app_classes {
            let old = text(idx, data, id);
            let new = classes.rename(old.as_deref().unwrap_or(""));
            self.add(NameKind::Class, id, new, old);
        }
        for &id in &roles.signatures {
            let old = text(idx, data, id);
            let new = classes.rename_signature(old.as_deref().unwrap_or(""));
            self.add(NameKind::Signature, id, new, old);
        }
    }

    /// Field names that only application classes declare.
    fn add_fields(&mut self, idx: &DumpIndex, data: &[u8], roles: &Roles, key: &NameKey) {
        let ids: Vec<(u64, String)> = roles
            .app_fields
            .difference(&roles.kept_fields)
            .filter_map(|&id| Some((id, text(idx, data, id)?)))
            .filter(|(_, n)| !field_kept(n))
            .collect();
        let fields = hashed(ids.iter().map(|(_, n)| n.clone()).collect(), "field", key);
        for (id, old) in ids {
            let Some(n) = fields.get(&old) else {
                continue;
            };
            let new = field_pseudonym(&old, n);
            self.add(NameKind::Field, id, new, Some(old));
        }
    }

    /// What the UTF8 string `string_id` with text `old` becomes in the copy: its pseudonym
    /// when it names only application things, filler of its shape when no record refers to
    /// it, `None` when it stays.
    pub fn rewrite(&self, string_id: u64, old: &[u8]) -> Option<Cow<'_, [u8]>> {
        if let Some(new) = self.replace.get(&string_id) {
            return Some(Cow::Borrowed(new));
        }
        (!self.referenced.contains(&string_id))
            .then(|| Cow::Owned(old.iter().map(|&b| shape_filler(b)).collect()))
    }

    /// How many strings get a pseudonym.
    pub fn len(&self) -> usize {
        self.replace.len()
    }

    /// Whether no string gets a pseudonym.
    pub fn is_empty(&self) -> bool {
        self.replace.is_empty()
    }

    /// Writes the map: a comment line, then one line per replaced name, tab-separated: its
    /// kind, the pseudonym and the original (class names in Java source form; tabs, newlines,
    /// backslashes and control characters escaped as `\t`, `\n`, `\\`, `\u{..}`).
    pub fn write_map(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "# hprofscan redact --pseudonymize-names: kind<TAB>pseudonym<TAB>original"
        )?;
        for (kind, new, old) in &self.entries {
            writeln!(out, "{}\t{}\t{}", kind.word(), escaped(new), escaped(old))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_classes_are_kept() {
        for n in [
            "java.util.HashMap$Node[]",
            "kotlin.Unit",
            "int[]",
            "<unknown>",
        ] {
            assert!(is_platform_class(n), "{n}");
        }
        assert!(!is_platform_class("com.acme.Foo") && !is_platform_class("javafoo.Bar"));
    }
}
