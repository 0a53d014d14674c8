// hprofscan-dump: name=val35-healthy-orchards jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val35-healthy-orchards-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Validation set 35 (written blind), HEALTHY: the harvest service of a fruit growers' cooperative.
 * Variety reference data, the orchard-block directory, 14 packing houses (a map keyed by house id,
 * each with settings, its grading lines and an activity feed capped at 150 when it is written), a
 * client of the cold-store controller whose pending slot requests (CompletableFutures with
 * dependent stages, keyed by a sequential correlation id) all complete, the nightly import of
 * delivery dockets (running at the dump) through a unit of work flushed and cleared every 400
 * rows, per cold room a rolling window of ripeness readings trimmed by copying, a cache of rendered
 * pallet labels at its cap, a ring of bin weighings and a pool of label-printer buffers.
 * See VALIDATION35.md.
 */
public final class Val35HealthyOrchards {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, SECOND = 1_000L;
    static final int VARIETIES = 1_100, BLOCKS = 20_000, HOUSES = 14, LINES = 6, FEED_CAP = 150, ROOMS = 12, WINDOW = 480, TRIM_SLACK = 120,
            LABEL_CAP = 2_500, POOL = 10, RING = 16_384, WEIGHINGS = 60_000, HOURS = 10, LAG = 4, IMPORT_ROWS = 40_000, FLUSH_EVERY = 400, DUMP_AT_ROW = 13_530;

    record Variety(String code, String name, double[] ripeningCurve) {}
    record OrchardBlock(String blockId, String varietyCode, String grower, byte[] sprayRecord, long plantedAt) {}
    record HouseSettings(String timeZone, int feedCap, boolean organicLine) {}
    record GradingLine(String lineId, int lanes, double[] sizeBands) {}
    record FeedEvent(long id, String kind, String detail, long at, byte[] body) {}
    record SlotRequest(long correlationId, String palletId, String roomHint, long at) {}
    record SlotReply(long correlationId, int status, String roomId) {}
    record Placement(String palletId, String roomId, long at) {}
    record RipenessReading(String roomId, long at, double ethylenePpm, double tempC, double humidityPct) {}
    record PalletLabel(String key, byte[] rendered, long at) {}
    record BinWeighing(String blockId, int kg, long at) {}
    record EntityKey(String entity, Object id) {}

    static final class Docket {
        final String docketNo; String blockId, varietyCode; int bins; long deliveredAt; byte[] qualityNotes;
        Docket(String docketNo) { this.docketNo = docketNo; }
    }

    static final class PackingHouse {
        final String houseId; final HouseSettings settings; final List<GradingLine> lines = new ArrayList<>();
        final List<FeedEvent> feed = new ArrayList<>();
        long posted;
        PackingHouse(String houseId, HouseSettings settings) { this.houseId = houseId; this.settings = settings; }
        void post(FeedEvent e) { feed.add(e); posted++; if (feed.size() > settings.feedCap()) feed.remove(0); }
    }

    static final class ColdStoreClient {
        final Map<Long, CompletableFuture<SlotReply>> pending = new HashMap<>();
        long nextCorrelationId = 1, sent, completed, unknownStatus;
        CompletableFuture<SlotReply> request(SlotRequest req) {
            CompletableFuture<SlotReply> f = new CompletableFuture<>();
            pending.put(req.correlationId(), f);
            sent++;
            return f;
        }
        void onReply(SlotReply r) {
            if (r.status() != 200 && r.status() != 404 && r.status() != 409) unknownStatus++;
            CompletableFuture<SlotReply> f = pending.remove(r.correlationId()); // every status completes the call
            if (f != null) { completed++; f.complete(r); }
        }
    }

    /** Unit of work of the docket import: flushed and cleared every FLUSH_EVERY rows. */
    static final class Session {
        final Map<EntityKey, Object> identityMap = new HashMap<>();
        final Map<EntityKey, Object[]> snapshots = new HashMap<>();
        long flushes, written, clears;
        void persist(Docket d) { EntityKey k = new EntityKey("Docket", d.docketNo); identityMap.put(k, d); snapshots.put(k, new Object[] {d.blockId, d.varietyCode, Integer.valueOf(d.bins), Long.valueOf(d.deliveredAt), d.qualityNotes.clone()}); }
        void flush() { written += identityMap.size(); flushes++; }
        void clear() { identityMap.clear(); snapshots.clear(); clears++; }
    }

    static final class ImportJob {
        final String file; final long startedAt; final Session session = new Session(); int rowsImported; boolean running;
        ImportJob(String file, long startedAt) { this.file = file; this.startedAt = startedAt; }
    }

    static final class RoomMonitor {
        final String roomId; List<RipenessReading> window = new ArrayList<>(); long readings, trims;
        RoomMonitor(String roomId) { this.roomId = roomId; }
        void add(RipenessReading r) {
            window.add(r); readings++;
            int n = window.size();
            if (n > WINDOW + TRIM_SLACK) { window = new ArrayList<>(window.subList(n - WINDOW, n)); trims++; } // a copy: the old list is dropped
        }
    }

    static final class LabelCache extends LinkedHashMap<String, PalletLabel> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, PalletLabel> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Variety> VARIETIES_BY_CODE = new HashMap<>();

    static final class HarvestService {
        final Map<String, OrchardBlock> blocks = new HashMap<>();
        final Map<String, PackingHouse> houses = new HashMap<>();
        final ColdStoreClient coldStore = new ColdStoreClient();
        final RoomMonitor[] rooms = new RoomMonitor[ROOMS];
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final BinWeighing[] weighings = new BinWeighing[RING];
        final Placement[] placements = new Placement[2_048];
        long weighingCount, placementCount, noSlot, conflicts;
        ImportJob currentImport;
        void placePallet(SlotRequest req) {
            coldStore.request(req)
                    .thenApply(reply -> reply.status() == 200 ? new Placement(req.palletId(), reply.roomId(), req.at()) : null)
                    .whenComplete((placement, err) -> {
                        if (placement != null) placements[(int) (placementCount++ % placements.length)] = placement;
                        else if (err == null) noSlot++;
                    });
        }
    }

    static HarvestService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(35_060_001);
        String[] varietyCodes = new String[VARIETIES];
        for (int v = 0; v < VARIETIES; v++) {
            double[] curve = new double[80];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble() * 14;
            varietyCodes[v] = "VAR-" + (v < 550 ? "A" : "P") + (100 + v);
            VARIETIES_BY_CODE.put(varietyCodes[v], new Variety(varietyCodes[v], (v < 550 ? "Apple " : "Pear ") + v, curve));
        }
        HarvestService svc = new HarvestService();
        SERVICE = svc;
        String[] blockIds = new String[BLOCKS];
        for (int b = 0; b < BLOCKS; b++) {
            blockIds[b] = "BLK-" + (b / 100) + "-" + (b % 100);
            svc.blocks.put(blockIds[b], new OrchardBlock(blockIds[b], varietyCodes[rnd.nextInt(VARIETIES)], "Grower " + rnd.nextInt(900), new byte[180 + rnd.nextInt(180)], now - (long) (400 + rnd.nextInt(9_000)) * 24 * HOUR));
        }
        PackingHouse[] houseArr = new PackingHouse[HOUSES];
        for (int h = 0; h < HOUSES; h++) {
            PackingHouse house = new PackingHouse("ph-" + (20 + h * 3), new HouseSettings("Pacific/Auckland", FEED_CAP, h % 4 == 0));
            for (int l = 0; l < LINES; l++) {
                double[] bands = new double[24];
                for (int k = 0; k < bands.length; k++) bands[k] = 50 + k * 4 + rnd.nextDouble();
                house.lines.add(new GradingLine(house.houseId + "-L" + l, 8 + rnd.nextInt(8), bands));
            }
            houseArr[h] = house;
            svc.houses.put(house.houseId, house);
        }
        for (int r = 0; r < ROOMS; r++) svc.rooms[r] = new RoomMonitor("CA-" + (r + 1));
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random traffic = new Random(35_060_002);
        Random controller = new Random(35_060_003);
        Random sensors = new Random(35_060_004);
        String[] kinds = {"BIN_RECEIVED", "LINE_STOPPED", "GRADE_CHANGED", "SHIFT_NOTE", "EXPORT_BOOKED"};
        ArrayDeque<SlotReply> replies = new ArrayDeque<>();
        long nextReading = start;
        int maxPending = 0;
        for (int i = 0; i < WEIGHINGS; i++) {
            long t = start + (end - MINUTE - start) * i / WEIGHINGS;
            while (nextReading <= t) {
                for (RoomMonitor rm : svc.rooms) rm.add(new RipenessReading(rm.roomId, nextReading, sensors.nextDouble() * 2, 0.5 + sensors.nextDouble(), 90 + sensors.nextDouble() * 8));
                nextReading += 10 * SECOND;
            }
            String block = blockIds[traffic.nextInt(BLOCKS)];
            svc.weighings[(int) (svc.weighingCount++ % RING)] = new BinWeighing(block, 300 + traffic.nextInt(150), t);
            PackingHouse house = houseArr[traffic.nextInt(HOUSES)];
            String kind = kinds[traffic.nextInt(kinds.length)];
            house.post(new FeedEvent(80_000_000L + i, kind, kind.toLowerCase() + " " + block, t, new byte[30 + traffic.nextInt(50)]));
            if (i % 3 == 0) {
                while (replies.size() > LAG) svc.coldStore.onReply(replies.pollFirst());
                long id = svc.coldStore.nextCorrelationId++;
                svc.placePallet(new SlotRequest(id, "PAL-" + (id + 9_000_000), "CA-" + (1 + traffic.nextInt(ROOMS)), t));
                int roll = controller.nextInt(100);
                replies.addLast(new SlotReply(id, roll < 90 ? 200 : roll < 97 ? 404 : 409, "CA-" + (1 + controller.nextInt(ROOMS))));
                maxPending = Math.max(maxPending, svc.coldStore.pending.size());
            }
            if (i % 2 == 0) {
                String key = "label-" + traffic.nextInt(5_000);
                if (svc.labels.get(key) == null) svc.labels.put(key, new PalletLabel(key, new byte[400 + traffic.nextInt(400)], t));
                byte[] buf = svc.labelBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.labelBuffers.add(buf);
            }
        }
        int onWire = replies.size();
        replies = null;
        // The nightly docket import: 40,000 rows, started 30 minutes ago; the dump is taken at row 13,530.
        long importStart = end - 30 * MINUTE;
        ImportJob job = new ImportJob("dockets-" + (importStart / (24 * HOUR)) + ".csv", importStart);
        svc.currentImport = job;
        job.running = true;
        Random file = new Random(35_060_005);
        int maxSession = 0;
        for (int row = 0; row < DUMP_AT_ROW; row++) {
            Docket d = new Docket("DK" + (20_000_000 + row));
            d.blockId = blockIds[file.nextInt(BLOCKS)];
            d.varietyCode = varietyCodes[file.nextInt(VARIETIES)];
            d.bins = 1 + file.nextInt(30);
            d.deliveredAt = importStart - (long) file.nextInt(24 * 60) * MINUTE;
            d.qualityNotes = new byte[40 + file.nextInt(60)];
            job.session.persist(d);
            job.rowsImported++;
            maxSession = Math.max(maxSession, job.session.identityMap.size());
            if (job.rowsImported % FLUSH_EVERY == 0) { job.session.flush(); job.session.clear(); }
        }
        ColdStoreClient cs = svc.coldStore;
        long feedTotal = 0; StringBuilder per = new StringBuilder();
        for (PackingHouse h : houseArr) { feedTotal += h.feed.size(); per.append(' ').append(h.feed.size()); check(h.feed.size() == Math.min(h.posted, FEED_CAP) && h.lines.size() == LINES, "house " + h.houseId); }
        StringBuilder win = new StringBuilder();
        for (RoomMonitor rm : svc.rooms) { win.append(' ').append(rm.window.size()); check(rm.window.size() >= WINDOW && rm.window.size() <= WINDOW + TRIM_SLACK && rm.trims > 0, "ripeness window " + rm.roomId); }
        Session s = job.session;
        System.out.println("varieties " + VARIETIES_BY_CODE.size() + " blocks " + svc.blocks.size() + " houses " + svc.houses.size() + " feeds" + per + " (" + feedTotal + ") slot requests " + cs.sent + " completed " + cs.completed + " pending " + cs.pending.size()
                + " (max " + maxPending + ", on wire " + onWire + ") placements " + svc.placementCount + " noSlot " + svc.noSlot + " windows" + win + " import rows " + job.rowsImported + " session " + s.identityMap.size() + " (max " + maxSession
                + ", flushes " + s.flushes + ", written " + s.written + ") labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ") pool " + svc.labelBuffers.size() + " weighings " + svc.weighingCount);
        check(VARIETIES_BY_CODE.size() == VARIETIES && svc.blocks.size() == BLOCKS && svc.houses.size() == HOUSES, "reference data / directories");
        check(cs.pending.size() == onWire && cs.completed + cs.pending.size() == cs.sent && cs.unknownStatus == 0 && svc.placementCount + svc.noSlot == cs.completed, "slot requests complete");
        check(job.running && s.identityMap.size() == DUMP_AT_ROW % FLUSH_EVERY && s.snapshots.size() == s.identityMap.size() && maxSession == FLUSH_EVERY && s.clears == DUMP_AT_ROW / FLUSH_EVERY, "import session cleared");
        check(svc.labels.size() == LABEL_CAP && svc.labels.evicted > 0, "label cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.weighingCount == WEIGHINGS && svc.weighings[RING - 1] != null, "weighing ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
