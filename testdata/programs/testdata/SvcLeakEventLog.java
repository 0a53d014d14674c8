// hprofscan-dump: name=svc-leak-eventlog jvm="-Xmx256m" variants=mxbean args="--series=3 --series-dir=testdata/dumps"
// hprofscan-dump: name=svc-leak-eventlog-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
// hprofscan-dump: name=svc-leak-eventlog-g1 jvm="-Xmx256m" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Leak (tuning set, session 32; series; the twin of SvcLeakEventJournal whose journal keeps no
 * int index of the shipped prefix, only long sequence numbers): the event journal of an IoT ingest gateway. Devices send
 * events; the gateway appends each one to its journal, a hand-written growable array
 * ({@code EventJournal.items}, an {@code Event[]} plus {@code int count}, doubled from 1,000 when
 * full), and a shipper sends the new events to the central collector every 10 minutes. The shipper
 * only advances {@code shippedSeq} (a long sequence number, as the collector acknowledges
 * them); it never drops the shipped prefix, so every event ever
 * received stays in the array: 6,000 / 12,000 / 24,000 events after 2 / 4 / 8 simulated hours
 * (3,000 an hour), in arrays of 8,000 / 16,000 / 32,000 slots. {@code -Dsvc.fixed=true} runs the
 * corrected shipper (it compacts the array after each run).
 *
 * <p>Beside it, legitimately: the static catalog of 64 event types, the device directory (4,000
 * devices by serial number), an access-ordered LRU of device configurations capped at 1,500, a pool
 * of 6 encode buffers of 16 KB (all returned), and the status of the 24 sites (last heartbeat).
 *
 * <p>Time line: the series starts the service 2 hours before the first dump (hours 0-2 at their
 * real rate); hours 2-4 and 4-8 are compressed into the real time between the dumps (about 6.5 s
 * and 12.5 s, so every event still gets its own millisecond). The single dump maps all 8 hours onto
 * the 8 real hours before it. Every timestamp is on that virtual clock and before the dump. See
 * testdata/TUNING32.md.
 */
public final class SvcLeakEventLog {
    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final int EVENT_TYPES = 64;
    static final int DEVICES = 4_000;
    static final int SITES = 24;
    static final int CONFIG_CACHE_CAPACITY = 1_500;
    static final int POOL = 6;
    static final int BUFFER = 16 * 1024;
    static final int INITIAL_CAPACITY = 1_000;
    static final long SHIP_EVERY = 10 * MINUTE;
    static final long FIRST_SHIP = 3 * MINUTE;
    static final long[] HOURS_AT_DUMP = {2, 4, 8};
    static final int EVENTS_PER_HOUR = 3_000;
    static final long FIRST_EVENT_ID = 8_400_000_000L;
    static final boolean FIXED = Boolean.getBoolean("svc.fixed");

    static final String[] DOMAINS = {"door", "hvac", "power", "water", "camera", "badge", "fire", "lift"};
    static final String[] VERBS = {"opened", "closed", "alarm", "restored", "threshold", "fault", "heartbeat", "tamper"};
    static final String[] MODELS = {"AX-200", "AX-210", "BX-9", "CT-4 Pro", "DM-1000", "EV-32", "FL-7", "GK-12"};
    static final String[] FIRMWARE = {"4.2.1", "4.2.3", "4.3.0", "5.0.0-rc2", "5.0.1"};
    static final String[] CITIES = {"berlin", "hamburg", "munich", "cologne", "frankfurt", "stuttgart", "leipzig", "dresden", "vienna", "zurich", "basel", "lyon"};

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

    static final class EventType {
        final String code; final String description; final int severity; final long definedAt; final byte[] schema;
        EventType(String code, String description, int severity, long definedAt, byte[] schema) { this.code = code; this.description = description; this.severity = severity; this.definedAt = definedAt; this.schema = schema; }
    }

    /** Legitimate: the event type catalog, loaded once at startup. */
    static final class EventTypes {
        static final Map<String, EventType> BY_CODE = new HashMap<>();
        static final String[] CODES = new String[EVENT_TYPES];
        static long loadedAt;

        static void load(long at, Random r) {
            loadedAt = at;
            for (int i = 0; i < EVENT_TYPES; i++) {
                String code = DOMAINS[i / VERBS.length] + "." + VERBS[i % VERBS.length];
                byte[] schema = new byte[1_024 + r.nextInt(3_073)];
                r.nextBytes(schema);
                BY_CODE.put(code, new EventType(code, "Event " + code + " reported by the device", 1 + r.nextInt(5), at - 30 * DAY - (long) (r.nextDouble() * 3 * 365 * DAY), schema));
                CODES[i] = code;
            }
        }
    }

    static final class Device {
        final String serial; final String model; final String site; final String firmware; final long installedAt; final byte[] certFingerprint;
        Device(String serial, String model, String site, String firmware, long installedAt, byte[] certFingerprint) { this.serial = serial; this.model = model; this.site = site; this.firmware = firmware; this.installedAt = installedAt; this.certFingerprint = certFingerprint; }
    }

    /** Legitimate: every provisioned device by serial number, loaded at startup. */
    static final class DeviceDirectory {
        final HashMap<String, Device> bySerial = new HashMap<>();
        final String[] serials = new String[DEVICES];
        final String[] sites = new String[SITES];

        void load(long at, Random r) {
            for (int s = 0; s < SITES; s++) sites[s] = CITIES[s % CITIES.length] + "-" + (1 + s / CITIES.length);
            for (int k = 0; k < DEVICES; k++) {
                String serial = String.format("DEV-%s-%05d", MODELS[k % MODELS.length].substring(0, 2), (48_611L * (k + 1)) % 100_000);
                byte[] fp = new byte[32];
                r.nextBytes(fp);
                Device d = new Device(serial, MODELS[k % MODELS.length], sites[r.nextInt(SITES)], FIRMWARE[r.nextInt(FIRMWARE.length)],
                    at - 14 * DAY - (long) (r.nextDouble() * 4 * 365 * DAY), fp);
                bySerial.put(serial, d);
                serials[k] = serial;
            }
        }
    }

    static final class Event {
        final long id; final long at; final byte[] payload; final EventType type;
        Event(long id, long at, byte[] payload, EventType type) { this.id = id; this.at = at; this.payload = payload; this.type = type; }
    }

    /**
     * The journal: every event received, in arrival order, until the shipper has sent it to the
     * collector. A hand-written growable array (the gateway avoids ArrayList's bounds checks).
     */
    static final class EventJournal {
        Event[] items = new Event[INITIAL_CAPACITY];
        int count;
        /** Sequence number of the first event in {@code items}, and of the next one to ship. */
        long baseSeq, shippedSeq;
        long appended;
        long shipRuns;
        long shippedEvents;
        long shippedBytes;
        long lastShipAt;
        long checksum;

        void append(Event e) {
            if (count == items.length) items = Arrays.copyOf(items, items.length * 2);
            items[count++] = e;
            appended++;
        }

        /** Every 10 minutes: sends the events appended since the last run to the collector. */
        void ship(BufferPool pool, long now) {
            byte[] buf = pool.borrow();
            try {
                int pos = 0;
                for (int i = (int) (shippedSeq - baseSeq); i < count; i++) {
                    Event e = items[i];
                    if (pos + e.payload.length + 16 > buf.length) { checksum = checksum * 31 + Arrays.hashCode(buf); pos = 0; }
                    for (int b = 0; b < 8; b++) buf[pos++] = (byte) (e.id >>> (8 * b));
                    for (int b = 0; b < 8; b++) buf[pos++] = (byte) (e.at >>> (8 * b));
                    System.arraycopy(e.payload, 0, buf, pos, e.payload.length);
                    pos += e.payload.length;
                    shippedBytes += 16 + e.payload.length;
                    shippedEvents++;
                }
                checksum = checksum * 31 + pos;
            } finally {
                pool.release(buf);
            }
            shippedSeq = baseSeq + count; // the bug: the shipped events are never dropped
            if (FIXED) {
                int shipped = (int) (shippedSeq - baseSeq);
                int rest = count - shipped;
                System.arraycopy(items, shipped, items, 0, rest);
                Arrays.fill(items, rest, count, null);
                count = rest;
                baseSeq = shippedSeq;
            }
            shipRuns++;
            lastShipAt = now;
        }
    }

    static final class DeviceConfig {
        final String serial; final int revision; final long builtAt; final byte[] blob;
        DeviceConfig(String serial, int revision, long builtAt, byte[] blob) { this.serial = serial; this.revision = revision; this.builtAt = builtAt; this.blob = blob; }
    }

    /** Legitimate: an access-ordered LRU of decoded device configurations. */
    static final class ConfigCache extends LinkedHashMap<String, DeviceConfig> {
        final int capacity;
        long evictions;
        long hits;
        long misses;

        ConfigCache(int capacity) { super(2_048, 0.75f, true); this.capacity = capacity; }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, DeviceConfig> eldest) {
            if (size() > capacity) { evictions++; return true; }
            return false;
        }
    }

    /** Legitimate: encode buffers, borrowed per shipping run and returned. */
    static final class BufferPool {
        final ArrayDeque<byte[]> free = new ArrayDeque<>();
        int borrowed;
        BufferPool(int n, int size) { for (int i = 0; i < n; i++) free.add(new byte[size]); }
        byte[] borrow() { byte[] b = free.pollFirst(); if (b == null) throw new IllegalStateException("pool exhausted"); borrowed++; return b; }
        void release(byte[] b) { borrowed--; free.addFirst(b); }
    }

    static final class SiteStatus {
        final String site; final long connectedAt; final byte[] tlsSessionKey;
        long lastHeartbeatAt; long events;
        SiteStatus(String site, long connectedAt, byte[] tlsSessionKey) { this.site = site; this.connectedAt = connectedAt; this.tlsSessionKey = tlsSessionKey; this.lastHeartbeatAt = connectedAt; }
    }

    /** Legitimate: one status per site (the sites are fixed). */
    static final class SiteMonitor {
        final HashMap<String, SiteStatus> bySite = new HashMap<>();

        void start(String[] sites, long at, Random r) {
            for (String s : sites) {
                byte[] key = new byte[48];
                r.nextBytes(key);
                bySite.put(s, new SiteStatus(s, at, key));
            }
        }

        void heartbeat(String site, long now) { SiteStatus s = bySite.get(site); s.lastHeartbeatAt = now; s.events++; }
    }

    static final class IngestGateway {
        final SimClock clock;
        final DeviceDirectory devices = new DeviceDirectory();
        final EventJournal journal = new EventJournal();
        final ConfigCache configs = new ConfigCache(CONFIG_CACHE_CAPACITY);
        final BufferPool buffers = new BufferPool(POOL, BUFFER);
        final SiteMonitor sites = new SiteMonitor();
        final Random configRandom = new Random(0xc0f1_2032L);
        long nextEventId = FIRST_EVENT_ID;
        long received;

        IngestGateway(SimClock clock) { this.clock = clock; }

        void start(Random r) {
            devices.load(clock.now(), r);
            sites.start(devices.sites, clock.now(), r);
        }

        /** POST /events from a device. */
        void receive(String serial, String typeCode, byte[] payload) {
            long now = clock.now();
            Device d = devices.bySerial.get(serial);
            String key = "cfg:" + serial;
            DeviceConfig cfg = configs.get(key);
            if (cfg == null) {
                configs.misses++;
                byte[] blob = new byte[600 + configRandom.nextInt(1_801)];
                configRandom.nextBytes(blob);
                cfg = new DeviceConfig(d.serial, 1 + configRandom.nextInt(9), now, blob);
                configs.put(key, cfg);
            } else {
                configs.hits++;
            }
            journal.append(new Event(nextEventId++, now, payload, EventTypes.BY_CODE.get(typeCode)));
            sites.heartbeat(d.site, now);
            received++;
        }

        void ship() { journal.ship(buffers, clock.now()); }
    }

    /** The devices' side of the simulation. */
    static final class Traffic {
        final Random r = new Random(0x1e7e_2032L);
        long nextShip = FIRST_SHIP;
        long events;

        /** Simulated hours [fromHour, toHour): EVENTS_PER_HOUR events an hour, evenly spaced; the shipper every 10 minutes. */
        void run(IngestGateway g, long fromHour, long toHour) {
            long n = (toHour - fromHour) * EVENTS_PER_HOUR;
            long simFrom = fromHour * HOUR;
            long span = (toHour - fromHour) * HOUR;
            for (long j = 0; j < n; j++) {
                long t = simFrom + (j + 1) * span / n;
                while (nextShip < t) { g.clock.sim = nextShip; g.ship(); nextShip += SHIP_EVERY; }
                g.clock.sim = t;
                String serial = g.devices.serials[r.nextInt(DEVICES)];
                String type = EventTypes.CODES[r.nextInt(10) < 7 ? r.nextInt(16) : r.nextInt(EVENT_TYPES)];
                byte[] payload = new byte[30 + r.nextInt(61)];
                r.nextBytes(payload);
                g.receive(new String(serial.toCharArray()), type, payload); // the serial as parsed from the request
                events++;
            }
            while (nextShip <= toHour * HOUR) { g.clock.sim = nextShip; g.ship(); nextShip += SHIP_EVERY; }
            g.clock.sim = toHour * HOUR;
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected: " + what); }

    static long arr(long elements, int elementSize) { return (16 + elements * elementSize + 7) & ~7L; }

    /** Events received at or before simulated time {@code sim} (event i, 1-based, arrives at i * 1.2 s). */
    static long eventsUpTo(long sim) { return sim * EVENTS_PER_HOUR / HOUR; }

    /** Checks every component; returns a one-line summary with JVM sizes (compressed oops). */
    static String verify(IngestGateway g, long hours, long dumpAt) {
        long expected = hours * EVENTS_PER_HOUR;
        EventJournal j = g.journal;
        check(g.received == expected && j.appended == expected, "events received " + g.received);
        long lastShip = FIRST_SHIP + (hours * HOUR - FIRST_SHIP) / SHIP_EVERY * SHIP_EVERY;
        long shipped = eventsUpTo(lastShip);
        check(j.shippedEvents == shipped && j.shipRuns == (lastShip - FIRST_SHIP) / SHIP_EVERY + 1, "shipped " + j.shippedEvents + " in " + j.shipRuns + " runs");
        long held = FIXED ? expected - shipped : expected;
        check(j.count == held, "journal count " + j.count + ", expected " + held);
        check(j.shippedSeq - j.baseSeq == (FIXED ? 0 : shipped), "shipped " + (j.shippedSeq - j.baseSeq));
        int capacity = INITIAL_CAPACITY;
        while (capacity < (FIXED ? 1 : held)) capacity *= 2;
        check(j.items.length == capacity, "journal capacity " + j.items.length + ", expected " + capacity);
        long eventBytes = 0, prevAt = Long.MIN_VALUE, firstAt = 0;
        for (int i = 0; i < j.items.length; i++) {
            Event e = j.items[i];
            if (i >= j.count) { check(e == null, "slot " + i + " not null"); continue; }
            check(e != null, "slot " + i + " null");
            check(e.id == FIRST_EVENT_ID + (FIXED ? shipped : 0) + i, "event id " + e.id + " at " + i);
            check(e.at > prevAt && e.at <= dumpAt, "event at " + e.at + " at " + i);
            check(e.payload.length >= 30 && e.payload.length <= 90, "payload " + e.payload.length);
            check(EventTypes.BY_CODE.get(e.type.code) == e.type, "event type");
            if (i == 0) firstAt = e.at;
            prevAt = e.at;
            eventBytes += 40 + arr(e.payload.length, 1);
        }
        check(g.configs.size() == CONFIG_CACHE_CAPACITY && g.configs.evictions > 0, "config cache " + g.configs.size() + " evictions " + g.configs.evictions);
        long configBytes = 0;
        for (DeviceConfig c : g.configs.values()) configBytes += arr(c.blob.length, 1);
        check(g.buffers.free.size() == POOL && g.buffers.borrowed == 0, "pool");
        check(g.devices.bySerial.size() == DEVICES && EventTypes.BY_CODE.size() == EVENT_TYPES && g.sites.bySite.size() == SITES, "reference data");
        for (SiteStatus s : g.sites.bySite.values()) check(s.lastHeartbeatAt <= dumpAt && s.events > 0, "site " + s.site);
        return "journal count " + j.count + " in Event[" + j.items.length + "] (" + (j.items.length - j.count) + " null slots; fixed=" + FIXED + "), shippedSeq "
            + j.shippedSeq + " baseSeq " + j.baseSeq + " (" + j.shipRuns + " ship runs, " + j.shippedEvents + " events shipped, last at sim " + lastShip / MINUTE + " min), events+payloads "
            + eventBytes + " B, array " + arr(j.items.length, 4) + " B, oldest held event " + (dumpAt - firstAt) + " ms before the check; config cache " + g.configs.size()
            + " (evictions " + g.configs.evictions + ", hits " + g.configs.hits + ", misses " + g.configs.misses + ", blobs " + configBytes + " B), pool "
            + g.buffers.free.size() + "/" + POOL + ", devices " + g.devices.bySerial.size() + ", types " + EventTypes.BY_CODE.size() + ", sites " + g.sites.bySite.size();
    }

    static IngestGateway RUNNING;

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
        Random setup = new Random(0xe7e4_2032L);
        EventTypes.load(clock.now(), setup);
        RUNNING = new IngestGateway(clock);
        RUNNING.start(setup);
        Traffic traffic = new Traffic();
        // the same three stages in both modes; a single dump is taken after the third
        for (int stage = 1; stage <= 3; stage++) {
            long fromHour = stage == 1 ? 0 : HOURS_AT_DUMP[stage - 2];
            long toHour = HOURS_AT_DUMP[stage - 1];
            if (count == 3 && stage > 1) {
                long events = (toHour - fromHour) * EVENTS_PER_HOUR;
                long until = clock.lastReal() + Math.max(1_100, events + 500);
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
