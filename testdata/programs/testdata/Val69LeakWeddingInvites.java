// hprofscan-dump: name=val69-leak-weddinginvites jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val69-leak-weddinginvites-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Validation set 69 (written blind), LEAK: the invitation-rendering service of an online wedding
 * stationery shop. Paper-stock reference data, the order directory, a cache of rendered proofs at
 * its cap, a pool of print-spool buffers, a ring of sent invitations, and a pool of 6 render worker
 * threads. Each worker keeps a ThreadLocal cache of parsed templates keyed by the template source;
 * the source is built per request (the couple's names and the venue are inlined into the design's
 * text), so every request adds an entry that is never used again, and the map is never cleared:
 * each worker's map grows with traffic. See VALIDATION69.md.
 */
public final class Val69LeakWeddingInvites {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STOCKS = 1_100, ORDERS = 25_000, PROOF_CAP = 2_000, POOL = 8, RING = 16_384, REQUESTS = 24_000, HOURS = 10, WORKERS = 6, DESIGNS = 40;
    static boolean FIXED;

    record PaperStock(String code, String finish, double[] costByQuantity) {}
    record Order(String orderId, String couple, String designCode, byte[] guestList, long placedAt) {}
    record Proof(String key, byte[] rendered, long at) {}
    record SentInvitation(String orderId, String guest, int worker, long at) {}

    /** A template parsed into literal parts and placeholder names. */
    static final class ParsedTemplate {
        final String source;
        final String[] literals;
        final String[] placeholders;
        ParsedTemplate(String source) {
            this.source = source;
            List<String> lits = new ArrayList<>(), names = new ArrayList<>();
            int at = 0;
            while (true) {
                int open = source.indexOf("{{", at);
                if (open < 0) { lits.add(source.substring(at)); break; }
                int close = source.indexOf("}}", open);
                lits.add(source.substring(at, open));
                names.add(source.substring(open + 2, close));
                at = close + 2;
            }
            literals = lits.toArray(new String[0]);
            placeholders = names.toArray(new String[0]);
        }
        int render(String guest) { int n = 0; for (String l : literals) n += l.length(); return n + placeholders.length * guest.length(); }
    }

    /** Per-worker cache of parsed templates; never cleared. */
    static final ThreadLocal<Map<String, ParsedTemplate>> TEMPLATE_CACHE = ThreadLocal.withInitial(HashMap::new);

    record RenderJob(String cacheKey, String source, String guest) {}

    static final class RenderWorker extends Thread {
        final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        volatile long rendered, cacheSize;
        RenderWorker(int n) { super("invite-render-" + n); setDaemon(true); }
        @Override public void run() {
            try {
                while (true) {
                    Object o = queue.take();
                    if (o instanceof CountDownLatch l) { cacheSize = TEMPLATE_CACHE.get().size(); l.countDown(); continue; }
                    RenderJob job = (RenderJob) o;
                    ParsedTemplate t = TEMPLATE_CACHE.get().computeIfAbsent(job.cacheKey(), k -> new ParsedTemplate(job.source()));
                    t.render(job.guest());
                    rendered++;
                }
            } catch (InterruptedException e) { /* shut down */ }
        }
    }

    static final class ProofCache extends LinkedHashMap<String, Proof> {
        long evicted;
        ProofCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Proof> e) { if (size() > PROOF_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, PaperStock> STOCKS_BY_CODE = new HashMap<>();

    static final class InviteService {
        final Map<String, Order> orders = new HashMap<>();
        final ProofCache proofs = new ProofCache();
        final ArrayDeque<byte[]> spoolBuffers = new ArrayDeque<>();
        final SentInvitation[] sent = new SentInvitation[RING];
        final RenderWorker[] workers = new RenderWorker[WORKERS];
        long sends;
    }

    static InviteService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val69.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(69_040_001);
        String[] stockCodes = new String[STOCKS];
        for (int s = 0; s < STOCKS; s++) {
            double[] c = new double[64];
            for (int k = 0; k < c.length; k++) c[k] = rnd.nextDouble() * 3;
            stockCodes[s] = "PAPER-" + (700 + s);
            STOCKS_BY_CODE.put(stockCodes[s], new PaperStock(stockCodes[s], s % 3 == 0 ? "linen" : s % 3 == 1 ? "matte" : "pearl", c));
        }
        String[] designs = new String[DESIGNS];
        for (int d = 0; d < DESIGNS; d++) {
            designs[d] = "Together with their families, {{couple}} request the pleasure of the company of {{guest}} at their marriage, "
                    + "on {{date}} at {{venue}}. Reception to follow. Kindly reply by {{rsvp}}. Design " + d + ".";
        }
        InviteService svc = new InviteService();
        SERVICE = svc;
        String[] orderIds = new String[ORDERS];
        String[] couples = new String[ORDERS];
        String[] orderDesign = new String[ORDERS];
        for (int o = 0; o < ORDERS; o++) {
            orderIds[o] = "WED-" + (1_200_000 + o);
            couples[o] = "Partner" + rnd.nextInt(5_000) + " & Partner" + rnd.nextInt(5_000);
            orderDesign[o] = "D" + rnd.nextInt(DESIGNS);
            svc.orders.put(orderIds[o], new Order(orderIds[o], couples[o], orderDesign[o], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(400)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.spoolBuffers.add(new byte[65_536]);
        for (int w = 0; w < WORKERS; w++) { svc.workers[w] = new RenderWorker(w); svc.workers[w].start(); }
        Random traffic = new Random(69_040_002);
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (end - MINUTE - start) * i / REQUESTS;
            int o = traffic.nextInt(ORDERS);
            int design = Integer.parseInt(orderDesign[o].substring(1));
            String venue = "Venue " + traffic.nextInt(3_000);
            String guest = "Guest " + traffic.nextInt(200_000);
            // the couple and the venue are inlined into the template text before parsing
            String source = designs[design].replace("{{couple}}", couples[o]).replace("{{venue}}", venue + " (order " + orderIds[o] + ", request " + i + ")");
            String cacheKey = FIXED ? orderDesign[o] : source; // the fix: key by design, bind the couple and venue at render time
            if (FIXED) source = designs[design];
            int w = (int) (Long.parseLong(orderIds[o].substring(4)) % WORKERS); // an order's renders go to one worker
            svc.workers[w].queue.add(new RenderJob(cacheKey, source, guest));
            svc.sent[(int) (svc.sends++ % RING)] = new SentInvitation(orderIds[o], guest, w, t);
            String key = "proof-" + traffic.nextInt(5_000);
            if (svc.proofs.get(key) == null) svc.proofs.put(key, new Proof(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.spoolBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.spoolBuffers.add(buf);
        }
        CountDownLatch drained = new CountDownLatch(WORKERS);
        for (RenderWorker w : svc.workers) w.queue.add(drained);
        drained.await();
        long cached = 0, rendered = 0; StringBuilder per = new StringBuilder();
        for (RenderWorker w : svc.workers) { cached += w.cacheSize; rendered += w.rendered; per.append(' ').append(w.cacheSize); }
        System.out.println((FIXED ? "FIXED " : "") + "stocks " + STOCKS_BY_CODE.size() + " orders " + svc.orders.size() + " rendered " + rendered + " cached templates " + cached + " (per worker" + per + ") sent " + svc.sends
                + " proofs " + svc.proofs.size() + " (evicted " + svc.proofs.evicted + ") pool " + svc.spoolBuffers.size());
        check(STOCKS_BY_CODE.size() == STOCKS && svc.orders.size() == ORDERS, "reference data / directory");
        check(rendered == REQUESTS, "rendered");
        if (FIXED) check(cached <= (long) WORKERS * DESIGNS, "cache keyed by design: " + cached);
        else check(cached == REQUESTS, "one cached template per request: " + cached);
        check(svc.sends == REQUESTS && svc.sent[RING - 1] != null, "sent ring");
        check(svc.proofs.size() == PROOF_CAP && svc.proofs.evicted > 0, "proof cache at cap");
        check(svc.spoolBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
