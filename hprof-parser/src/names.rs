//! Class names: from the JVM's internal form in LOAD_CLASS records to Java source form.

/// Converts a JVM class name to Java source form: `java/lang/String` becomes
/// `java.lang.String`, `[Ljava/lang/String;` becomes `java.lang.String[]`, `[[I` becomes
/// `int[][]`. Names already in source form pass through. Hidden classes keep their suffix
/// (`Foo$$Lambda$1+0x00007f45d8003528`, HotSpot writes `+` where `/` was).
pub fn java_name(internal: &str) -> String {
    let dims = internal.bytes().take_while(|&b| b == b'[').count();
    if dims == 0 {
        return internal.replace('/', ".");
    }
    let elem = &internal[dims..];
    let base = match elem.as_bytes().first() {
        Some(b'L') if elem.ends_with(';') => elem[1..elem.len() - 1].replace('/', "."),
        Some(b'Z') if elem.len() == 1 => "boolean".into(),
        Some(b'C') if elem.len() == 1 => "char".into(),
        Some(b'F') if elem.len() == 1 => "float".into(),
        Some(b'D') if elem.len() == 1 => "double".into(),
        Some(b'B') if elem.len() == 1 => "byte".into(),
        Some(b'S') if elem.len() == 1 => "short".into(),
        Some(b'I') if elem.len() == 1 => "int".into(),
        Some(b'J') if elem.len() == 1 => "long".into(),
        _ => elem.replace('/', "."),
    };
    let mut s = base;
    for _ in 0..dims {
        s.push_str("[]");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::java_name;

    #[test]
    fn converts_internal_names() {
        assert_eq!(java_name("java/lang/String"), "java.lang.String");
        assert_eq!(java_name("[Ljava/lang/String;"), "java.lang.String[]");
        assert_eq!(java_name("[[I"), "int[][]");
        assert_eq!(java_name("[B"), "byte[]");
        assert_eq!(
            java_name("[Ljava/util/HashMap$Node;"),
            "java.util.HashMap$Node[]"
        );
        assert_eq!(java_name("java.lang.Object"), "java.lang.Object");
        assert_eq!(
            java_name("com/acme/Foo$$Lambda$1+0x00007f45d8003528"),
            "com.acme.Foo$$Lambda$1+0x00007f45d8003528"
        );
    }
}
