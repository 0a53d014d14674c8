// hprofscan-dump: name=basic jvm="-Xmx128m -XX:+UseSerialGC" variants=mxbean,jcmd,jcmd-gz
package testdata;

import java.io.File;
import java.lang.reflect.Constructor;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * Known heap for histogram / field-layout tests. Every number here is documented in
 * testdata/README.md ("Basic"); change both together.
 *
 * <p>Usage: {@code java -cp testdata/build/classes testdata.Basic <variant> <outpath>}.
 * The plugin classes are expected in {@code ../plugin-classes} relative to the classes directory
 * (testdata/build/plugin-classes), which generate.sh compiles from testdata/plugin-src.
 */
public final class Basic {
    public static final int FOO_COUNT = 12_345;
    public static final int BAR_COUNT = 777;
    public static final int GRID_COUNT = 3;
    public static final int GRID_ROWS = 4;
    public static final int GRID_COLS = 5;
    public static final int PLUGINS_FROM_A = 2;
    public static final int PLUGINS_FROM_B = 3;

    /** Literal strings used by Foo.name (interned, shared); includes the empty string. */
    static final String[] NAMES = {"alpha", "beta", "gamma", ""};

    /** Tests assert the tool never prints this value. Not final: a real static field reference. */
    public static String PASSWORD = "hunter2-SECRET-TOKEN";

    static Foo[] FOOS;
    static Bar[] BARS;
    static Grid[] GRIDS;
    static Class<?> UNUSED_CLASS;
    static URLClassLoader LOADER_A;
    static URLClassLoader LOADER_B;
    static Object[] PLUGINS_A;
    static Object[] PLUGINS_B;

    static final class Foo {
        int count;
        long big;
        String name;
        Bar bar;

        Foo(int count, long big, String name, Bar bar) {
            this.count = count;
            this.big = big;
            this.name = name;
            this.bar = bar;
        }
    }

    abstract static class Base {
        Object baseRef;
        int baseInt;
    }

    static final class Bar extends Base {
        double barDouble;
        byte barByte;
    }

    static final class Cell {
        int row;
        int col;

        Cell(int row, int col) {
            this.row = row;
            this.col = col;
        }
    }

    static final class Grid {
        int id;
        Cell[][] cells;

        Grid(int id) {
            this.id = id;
            cells = new Cell[GRID_ROWS][GRID_COLS];
            for (int r = 0; r < GRID_ROWS; r++) {
                for (int c = 0; c < GRID_COLS; c++) {
                    cells[r][c] = new Cell(r, c);
                }
            }
        }
    }

    /** Loaded (Class.forName) but never instantiated. */
    static final class Unused {
        long neverSet;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: testdata.Basic <mxbean|jcmd|jcmd-gz> <outpath>");
            System.exit(2);
        }
        build();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
    }

    static void build() throws Exception {
        BARS = new Bar[BAR_COUNT];
        FOOS = new Foo[FOO_COUNT];
        for (int i = 0; i < FOO_COUNT; i++) {
            Bar bar = null;
            if (i % 2 == 0) {
                int j = i % BAR_COUNT;
                if (BARS[j] == null) {
                    BARS[j] = new Bar();
                }
                bar = BARS[j];
            }
            FOOS[i] = new Foo(i, i * 1_000_000_007L, NAMES[i % NAMES.length], bar);
        }
        for (int j = 0; j < BAR_COUNT; j++) {
            if (BARS[j] == null) {
                BARS[j] = new Bar();
            }
            Bar b = BARS[j];
            b.baseRef = FOOS[j];
            b.baseInt = j;
            b.barDouble = j + 0.25;
            b.barByte = (byte) (j % 128);
        }

        GRIDS = new Grid[GRID_COUNT];
        for (int g = 0; g < GRID_COUNT; g++) {
            GRIDS[g] = new Grid(g);
        }

        UNUSED_CLASS = Class.forName("testdata.Basic$Unused");

        File classes = new File(Basic.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        File pluginDir = new File(classes.getParentFile(), "plugin-classes");
        if (!new File(pluginDir, "testdata/plugin/Plugin.class").isFile()) {
            throw new IllegalStateException("plugin classes not found in " + pluginDir);
        }
        URL[] urls = {pluginDir.toURI().toURL()};
        ClassLoader parent = ClassLoader.getPlatformClassLoader();
        LOADER_A = new URLClassLoader("plugin-loader-a", urls, parent);
        LOADER_B = new URLClassLoader("plugin-loader-b", urls, parent);
        PLUGINS_A = createPlugins(LOADER_A, PLUGINS_FROM_A);
        PLUGINS_B = createPlugins(LOADER_B, PLUGINS_FROM_B);
        if (PLUGINS_A[0].getClass() == PLUGINS_B[0].getClass()) {
            throw new IllegalStateException("plugin class not loaded twice");
        }
    }

    static Object[] createPlugins(ClassLoader loader, int n) throws Exception {
        Class<?> cls = Class.forName("testdata.plugin.Plugin", true, loader);
        if (cls.getClassLoader() != loader) {
            throw new IllegalStateException("Plugin defined by " + cls.getClassLoader() + ", not " + loader);
        }
        Constructor<?> ctor = cls.getConstructor();
        Object[] out = new Object[n];
        for (int i = 0; i < n; i++) {
            out[i] = ctor.newInstance();
        }
        return out;
    }
}
