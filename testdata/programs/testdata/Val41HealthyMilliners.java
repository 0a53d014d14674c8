// hprofscan-dump: name=val41-healthy-milliners-1 jvm="-Xmx266m" variants=mxbean args="stage=1"
// hprofscan-dump: name=val41-healthy-milliners-2 jvm="-Xmx266m" variants=mxbean args="stage=2"
// hprofscan-dump: name=val41-healthy-milliners jvm="-Xmx266m" variants=mxbean args="stage=3"
// hprofscan-dump: name=val41-healthy-milliners-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="stage=3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Validation set 41 (written blind), HEALTHY, series: the online atelier of a millinery (bespoke
 * hats). Fabric reference data (felts, straws, sinamay), the catalogue of wooden hat blocks (3D
 * profiles, warmed lazily and by a warmer until complete), an LRU of rendered try-on previews at its
 * cap, a pool of steamer-controller buffers, a ring of orders, the customer sessions keyed by random
 * UUID tokens (evicted after 20 idle minutes) and the in-flight virtual-fitting renders keyed by
 * random UUID request ids (removed when the render completes, 1-4 minutes). Warms up, then flat.
 * No leak. See VALIDATION41.md.
 */
public final class Val41HealthyMilliners {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, IDLE = 20 * MINUTE;
    static final int FABRICS = 700, BLOCKS = 2_400, PREVIEW_CAP = 400, POOL = 8, RING = 128, WARM_PER_MINUTE = 15;
    static final long[] STAGE_MINUTES = {0, 60, 240, 480};

    record Fabric(String code, String name, double[] drapeByAngle) {}
    record HatBlock(String code, String style, byte[] profile3d, long carvedAt) {}
    record Preview(String key, byte[] rendered, long at) {}
    record Order(String orderId, String blockCode, String fabricCode, int priceCents, long placedAt) {}
    record FittingRender(String requestId, String sessionToken, String blockCode, byte[] headScan, long startedAt, long doneAt) {}

    static final class Session {
        final String token, customerId;
        final long openedAt;
        long lastSeenAt;
        final byte[] basket;
        Session(String token, String customerId, long openedAt, byte[] basket) { this.token = token; this.customerId = customerId; this.openedAt = openedAt; this.lastSeenAt = openedAt; this.basket = basket; }
    }

    static final class PreviewCache extends LinkedHashMap<String, Preview> {
        long evicted;
        PreviewCache() { super(1_024, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Preview> e) { if (size() > PREVIEW_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Fabric> FABRICS_BY_CODE = new HashMap<>();

    static final class AtelierService {
        final Map<String, HatBlock> blocks = new HashMap<>();
        final Map<String, Session> sessions = new HashMap<>();
        final Map<String, FittingRender> fittings = new HashMap<>();
        final PreviewCache previews = new PreviewCache();
        final ArrayDeque<byte[]> steamerBuffers = new ArrayDeque<>();
        final Order[] orders = new Order[RING];
        long ordersWritten;
    }

    static AtelierService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = 3;
        for (int i = 2; i < args.length; i++) {
            if (args[i].startsWith("stage=")) stage = Integer.parseInt(args[i].substring(6)); else throw new IllegalArgumentException(args[i]);
        }
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - STAGE_MINUTES[stage] * MINUTE;
        Random rnd = new Random(41_050_001);
        String[] fabricCodes = new String[FABRICS];
        for (int f = 0; f < FABRICS; f++) {
            double[] d = new double[64];
            for (int k = 0; k < d.length; k++) d[k] = rnd.nextDouble();
            fabricCodes[f] = "FB-" + (2_000 + f);
            FABRICS_BY_CODE.put(fabricCodes[f], new Fabric(fabricCodes[f], "Fabric " + f, d));
        }
        String[] blockCodes = new String[BLOCKS];
        int[] profileLen = new int[BLOCKS];
        long[] carved = new long[BLOCKS];
        for (int b = 0; b < BLOCKS; b++) {
            blockCodes[b] = "BLK-" + (10_000 + b);
            profileLen[b] = 1_000 + rnd.nextInt(1_000);
            carved[b] = now - (long) (10 + rnd.nextInt(9_000)) * DAY;
        }
        AtelierService svc = new AtelierService();
        SERVICE = svc;
        for (int b = 0; b < POOL; b++) svc.steamerBuffers.add(new byte[32_768]);

        Random traffic = new Random(41_050_002);
        int warmed = 0;
        long opened = 0, expired = 0, renders = 0, rendersDone = 0, ordersPlaced = 0, lazyLoads = 0;
        String[] liveTokens = new String[0];
        for (long minute = start; minute < end; minute += MINUTE) {
            // finish renders and expire idle sessions (the sweeper runs at the start of every minute)
            for (Iterator<FittingRender> it = svc.fittings.values().iterator(); it.hasNext(); ) {
                if (it.next().doneAt() <= minute) { it.remove(); rendersDone++; }
            }
            for (Iterator<Session> it = svc.sessions.values().iterator(); it.hasNext(); ) {
                if (it.next().lastSeenAt <= minute - IDLE) { it.remove(); expired++; }
            }
            // the warmer loads the catalogue in code order
            for (int k = 0; k < WARM_PER_MINUTE && warmed < BLOCKS; k++, warmed++) {
                if (!svc.blocks.containsKey(blockCodes[warmed])) svc.blocks.put(blockCodes[warmed], new HatBlock(blockCodes[warmed], "Style " + (warmed % 40), new byte[profileLen[warmed]], carved[warmed]));
            }
            liveTokens = svc.sessions.keySet().toArray(new String[0]);
            java.util.Arrays.sort(liveTokens);
            int visits = 6 + traffic.nextInt(6);
            for (int k = 0; k < visits; k++) {
                long at = minute + traffic.nextInt(60_000);
                Session s;
                if (liveTokens.length > 0 && traffic.nextInt(3) > 0) {
                    s = svc.sessions.get(liveTokens[traffic.nextInt(liveTokens.length)]);
                    if (s == null) continue;
                    s.lastSeenAt = Math.max(s.lastSeenAt, at);
                } else {
                    String token = new UUID(traffic.nextLong(), traffic.nextLong()).toString();
                    s = new Session(token, "CU-" + (300_000 + traffic.nextInt(60_000)), at, new byte[200 + traffic.nextInt(300)]);
                    svc.sessions.put(token, s);
                    opened++;
                }
                int b = traffic.nextInt(BLOCKS);
                if (!svc.blocks.containsKey(blockCodes[b])) { svc.blocks.put(blockCodes[b], new HatBlock(blockCodes[b], "Style " + (b % 40), new byte[profileLen[b]], carved[b])); lazyLoads++; }
                String fabric = fabricCodes[traffic.nextInt(FABRICS)];
                String previewKey = blockCodes[b] + "/" + fabric;
                if (svc.previews.get(previewKey) == null) svc.previews.put(previewKey, new Preview(previewKey, new byte[400 + traffic.nextInt(400)], at));
                if (traffic.nextInt(3) == 0) {
                    String requestId = new UUID(traffic.nextLong(), traffic.nextLong()).toString();
                    byte[] buf = svc.steamerBuffers.poll();
                    buf[(int) (renders % buf.length)] = (byte) renders;
                    svc.steamerBuffers.add(buf);
                    long done = at + (long) (1 + traffic.nextInt(4)) * MINUTE;
                    svc.fittings.put(requestId, new FittingRender(requestId, s.token, blockCodes[b], new byte[2_000 + traffic.nextInt(2_000)], at, done - done % MINUTE + MINUTE));
                    renders++;
                }
                if (traffic.nextInt(12) == 0) {
                    svc.orders[(int) (svc.ordersWritten++ % RING)] = new Order("HO-" + (70_000 + ordersPlaced++), blockCodes[b], fabric, 9_000 + traffic.nextInt(60_000), at);
                }
            }
        }
        liveTokens = null;
        long[] exp = EXPECTED[stage - 1];
        System.out.println("stage " + stage + " minutes " + STAGE_MINUTES[stage] + " fabrics " + FABRICS_BY_CODE.size() + " blocks " + svc.blocks.size() + " (lazy " + lazyLoads + ") sessions " + svc.sessions.size()
                + " (opened " + opened + ", expired " + expired + ") fittings " + svc.fittings.size() + " (started " + renders + ", done " + rendersDone + ") previews " + svc.previews.size()
                + " (evicted " + svc.previews.evicted + ") orders " + ordersPlaced + " pool " + svc.steamerBuffers.size());
        check(FABRICS_BY_CODE.size() == FABRICS && svc.blocks.size() == exp[0], "reference data / blocks " + svc.blocks.size());
        check(svc.sessions.size() == exp[1] && opened == exp[2] && opened - expired == svc.sessions.size(), "sessions");
        check(svc.fittings.size() == exp[3] && renders == exp[4] && renders - rendersDone == svc.fittings.size(), "fittings");
        check(svc.previews.size() == PREVIEW_CAP && svc.previews.evicted == exp[5], "preview LRU at cap");
        check(ordersPlaced == exp[6] && svc.ordersWritten == ordersPlaced && svc.steamerBuffers.size() == POOL, "orders / pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    // per stage: blocks, sessions, sessions opened, fittings in flight, renders started, previews evicted, orders
    static final long[][] EXPECTED = {
        {1_183, 110, 192, 11, 176, 123, 52},
        {2_400, 105, 719, 7, 721, 1_678, 183},
        {2_400, 116, 1_390, 8, 1_352, 3_662, 349},
    };
}
