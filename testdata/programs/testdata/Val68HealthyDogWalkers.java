// hprofscan-dump: name=val68-healthy-dogwalkers-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val68-healthy-dogwalkers-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val68-healthy-dogwalkers jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val68-healthy-dogwalkers-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Validation set 68 (written blind), HEALTHY: the booking and live-walk service of a dog-walking
 * marketplace. Neighbourhood reference data, the dog-profile directory, a cache of rendered route
 * maps at its cap, a ring of walk events, a per-walk chat topic registry whose topics are removed
 * when the walk ends, photo uploads whose temp-file handles borrow a 64 KiB buffer from a pool of 6
 * and are closed (buffer returned) on completion, and an idempotency store for booking requests
 * with a 30-minute TTL swept every 5 minutes. See VALIDATION68.md.
 */
public final class Val68HealthyDogWalkers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, KEY_TTL = 30 * MINUTE;
    static final int AREAS = 1_400, DOGS = 25_000, ROUTE_CAP = 2_000, RING = 8_192, UPLOAD_BUFFERS = 6, RECENT = 8, WALKS_PER_HOUR = 1_200, EVENTS_PER_WALK = 5, PHOTOS_PER_HOUR = 90, BUFFER = 65_536;

    record Area(String code, String name, double[] demandByHour) {}
    record Dog(String dogId, String areaCode, String name, byte[] careNotes, long registeredAt) {}
    record RouteMap(String key, byte[] rendered, long at) {}
    record WalkEvent(String walkId, String kind, String dogId, long at) {}
    record ChatMessage(String walkId, String senderId, String text, long at) {}

    static final class Subscriber {
        final String sessionId, userId; final long since;
        Subscriber(String sessionId, String userId, long since) { this.sessionId = sessionId; this.userId = userId; this.since = since; }
    }

    /** One chat topic per walk (owner and walker); removed when the walk ends. */
    static final class WalkTopic {
        final String walkId; final long createdAt; long lastActivity;
        final List<Subscriber> subscribers = new ArrayList<>(4);
        final ChatMessage[] recent = new ChatMessage[RECENT]; int head, size;
        WalkTopic(String walkId, long createdAt) { this.walkId = walkId; this.createdAt = createdAt; this.lastActivity = createdAt; }
        void remember(ChatMessage m) { recent[(head + size) % RECENT] = m; if (size < RECENT) size++; else head = (head + 1) % RECENT; lastActivity = m.at(); }
    }

    static final class TopicRegistry {
        final Map<String, WalkTopic> topics = new HashMap<>();
        long created, removed;
        WalkTopic open(String walkId, long at) { WalkTopic t = new WalkTopic(walkId, at); topics.put(walkId, t); created++; return t; }
        void walkEnded(String walkId) { WalkTopic t = topics.remove(walkId); t.subscribers.clear(); removed++; }
    }

    /** A temp-file handle that borrows its 64 KiB buffer from the pool and returns it on close. */
    static final class UploadHandle {
        final int fd; final String path; final String walkId; final long openedAt; byte[] buffer; long bytesWritten, completesAt;
        UploadHandle(int fd, String path, String walkId, long openedAt, byte[] buffer) { this.fd = fd; this.path = path; this.walkId = walkId; this.openedAt = openedAt; this.buffer = buffer; }
    }

    static final class PhotoUploads {
        final ArrayDeque<byte[]> bufferPool = new ArrayDeque<>();
        final List<UploadHandle> open = new ArrayList<>();
        int nextFd = 31; long opened, closed;
        UploadHandle open(String walkId, long at) { int fd = nextFd++; UploadHandle h = new UploadHandle(fd, "/var/tmp/walk-photos/" + walkId + "-" + fd + ".jpg.part", walkId, at, bufferPool.poll()); open.add(h); opened++; return h; }
        void close(UploadHandle h) { bufferPool.add(h.buffer); h.buffer = null; open.remove(h); closed++; }
    }

    static final class BookingResponse {
        final UUID key; final String bookingId; final long storedAt, expiresAt; final byte[] summary;
        BookingResponse(UUID key, String bookingId, long storedAt, byte[] summary) { this.key = key; this.bookingId = bookingId; this.storedAt = storedAt; this.expiresAt = storedAt + KEY_TTL; this.summary = summary; }
    }

    static final class IdempotencyStore {
        final Map<UUID, BookingResponse> byKey = new HashMap<>();
        long stored, sweeps, expired;
        void sweep(long at) { sweeps++; for (Iterator<BookingResponse> it = byKey.values().iterator(); it.hasNext();) if (it.next().expiresAt <= at) { it.remove(); expired++; } }
    }

    static final class RouteCache extends LinkedHashMap<String, RouteMap> {
        long evicted;
        RouteCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RouteMap> e) { if (size() > ROUTE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Area> AREAS_BY_CODE = new HashMap<>();

    static final class WalkService {
        final Map<String, Dog> dogs = new HashMap<>();
        final RouteCache routes = new RouteCache();
        final WalkEvent[] events = new WalkEvent[RING];
        long eventCount;
        final TopicRegistry chat = new TopicRegistry();
        final PhotoUploads photos = new PhotoUploads();
        final IdempotencyStore bookings = new IdempotencyStore();
        void event(WalkEvent e) { events[(int) (eventCount++ % RING)] = e; }
    }

    static WalkService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int walks = WALKS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long last = end - MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(68_050_001);
        String[] areaCodes = new String[AREAS];
        for (int a = 0; a < AREAS; a++) {
            double[] demand = new double[64];
            for (int k = 0; k < demand.length; k++) demand[k] = rnd.nextDouble() * 30;
            areaCodes[a] = "AREA-" + (a / 100) + "-" + (a % 100);
            AREAS_BY_CODE.put(areaCodes[a], new Area(areaCodes[a], "Neighbourhood " + a, demand));
        }
        WalkService svc = new WalkService();
        SERVICE = svc;
        String[] dogIds = new String[DOGS];
        for (int d = 0; d < DOGS; d++) {
            dogIds[d] = "DOG-" + (2_000_000 + d * 7);
            svc.dogs.put(dogIds[d], new Dog(dogIds[d], areaCodes[rnd.nextInt(AREAS)], "Dog " + d, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int b = 0; b < UPLOAD_BUFFERS; b++) svc.photos.bufferPool.add(new byte[BUFFER]);
        Random traffic = new Random(68_050_002);
        String[] texts = {"On our way to the park", "All good, lots of sniffing", "Water break", "Heading back now", "Thanks!", "Please use the side gate"};
        String[] kinds = {"BOOKED", "PICKED_UP", "GPS", "GPS", "DROPPED_OFF"};
        // Walks are simulated in start order; a walk ends at t0 + duration. Ends are applied in time order.
        java.util.PriorityQueue<long[]> ends = new java.util.PriorityQueue<>((x, y) -> Long.compare(x[0], y[0]));
        String[] walkIds = new String[walks];
        long nextSweep = start + 5 * MINUTE;
        int photoEvery = WALKS_PER_HOUR / PHOTOS_PER_HOUR;
        int maxOpen = 0, maxKeys = 0, maxUploads = 0;
        for (int i = 0; i < walks; i++) {
            long t0 = start + (last - start) * i / walks;
            while (!ends.isEmpty() && ends.peek()[0] <= t0) svc.chat.walkEnded(walkIds[(int) ends.poll()[1]]);
            while (nextSweep <= t0) { svc.bookings.sweep(nextSweep); nextSweep += 5 * MINUTE; }
            for (UploadHandle h : new ArrayList<>(svc.photos.open)) if (h.completesAt <= t0) svc.photos.close(h);
            String walkId = "walk-" + Long.toString(0x68_5000_0000L + i * 31L, 36);
            walkIds[i] = walkId;
            String dog = dogIds[traffic.nextInt(DOGS)];
            String walker = "WLK-" + (50_000 + traffic.nextInt(3_000));
            String owner = "OWN-" + (900_000 + traffic.nextInt(60_000));
            UUID key = new UUID((traffic.nextLong() & ~0xF000L) | 0x4000L, (traffic.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L);
            svc.bookings.byKey.put(key, new BookingResponse(key, "BK" + (30_000_000 + i), t0, new byte[60 + traffic.nextInt(60)]));
            svc.bookings.stored++;
            long duration = (30 + traffic.nextInt(31)) * MINUTE;
            WalkTopic topic = svc.chat.open(walkId, t0);
            topic.subscribers.add(new Subscriber("ws-" + (i * 2), owner, t0));
            topic.subscribers.add(new Subscriber("ws-" + (i * 2 + 1), walker, t0));
            for (int k = 0; k < EVENTS_PER_WALK; k++) {
                long at = t0 + duration * k / EVENTS_PER_WALK;
                if (at > last) break;
                svc.event(new WalkEvent(walkId, kinds[k], dog, at));
                topic.remember(new ChatMessage(walkId, (k & 1) == 0 ? walker : owner, texts[traffic.nextInt(texts.length)], at));
                String rk = "route-" + traffic.nextInt(4_000);
                if (svc.routes.get(rk) == null) svc.routes.put(rk, new RouteMap(rk, new byte[600 + traffic.nextInt(600)], at));
            }
            ends.add(new long[] {t0 + duration, i});
            if (i % photoEvery == 0) {
                UploadHandle h = svc.photos.open(walkId, t0);
                for (int c = 0; c < 8; c++) { h.buffer[c * 4_099 % BUFFER] = (byte) c; h.bytesWritten += BUFFER; }
                h.completesAt = t0 + (10 + traffic.nextInt(50)) * 1_000L;
            }
            maxOpen = Math.max(maxOpen, svc.chat.topics.size());
            maxKeys = Math.max(maxKeys, svc.bookings.byKey.size());
            maxUploads = Math.max(maxUploads, svc.photos.open.size());
        }
        while (!ends.isEmpty() && ends.peek()[0] <= last) svc.chat.walkEnded(walkIds[(int) ends.poll()[1]]);
        while (nextSweep <= last) { svc.bookings.sweep(nextSweep); nextSweep += 5 * MINUTE; }
        for (UploadHandle h : new ArrayList<>(svc.photos.open)) if (h.completesAt <= last) svc.photos.close(h);
        TopicRegistry chat = svc.chat; PhotoUploads ph = svc.photos; IdempotencyStore st = svc.bookings;
        System.out.println("stage " + stage + " areas " + AREAS_BY_CODE.size() + " dogs " + svc.dogs.size() + " topics " + chat.topics.size() + " (created " + chat.created + ", removed " + chat.removed + ", max " + maxOpen + ") uploads open " + ph.open.size() + " (opened " + ph.opened + ", closed " + ph.closed
                + ", max " + maxUploads + ", pool " + ph.bufferPool.size() + ") keys " + st.byKey.size() + " (stored " + st.stored + ", expired " + st.expired + ", sweeps " + st.sweeps + ", max " + maxKeys + ") routes " + svc.routes.size() + " (evicted " + svc.routes.evicted + ") events " + svc.eventCount);
        check(AREAS_BY_CODE.size() == AREAS && svc.dogs.size() == DOGS, "reference data / directory");
        check(chat.created == walks && chat.topics.size() == ends.size() && chat.topics.size() < WALKS_PER_HOUR + 100, "only walks in progress have topics");
        check(ph.open.size() + ph.bufferPool.size() == UPLOAD_BUFFERS && ph.opened == ph.closed + ph.open.size(), "uploads closed");
        check(st.sweeps == hours * 12 - 1 && st.byKey.size() == st.stored - st.expired && st.byKey.size() <= WALKS_PER_HOUR * 35 / 60 + 2, "idempotency keys swept");
        check(svc.routes.size() == ROUTE_CAP && svc.routes.evicted > 0, "route cache at cap");
        check(svc.eventCount > 0 && (svc.eventCount < RING || svc.events[RING - 1] != null), "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
