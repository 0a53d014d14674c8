// hprofscan-dump: name=val21-healthy-glaciers-1 jvm="-Xmx256m --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.io=ALL-UNNAMED" variants=mxbean args="1"
// hprofscan-dump: name=val21-healthy-glaciers-2 jvm="-Xmx256m --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.io=ALL-UNNAMED" variants=mxbean args="2"
// hprofscan-dump: name=val21-healthy-glaciers jvm="-Xmx256m --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.io=ALL-UNNAMED" variants=mxbean args="3"
// hprofscan-dump: name=val21-healthy-glaciers-serial jvm="-Xmx256m -XX:+UseSerialGC --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.io=ALL-UNNAMED" variants=jcmd args="3"
package testdata;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation set 21 (written blind), HEALTHY: a glacier-monitoring network. Automatic stations
 * stream readings over sensor links; per-link statistics sit in a {@code WeakHashMap} keyed by the
 * live link (the values do not refer back, so a dropped link's entry goes); two shutdown hooks are
 * registered once at startup; readings are replicated to the archive over an
 * {@code ObjectOutputStream} that is {@code reset()} every 200 messages; each glacier is an
 * event-sourced aggregate whose events are cleared once persisted, with a bounded snapshot
 * history. Plus station and glacier reference data, a melt-model cache, a decoder pool, a reading
 * ring. Series: stage 1 simulates 1 h (warming), stage 2 4 h, stage 3 8 h (flat).
 * See testdata/VALIDATION21.md.
 */
public final class Val21HealthyGlacierMonitoring {
    static final long HOUR = 3_600_000L;
    static final int STATIONS = 15_000, GLACIERS = 1_200, LINKS = 300, MODEL_CAP = 2_000, DECODERS = 16, RING = 16_384;
    static final int RESET_EVERY = 200, SNAPSHOTS_KEPT = 4, SNAPSHOT_EVERY = 2;
    static final int READINGS_PER_HOUR = 8_000, EVENTS_PER_HOUR = 3_000, MODELS_PER_HOUR = 1_500, RECONNECTS_PER_HOUR = 300, MESSAGES_PER_HOUR = 2_000;

    record Station(String id, String glacierId, double lat, double lon, double[] calibration) {}
    record Glacier(String id, String name, double[] outline) {}
    record MeltModel(String key, double[] coefficients) {}
    record Reading(String stationId, double value, long at) {}

    static final class SensorLink { final String id, stationId; final long connectedAt; final byte[] rxBuffer = new byte[1_024]; SensorLink(String id, String stationId, long connectedAt) { this.id = id; this.stationId = stationId; this.connectedAt = connectedAt; } }
    static final class LinkStats { final String linkId; final long[] latencyHistogram = new long[32]; long frames; LinkStats(String linkId) { this.linkId = linkId; } }

    static final class ReadingBatch implements Serializable {
        private static final long serialVersionUID = 1L;
        final String stationId; final long at; final double[] values;
        ReadingBatch(String stationId, long at, double[] values) { this.stationId = stationId; this.at = at; this.values = values; }
    }

    static final class CountingSink extends OutputStream {
        long bytes;
        @Override public void write(int b) { bytes++; }
        @Override public void write(byte[] b, int off, int len) { bytes += len; }
    }

    static final class ArchiveLink {
        final CountingSink wire = new CountingSink(); final ObjectOutputStream out; long sent, resets;
        ArchiveLink() throws IOException { out = new ObjectOutputStream(wire); }
        void send(ReadingBatch b) throws IOException { out.writeObject(b); out.flush(); if (++sent % RESET_EVERY == 0) { out.reset(); resets++; } }
    }

    record MassEvent(long seq, String type, double deltaMm, long at) {}
    record Snapshot(long version, double massBalanceMm, long at) {}

    static final class GlacierAggregate {
        final String glacierId; long version; double massBalanceMm;
        final List<MassEvent> pendingEvents = new ArrayList<>();
        final ArrayDeque<Snapshot> snapshots = new ArrayDeque<>();
        GlacierAggregate(String glacierId) { this.glacierId = glacierId; }
        void raise(MassEvent e) { pendingEvents.add(e); massBalanceMm += e.deltaMm(); version++; }
        void markCommitted(long at) {
            pendingEvents.clear();
            if (version % SNAPSHOT_EVERY == 0) { snapshots.addLast(new Snapshot(version, massBalanceMm, at)); if (snapshots.size() > SNAPSHOTS_KEPT) snapshots.removeFirst(); }
        }
    }

    static final class ModelCache extends LinkedHashMap<String, MeltModel> {
        long evicted;
        ModelCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, MeltModel> e) { if (size() > MODEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Station> STATIONS_BY_ID = new HashMap<>();
    static final Map<String, Glacier> GLACIERS_BY_ID = new HashMap<>();

    static final class MonitoringService {
        final Map<String, SensorLink> online = new ConcurrentHashMap<>();
        final Map<SensorLink, LinkStats> linkStats = new WeakHashMap<>(4_096);
        final Map<String, GlacierAggregate> aggregates = new HashMap<>();
        final ModelCache models = new ModelCache();
        final ArrayDeque<byte[]> decoders = new ArrayDeque<>();
        final Reading[] readings = new Reading[RING];
        long readingsWritten, eventsPersisted, reconnects;
        ArchiveLink archive;
    }

    static MonitoringService MONITORING;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static int registeredHooks() throws Exception {
        Field f = Class.forName("java.lang.ApplicationShutdownHooks").getDeclaredField("hooks");
        f.setAccessible(true);
        return ((Map<?, ?>) f.get(null)).size();
    }

    static int handles(ObjectOutputStream out) throws Exception {
        Field h = ObjectOutputStream.class.getDeclaredField("handles");
        h.setAccessible(true);
        Object table = h.get(out);
        Field size = table.getClass().getDeclaredField("size");
        size.setAccessible(true);
        return size.getInt(table);
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        long hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long start = now - hours * HOUR;
        Random rnd = new Random(21_050_001);
        int hooksBefore = registeredHooks();
        MonitoringService svc = new MonitoringService();
        MONITORING = svc;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println("flushing archive link"), "archive-flush"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println("closing sensor links"), "links-close"));
        for (int g = 0; g < GLACIERS; g++) {
            double[] outline = new double[400];
            for (int k = 0; k < outline.length; k++) outline[k] = rnd.nextDouble() * 100;
            String id = "GLIMS-" + (60_000 + g);
            GLACIERS_BY_ID.put(id, new Glacier(id, "Glacier " + g, outline));
            svc.aggregates.put(id, new GlacierAggregate(id));
        }
        for (int s = 0; s < STATIONS; s++) {
            double[] cal = new double[64];
            for (int k = 0; k < cal.length; k++) cal[k] = rnd.nextGaussian();
            String id = "AWS-" + (10_000 + s);
            STATIONS_BY_ID.put(id, new Station(id, "GLIMS-" + (60_000 + s % GLACIERS), 45 + rnd.nextDouble() * 20, 5 + rnd.nextDouble() * 20, cal));
        }
        for (int d = 0; d < DECODERS; d++) svc.decoders.add(new byte[16 * 1_024]);
        for (int l = 0; l < LINKS; l++) {
            SensorLink link = new SensorLink("LNK-" + l + "-0", "AWS-" + (10_000 + l), start);
            svc.online.put(link.stationId, link);
            svc.linkStats.put(link, new LinkStats(link.id));
        }
        svc.archive = new ArchiveLink();
        Random traffic = new Random(21_050_002);
        // links reconnect (the old link is dropped): 300 per hour, at most 1,200 in a run (nightly rotation)
        int reconnects = (int) Math.min(4, hours) * RECONNECTS_PER_HOUR;
        for (int r = 0; r < reconnects; r++) {
            String stationId = "AWS-" + (10_000 + r % LINKS);
            SensorLink link = new SensorLink("LNK-" + r % LINKS + "-" + (r / LINKS + 1), stationId, start + r * 10_000L);
            svc.online.put(stationId, link);
            svc.linkStats.put(link, new LinkStats(link.id));
            svc.reconnects++;
        }
        int readings = (int) (READINGS_PER_HOUR * hours);
        for (int i = 0; i < readings; i++) {
            long t = start + (now - start) * i / readings;
            String stationId = "AWS-" + (10_000 + traffic.nextInt(STATIONS));
            svc.readings[(int) (svc.readingsWritten++ % RING)] = new Reading(stationId, traffic.nextGaussian(), t);
            SensorLink link = svc.online.get("AWS-" + (10_000 + i % LINKS));
            LinkStats st = svc.linkStats.get(link);
            st.frames++; st.latencyHistogram[traffic.nextInt(32)]++;
        }
        int messages = (int) (MESSAGES_PER_HOUR * hours) + 120;
        for (int m = 0; m < messages; m++) {
            double[] values = new double[16];
            for (int k = 0; k < values.length; k++) values[k] = traffic.nextGaussian();
            svc.archive.send(new ReadingBatch("AWS-" + (10_000 + traffic.nextInt(STATIONS)), start + (now - start) * m / messages, values));
        }
        int events = (int) (EVENTS_PER_HOUR * hours);
        for (int e = 0; e < events; e++) {
            long t = start + (now - start) * e / events;
            GlacierAggregate agg = svc.aggregates.get("GLIMS-" + (60_000 + e % GLACIERS));
            agg.raise(new MassEvent(e + 1, e % 3 == 0 ? "ACCUMULATION" : "ABLATION", traffic.nextGaussian() * 5, t));
            svc.eventsPersisted += agg.pendingEvents.size();
            agg.markCommitted(t);
        }
        int models = (int) (MODELS_PER_HOUR * hours);
        for (int m = 0; m < models; m++) {
            String key = "GLIMS-" + (60_000 + m % GLACIERS) + "/" + (m / GLACIERS) % 12;
            double[] coef = new double[48];
            for (int k = 0; k < coef.length; k++) coef[k] = traffic.nextDouble();
            svc.models.put(key, new MeltModel(key, coef));
        }
        int linkEntries = 0;
        for (int attempt = 0; attempt < 10; attempt++) { System.gc(); Thread.sleep(50); linkEntries = svc.linkStats.size(); if (linkEntries == LINKS) break; }
        int liveKeys = 0;
        for (SensorLink l : svc.linkStats.keySet()) if (svc.online.get(l.stationId) == l) liveKeys++;
        long pending = 0, snapshots = 0;
        for (GlacierAggregate a : svc.aggregates.values()) { pending += a.pendingEvents.size(); snapshots += a.snapshots.size(); }
        int hooks = registeredHooks(), handles = handles(svc.archive.out);
        long expectedSnapshots = 0;
        for (int g = 0; g < GLACIERS; g++) { long v = events / GLACIERS + (g < events % GLACIERS ? 1 : 0); expectedSnapshots += Math.min(SNAPSHOTS_KEPT, v / SNAPSHOT_EVERY); }
        long expectedModels = Math.min(models, MODEL_CAP);
        System.out.println("stage " + stage + " stations " + STATIONS_BY_ID.size() + " glaciers " + GLACIERS_BY_ID.size() + " links online " + svc.online.size() + " reconnects " + svc.reconnects + " linkStats entries " + linkEntries + " (live keys " + liveKeys + ") shutdown hooks " + hooks + " archive sent " + svc.archive.sent + " resets " + svc.archive.resets + " handles " + handles + " events " + events + " persisted " + svc.eventsPersisted + " pending " + pending + " snapshots " + snapshots + " models " + svc.models.size() + " (evicted " + svc.models.evicted + ") readings written " + svc.readingsWritten);
        check(STATIONS_BY_ID.size() == STATIONS && GLACIERS_BY_ID.size() == GLACIERS && svc.aggregates.size() == GLACIERS, "reference data");
        check(svc.online.size() == LINKS && linkEntries == LINKS && liveKeys == LINKS && svc.reconnects == reconnects, "link stats");
        check(hooks == hooksBefore + 2, "shutdown hooks " + hooks);
        check(svc.archive.sent == messages && svc.archive.resets == messages / RESET_EVERY && handles == 120 * 3 + 4, "archive stream: handles " + handles);
        check(svc.eventsPersisted == events && pending == 0 && snapshots == expectedSnapshots, "aggregates: snapshots " + snapshots);
        check(svc.models.size() == expectedModels && svc.models.evicted == models - expectedModels, "melt-model cache");
        check(svc.readingsWritten == readings && (svc.readings[RING - 1] != null) == (readings >= RING) && svc.decoders.size() == DECODERS, "reading ring and decoders");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        Runtime.getRuntime().halt(0);
    }
}
