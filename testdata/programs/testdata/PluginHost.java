// hprofscan-build: javac --release 17 -d testdata/build/redeploy-classes testdata/redeploy-src/testdata/redeploy/*.java
// hprofscan-dump: name=plugin-host jvm="-Xmx128m -XX:+UseSerialGC" variants=mxbean args="testdata/build/redeploy-classes"
package testdata;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * Class loader leak: the host "redeploys" a plugin 12 times, each time through a new
 * URLClassLoader over the plugin class directory, and keeps every loader in the static
 * {@code PluginHost.DEPLOYED} list. Each loader defines exactly two classes,
 * testdata.redeploy.PluginImpl and testdata.redeploy.PluginCache (static byte[100_000]).
 * Only the last deployment is live ({@code PluginHost.ACTIVE}); the 11 earlier loaders are leaked.
 *
 * Usage: PluginHost <variant> <outpath> [pluginClassDir]
 * The plugin directory comes from the third argument, else the system property
 * {@code hprofscan.pluginDir}, else testdata/build/redeploy-classes. It must already be compiled
 * (see the hprofscan-build line above); this program compiles nothing.
 */
public final class PluginHost {
    static final int REDEPLOYS = 12;
    static final String PLUGIN_CLASS = "testdata.redeploy.PluginImpl";

    static final List<ClassLoader> DEPLOYED = new ArrayList<>();
    static Runnable ACTIVE;

    static Runnable deploy(File dir, int generation) throws Exception {
        URL[] urls = {dir.toURI().toURL()};
        URLClassLoader loader = new URLClassLoader("plugin-gen-" + generation, urls,
                PluginHost.class.getClassLoader());
        DEPLOYED.add(loader);
        Class<?> impl = Class.forName(PLUGIN_CLASS, true, loader);
        if (impl.getClassLoader() != loader) {
            throw new IllegalStateException("plugin class leaked onto the host class path: " + impl.getClassLoader());
        }
        Runnable plugin = (Runnable) impl.getDeclaredConstructor().newInstance();
        plugin.run();
        return plugin;
    }

    /** Builds the scenario heap; kept out of main() so no stack slot of main references it. */
    static void build(File dir) throws Exception {
        if (!new File(dir, "testdata/redeploy/PluginImpl.class").isFile()
                || !new File(dir, "testdata/redeploy/PluginCache.class").isFile()) {
            throw new IllegalStateException("plugin classes not compiled in " + dir.getAbsolutePath());
        }

        for (int gen = 1; gen <= REDEPLOYS; gen++) {
            ACTIVE = deploy(dir, gen);
        }
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];
        String dirName = args.length > 2 ? args[2]
                : System.getProperty("hprofscan.pluginDir", "testdata/build/redeploy-classes");
        build(new File(dirName));

        System.gc();
        LeakCheck.histogram("java.net.URLClassLoader ", "testdata.redeploy.");
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out);
    }
}
