package testdata;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Verification helper shared by the leak / growth scenario programs (not a scenario itself,
 * it has no hprofscan-dump header and never has instances).
 *
 * When the program runs with {@code -Dverify=true}, {@link #histogram(String...)} runs
 * {@code jcmd <own pid> GC.class_histogram} (a full GC plus a live-object histogram) and prints the
 * header and every line whose class name starts with {@code testdata.} or contains one of the extra
 * patterns, prefixed with {@code verify: }. Without the property it does nothing.
 */
public final class LeakCheck {
    private LeakCheck() {}

    public static boolean enabled() {
        return Boolean.getBoolean("verify");
    }

    /**
     * Output path of dump {@code index} (1-based) of a series of {@code count} dumps written by one
     * JVM. The last dump is written to {@code base} (the output path the program was given). Earlier
     * dumps are named after the base file name with {@code -<index>} inserted before its first '.'
     * (growth-leak.hprof -> growth-leak-1.hprof, growth-leak-2.hprof) and are written into
     * {@code seriesDir} if it is non-null, else next to {@code base}.
     */
    public static String seriesPath(String base, int index, int count, String seriesDir) {
        if (index == count) {
            return base;
        }
        java.io.File b = new java.io.File(base);
        String name = b.getName();
        int dot = name.indexOf('.');
        String numbered = dot < 0 ? name + "-" + index : name.substring(0, dot) + "-" + index + name.substring(dot);
        java.io.File dir = seriesDir != null ? new java.io.File(seriesDir) : b.getParentFile();
        return dir == null ? numbered : new java.io.File(dir, numbered).getPath();
    }

    /**
     * Parses the series arguments after {@code <variant> <outpath>}: {@code --series=N} (number of
     * dumps, default {@code dflt}) and {@code --series-dir=DIR} (where the earlier dumps go).
     * Returns {count, dir-or-null}.
     */
    public static Object[] seriesArgs(String[] args, int dflt) {
        int count = dflt;
        String dir = null;
        for (int i = 2; i < args.length; i++) {
            if (args[i].startsWith("--series=")) {
                count = Integer.parseInt(args[i].substring("--series=".length()));
            } else if (args[i].startsWith("--series-dir=")) {
                dir = args[i].substring("--series-dir=".length());
            } else {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
        }
        return new Object[] {count, dir};
    }

    public static void histogram(String... extraPatterns) throws Exception {
        if (!enabled()) {
            return;
        }
        long pid = ProcessHandle.current().pid();
        Process p = new ProcessBuilder("jcmd", Long.toString(pid), "GC.class_histogram")
                .redirectErrorStream(true)
                .start();
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String t = line.trim();
                boolean keep = t.startsWith("num ") || t.startsWith("Total") || line.contains(" testdata.");
                for (String pat : extraPatterns) {
                    keep |= line.contains(pat);
                }
                if (keep) {
                    System.out.println("verify: " + line);
                }
            }
        }
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IllegalStateException("jcmd GC.class_histogram failed: " + rc);
        }
    }
}
