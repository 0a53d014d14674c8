// hprofscan-dump: name=redact-secrets jvm="-Xmx64m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Known secrets for the `hprofscan redact` tests (cli/tests/redact.rs computes the same values and
 * searches the redacted copy for them): a password in a static String field (a literal, so also
 * in the class's constant pool and the JVM's symbol table), a password in a char[], an API key in
 * a byte[], 20 e-mail -> password pairs in a HashMap, a non-Latin-1 password (a UTF-16 String)
 * and a binary session token. Change both together.
 */
public final class RedactSecrets {
    /** A literal: interned, and written into the dump's symbol table too. */
    static String DB_PASSWORD = "Tr0ub4dor&3-db-password";

    static char[] KEYSTORE_PASSWORD;
    static byte[] API_KEY;
    static byte[] SESSION_TOKEN;
    static String NON_LATIN1_PASSWORD;
    static final Map<String, String> CREDENTIALS = new HashMap<>();

    /** Builds the secrets at run time (only DB_PASSWORD is a literal). */
    static void build() {
        KEYSTORE_PASSWORD = ("keystore-" + "S3cr3t!" + (2000 + 24)).toCharArray();
        API_KEY = ("sk_live_" + Long.toHexString(0x5eedcafef00dL * 31))
                .getBytes(StandardCharsets.ISO_8859_1);
        SESSION_TOKEN = new byte[32];
        for (int i = 0; i < SESSION_TOKEN.length; i++) {
            SESSION_TOKEN[i] = (byte) (i * 37 + 11);
        }
        NON_LATIN1_PASSWORD = "p\u00e4ssw\u00f6rd-" + (40 + 2) + "-Gr\u00fc\u00dfe\u20ac";
        for (int i = 0; i < 20; i++) {
            CREDENTIALS.put("user" + i + "@example.com", "pass-" + (7919 * (i + 1)) + "-word");
        }
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];

        build();

        System.gc();
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out);
    }
}
