//! Which classes are the JDK's own, as opposed to an application's or a library's.

/// Whether a class name is the JDK's (not an application's or a library's).
pub fn is_jdk_class(name: &str) -> bool {
    let base = name.trim_end_matches("[]");
    ["java.", "javax.", "jdk.", "sun.", "com.sun."]
        .iter()
        .any(|p| base.starts_with(p))
        || matches!(
            base,
            "boolean" | "char" | "float" | "double" | "byte" | "short" | "int" | "long"
        )
        || base.starts_with('<')
}
