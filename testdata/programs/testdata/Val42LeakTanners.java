// hprofscan-dump: name=val42-leak-tanners-1 jvm="-Xmx266m" variants=mxbean args="stage=1"
// hprofscan-dump: name=val42-leak-tanners-2 jvm="-Xmx266m" variants=mxbean args="stage=2"
// hprofscan-dump: name=val42-leak-tanners jvm="-Xmx266m" variants=mxbean args="stage=3"
// hprofscan-dump: name=val42-leak-tanners-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="stage=3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 42 (written blind), LEAK (series): the batch-tracking service of a tannery. Tanning
 * agent reference data, a lazily warmed supplier directory, 48 tanning drums with their current loads,
 * an LRU of rendered recipe cards, a pool of sample-analyser buffers, a ring of grading records, the
 * hide batches in progress, and the service's own small logging facade (BatchLog) with two appenders:
 * the console ring (the last 500 events, shown on the operator screen) and a MemoryAppender, the
 * support "capture" appender that keeps every event in an ArrayList for a support bundle. It was
 * attached for an incident (support.captureLogs=true left in the config) and has no cap and no stop:
 * every log event since startup stays. The drum checkpoints log exactly 12 events a minute, so the
 * leak grows linearly: 1,440 / 2,880 / 4,320 events after 2 / 4 / 6 hours (stage=1|2|3, one JVM run
 * each). No thread besides main. See VALIDATION42.md.
 */
public final class Val42LeakTanners {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int CHEMICALS = 600, SUPPLIERS = 3_000, DRUMS = 48, CARD_CAP = 500, POOL = 8, RING = 1_024, CONSOLE = 500, EVENTS_PER_MINUTE = 12;
    static final String[] STAGES = {"soak", "lime", "delime", "pickle", "tan", "retan", "fatliquor", "dry"};
    static boolean FIXED;

    record Chemical(String code, String name, double[] uptakeCurve) {}
    record Supplier(String id, String abattoir, byte[] veterinaryCertificate, long approvedSince) {}
    record DrumLoad(String batchId, int hides, String stage, long loadedAt) {}
    record RecipeCard(String key, byte[] rendered, long at) {}
    record GradingRecord(String batchId, String grade, int hides, long gradedAt) {}
    record HideBatch(String batchId, String supplierId, int hides, String chemicalCode, long receivedAt, long dueAt) {}
    record LogEvent(long at, String level, String logger, String thread, String message, String batchId, String drumId) {}

    static final class Drum {
        final String drumId;
        DrumLoad currentLoad;
        long cycles;
        Drum(String drumId) { this.drumId = drumId; }
    }

    interface Appender { void append(LogEvent e); }

    /** The operator screen: the last CONSOLE events. */
    static final class ConsoleRing implements Appender {
        final LogEvent[] slots = new LogEvent[CONSOLE];
        long written;
        @Override public void append(LogEvent e) { slots[(int) (written++ % CONSOLE)] = e; }
    }

    /** Support capture for a support bundle: keeps every event (no cap, no stop). */
    static final class MemoryAppender implements Appender {
        final List<LogEvent> events = new ArrayList<>();
        @Override public void append(LogEvent e) { events.add(e); }
    }

    static final class BatchLog {
        final List<Appender> appenders = new ArrayList<>();
        void info(long at, String logger, String message, String batchId, String drumId) {
            LogEvent e = new LogEvent(at, "INFO", logger, "main", message, batchId, drumId);
            for (Appender a : appenders) a.append(e);
        }
    }

    static final class RecipeCache extends LinkedHashMap<String, RecipeCard> {
        long evicted;
        RecipeCache() { super(1_024, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RecipeCard> e) { if (size() > CARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Chemical> CHEMICALS_BY_CODE = new HashMap<>();

    static final class TanneryService {
        final Map<String, Supplier> suppliers = new HashMap<>();
        final Drum[] drums = new Drum[DRUMS];
        final RecipeCache recipeCards = new RecipeCache();
        final ArrayDeque<byte[]> sampleBuffers = new ArrayDeque<>();
        final GradingRecord[] gradings = new GradingRecord[RING];
        final Map<String, HideBatch> openBatches = new HashMap<>();
        final BatchLog log = new BatchLog();
        final ConsoleRing console = new ConsoleRing();
        final MemoryAppender supportCapture = new MemoryAppender();
        long gradingsWritten;

        TanneryService(boolean captureLogs) {
            log.appenders.add(console);
            if (captureLogs) log.appenders.add(supportCapture);
            for (int d = 0; d < DRUMS; d++) drums[d] = new Drum("DR-" + (10 + d));
        }

        Supplier supplier(int s, long at) {
            String id = "SUP-" + (7_000 + s);
            Supplier sup = suppliers.get(id);
            if (sup == null) {
                Random r = new Random(42_030_100L + s);
                sup = new Supplier(id, "Abattoir " + s, new byte[1_000 + r.nextInt(1_000)], at - (long) (60 + r.nextInt(4_000)) * DAY);
                suppliers.put(id, sup);
            }
            return sup;
        }
    }

    static TanneryService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val42.fixed");
        int stage = 3;
        for (int i = 2; i < args.length; i++) {
            if (args[i].startsWith("stage=")) stage = Integer.parseInt(args[i].substring(6));
            else throw new IllegalArgumentException("unexpected argument " + args[i]);
        }
        check(stage >= 1 && stage <= 3, "stage " + stage);
        int minutes = 120 * stage;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - minutes * MINUTE;
        Random rnd = new Random(42_030_001);
        String[] chemicalCodes = new String[CHEMICALS];
        for (int c = 0; c < CHEMICALS; c++) {
            double[] u = new double[64];
            for (int k = 0; k < u.length; k++) u[k] = rnd.nextDouble() * 4;
            chemicalCodes[c] = "CH-" + (2_000 + c);
            CHEMICALS_BY_CODE.put(chemicalCodes[c], new Chemical(chemicalCodes[c], "Agent " + c, u));
        }
        TanneryService svc = new TanneryService(!FIXED);
        SERVICE = svc;
        for (int b = 0; b < POOL; b++) svc.sampleBuffers.add(new byte[32_768]);

        Random traffic = new Random(42_030_002);
        Random logText = new Random(42_030_003);
        Map<Long, List<HideBatch>> due = new HashMap<>();
        long received = 0, graded = 0, logged = 0, warmed = 0;
        for (long minute = start; minute < end; minute += MINUTE) {
            List<HideBatch> done = due.remove(minute);
            if (done != null) for (HideBatch b : done) {
                svc.openBatches.remove(b.batchId());
                svc.gradings[(int) (svc.gradingsWritten++ % RING)] = new GradingRecord(b.batchId(), "G" + (1 + (int) (b.receivedAt() % 4)), b.hides(), minute);
                graded++;
            }
            // Directory warmer: 20 suppliers a minute in id order until the directory is complete.
            for (int w = 0; w < 20 && svc.suppliers.size() < SUPPLIERS; w++) svc.supplier((int) (warmed++ % SUPPLIERS), minute);
            int arrivals = 6 + traffic.nextInt(9);
            for (int k = 0; k < arrivals; k++) {
                long at = minute + traffic.nextInt(60_000);
                Supplier sup = svc.supplier(traffic.nextInt(SUPPLIERS), at);
                String chem = chemicalCodes[traffic.nextInt(CHEMICALS)];
                HideBatch b = new HideBatch("HB-" + (600_000 + received), sup.id(), 20 + traffic.nextInt(180), chem, at, minute + (long) (30 + traffic.nextInt(90)) * MINUTE);
                svc.openBatches.put(b.batchId(), b);
                due.computeIfAbsent(b.dueAt(), x -> new ArrayList<>()).add(b);
                received++;
                String cardKey = chem + "/" + STAGES[traffic.nextInt(STAGES.length)];
                if (svc.recipeCards.get(cardKey) == null) svc.recipeCards.put(cardKey, new RecipeCard(cardKey, new byte[800 + traffic.nextInt(800)], at));
                byte[] buf = svc.sampleBuffers.poll();
                buf[(int) (received % buf.length)] = (byte) received;
                svc.sampleBuffers.add(buf);
            }
            // Drum checkpoints: 4 drums a minute (round robin), 3 log lines each.
            for (int c = 0; c < 4; c++) {
                Drum d = svc.drums[(int) (((minute - start) / MINUTE * 4 + c) % DRUMS)];
                String batchId = "HB-" + (600_000 + Math.max(0, received - 1 - c));
                d.currentLoad = new DrumLoad(batchId, 40 + (int) (d.cycles % 100), STAGES[(int) (d.cycles++ % STAGES.length)], minute);
                for (int line = 0; line < 3; line++) {
                    StringBuilder msg = new StringBuilder("drum ").append(d.drumId).append(" batch ").append(batchId).append(" stage ").append(d.currentLoad.stage())
                            .append(line == 0 ? " float pH " : line == 1 ? " temperature C " : " chrome offer % ").append(logText.nextInt(1_000) / 100.0).append(" probe frame ");
                    int len = 300 + logText.nextInt(300);
                    while (msg.length() < len) msg.append(Integer.toHexString(logText.nextInt(1 << 16)));
                    svc.log.info(minute + c * 15_000 + line * 1_000, "tannery.drums", msg.substring(0, len), batchId, d.drumId);
                    logged++;
                }
            }
        }
        due = null;
        System.gc();
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " (" + minutes + " min) chemicals " + CHEMICALS_BY_CODE.size() + " suppliers " + svc.suppliers.size()
                + " received " + received + " graded " + graded + " open " + svc.openBatches.size() + " cards " + svc.recipeCards.size() + " (evicted " + svc.recipeCards.evicted + ")"
                + " gradings " + svc.gradingsWritten + " logged " + logged + " console " + svc.console.written + " captured " + svc.supportCapture.events.size() + " pool " + svc.sampleBuffers.size());
        check(CHEMICALS_BY_CODE.size() == CHEMICALS && svc.suppliers.size() == EXPECTED_SUPPLIERS[stage - 1], "reference data / suppliers " + svc.suppliers.size());
        check(received == EXPECTED_RECEIVED[stage - 1] && graded == EXPECTED_GRADED[stage - 1] && svc.openBatches.size() == received - graded, "batches");
        check(logged == (long) minutes * EVENTS_PER_MINUTE && svc.console.written == logged && svc.console.slots[CONSOLE - 1] != null, "log events");
        check(svc.supportCapture.events.size() == (FIXED ? 0 : logged) && svc.log.appenders.size() == (FIXED ? 1 : 2), "support capture " + svc.supportCapture.events.size());
        check(svc.recipeCards.size() == CARD_CAP && svc.recipeCards.evicted == EXPECTED_CARDS_EVICTED[stage - 1], "recipe LRU at cap");
        check(svc.sampleBuffers.size() == POOL && svc.gradingsWritten == graded && (stage == 1 || svc.gradings[RING - 1] != null), "pool / gradings");
        for (Drum d : svc.drums) check(d.currentLoad != null, "drum loads");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final long[] EXPECTED_SUPPLIERS = {2_591, 3_000, 3_000}, EXPECTED_RECEIVED = {1_204, 2_415, 3_597}, EXPECTED_GRADED = {460, 1_671, 2_876}, EXPECTED_CARDS_EVICTED = {608, 1_693, 2_743};
}
