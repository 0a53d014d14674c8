package testdata.redeploy;

/**
 * Plugin loaded by testdata.PluginHost through a fresh URLClassLoader on every redeploy.
 * Compiled separately into testdata/build/redeploy-classes (NOT on the host's class path).
 */
public class PluginImpl implements Runnable {
    private final byte[] marker = new byte[16];
    private int runs;

    public PluginImpl() {
        // Touch PluginCache so that every loader defines both plugin classes.
        PluginCache.warm();
    }

    @Override
    public void run() {
        runs++;
        marker[0] = (byte) runs;
    }
}
