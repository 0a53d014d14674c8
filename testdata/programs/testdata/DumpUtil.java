package testdata;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Shared helper of the testdata programs: writes a heap dump of the running JVM.
 *
 * <p>Variants (see testdata/README.md):
 * <ul>
 *   <li>{@code mxbean}: {@code HotSpotDiagnosticMXBean.dumpHeap(path, true)} (live objects only,
 *       the JVM runs a full GC first). The path must end with {@code .hprof}.</li>
 *   <li>{@code jcmd}: runs {@code jcmd <own pid> GC.heap_dump <path>} (live objects only).</li>
 *   <li>{@code jcmd-gz}: runs {@code jcmd <own pid> GC.heap_dump -gz=1 <path>} (gzip compressed,
 *       live objects only).</li>
 * </ul>
 * The {@code all} flag of {@link #dump(String, String, boolean)} adds {@code -all} to the jcmd
 * command: no GC before the dump, so unreachable and only-weakly-reachable objects are kept.
 *
 * <p>Any failure prints a diagnostic to stderr and exits the JVM with status 3.
 *
 * <p>With {@code -Dhprofscan.histo=true} the class histogram ({@code jcmd <pid> GC.class_histogram},
 * with {@code -all} when dumping with {@code all}) is printed to stderr before the dump; used to
 * cross-check the documented counts.
 */
public final class DumpUtil {
    private DumpUtil() {}

    /** Dumps the heap of this JVM to {@code path} (an existing file is deleted first). */
    public static void dump(String variant, String path) {
        dump(variant, path, false);
    }

    /**
     * Dumps the heap of this JVM to {@code path} (an existing file is deleted first).
     *
     * @param all jcmd variants only: pass {@code -all} (no GC, unreachable objects are dumped too)
     */
    public static void dump(String variant, String path, boolean all) {
        try {
            File file = new File(path).getAbsoluteFile();
            Files.deleteIfExists(file.toPath());
            File parent = file.getParentFile();
            if (parent != null) {
                Files.createDirectories(parent.toPath());
            }
            if (Boolean.getBoolean("hprofscan.histo")) {
                List<String> cmd = new ArrayList<>();
                cmd.add("GC.class_histogram");
                if (all) {
                    cmd.add("-all");
                }
                System.err.print(jcmd(cmd));
            }
            switch (variant) {
                case "mxbean":
                    if (all) {
                        fail("variant mxbean cannot dump with 'all'", null);
                    }
                    HotSpotDiagnosticMXBean bean =
                            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
                    bean.dumpHeap(file.getPath(), true);
                    break;
                case "jcmd":
                case "jcmd-gz": {
                    List<String> cmd = new ArrayList<>();
                    cmd.add("GC.heap_dump");
                    if (all) {
                        cmd.add("-all");
                    }
                    if (variant.equals("jcmd-gz")) {
                        cmd.add("-gz=1");
                    }
                    cmd.add(file.getPath());
                    String out = jcmd(cmd);
                    if (!out.contains("Heap dump file created")) {
                        fail("jcmd " + cmd + " did not create the dump:\n" + out, null);
                    }
                    break;
                }
                default:
                    fail("unknown dump variant '" + variant + "' (expected mxbean, jcmd or jcmd-gz)", null);
            }
            if (!file.isFile() || file.length() == 0) {
                fail("dump file " + file + " missing or empty after variant " + variant, null);
            }
        } catch (IOException | RuntimeException e) {
            fail("heap dump (" + variant + ") to " + path + " failed", e);
        }
    }

    /** Runs {@code jcmd <own pid> args...}, waits, returns its output; exits the JVM if it fails. */
    static String jcmd(List<String> args) {
        String jcmdPath = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        if (!new File(jcmdPath).canExecute()) {
            jcmdPath = "jcmd";
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(jcmdPath);
        cmd.add(Long.toString(ProcessHandle.current().pid()));
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (InputStream in = p.getInputStream()) {
                in.transferTo(buf);
            }
            int rc = p.waitFor();
            String out = buf.toString(StandardCharsets.UTF_8);
            if (rc != 0) {
                fail(String.join(" ", cmd) + " exited with " + rc + ":\n" + out, null);
            }
            return out;
        } catch (IOException e) {
            fail("cannot run " + String.join(" ", cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while waiting for " + String.join(" ", cmd), e);
        }
        throw new AssertionError("unreachable");
    }

    private static void fail(String message, Throwable cause) {
        System.err.println("DumpUtil: " + message);
        if (cause != null) {
            cause.printStackTrace();
        }
        System.err.flush();
        System.exit(3);
    }
}
