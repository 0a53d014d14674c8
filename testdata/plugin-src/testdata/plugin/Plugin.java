package testdata.plugin;

/**
 * Compiled by testdata/generate.sh into testdata/build/plugin-classes, which is NOT on the
 * classpath of the testdata programs. Basic loads it through two separate URLClassLoaders, so
 * the heap holds two distinct classes named testdata.plugin.Plugin (one per loader).
 */
public class Plugin {
    /** Number of instances created through this class (i.e. per defining loader). */
    public static int created;

    /** 1-based creation index within this class's loader. */
    public final int id;
    public final long stamp;

    public Plugin() {
        created++;
        this.id = created;
        this.stamp = 0x5EED_0000_0000L + id;
    }
}
