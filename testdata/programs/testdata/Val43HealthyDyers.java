// hprofscan-dump: name=val43-healthy-dyers-1 jvm="-Xmx266m" variants=mxbean args="stage=1"
// hprofscan-dump: name=val43-healthy-dyers-2 jvm="-Xmx266m" variants=mxbean args="stage=2"
// hprofscan-dump: name=val43-healthy-dyers jvm="-Xmx266m" variants=mxbean args="stage=3"
// hprofscan-dump: name=val43-healthy-dyers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="stage=3"
package testdata;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Validation set 43 (written blind), HEALTHY (series): the lot-tracking service of a commission dye
 * works (yarn, loose stock and piece goods dyed for mills and weavers). Dyestuff reference data, the
 * customer directory, a lazily warmed catalogue of colour recipes (complete after about 3 hours), an
 * LRU of rendered colour swatches at its cap, a pool of vat-controller buffers, a ring of dispatch
 * records, the dye lots in the vats (the backlog loaded at startup, then new lots), and the look-alikes
 * of set 43's leaks done right: an export journal (a ByteArrayOutputStream) flushed to the warehouse
 * every 5 minutes and reset after every flush, five system properties set once at startup, a
 * notification hub whose per-session outboxes are removed with their sessions, and a dyestuff price feed
 * whose subscriptions are removed by the handle kept at subscribe time. Stage k (stage=1|2|3, one JVM
 * run each) simulates 2 / 4 / 8 hours: the service warms up in stage 1, then plateaus. No leak. No
 * thread besides main. See VALIDATION43.md.
 */
public final class Val43HealthyDyers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int DYESTUFFS = 600, CUSTOMERS = 16_000, RECIPES = 2_000, SWATCH_CAP = 800, POOL = 8, RING = 1_024, FLUSH_MINUTES = 5, HISTORY_MINUTES = 180;
    static final int[] STAGE_MINUTES = {120, 240, 480};
    static final String[] FIBRES = {"wool yarn", "cotton yarn", "linen yarn", "silk yarn", "loose wool", "cotton piece", "viscose piece"};
    static final String[] NOTICE_KINDS = {"lot-loaded", "dye-bath", "rinse", "colour-check", "dried", "dispatched"};

    record Dyestuff(String code, String name, double[] absorptionCurve) {}
    record Customer(String id, String name, byte[] notes, long since) {}
    record ColourRecipe(String code, String shade, byte[] spectralMatch, long matchedAt) {}
    record Swatch(String key, byte[] rendered, long at) {}
    record Dispatch(String lotId, String customerId, int kilos, long dispatchedAt) {}
    record DyeLot(String lotId, Customer customer, String recipeCode, String fibre, int kilos, long loadedAt, long dueAt) {}
    record Notice(String noticeId, String lotId, String kind, byte[] payload, long at) {}
    record PriceTick(String dyestuffCode, int pricePerKiloCents, long at) {}

    /** Export of dispatched lots to the warehouse every 5 minutes; the buffer is reset after each flush. */
    static final class ExportJournal {
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream(8_192);
        long records, flushes, bytesSent, peak;
        void append(byte[] line) { buffer.write(line, 0, line.length); records++; peak = Math.max(peak, buffer.size()); }
        void flushToWarehouse() { bytesSent += buffer.toByteArray().length; flushes++; buffer.reset(); }
        long capacity() { long cap = 8_192; while (cap < peak) cap <<= 1; return cap; }
    }

    /** The customer portal's per-session outboxes; an ended session's outbox goes with it. */
    static final class NotificationHub {
        final ConcurrentHashMap<String, PortalSession> sessions = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, ArrayDeque<Notice>> outboxes = new ConcurrentHashMap<>();
        long published, delivered, dropped, ended;
        void openSession(PortalSession s) { sessions.put(s.sessionId, s); outboxes.put(s.sessionId, new ArrayDeque<>()); }
        void publish(String sessionId, Notice n) { ArrayDeque<Notice> q = outboxes.get(sessionId); if (q != null) { q.add(n); published++; } }
        void poll(String sessionId) { ArrayDeque<Notice> q = outboxes.get(sessionId); while (q.poll() != null) delivered++; }
        void endSession(String sessionId) { sessions.remove(sessionId); dropped += outboxes.remove(sessionId).size(); ended++; }
    }

    /** The dyestuff price feed; subscribe returns the handle to unsubscribe with. */
    static final class PriceFeed {
        final CopyOnWriteArrayList<Consumer<PriceTick>> subscribers = new CopyOnWriteArrayList<>();
        long ticks;
        Consumer<PriceTick> subscribe(Consumer<PriceTick> c) { subscribers.add(c); return c; }
        boolean unsubscribe(Consumer<PriceTick> handle) { return subscribers.remove(handle); }
        void publish(PriceTick t) { ticks++; for (Consumer<PriceTick> c : subscribers) c.accept(t); }
    }

    /** A customer's portal session: follows one lot, reprices its re-dye quote on dyestuff price ticks. */
    static final class PortalSession {
        final String sessionId, customerId, lotId, dyestuffCode;
        final byte[] quoteDraft;
        final long openedAt;
        Consumer<PriceTick> subscription;
        int repricings;
        PortalSession(String sessionId, String customerId, String lotId, String dyestuffCode, byte[] quoteDraft, long openedAt) {
            this.sessionId = sessionId; this.customerId = customerId; this.lotId = lotId; this.dyestuffCode = dyestuffCode; this.quoteDraft = quoteDraft; this.openedAt = openedAt;
        }
        void onTick(PriceTick t) { if (t.dyestuffCode().equals(dyestuffCode)) quoteDraft[++repricings % quoteDraft.length] = (byte) t.pricePerKiloCents(); }
    }

    static final class SwatchCache extends LinkedHashMap<String, Swatch> {
        long evicted;
        SwatchCache() { super(1_024, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Swatch> e) { if (size() > SWATCH_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Dyestuff> DYESTUFFS_BY_CODE = new HashMap<>();

    static final class DyeHouseService {
        final Map<String, Customer> customers = new HashMap<>();
        final Map<String, ColourRecipe> recipes = new HashMap<>();
        final SwatchCache swatches = new SwatchCache();
        final ArrayDeque<byte[]> vatBuffers = new ArrayDeque<>();
        final Dispatch[] dispatches = new Dispatch[RING];
        final Map<String, DyeLot> openLots = new HashMap<>();
        final ExportJournal journal = new ExportJournal();
        final NotificationHub hub = new NotificationHub();
        final PriceFeed feed = new PriceFeed();
        long dispatchesWritten;

        ColourRecipe recipe(int r, long at) {
            String code = "CR-" + (50_000 + r);
            ColourRecipe cr = recipes.get(code);
            if (cr == null) {
                Random x = new Random(43_050_100L + r);
                cr = new ColourRecipe(code, "shade " + r, new byte[1_000 + x.nextInt(1_000)], at - (long) (5 + x.nextInt(6_000)) * DAY);
                recipes.put(code, cr);
            }
            return cr;
        }

        static byte[] exportRecord(DyeLot l, long at, int length) {
            StringBuilder sb = new StringBuilder(length);
            sb.append("LOT|").append(l.lotId()).append('|').append(l.customer().id()).append('|').append(l.recipeCode()).append('|').append(l.fibre()).append("|kg=").append(l.kilos())
                    .append("|loaded=").append(l.loadedAt()).append("|dispatched=").append(at).append("|note=");
            String filler = " shade passed under D65 and TL84, fastness to washing grade 4-5, cones wound;";
            while (sb.length() < length - 1) sb.append(filler, 0, Math.min(filler.length(), length - 1 - sb.length()));
            sb.append('\n');
            return sb.toString().getBytes(StandardCharsets.US_ASCII);
        }
    }

    static DyeHouseService SERVICE;

    record Client(String sessionId, long endsAt) {}

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = 3;
        for (int i = 2; i < args.length; i++) {
            if (args[i].startsWith("stage=")) stage = Integer.parseInt(args[i].substring(6));
            else throw new IllegalArgumentException("unexpected argument " + args[i]);
        }
        check(stage >= 1 && stage <= 3, "stage " + stage);
        int minutes = STAGE_MINUTES[stage - 1];
        long jdkProperties = System.getProperties().size();
        // Site configuration, published once at startup for the operations agent.
        System.setProperty("dyers.site", "Calder Vale dye works");
        System.setProperty("dyers.vats", "48");
        System.setProperty("dyers.export.format", "lot-csv-v3");
        System.setProperty("dyers.export.intervalMinutes", Integer.toString(FLUSH_MINUTES));
        System.setProperty("dyers.timezone", "Europe/London");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - minutes * MINUTE;
        Random rnd = new Random(43_050_001);
        String[] dyestuffCodes = new String[DYESTUFFS];
        int[] prices = new int[DYESTUFFS];
        for (int d = 0; d < DYESTUFFS; d++) {
            double[] c = new double[64];
            for (int k = 0; k < c.length; k++) c[k] = rnd.nextDouble();
            dyestuffCodes[d] = "DS-" + (1_000 + d);
            prices[d] = 500 + rnd.nextInt(9_500);
            DYESTUFFS_BY_CODE.put(dyestuffCodes[d], new Dyestuff(dyestuffCodes[d], "Dyestuff " + d, c));
        }
        DyeHouseService svc = new DyeHouseService();
        SERVICE = svc;
        Customer[] customers = new Customer[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            String id = "DC-" + (500_000 + c * 7);
            customers[c] = new Customer(id, "Customer " + c, new byte[200 + rnd.nextInt(200)], start - (long) (1 + rnd.nextInt(7_000)) * DAY);
            svc.customers.put(id, customers[c]);
        }
        for (int b = 0; b < POOL; b++) svc.vatBuffers.add(new byte[32_768]);

        Random traffic = new Random(43_050_002);
        Map<Long, List<DyeLot>> due = new HashMap<>();
        List<String> lotIds = new ArrayList<>();
        List<Client> clients = new ArrayList<>();
        long loaded = 0, loadedLive = 0, backlog = 0, dispatched = 0, warmed = 0, opened = 0, noticeSeq = 0;
        for (long minute = start - HISTORY_MINUTES * MINUTE; minute < end; minute += MINUTE) {
            boolean live = minute >= start;
            if (live) {
                List<DyeLot> done = due.remove(minute);
                if (done != null) for (DyeLot l : done) {
                    long at = minute + traffic.nextInt(60_000);
                    svc.openLots.remove(l.lotId());
                    lotIds.remove(l.lotId());
                    svc.dispatches[(int) (svc.dispatchesWritten++ % RING)] = new Dispatch(l.lotId(), l.customer().id(), l.kilos(), at);
                    svc.journal.append(DyeHouseService.exportRecord(l, at, 300 + traffic.nextInt(301)));
                    dispatched++;
                }
                for (int w = 0; w < 10 && svc.recipes.size() < RECIPES; w++) svc.recipe((int) (warmed++ % RECIPES), minute);
                int ticks = 1 + traffic.nextInt(4);
                for (int k = 0; k < ticks; k++) {
                    int d = traffic.nextInt(DYESTUFFS);
                    prices[d] += traffic.nextInt(201) - 100;
                    svc.feed.publish(new PriceTick(dyestuffCodes[d], prices[d], minute + traffic.nextInt(60_000)));
                }
            }
            int lots = 6 + traffic.nextInt(8);
            for (int k = 0; k < lots; k++) {
                long at = minute + traffic.nextInt(60_000);
                Customer cust = customers[traffic.nextInt(CUSTOMERS)];
                int r = traffic.nextInt(RECIPES);
                String recipeCode = live ? svc.recipe(r, at).code() : "CR-" + (50_000 + r);
                long dueAt = minute + (long) (30 + traffic.nextInt(150)) * MINUTE;
                DyeLot l = new DyeLot("DL-" + (2_000_000 + loaded), cust, recipeCode, FIBRES[traffic.nextInt(FIBRES.length)], 20 + traffic.nextInt(480), at, dueAt);
                loaded++;
                if (live) loadedLive++;
                else if (dueAt < start) continue;
                else backlog++;
                svc.openLots.put(l.lotId(), l);
                lotIds.add(l.lotId());
                due.computeIfAbsent(dueAt, x -> new ArrayList<>()).add(l);
                if (live) {
                    String key = recipeCode + "/" + l.fibre();
                    if (svc.swatches.get(key) == null) svc.swatches.put(key, new Swatch(key, new byte[500 + traffic.nextInt(500)], at));
                    byte[] buf = svc.vatBuffers.poll();
                    buf[(int) (loaded % buf.length)] = (byte) loaded;
                    svc.vatBuffers.add(buf);
                }
            }
            if (!live) continue;
            // Portal sessions: customers follow a lot; notices, polls, logouts.
            int logins = 12 + traffic.nextInt(10);
            for (int k = 0; k < logins; k++) {
                long at = minute + traffic.nextInt(60_000);
                String sid = new UUID(traffic.nextLong() & ~0xF000L | 0x4000L, traffic.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L).toString();
                PortalSession s = new PortalSession(sid, customers[traffic.nextInt(CUSTOMERS)].id(), lotIds.get(traffic.nextInt(lotIds.size())), dyestuffCodes[traffic.nextInt(DYESTUFFS)],
                        new byte[500 + traffic.nextInt(500)], at);
                svc.hub.openSession(s);
                s.subscription = svc.feed.subscribe(s::onTick);
                clients.add(new Client(sid, minute + (long) (3 + traffic.nextInt(50)) * MINUTE));
                opened++;
            }
            for (int i = 0; i < clients.size(); ) {
                Client cl = clients.get(i);
                PortalSession s = svc.hub.sessions.get(cl.sessionId());
                if (traffic.nextInt(100) < 8) {
                    svc.hub.publish(cl.sessionId(), new Notice("DN-" + (7_000_000 + noticeSeq++), s.lotId, NOTICE_KINDS[traffic.nextInt(NOTICE_KINDS.length)], new byte[200 + traffic.nextInt(201)], minute + traffic.nextInt(60_000)));
                }
                if (traffic.nextBoolean()) svc.hub.poll(cl.sessionId());
                if (cl.endsAt() <= minute) {
                    check(svc.feed.unsubscribe(s.subscription), "unsubscribe");
                    svc.hub.endSession(cl.sessionId());
                    clients.set(i, clients.get(clients.size() - 1));
                    clients.remove(clients.size() - 1);
                } else {
                    i++;
                }
            }
            if (((minute - start) / MINUTE + 1) % FLUSH_MINUTES == 0) svc.journal.flushToWarehouse();
        }
        due = null;
        lotIds = null;
        clients = null;
        long dyersProperties = 0;
        for (Object k : System.getProperties().keySet()) if (k instanceof String s && s.startsWith("dyers.")) dyersProperties++;
        System.gc();
        NotificationHub hub = svc.hub;
        System.out.println("stage " + stage + " (" + minutes + " min) dyestuffs " + DYESTUFFS_BY_CODE.size() + " customers " + svc.customers.size() + " recipes " + svc.recipes.size()
                + " lots loaded " + loadedLive + " backlog " + backlog + " dispatched " + dispatched + " in the vats " + svc.openLots.size() + " swatches " + svc.swatches.size()
                + " (evicted " + svc.swatches.evicted + ") dispatches " + svc.dispatchesWritten + " pool " + svc.vatBuffers.size() + " journal records " + svc.journal.records
                + " flushes " + svc.journal.flushes + " buffer " + svc.journal.buffer.size() + " peak " + svc.journal.peak + " capacity " + svc.journal.capacity()
                + " sessions opened " + opened + " ended " + hub.ended + " active " + hub.sessions.size() + " outboxes " + hub.outboxes.size() + " subscribers " + svc.feed.subscribers.size()
                + " notices " + hub.published + " delivered " + hub.delivered + " dropped " + hub.dropped + " ticks " + svc.feed.ticks + " dyers properties " + dyersProperties
                + " system properties " + System.getProperties().size() + " (JDK's " + jdkProperties + ")");
        check(DYESTUFFS_BY_CODE.size() == DYESTUFFS && svc.customers.size() == CUSTOMERS && svc.recipes.size() == EXPECTED_RECIPES[stage - 1], "reference data / directory / recipes " + svc.recipes.size());
        check(backlog == EXPECTED_BACKLOG && loadedLive == EXPECTED_LOADED[stage - 1] && dispatched == EXPECTED_DISPATCHED[stage - 1] && svc.openLots.size() == backlog + loadedLive - dispatched, "lots");
        check(svc.swatches.size() == SWATCH_CAP && svc.swatches.evicted == EXPECTED_SWATCHES_EVICTED[stage - 1] && svc.dispatchesWritten == dispatched && svc.vatBuffers.size() == POOL, "swatches / dispatches / pool");
        check(svc.journal.records == dispatched && svc.journal.flushes == minutes / FLUSH_MINUTES && svc.journal.buffer.size() == 0 && svc.journal.capacity() == EXPECTED_JOURNAL_CAPACITY[stage - 1], "journal");
        check(opened == EXPECTED_OPENED[stage - 1] && hub.sessions.size() == opened - hub.ended && hub.outboxes.size() == hub.sessions.size() && svc.feed.subscribers.size() == hub.sessions.size(), "sessions");
        check(dyersProperties == 5 && System.getProperties().size() == jdkProperties + 5, "system properties");
        LeakCheck.histogram("  [I ", "java.util.ArrayDeque ", "java.util.concurrent.ConcurrentHashMap$Node ", "java.io.ByteArrayOutputStream ", "  [B ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final long EXPECTED_BACKLOG = 1_023;
    static final long[] EXPECTED_RECIPES = {1_551, 2_000, 2_000}, EXPECTED_LOADED = {1_151, 2_277, 4_495}, EXPECTED_DISPATCHED = {1_167, 2_328, 4_532}, EXPECTED_SWATCHES_EVICTED = {302, 1_358, 3_452}, EXPECTED_OPENED = {2_014, 3_956, 7_942}, EXPECTED_JOURNAL_CAPACITY = {32_768, 32_768, 32_768};
}
