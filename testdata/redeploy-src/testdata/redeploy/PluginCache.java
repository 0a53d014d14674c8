package testdata.redeploy;

/** Per-loader static cache: each plugin class loader carries its own 100,000-byte array. */
public final class PluginCache {
    static final byte[] DATA = new byte[100_000];

    private PluginCache() {}

    static void warm() {
        DATA[0] = 1;
    }
}
