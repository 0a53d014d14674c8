//! ProGuard/R8 mapping files (`--mapping FILE`): obfuscated class and field names back to the
//! names in the source, as Android's `retrace` does.
//!
//! The format, one entry per line:
//!
//! ```text
//! # comments, and R8's `# {"id":"sourceFile",...}` metadata
//! com.example.SessionStore -> a.b:
//!     java.util.Map sessions -> a
//!     int count -> b
//!     1:4:void put(java.lang.String,java.lang.Object):12:15 -> a
//! ```
//!
//! A class line is `original -> obfuscated:`; the indented lines under it are its members, a
//! field `type original -> obfuscated` or a method (anything with a parenthesis, skipped:
//! heap dumps name no methods). A line that is neither is an error naming its line number; so
//! is an obfuscated class name given twice. Field names are looked up by the class that
//! declares them, their obfuscated name and their type as the dump records it (a reference or
//! one of the primitive types), so that two fields R8 gave the same name with different types
//! each get their own; a name that stays ambiguous is left as it is.

use std::path::{Path, PathBuf};

use hprof_parser::BasicType;
use rustc_hash::FxHashMap;

/// A mapping file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MappingError {
    /// The file cannot be read.
    #[error("cannot read the mapping file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A line that is not part of the mapping format.
    #[error("mapping file line {line}: {problem}")]
    BadLine {
        /// 1-based line number.
        line: usize,
        /// What is wrong, in words.
        problem: String,
    },
    /// No class line at all.
    #[error("the mapping file has no class line (`original.Class -> obfuscated:`); is it a ProGuard/R8 mapping file?")]
    Empty,
}

/// One field of a class as the mapping names it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct FieldMapping {
    obfuscated: String,
    original: String,
    ty: BasicType,
}

/// One class and its fields.
#[derive(Clone, Debug, PartialEq, Eq)]
struct ClassMapping {
    original: String,
    line: usize,
    fields: Vec<FieldMapping>,
}

/// A parsed mapping file.
#[derive(Clone, Debug, Default)]
pub struct Mapping {
    /// Where it was read from (empty when parsed from text).
    pub path: String,
    by_obfuscated: FxHashMap<String, ClassMapping>,
}

/// The type a mapping file names, as an HPROF field records it.
fn basic_type(java: &str) -> BasicType {
    match java {
        "boolean" => BasicType::Boolean,
        "byte" => BasicType::Byte,
        "char" => BasicType::Char,
        "short" => BasicType::Short,
        "int" => BasicType::Int,
        "long" => BasicType::Long,
        "float" => BasicType::Float,
        "double" => BasicType::Double,
        _ => BasicType::Object,
    }
}

/// Whether `s` can be a (Java, dotted) name: not empty, no whitespace.
fn is_name(s: &str) -> bool {
    !s.is_empty() && !s.chars().any(char::is_whitespace)
}

fn bad(line: usize, problem: impl Into<String>) -> MappingError {
    MappingError::BadLine {
        line,
        problem: problem.into(),
    }
}

/// `com.a.B -> x.y:` -> (`com.a.B`, `x.y`).
fn class_line(text: &str, line: usize) -> Result<(String, String), MappingError> {
    let expected = "expected a class line `original.Class -> obfuscated:` (or an indented member line, or a # comment)";
    let body = text
        .trim_end()
        .strip_suffix(':')
        .ok_or_else(|| bad(line, expected))?;
    let (original, obfuscated) = body.split_once(" -> ").ok_or_else(|| bad(line, expected))?;
    let (original, obfuscated) = (original.trim(), obfuscated.trim());
    if !is_name(original) || !is_name(obfuscated) {
        return Err(bad(line, expected));
    }
    Ok((original.to_string(), obfuscated.to_string()))
}

/// `type name -> obf` -> the field; `Ok(None)` for a method line.
fn member_line(text: &str, line: usize) -> Result<Option<FieldMapping>, MappingError> {
    let t = text.trim();
    if t.contains('(') {
        return Ok(None); // a method: `1:2:void run():10:11 -> a`
    }
    let expected = "expected a field line `type name -> obfuscated` or a method line";
    let (decl, obfuscated) = t.split_once(" -> ").ok_or_else(|| bad(line, expected))?;
    let mut words = decl.split_whitespace();
    let (Some(ty), Some(original), None) = (words.next(), words.next(), words.next()) else {
        return Err(bad(line, expected));
    };
    let obfuscated = obfuscated.trim();
    if !is_name(obfuscated) {
        return Err(bad(line, expected));
    }
    Ok(Some(FieldMapping {
        obfuscated: obfuscated.to_string(),
        original: original.to_string(),
        ty: basic_type(ty),
    }))
}

impl Mapping {
    /// Reads and parses a mapping file.
    pub fn load(path: &Path) -> Result<Mapping, MappingError> {
        let io = |source| MappingError::Io {
            path: path.to_path_buf(),
            source,
        };
        let bytes = std::fs::read(path).map_err(io)?;
        let text = match std::str::from_utf8(&bytes) {
            Ok(t) => t,
            Err(e) => {
                let at = e.valid_up_to();
                let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
                return Err(bad(
                    line,
                    format!("not UTF-8 text (byte offset {at}); is it a mapping file?"),
                ));
            }
        };
        let mut m = Mapping::parse(text)?;
        m.path = path.display().to_string();
        Ok(m)
    }

    /// Parses the text of a mapping file.
    pub fn parse(text: &str) -> Result<Mapping, MappingError> {
        let mut by_obfuscated: FxHashMap<String, ClassMapping> = FxHashMap::default();
        let mut current: Option<String> = None;
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if raw.starts_with(char::is_whitespace) {
                let Some(class) = current.as_ref().and_then(|c| by_obfuscated.get_mut(c)) else {
                    return Err(bad(line, "a member line before any class line"));
                };
                if let Some(f) = member_line(raw, line)? {
                    class.fields.push(f);
                }
                continue;
            }
            let (original, obfuscated) = class_line(raw, line)?;
            if let Some(earlier) = by_obfuscated.get(&obfuscated) {
                return Err(bad(
                    line,
                    format!(
                        "the obfuscated class name {obfuscated} is already given on line {} (for {})",
                        earlier.line, earlier.original
                    ),
                ));
            }
            by_obfuscated.insert(
                obfuscated.clone(),
                ClassMapping {
                    original,
                    line,
                    fields: Vec::new(),
                },
            );
            current = Some(obfuscated);
        }
        if by_obfuscated.is_empty() {
            return Err(MappingError::Empty);
        }
        Ok(Mapping {
            path: String::new(),
            by_obfuscated,
        })
    }

    /// Number of classes the file names.
    pub fn classes(&self) -> usize {
        self.by_obfuscated.len()
    }

    /// The source name of a class named `obfuscated` in the dump (Java form, `a.b$c`); arrays
    /// (`a.b[][]`) keep their dimensions. `None` when the mapping does not rename it.
    pub fn class_name(&self, obfuscated: &str) -> Option<String> {
        let elem = obfuscated.trim_end_matches("[]");
        let dims = &obfuscated[elem.len()..];
        let c = self.by_obfuscated.get(elem)?;
        (c.original != elem).then(|| format!("{}{dims}", c.original))
    }

    /// The source name of the field `field` of type `ty` that the class named `class` (its
    /// obfuscated name, as in the dump) declares. `None` when the mapping does not rename it or
    /// names several fields it could be.
    pub fn field_name(&self, class: &str, field: &str, ty: BasicType) -> Option<&str> {
        let c = self.by_obfuscated.get(class)?;
        let mut found: Option<&str> = None;
        for f in c
            .fields
            .iter()
            .filter(|f| f.obfuscated == field && f.ty == ty)
        {
            match found {
                Some(o) if o != f.original => return None,
                _ => found = Some(&f.original),
            }
        }
        found.filter(|&o| o != field)
    }
}

/// What a mapping file renamed in a dump (reported by `info`).
#[derive(Clone, Debug, Default, serde::Serialize, PartialEq, Eq)]
pub struct MappingApplied {
    /// The mapping file.
    pub file: String,
    /// Classes the file names.
    pub classes_in_file: u64,
    /// Classes of the dump renamed (array classes included).
    pub classes_renamed: u64,
    /// Field declarations (instance and static) renamed.
    pub fields_renamed: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
# compiler: R8
# {\"id\":\"com.android.tools.r8.mapping\",\"version\":\"2.2\"}
com.example.SessionStore -> a.b:
# {\"id\":\"sourceFile\",\"fileName\":\"SessionStore.java\"}
    java.util.Map sessions -> a
    int count -> b
    long count2 -> b
    1:4:void put(java.lang.String,java.lang.Object):12:15 -> a
    void <init>() -> <init>
com.example.SessionStore$Session -> a.c:
    java.lang.String user -> a
    java.lang.Object payload -> b
    java.lang.Object other -> b
com.example.Kept -> com.example.Kept:
    int kept -> kept
";

    #[test]
    fn classes_fields_arrays_and_methods() {
        let m = Mapping::parse(SAMPLE).unwrap();
        assert_eq!(m.classes(), 3);
        assert_eq!(
            m.class_name("a.b").as_deref(),
            Some("com.example.SessionStore")
        );
        assert_eq!(
            m.class_name("a.c[][]").as_deref(),
            Some("com.example.SessionStore$Session[][]")
        );
        assert_eq!(m.class_name("a.d"), None);
        assert_eq!(m.class_name("com.example.Kept"), None, "not renamed");
        assert_eq!(
            m.field_name("a.b", "a", BasicType::Object),
            Some("sessions")
        );
        // Two fields named `b`: told apart by their types.
        assert_eq!(m.field_name("a.b", "b", BasicType::Int), Some("count"));
        assert_eq!(m.field_name("a.b", "b", BasicType::Long), Some("count2"));
        assert_eq!(m.field_name("a.b", "b", BasicType::Object), None);
        // Two references named `b`: ambiguous, left alone.
        assert_eq!(m.field_name("a.c", "b", BasicType::Object), None);
        assert_eq!(m.field_name("a.c", "a", BasicType::Object), Some("user"));
        assert_eq!(
            m.field_name("com.example.Kept", "kept", BasicType::Int),
            None
        );
        assert_eq!(m.field_name("a.x", "a", BasicType::Object), None);
    }

    fn line_of(text: &str) -> (usize, String) {
        match Mapping::parse(text) {
            Err(MappingError::BadLine { line, problem }) => (line, problem),
            other => panic!("expected a bad line, got {other:?}"),
        }
    }

    #[test]
    fn bad_lines_are_named_by_number() {
        assert_eq!(line_of("a.B -> c:\n\nnot a mapping\n").0, 3);
        assert_eq!(line_of("    int x -> a\n").0, 1);
        assert!(line_of("    int x -> a\n").1.contains("before any class"));
        assert_eq!(line_of("a.B -> c:\n    int -> a\n").0, 2);
        assert_eq!(line_of("a.B -> c:\n    int x y -> a\n").0, 2);
        assert_eq!(line_of("a.B -> c:\n    int x => a\n").0, 2);
        assert_eq!(line_of("a.B -> c\n").0, 1, "no colon");
        assert_eq!(line_of("a.B ->  :\n").0, 1, "no obfuscated name");
        let (line, problem) = line_of("a.B -> c:\nd.E -> c:\n");
        assert_eq!(line, 2);
        assert!(problem.contains("line 1"), "{problem}");
        assert!(matches!(
            Mapping::parse("# only\n\n"),
            Err(MappingError::Empty)
        ));
        assert!(matches!(Mapping::parse(""), Err(MappingError::Empty)));
        // CRLF line ends and tabs are fine.
        let m = Mapping::parse("a.B -> c:\r\n\tint x -> a\r\n").unwrap();
        assert_eq!(m.field_name("c", "a", BasicType::Int), Some("x"));
    }

    #[test]
    fn hostile_text_never_panics() {
        let pieces = [
            "a.B -> c:",
            "    int x -> a",
            " -> ",
            ":",
            "\u{202e}",
            "    ->",
            "#",
            "(",
            "\0",
            "\t",
            "x -> y -> z:",
            "    a b -> c -> d",
            "",
            "é -> ü:",
        ];
        let mut seed = 0x9e37_79b9_u32;
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..(seed % 7) {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                text.push_str(pieces[(seed >> 16) as usize % pieces.len()]);
                if seed & 1 == 0 {
                    text.push('\n');
                }
            }
            if let Ok(m) = Mapping::parse(&text) {
                let _ = m.class_name("c[]");
                let _ = m.field_name("c", "a", BasicType::Int);
            }
        }
    }

    #[test]
    fn load_names_the_line_of_bytes_that_are_not_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("mapping.txt");
        std::fs::write(&p, b"a.B -> c:\n    int x -> a\n\xff\xfe\n").unwrap();
        match Mapping::load(&p) {
            Err(MappingError::BadLine { line, problem }) => {
                assert_eq!(line, 3);
                assert!(problem.contains("byte offset 25"), "{problem}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            Mapping::load(&dir.path().join("missing.txt")),
            Err(MappingError::Io { .. })
        ));
        std::fs::write(&p, SAMPLE).unwrap();
        assert_eq!(Mapping::load(&p).unwrap().path, p.display().to_string());
    }
}
