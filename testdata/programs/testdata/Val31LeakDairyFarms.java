// hprofscan-dump: name=val31-leak-dairyfarms jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val31-leak-dairyfarms-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 31 (written blind), LEAK: the milk-collection service of a dairy cooperative.
 * Farm reference data, the lab-sample directory, a cache of rendered payout statements at its cap,
 * a pool of decode buffers, a ring of tank readings, and a message consumer of the tanker readings
 * queue. The consumer tracks unacknowledged deliveries in {@code pendingAcks} (a HashMap keyed by
 * the Long delivery tag) for redelivery on channel recovery. After a batch of readings is committed
 * to the lab database, the batch's correlation ids (the delivery tags as Strings, as the database
 * write returns them) are acknowledged: the broker gets the parsed long, but the map is cleaned with
 * {@code pendingAcks.remove(correlationId)}, a String that never equals a Long key, so every
 * delivery stays in the map after it was acknowledged. See VALIDATION31.md.
 */
public final class Val31LeakDairyFarms {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int HOURS = 10, FARMS = 1_100, SAMPLES = 24_000, STATEMENT_CAP = 2_000, POOL = 8, RING = 16_384, DELIVERIES_PER_HOUR = 2_400, BATCH = 50;
    static final long COMMIT_EVERY_MS = 5_000L;
    static boolean FIXED;

    record Farm(String code, String region, String routingKey, double[] dailyYieldCurve) {}
    record LabSample(String barcode, String farmCode, byte[] assayRecord, long takenAt) {}
    record Statement(String key, byte[] rendered, long at) {}
    record TankReading(String farmCode, int litres, double fatPercent, double tempC, long at) {}
    /** A message as the broker client hands it over. */
    record Delivery(long deliveryTag, String exchange, String routingKey, String messageId, long timestamp, byte[] body) {}

    /** The broker channel: only counts what it is told. */
    static final class Channel {
        long acked, lastAckedTag;
        void basicAck(long deliveryTag) { acked++; lastAckedTag = deliveryTag; }
    }

    static final class ReadingConsumer {
        final Channel channel = new Channel();
        /** Unacknowledged deliveries by tag, redelivered (nacked) on channel recovery. */
        final Map<Long, Delivery> pendingAcks = new HashMap<>();
        /** Correlation ids of the readings written since the last commit. */
        final List<String> uncommitted = new ArrayList<>();
        long nextTag = 1, delivered, commits;

        void onDelivery(Delivery d) {
            pendingAcks.put(d.deliveryTag(), d);
            delivered++;
            uncommitted.add(Long.toString(d.deliveryTag())); // the lab database returns the correlation id as text
        }

        void commitBatch() {
            if (uncommitted.isEmpty()) return;
            commits++;
            for (String correlationId : uncommitted) {
                channel.basicAck(Long.parseLong(correlationId));
                if (FIXED) pendingAcks.remove(Long.parseLong(correlationId));
                else pendingAcks.remove(correlationId); // BUG: a String never equals the Long key; nothing is removed
            }
            uncommitted.clear();
        }
    }

    static final class StatementCache extends LinkedHashMap<String, Statement> {
        long evicted;
        StatementCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Statement> e) { if (size() > STATEMENT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Farm> FARMS_BY_CODE = new HashMap<>();

    static final class CollectionService {
        final Map<String, LabSample> samples = new HashMap<>();
        final StatementCache statements = new StatementCache();
        final ArrayDeque<byte[]> decodeBuffers = new ArrayDeque<>();
        final TankReading[] readings = new TankReading[RING];
        final ReadingConsumer consumer = new ReadingConsumer();
        long readingsWritten;
    }

    static CollectionService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val31.fixed");
        int deliveries = DELIVERIES_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(31_040_001);
        String[] farmCodes = new String[FARMS];
        for (int f = 0; f < FARMS; f++) {
            double[] curve = new double[72];
            for (int k = 0; k < curve.length; k++) curve[k] = 200 + rnd.nextDouble() * 900;
            farmCodes[f] = "DF-" + (40_000 + f);
            FARMS_BY_CODE.put(farmCodes[f], new Farm(farmCodes[f], "Region " + (f % 12), "tank.reading." + farmCodes[f], curve));
        }
        CollectionService svc = new CollectionService();
        SERVICE = svc;
        for (int s = 0; s < SAMPLES; s++) {
            String barcode = "LS" + (80_000_000 + s * 3);
            svc.samples.put(barcode, new LabSample(barcode, farmCodes[rnd.nextInt(FARMS)], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.decodeBuffers.add(new byte[32_768]);
        Random traffic = new Random(31_040_002);
        ReadingConsumer c = svc.consumer;
        long lastCommit = start;
        for (int i = 0; i < deliveries; i++) {
            long t = start + (end - MINUTE - start) * i / deliveries;
            if (t - lastCommit >= COMMIT_EVERY_MS) { c.commitBatch(); lastCommit = t; } // the batch timer
            Farm farm = FARMS_BY_CODE.get(farmCodes[traffic.nextInt(FARMS)]);
            Delivery d = new Delivery(c.nextTag++, "milk-collection", farm.routingKey(), "msg-" + Long.toHexString(0x6d00_0000_0000L + i * 7L), t, new byte[160 + traffic.nextInt(160)]);
            c.onDelivery(d);
            byte[] buf = svc.decodeBuffers.poll();
            buf[i % buf.length] = d.body()[0];
            svc.decodeBuffers.add(buf);
            svc.readings[(int) (svc.readingsWritten++ % RING)] = new TankReading(farm.code(), 2_000 + traffic.nextInt(9_000), 3.5 + traffic.nextDouble(), 2 + traffic.nextDouble() * 3, t);
            String key = "stmt-" + farm.code() + "-" + traffic.nextInt(4);
            if (svc.statements.get(key) == null) svc.statements.put(key, new Statement(key, new byte[500 + traffic.nextInt(500)], t));
            if (c.uncommitted.size() == BATCH) { c.commitBatch(); lastCommit = t; }
        }
        System.out.println((FIXED ? "FIXED " : "") + "farms " + FARMS_BY_CODE.size() + " samples " + svc.samples.size() + " delivered " + c.delivered + " acked " + c.channel.acked + " commits " + c.commits
                + " uncommitted " + c.uncommitted.size() + " pendingAcks " + c.pendingAcks.size() + " statements " + svc.statements.size() + " (evicted " + svc.statements.evicted + ") pool " + svc.decodeBuffers.size() + " readings " + svc.readingsWritten);
        check(FARMS_BY_CODE.size() == FARMS && svc.samples.size() == SAMPLES, "reference data / directory");
        check(c.delivered == deliveries && c.channel.acked + c.uncommitted.size() == deliveries && c.uncommitted.size() < BATCH, "consumer traffic");
        if (FIXED) check(c.pendingAcks.size() == c.uncommitted.size(), "only the open batch unacknowledged");
        else check(c.pendingAcks.size() == deliveries, "every delivery stays: " + c.pendingAcks.size());
        check(svc.statements.size() == STATEMENT_CAP && svc.statements.evicted > 0, "statement cache at cap");
        check(svc.decodeBuffers.size() == POOL, "pool");
        check(svc.readingsWritten == deliveries && svc.readings[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
