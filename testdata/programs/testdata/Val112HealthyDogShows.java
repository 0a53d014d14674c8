// hprofscan-dump: name=val112-healthy-dogshows-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val112-healthy-dogshows-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val112-healthy-dogshows jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val112-healthy-dogshows-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validation set 112 (written blind), HEALTHY: the entries, judging and results service of a
 * championship dog show organiser. Class reference data, the registered-dog directory, a cache of
 * rendered catalogue pages at its cap, a pool of rosette-printing buffers, a ring of ring results
 * (filling in stage 1, wrapping from stage 2), the judging schedule grid (one large int[]), a queue
 * of steward notifications with its normal backlog, and bounded look-alikes of the set's leaks:
 * 64 striped entry locks and one Semaphore per judging ring (a fixed 40), show-entry aggregates in
 * an LRU whose domain events are cleared after publishing, a results-feed payload reset after every
 * shipment, and a catalogue search with a cache of its 5 fixed patterns. A growth series that warms
 * up and plateaus: 1, 4 and 8 simulated hours. See VALIDATION112.md.
 */
public final class Val112HealthyDogShows {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR, SHIP_EVERY = 5 * MINUTE, STEWARD_SLA = 10 * MINUTE;
    static final int CLASSES = 1_000, DOGS = 22_000, PAGE_CAP = 2_000, ENTRY_CAP = 3_000, THUMB_CAP = 1_200, POOL = 8, RING = 8_192, RINGS = 40, STRIPES = 64, SLOTS = 96;
    static final int REQUESTS_PER_HOUR = 4_000, FEED_CAPACITY = 131_072;

    record ShowClass(String code, String breed, String group, double[] entriesBySeason) {}
    record Dog(String regNo, String kennelName, String breed, String owner, byte[] pedigree, long bornAt) {}
    record CataloguePage(String key, byte[] rendered, long at) {}
    record RingResult(String regNo, String classCode, String ringId, int placing, long at) {}
    record StewardNote(String ringId, String text, long at) {}
    record EventEnvelope(String eventId, String type, String entryId, long at) {}

    abstract static class EntryEvent {
        final String eventId; final long at;
        EntryEvent(String eventId, long at) { this.eventId = eventId; this.at = at; }
        abstract String type();
    }
    static final class EntryReceived extends EntryEvent {
        final String classCode; EntryReceived(String id, long at, String classCode) { super(id, at); this.classCode = classCode; }
        String type() { return "EntryReceived"; }
    }
    static final class PlacingRecorded extends EntryEvent {
        final int placing; PlacingRecorded(String id, long at, int placing) { super(id, at); this.placing = placing; }
        String type() { return "PlacingRecorded"; }
    }
    static final class AwardGiven extends EntryEvent {
        final String award; AwardGiven(String id, long at, String award) { super(id, at); this.award = award; }
        String type() { return "AwardGiven"; }
    }

    /** The aggregate: one dog's entry in one class. */
    static final class ShowEntry {
        final String entryId; final String regNo; final String classCode; int placing; long updatedAt;
        final List<EntryEvent> pendingEvents = new ArrayList<>();
        ShowEntry(String entryId, String regNo, String classCode) { this.entryId = entryId; this.regNo = regNo; this.classCode = classCode; }
        void raise(EntryEvent e) { pendingEvents.add(e); updatedAt = e.at; }
    }

    static final class EntryCache extends LinkedHashMap<String, ShowEntry> {
        long evicted;
        EntryCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ShowEntry> e) { if (size() > ENTRY_CAP) { evicted++; return true; } return false; }
    }

    static final class PageCache extends LinkedHashMap<String, CataloguePage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CataloguePage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    /** Dog photos shown on the ring-side screens: an LRU of 1,200 thumbnails (fills during the first hours). */
    static final class ThumbnailCache extends LinkedHashMap<String, byte[]> {
        long evicted;
        ThumbnailCache() { super(2_048, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) { if (size() > THUMB_CAP) { evicted++; return true; } return false; }
    }

    static final class ResultsFeed {
        final ByteArrayOutputStream payload = new ByteArrayOutputStream(FEED_CAPACITY);
        long lines, shipments, bytesSent;
        void append(RingResult r) {
            payload.writeBytes((r.at() + "|" + r.ringId() + "|" + r.classCode() + "|" + r.regNo() + "|" + r.placing() + "\n").getBytes(StandardCharsets.UTF_8));
            lines++;
        }
        void ship(OutputStream out) throws java.io.IOException {
            if (payload.size() == 0) return;
            bytesSent += payload.size();
            payload.writeTo(out);
            payload.reset();
            shipments++;
        }
    }

    static final class CatalogueSearch {
        final Map<String, Pattern> patterns = new HashMap<>();
        long searches, found;
        CatalogueSearch() {
            patterns.put("reg-no", Pattern.compile("^KC(\\d{7})$"));
            patterns.put("class-code", Pattern.compile("^([A-Z]{2})-(\\d{3})$"));
            patterns.put("kennel", Pattern.compile("^kennel:([a-z ]{2,30})$"));
            patterns.put("ring", Pattern.compile("^ring (\\d{1,2})$"));
            patterns.put("owner", Pattern.compile("^owner:([a-z .'-]{2,40})$"));
        }
        String shapeOf(String q) {
            for (Map.Entry<String, Pattern> e : patterns.entrySet()) { Matcher m = e.getValue().matcher(q); if (m.matches()) return e.getKey(); }
            return null;
        }
    }

    static final Map<String, ShowClass> CLASSES_BY_CODE = new HashMap<>();

    static final class ShowService {
        final Map<String, Dog> dogs = new HashMap<>();
        final String[] regNos = new String[DOGS];
        final String[] classCodes = new String[CLASSES];
        final PageCache pages = new PageCache();
        final ThumbnailCache thumbnails = new ThumbnailCache();
        final EntryCache entries = new EntryCache();
        final ArrayDeque<byte[]> rosetteBuffers = new ArrayDeque<>();
        final RingResult[] results = new RingResult[RING];
        final EventEnvelope[] published = new EventEnvelope[1_024];
        final int[] scheduleGrid = new int[RINGS * SLOTS * 64];
        final ReentrantLock[] entryLocks = new ReentrantLock[STRIPES];
        final Map<String, Semaphore> ringCapacity = new HashMap<>();
        final String[] ringIds = new String[RINGS];
        final ArrayDeque<StewardNote> stewardQueue = new ArrayDeque<>();
        final ResultsFeed feed = new ResultsFeed();
        final CatalogueSearch search = new CatalogueSearch();
        long requests, resultCount, events, eventsPublished, notes, notesHandled, eventSeq = 0xD0_0000L;

        ShowService() { for (int s = 0; s < STRIPES; s++) entryLocks[s] = new ReentrantLock(); }

        void request(Random r, long t) {
            String regNo = regNos[r.nextInt(DOGS)];
            String classCode = classCodes[r.nextInt(CLASSES)];
            String entryId = "E-" + regNo + "-" + classCode;
            ReentrantLock stripe = entryLocks[Math.floorMod(entryId.hashCode(), STRIPES)];
            stripe.lock();
            try {
                ShowEntry entry = entries.get(entryId);
                if (entry == null) {
                    entry = new ShowEntry(entryId, regNo, classCode);
                    entries.put(entryId, entry);
                    entry.raise(new EntryReceived("ev-" + Long.toHexString(eventSeq++), t, classCode));
                    events++;
                }
                String ringId = ringIds[Math.floorMod(classCode.hashCode(), RINGS)];
                Semaphore ring = ringCapacity.get(ringId);
                if (ring.tryAcquire()) {
                    try {
                        int placing = 1 + r.nextInt(6);
                        entry.placing = placing;
                        entry.raise(new PlacingRecorded("ev-" + Long.toHexString(eventSeq++), t, placing));
                        events++;
                        if (placing == 1 && r.nextInt(10) == 0) { entry.raise(new AwardGiven("ev-" + Long.toHexString(eventSeq++), t, "Best of Breed")); events++; }
                        RingResult res = new RingResult(regNo, classCode, ringId, placing, t);
                        results[(int) (resultCount++ % RING)] = res;
                        feed.append(res);
                        scheduleGrid[(int) (resultCount % scheduleGrid.length)]++;
                    } finally {
                        ring.release();
                    }
                }
                for (EntryEvent e : entry.pendingEvents) published[(int) (eventsPublished++ % published.length)] = new EventEnvelope(e.eventId, e.type(), entry.entryId, t);
                entry.pendingEvents.clear(); // published: cleared
            } finally {
                stripe.unlock();
            }
            if (r.nextInt(100) < 70) {
                String key = classCode + "/page-" + r.nextInt(8_000);
                if (pages.get(key) == null) pages.put(key, new CataloguePage(key, new byte[500 + r.nextInt(500)], t));
            }
            if (r.nextInt(100) < 12 && thumbnails.get(regNo) == null) thumbnails.put(regNo, new byte[1_500 + r.nextInt(1_000)]);
            if (r.nextInt(100) < 25) {
                byte[] buf = rosetteBuffers.poll();
                buf[(int) (requests % buf.length)] = 1;
                rosetteBuffers.add(buf);
            }
            if (r.nextInt(100) < 10) {
                String q = r.nextBoolean() ? regNo : r.nextBoolean() ? classCode : "ring " + (1 + r.nextInt(RINGS));
                if (search.shapeOf(q) != null) search.found++;
                search.searches++;
            }
            if (r.nextInt(100) < 3) { stewardQueue.add(new StewardNote(ringIds[r.nextInt(RINGS)], "Call class " + classCode + " to ring", t)); notes++; }
            while (!stewardQueue.isEmpty() && stewardQueue.peek().at() <= t - STEWARD_SLA) { stewardQueue.poll(); notesHandled++; }
            requests++;
        }
    }

    static ShowService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) throws java.io.IOException {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(112_050_001);
        ShowService svc = new ShowService();
        SERVICE = svc;
        String[] groups = {"Gundog", "Hound", "Pastoral", "Terrier", "Toy", "Utility", "Working"};
        String[] prefixes = {"GU", "HO", "PA", "TE", "TO", "UT", "WO"};
        for (int c = 0; c < CLASSES; c++) {
            double[] seasons = new double[48];
            for (int k = 0; k < seasons.length; k++) seasons[k] = rnd.nextDouble() * 60;
            int g = c % groups.length;
            svc.classCodes[c] = prefixes[g] + "-" + String.format("%03d", c);
            CLASSES_BY_CODE.put(svc.classCodes[c], new ShowClass(svc.classCodes[c], "Breed " + (c / 4), groups[g], seasons));
        }
        for (int i = 0; i < DOGS; i++) {
            svc.regNos[i] = "KC" + (3_000_000 + i * 17);
            svc.dogs.put(svc.regNos[i], new Dog(svc.regNos[i], "Kennel " + (i % 3_000), "Breed " + rnd.nextInt(250), "Owner " + i, new byte[150 + rnd.nextInt(150)], now - (long) (200 + rnd.nextInt(3_000)) * DAY));
        }
        for (int g = 0; g < RINGS; g++) { svc.ringIds[g] = "ring-" + (g + 1); svc.ringCapacity.put(svc.ringIds[g], new Semaphore(2)); }
        for (int k = 0; k < svc.scheduleGrid.length; k++) svc.scheduleGrid[k] = rnd.nextInt(CLASSES);
        for (int b = 0; b < POOL; b++) svc.rosetteBuffers.add(new byte[32_768]);
        OutputStream resultsHub = OutputStream.nullOutputStream();
        Random traffic = new Random(112_050_002);
        int requests = hours * REQUESTS_PER_HOUR;
        long nextShip = start + SHIP_EVERY;
        for (int i = 0; i < requests; i++) {
            long t = start + (end - MINUTE - start) * i / requests;
            while (nextShip <= t) { svc.feed.ship(resultsHub); nextShip += SHIP_EVERY; }
            svc.request(traffic, t);
        }
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        simulate(hours);
        ShowService svc = SERVICE;
        int requests = hours * REQUESTS_PER_HOUR;
        long pending = 0;
        for (ShowEntry e : svc.entries.values()) pending += e.pendingEvents.size();
        int locked = 0;
        for (ReentrantLock l : svc.entryLocks) if (l.isLocked()) locked++;
        for (Semaphore s : svc.ringCapacity.values()) if (s.availablePermits() != 2) locked++;
        System.out.println("stage " + stage + " classes " + CLASSES_BY_CODE.size() + " dogs " + svc.dogs.size() + " requests " + svc.requests + " results " + svc.resultCount + " entries " + svc.entries.size()
                + " (evicted " + svc.entries.evicted + ", pending events " + pending + ") events " + svc.events + " published " + svc.eventsPublished + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted
                + ") thumbnails " + svc.thumbnails.size() + " (evicted " + svc.thumbnails.evicted + ") feed " + svc.feed.payload.size() + " bytes (" + svc.feed.lines + " lines, " + svc.feed.shipments + " shipments) searches " + svc.search.searches + " (found " + svc.search.found + ", patterns " + svc.search.patterns.size()
                + ") stripes " + svc.entryLocks.length + " rings " + svc.ringCapacity.size() + " steward notes " + svc.notes + "/" + svc.notesHandled + " backlog " + svc.stewardQueue.size());
        check(CLASSES_BY_CODE.size() == CLASSES && svc.dogs.size() == DOGS, "reference data / directory");
        check(svc.requests == requests && svc.resultCount == requests && svc.events == svc.eventsPublished, "traffic");
        check(svc.entries.size() == ENTRY_CAP && svc.entries.evicted > 0 && pending == 0, "entry cache at cap, no pending event");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(stage == 1 ? svc.thumbnails.size() < THUMB_CAP && svc.thumbnails.evicted == 0 : svc.thumbnails.size() == THUMB_CAP && svc.thumbnails.evicted > 0, "thumbnails: filling in stage 1, at cap later");
        check(svc.feed.shipments == hours * 12L - 1 && svc.feed.payload.size() < FEED_CAPACITY, "feed payload reset per shipment");
        check(svc.search.patterns.size() == 5 && svc.search.found == svc.search.searches, "fixed search patterns");
        check(locked == 0 && svc.entryLocks.length == STRIPES && svc.ringCapacity.size() == RINGS, "locks");
        check(svc.rosetteBuffers.size() == POOL, "pool");
        check(svc.results[Math.min(requests, RING) - 1] != null, "ring");
        check(svc.stewardQueue.size() > 0 && svc.stewardQueue.size() < 100 && svc.notes == svc.notesHandled + svc.stewardQueue.size(), "steward backlog");
        svc = null;
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
