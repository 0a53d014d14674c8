//! The shapes of pseudonyms: how one application name becomes its pseudonym, keeping what
//! the analyses read in it (see the module documentation of [`crate::pseudonym`]).

use std::collections::{BTreeMap, BTreeSet};

use super::hash::{hashed, NameKey};
use super::is_platform_class;
use crate::names::java_name;

/// Words the analyses read at the end of a class name part; kept as suffixes.
const CLASS_SUFFIXES: [&str; 6] = [
    "Listener",
    "Callback",
    "Handler",
    "Observer",
    "Subscriber",
    "FutureTask",
];

/// Class name parts kept whole (`HashMap$Node`-like entry classes, lambdas).
const KEPT_PARTS: [&str; 4] = ["Lambda", "Node", "Entry", "Index"];

/// Field names (lower case, without `is` and `_`) that flag a borrowed pooled connection.
const BORROWED_FLAGS: [&str; 5] = ["borrowed", "inuse", "checkedout", "leased", "acquired"];

/// The pseudonyms of package segments and class name parts.
pub(super) struct ClassNames {
    packages: BTreeMap<String, String>,
    parts: BTreeMap<String, String>,
}

/// A class name (internal or source form, arrays included) cut into its array prefix, its
/// package segments with their separator, its simple name and its array suffix.
fn split_class(name: &str) -> (&str, Vec<&str>, char, &str, &str) {
    let dims = name.bytes().take_while(|&b| b == b'[').count();
    let (prefix, inner, suffix) =
        if dims > 0 && name[dims..].starts_with('L') && name.ends_with(';') {
            (&name[..dims + 1], &name[dims + 1..name.len() - 1], ";")
        } else if dims > 0 {
            // A primitive array: nothing to replace.
            (name, "", "")
        } else {
            ("", name, "")
        };
    let sep = if inner.contains('/') { '/' } else { '.' };
    let (packages, simple) = match inner.rfind(sep) {
        Some(i) => (inner[..i].split(sep).collect(), &inner[i + 1..]),
        None => (Vec::new(), inner),
    };
    (prefix, packages, sep, simple, suffix)
}

/// A `$`-separated part of a simple name cut into the part to replace and what stays after
/// it (a hidden-class suffix `+0x...`); `None` when the part stays whole.
fn part_base(part: &str) -> Option<(&str, &str)> {
    let cut = part.find(['+', '/']).unwrap_or(part.len());
    let (base, rest) = part.split_at(cut);
    let kept =
        base.is_empty() || base.bytes().all(|b| b.is_ascii_digit()) || KEPT_PARTS.contains(&base);
    (!kept).then_some((base, rest))
}

/// The suffix a part's pseudonym keeps: a word the analyses read in class names.
fn class_suffix(base: &str) -> &'static str {
    match CLASS_SUFFIXES.iter().find(|s| base.ends_with(*s)) {
        Some(s) => s,
        None if base.contains("Map") => "Map",
        None => "",
    }
}

impl ClassNames {
    /// The pseudonyms of the package segments and name parts of the application's class
    /// names under `key`.
    pub(super) fn new(names: &[String], key: &NameKey) -> ClassNames {
        let mut packages = BTreeSet::new();
        let mut parts = BTreeSet::new();
        for n in names {
            let (_, pkgs, _, simple, _) = split_class(n);
            packages.extend(pkgs.iter().map(|s| s.to_string()));
            for p in simple.split('$') {
                if let Some((base, _)) = part_base(p) {
                    parts.insert(base.to_string());
                }
            }
        }
        ClassNames {
            packages: hashed(packages, "pkg", key),
            parts: hashed(parts, "Class", key),
        }
    }

    /// The pseudonym of an application class name.
    pub(super) fn rename(&self, name: &str) -> String {
        let (prefix, pkgs, sep, simple, suffix) = split_class(name);
        let mut out = String::from(prefix);
        for p in pkgs {
            out.push_str(self.packages.get(p).map_or(p, |s| s.as_str()));
            out.push(sep);
        }
        for (i, part) in simple.split('$').enumerate() {
            if i > 0 {
                out.push('$');
            }
            match part_base(part) {
                Some((base, rest)) => {
                    out.push_str(self.parts.get(base).map_or(base, |s| s.as_str()));
                    out.push_str(class_suffix(base));
                    out.push_str(rest);
                }
                None => out.push_str(part),
            }
        }
        out.push_str(suffix);
        out
    }

    /// A method signature with every application class inside `L...;` renamed.
    pub(super) fn rename_signature(&self, sig: &str) -> String {
        let mut out = String::with_capacity(sig.len());
        let mut rest = sig;
        while let Some(l) = rest.find('L') {
            let Some(semi) = rest[l..].find(';') else {
                break;
            };
            let class = &rest[l + 1..l + semi];
            out.push_str(&rest[..=l]);
            if is_platform_class(&java_name(class)) {
                out.push_str(class);
            } else {
                out.push_str(&self.rename(class));
            }
            out.push(';');
            rest = &rest[l + semi + 1..];
        }
        out.push_str(rest);
        out
    }
}

/// Whether a field name stays: names the analyses read (synthetic `this$N`, borrowed flags).
pub(super) fn field_kept(name: &str) -> bool {
    let synthetic = name
        .strip_prefix("this$")
        .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()));
    let mut k = name.to_ascii_lowercase().replace('_', "");
    if let Some(rest) = k.strip_prefix("is") {
        k = rest.to_string();
    }
    synthetic || name.starts_with('<') || BORROWED_FLAGS.contains(&k.as_str())
}

/// Whether a field name reads like a cap, as the leak analysis judges it.
fn cap_like(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    (n.contains("max") || n.contains("capacity") || n.contains("limit") || n.ends_with("cap"))
        && !["age", "time", "millis", "ttl"]
            .iter()
            .any(|w| n.contains(w))
}

/// The pseudonym of a field name given its hashed form (`field_k3f9a2`): captured-variable
/// prefixes stay, a cap-like name stays cap-like (`maxField_k3f9a2`).
pub(super) fn field_pseudonym(name: &str, numbered: &str) -> String {
    let prefix = ["arg$", "val$"]
        .into_iter()
        .find(|p| name.starts_with(p))
        .unwrap_or("");
    if cap_like(name) {
        format!(
            "{prefix}max{}{}",
            numbered[..1].to_uppercase(),
            &numbered[1..]
        )
    } else {
        format!("{prefix}{numbered}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> ClassNames {
        let list: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        ClassNames::new(&list, &NameKey::default())
    }

    /// The hashed pseudonym of one word of one kind under the default key.
    fn one(word: &str, prefix: &str) -> String {
        hashed(
            BTreeSet::from([word.to_string()]),
            prefix,
            &NameKey::default(),
        )[word]
            .clone()
    }

    #[test]
    fn class_names_keep_their_shape() {
        let c = names(&[
            "com/acme/Billing$Invoice",
            "com/acme/web/SessionListener",
            "com/acme/Billing$1",
            "com/acme/Billing$$Lambda$14+0x0000000800c0b0",
            "Main",
        ]);
        let (com, acme, web) = (one("com", "pkg"), one("acme", "pkg"), one("web", "pkg"));
        let (billing, invoice) = (one("Billing", "Class"), one("Invoice", "Class"));
        assert!(
            billing.starts_with("Class_") && billing.len() == 12,
            "{billing}"
        );
        assert_eq!(
            c.rename("com/acme/Billing$Invoice"),
            format!("{com}/{acme}/{billing}${invoice}")
        );
        assert_eq!(
            c.rename("[[Lcom/acme/Billing$Invoice;"),
            format!("[[L{com}/{acme}/{billing}${invoice};")
        );
        assert_eq!(
            c.rename("com/acme/web/SessionListener"),
            format!(
                "{com}/{acme}/{web}/{}Listener",
                one("SessionListener", "Class")
            )
        );
        assert_eq!(
            c.rename("com/acme/Billing$1"),
            format!("{com}/{acme}/{billing}$1")
        );
        assert_eq!(
            c.rename("com/acme/Billing$$Lambda$14+0x0000000800c0b0"),
            format!("{com}/{acme}/{billing}$$Lambda$14+0x0000000800c0b0")
        );
        assert_eq!(c.rename("Main"), one("Main", "Class"));
        assert_eq!(
            c.rename_signature("(Ljava/lang/String;[Lcom/acme/Billing$Invoice;I)V"),
            format!("(Ljava/lang/String;[L{com}/{acme}/{billing}${invoice};I)V")
        );
        assert_eq!(c.rename("[I"), "[I");
    }

    #[test]
    fn field_names_keep_what_the_analyses_read() {
        assert!(field_kept("this$0") && field_kept("inUse") && field_kept("is_borrowed"));
        assert!(!field_kept("password") && !field_kept("this$x"));
        assert_eq!(
            field_pseudonym("val$password", "field_k3f9b2"),
            "val$field_k3f9b2"
        );
        assert_eq!(
            field_pseudonym("maxEntries", "field_x81c0d"),
            "maxField_x81c0d"
        );
        assert_eq!(
            field_pseudonym("maxIdleTime", "field_7tq0mz"),
            "field_7tq0mz"
        );
        assert!(cap_like(&field_pseudonym("capacity", "field_3k9f2b")));
    }
}
