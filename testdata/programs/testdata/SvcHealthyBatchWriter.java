// hprofscan-dump: name=svc-healthy-batchwriter jvm="-Xmx256m" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
// hprofscan-dump: name=svc-healthy-batchwriter-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Healthy (tuning set, session 32; series): the meter-reading writer of an energy utility. No
 * leak. Smart meters report readings (2,000 a minute, from minute 3 after startup); the writer
 * collects them in a hand-written fixed-capacity batch buffer ({@code BatchBuffer.buf}, a
 * {@code Record[20_000]} filled as a prefix) and writes the batch out whenever it is full (the
 * slots are nulled and {@code n} goes back to 0); at each dump it is 70% full (14,000 records from
 * the last 7 minutes). Beside it: the tariff book, a hand-written growable array list of reference
 * data ({@code TariffBook.items}, doubled from 1,000, loaded once at startup with 30,000 tariffs,
 * so the last 2,000 of its 32,000 slots are null; valid-from dates months to years back); a ring
 * of the last 8,192 latency samples ({@code SampleRing.ring}, every slot filled, overwritten); the
 * meter directory (6,000 meters by meter id); an access-ordered LRU of bill previews capped at
 * 1,500; a pool of 4 encode buffers of 64 KB (all returned). Memory is flat from the first dump to
 * the last.
 *
 * <p>Time line: as in SvcLeakEventJournal, the series starts the service 2 hours before the first
 * dump, and hours 2-4 and 4-8 are compressed into the real time between the dumps; the single dump
 * maps all 8 hours onto the 8 real hours before it. See testdata/TUNING32.md.
 */
public final class SvcHealthyBatchWriter {
    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final int TARIFFS = 30_000;
    static final int TARIFF_INITIAL_CAPACITY = 1_000;
    static final int METERS = 6_000;
    static final int BATCH = 20_000;
    static final int RING = 8_192;
    static final int SAMPLE_EVERY = 4;
    static final int PREVIEW_EVERY = 50;
    static final int PREVIEW_CACHE_CAPACITY = 1_500;
    static final int POOL = 4;
    static final int BUFFER = 64 * 1024;
    static final long FEED_START = 3 * MINUTE;
    static final long READING_EVERY = 30; // simulated ms: 2,000 readings a minute
    static final long[] HOURS_AT_DUMP = {2, 4, 8};

    static final String[] ZONES = {"north", "south", "east", "west", "central", "coast", "alpine", "islands"};
    static final String[] PLANS = {"base", "green", "night", "dynamic", "business", "heatpump", "ev", "social"};
    static final String[] CURRENCIES = {"EUR", "CHF", "DKK", "SEK"};
    static final String[] REGIONS = {"BER", "HAM", "MUC", "CGN", "FRA", "STR", "LEJ", "DRS", "VIE", "ZRH", "GVA", "CPH"};
    static final String[] ENDPOINTS = {"/v2/readings", "/v2/readings/bulk", "/v1/readings", "/v2/readings/late"};

    /** The virtual clock: simulated milliseconds since startup, mapped piecewise-linearly onto epoch milliseconds. */
    static final class SimClock {
        final long[] simFrom = new long[4];
        final long[] simTo = new long[4];
        final long[] realFrom = new long[4];
        final long[] realTo = new long[4];
        int segments;
        long sim;

        void addSegment(long sFrom, long sTo, long rFrom, long rTo) {
            simFrom[segments] = sFrom; simTo[segments] = sTo; realFrom[segments] = rFrom; realTo[segments] = rTo;
            segments++;
        }

        long epoch(long s) {
            int i = segments - 1;
            while (i > 0 && s < simFrom[i]) i--;
            return realFrom[i] + (s - simFrom[i]) * (realTo[i] - realFrom[i]) / (simTo[i] - simFrom[i]);
        }

        long now() { return epoch(sim); }

        long lastReal() { return realTo[segments - 1]; }
    }

    static final class Tariff {
        final String code; final int zone; final long validFrom; final long microsPerKwh; final String currency; final byte[] conditions;
        Tariff(String code, int zone, long validFrom, long microsPerKwh, String currency, byte[] conditions) { this.code = code; this.zone = zone; this.validFrom = validFrom; this.microsPerKwh = microsPerKwh; this.currency = currency; this.conditions = conditions; }
    }

    /** Legitimate: every tariff ever published (reference data), loaded once at startup into a hand-written array list. */
    static final class TariffBook {
        Tariff[] items = new Tariff[TARIFF_INITIAL_CAPACITY];
        int size;
        long loadedAt;

        void add(Tariff t) {
            if (size == items.length) items = Arrays.copyOf(items, items.length * 2);
            items[size++] = t;
        }

        Tariff get(int i) {
            if (i >= size) throw new IndexOutOfBoundsException(i);
            return items[i];
        }

        void load(long at, Random r) {
            loadedAt = at;
            for (int i = 0; i < TARIFFS; i++) {
                int zone = i % ZONES.length;
                byte[] conditions = new byte[24 + r.nextInt(49)];
                r.nextBytes(conditions);
                add(new Tariff(String.format("TRF-%s-%s-%05d", ZONES[zone].substring(0, 3).toUpperCase(), PLANS[(i / ZONES.length) % PLANS.length], i), zone,
                    at - 45 * DAY - (long) (r.nextDouble() * 5 * 365 * DAY), 120_000 + r.nextInt(280_000), CURRENCIES[r.nextInt(CURRENCIES.length)], conditions));
            }
        }
    }

    static final class Meter {
        final String id; final String region; final int tariffIndex; final long installedAt; final byte[] calibration;
        long lastReadingAt; long lastValueWh; int readings;
        Meter(String id, String region, int tariffIndex, long installedAt, byte[] calibration, long lastValueWh) { this.id = id; this.region = region; this.tariffIndex = tariffIndex; this.installedAt = installedAt; this.calibration = calibration; this.lastValueWh = lastValueWh; }
    }

    /** Legitimate: every installed meter by meter id, loaded at startup. */
    static final class MeterDirectory {
        final HashMap<String, Meter> byId = new HashMap<>();
        final String[] ids = new String[METERS];

        void load(long at, Random r) {
            for (int k = 0; k < METERS; k++) {
                String id = String.format("MTR-%s-%08d", REGIONS[k % REGIONS.length], (7_919L * (k + 1)) % 100_000_000);
                byte[] cal = new byte[24 + r.nextInt(41)];
                r.nextBytes(cal);
                Meter m = new Meter(id, REGIONS[k % REGIONS.length], r.nextInt(TARIFFS), at - 20 * DAY - (long) (r.nextDouble() * 8 * 365 * DAY), cal, 1_000_000L + r.nextInt(90_000_000));
                byId.put(id, m);
                ids[k] = id;
            }
        }
    }

    static final class Record {
        final String meterId; final long readAt; final long valueWh; final int quality; final byte[] raw;
        Record(String meterId, long readAt, long valueWh, int quality, byte[] raw) { this.meterId = meterId; this.readAt = readAt; this.valueWh = valueWh; this.quality = quality; this.raw = raw; }
    }

    /** Legitimate: the batch being collected; written out and cleared whenever it is full. */
    static final class BatchBuffer {
        final Record[] buf = new Record[BATCH];
        int n;
        long batches;
        long written;
        long lastFlushAt;
        long checksum;

        void add(Record r, EncoderPool pool, long now) {
            buf[n++] = r;
            if (n == buf.length) flush(pool, now);
        }

        void flush(EncoderPool pool, long now) {
            byte[] enc = pool.borrow();
            try {
                int pos = 0;
                for (int i = 0; i < n; i++) {
                    Record r = buf[i];
                    if (pos + r.raw.length + 24 > enc.length) { checksum = checksum * 31 + Arrays.hashCode(enc); pos = 0; }
                    for (int b = 0; b < 8; b++) enc[pos++] = (byte) (r.readAt >>> (8 * b));
                    for (int b = 0; b < 8; b++) enc[pos++] = (byte) (r.valueWh >>> (8 * b));
                    for (int b = 0; b < 8; b++) enc[pos++] = (byte) (r.meterId.hashCode() >>> (4 * b));
                    System.arraycopy(r.raw, 0, enc, pos, r.raw.length);
                    pos += r.raw.length;
                }
                checksum = checksum * 31 + pos;
            } finally {
                pool.release(enc);
            }
            Arrays.fill(buf, 0, n, null);
            written += n;
            batches++;
            lastFlushAt = now;
            n = 0;
        }
    }

    static final class Sample {
        final long at; final int micros; final int batchFill; final String endpoint;
        Sample(long at, int micros, int batchFill, String endpoint) { this.at = at; this.micros = micros; this.batchFill = batchFill; this.endpoint = endpoint; }
    }

    /** Legitimate: the last RING latency samples for the dashboard (a fixed array, overwritten). */
    static final class SampleRing {
        final Sample[] ring = new Sample[RING];
        int next;
        long total;
        void add(Sample s) { ring[next] = s; next = (next + 1) % RING; total++; }
    }

    static final class BillPreview {
        final String meterId; final long computedAt; final long amountCents; final byte[] document;
        BillPreview(String meterId, long computedAt, long amountCents, byte[] document) { this.meterId = meterId; this.computedAt = computedAt; this.amountCents = amountCents; this.document = document; }
    }

    /** Legitimate: an access-ordered LRU of rendered bill previews for the customer portal. */
    static final class PreviewCache extends LinkedHashMap<String, BillPreview> {
        final int capacity;
        long evictions;
        long hits;
        long misses;

        PreviewCache(int capacity) { super(2_048, 0.75f, true); this.capacity = capacity; }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, BillPreview> eldest) {
            if (size() > capacity) { evictions++; return true; }
            return false;
        }
    }

    /** Legitimate: encode buffers, borrowed per batch write and per preview, and returned. */
    static final class EncoderPool {
        final ArrayDeque<byte[]> free = new ArrayDeque<>();
        int borrowed;
        EncoderPool(int n, int size) { for (int i = 0; i < n; i++) free.add(new byte[size]); }
        byte[] borrow() { byte[] b = free.pollFirst(); if (b == null) throw new IllegalStateException("pool exhausted"); borrowed++; return b; }
        void release(byte[] b) { borrowed--; free.addFirst(b); }
    }

    static final class MeterWriter {
        final SimClock clock;
        final TariffBook tariffs = new TariffBook();
        final MeterDirectory meters = new MeterDirectory();
        final BatchBuffer batch = new BatchBuffer();
        final SampleRing samples = new SampleRing();
        final PreviewCache previews = new PreviewCache(PREVIEW_CACHE_CAPACITY);
        final EncoderPool encoders = new EncoderPool(POOL, BUFFER);
        final Random previewRandom = new Random(0xb111_2032L);
        long readings;

        MeterWriter(SimClock clock) { this.clock = clock; }

        void start(Random r) {
            tariffs.load(clock.now(), r);
            meters.load(clock.now(), r);
        }

        /** POST /v2/readings from a meter. */
        void reading(String meterId, long deltaWh, int quality, byte[] raw, int micros, int endpoint) {
            long now = clock.now();
            Meter m = meters.byId.get(meterId);
            m.lastValueWh += deltaWh;
            m.lastReadingAt = now;
            m.readings++;
            batch.add(new Record(m.id, now, m.lastValueWh, quality, raw), encoders, now);
            readings++;
            if (readings % SAMPLE_EVERY == 0) samples.add(new Sample(now, micros, batch.n, ENDPOINTS[endpoint]));
        }

        /** GET /portal/bill-preview: the customer looks at their running bill. */
        BillPreview preview(String meterId) {
            long now = clock.now();
            String key = "bill:" + meterId;
            BillPreview p = previews.get(key);
            if (p != null) { previews.hits++; return p; }
            previews.misses++;
            Meter m = meters.byId.get(meterId);
            Tariff t = tariffs.get(m.tariffIndex);
            byte[] buf = encoders.borrow();
            try {
                int len = 1_000 + previewRandom.nextInt(3_001);
                for (int i = 0; i < len; i++) buf[i] = (byte) (m.id.charAt(i % m.id.length()) ^ t.code.charAt(i % t.code.length()) ^ i);
                p = new BillPreview(m.id, now, m.lastValueWh / 1_000 * t.microsPerKwh / 10_000, Arrays.copyOf(buf, len));
            } finally {
                encoders.release(buf);
            }
            previews.put(key, p);
            return p;
        }
    }

    /** The meters' side of the simulation. */
    static final class Traffic {
        final Random r = new Random(0x5ead_2032L);
        long nextReading = FEED_START + READING_EVERY;
        long readings;

        /** Simulated hours [fromHour, toHour): one reading every 30 ms from minute 3 on; every 50th reading a portal preview. */
        void run(MeterWriter w, long fromHour, long toHour) {
            long end = toHour * HOUR;
            for (; nextReading <= end; nextReading += READING_EVERY) {
                w.clock.sim = nextReading;
                String id = w.meters.ids[r.nextInt(METERS)];
                byte[] raw = new byte[16 + r.nextInt(25)];
                r.nextBytes(raw);
                w.reading(new String(id.toCharArray()), 50 + r.nextInt(900), r.nextInt(100) < 97 ? 0 : 1 + r.nextInt(3), raw, 300 + r.nextInt(2_700), r.nextInt(ENDPOINTS.length));
                readings++;
                if (readings % PREVIEW_EVERY == 0) w.preview(w.meters.ids[r.nextInt(METERS)]);
            }
            w.clock.sim = end;
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    static long arr(long elements, int elementSize) { return (16 + elements * elementSize + 7) & ~7L; }

    static String verify(MeterWriter w, long hours, long dumpAt) {
        long expected = (hours * HOUR - FEED_START) / READING_EVERY;
        check(w.readings == expected, "readings " + w.readings + ", expected " + expected);
        BatchBuffer b = w.batch;
        check(b.n == expected % BATCH && b.written == expected / BATCH * BATCH && b.batches == expected / BATCH, "batch fill " + b.n + ", written " + b.written);
        check(b.buf.length == BATCH, "batch capacity");
        long recordBytes = 0, prevAt = Long.MIN_VALUE, firstAt = 0;
        for (int i = 0; i < BATCH; i++) {
            Record r = b.buf[i];
            if (i >= b.n) { check(r == null, "batch slot " + i + " not null"); continue; }
            check(r != null && r.readAt >= prevAt && r.readAt <= dumpAt && r.raw.length >= 16 && r.raw.length <= 40, "record " + i);
            check(w.meters.byId.get(r.meterId).id == r.meterId, "record meter id shared");
            if (i == 0) firstAt = r.readAt;
            prevAt = r.readAt;
            recordBytes += 40 + arr(r.raw.length, 1);
        }
        check(firstAt >= w.clock.epoch(b.n == 0 ? 0 : hours * HOUR - (b.n - 1) * READING_EVERY) && b.lastFlushAt == w.clock.epoch(hours * HOUR - b.n * READING_EVERY), "batch window");
        TariffBook t = w.tariffs;
        check(t.size == TARIFFS && t.items.length == 32_000, "tariffs " + t.size + " in " + t.items.length);
        long tariffBytes = 0;
        for (int i = 0; i < t.items.length; i++) {
            Tariff x = t.items[i];
            if (i >= t.size) { check(x == null, "tariff slot " + i); continue; }
            check(x != null && x.validFrom < t.loadedAt - 45 * DAY + 1 && x.validFrom > t.loadedAt - 45 * DAY - 5 * 365 * DAY, "tariff " + i);
            tariffBytes += 48 + arr(x.conditions.length, 1);
        }
        check(w.samples.total == expected / SAMPLE_EVERY && w.samples.total > RING, "samples " + w.samples.total);
        for (Sample s : w.samples.ring) check(s != null && s.at <= dumpAt, "ring slot");
        check(w.meters.byId.size() == METERS, "meters");
        check(w.previews.size() == PREVIEW_CACHE_CAPACITY && w.previews.evictions > 0, "previews " + w.previews.size());
        long previewBytes = 0;
        for (BillPreview p : w.previews.values()) previewBytes += arr(p.document.length, 1);
        check(w.encoders.free.size() == POOL && w.encoders.borrowed == 0, "pool");
        return "readings " + w.readings + ", batch " + b.n + "/" + BATCH + " (" + b.batches + " batches written, last flush " + (dumpAt - b.lastFlushAt) + " ms before the check, records+raw "
            + recordBytes + " B, oldest record " + (dumpAt - firstAt) + " ms before the check), tariffs " + t.size + " in Tariff[" + t.items.length + "] (tariffs+conditions "
            + tariffBytes + " B), samples " + w.samples.total + " (ring " + RING + "), meters " + w.meters.byId.size() + ", previews " + w.previews.size() + " (evictions "
            + w.previews.evictions + ", hits " + w.previews.hits + ", misses " + w.previews.misses + ", documents " + previewBytes + " B), pool " + w.encoders.free.size() + "/" + POOL;
    }

    static MeterWriter RUNNING;

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String base = args[1];
        Object[] series = LeakCheck.seriesArgs(args, 1);
        int count = (Integer) series[0];
        String dir = (String) series[1];
        long r0 = System.currentTimeMillis();
        SimClock clock = new SimClock();
        if (count == 3) clock.addSegment(0, HOURS_AT_DUMP[0] * HOUR, r0 - HOURS_AT_DUMP[0] * HOUR, r0);
        else clock.addSegment(0, HOURS_AT_DUMP[2] * HOUR, r0 - HOURS_AT_DUMP[2] * HOUR, r0);
        Random setup = new Random(0x7a41_2032L);
        RUNNING = new MeterWriter(clock);
        RUNNING.start(setup);
        Traffic traffic = new Traffic();
        // the same three stages in both modes; a single dump is taken after the third
        for (int stage = 1; stage <= 3; stage++) {
            long fromHour = stage == 1 ? 0 : HOURS_AT_DUMP[stage - 2];
            long toHour = HOURS_AT_DUMP[stage - 1];
            if (count == 3 && stage > 1) {
                long until = clock.lastReal() + 1_100;
                while (System.currentTimeMillis() < until) Thread.sleep(Math.max(1, until - System.currentTimeMillis()));
                clock.addSegment(fromHour * HOUR, toHour * HOUR, clock.lastReal(), System.currentTimeMillis());
            }
            traffic.run(RUNNING, fromHour, toHour);
            if (count != 3 && stage < 3) continue;
            String summary = verify(RUNNING, toHour, System.currentTimeMillis());
            System.gc();
            String path = LeakCheck.seriesPath(base, count == 3 ? stage : 1, count, dir);
            DumpUtil.dump(variant, path);
            if (count == 3 && stage < 3) new java.io.File(path).setReadable(true, false);
            System.out.println("dumped " + path + " after " + toHour + " h: " + summary);
        }
        System.exit(0);
    }
}
