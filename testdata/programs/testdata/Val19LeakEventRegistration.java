// hprofscan-build: javac --release 17 -nowarn -d testdata/build/val19-agenda-classes testdata/val19-webapp-src/testdata/agenda/*.java
// hprofscan-dump: name=val19-leak-eventreg jvm="-Xmx256m" variants=mxbean args="testdata/build/val19-agenda-classes"
// hprofscan-dump: name=val19-leak-eventreg-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean args="testdata/build/val19-agenda-classes"
// hprofscan-dump: name=val19-leak-eventreg-c1 jvm="-Xmx256m -XX:TieredStopAtLevel=1" variants=mxbean args="testdata/build/val19-agenda-classes"
package testdata;

import java.io.File;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Validation set 19 (written blind), LEAK: the registration platform of a tech conference. It
 * hosts the agenda webapp ({@code testdata.agenda.*}, built from testdata/val19-webapp-src) and
 * redeploys it every 40 minutes in a fresh URLClassLoader {@code agenda-webapp-gen-<n>}; the
 * old loader is closed and dropped. The host's JSON binder caches the reflective metadata of every
 * class it serialises in a static {@code ConcurrentHashMap<Class<?>, BeanMetadata>} of the
 * application loader. The bug: undeploy never evicts the webapp's classes from that cache, so each
 * redeploy leaves its loader pinned (the loader, its classes and the programme in their statics).
 * Legitimate beside it: the current deployment, the attendee directory, the ticket types, the QR
 * code cache at its cap, the check-in ring, the badge print queue, a fixed HTTP pool with a
 * per-thread JSON buffer. See testdata/VALIDATION19.md.
 */
public final class Val19LeakEventRegistration {
    static final String CONTROLLER = "testdata.agenda.AgendaController";
    static final int ATTENDEES = 70_000;
    static final int TICKET_TYPES = 120;
    static final int QR_CAP = 3_000;
    static final int RING = 8_192;
    static final int HTTP_THREADS = 16;
    static final int REQUESTS = 40_000;
    static final long SIM_HOURS = 10;
    static final long REDEPLOY_EVERY_MINUTES = 40;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;

    static RegistrationService REGISTRATION;

    /** Reflective metadata of one serialised class. */
    static final class BeanMetadata { final Class<?> type; final Field[] fields; final String[] names; final byte[][] encodedNames; final long firstSeenAt; long uses;
        BeanMetadata(Class<?> type, Field[] fields, String[] names, byte[][] encodedNames, long firstSeenAt) { this.type = type; this.fields = fields; this.names = names; this.encodedNames = encodedNames; this.firstSeenAt = firstSeenAt; } }

    /** The host's JSON binder. */
    static final class JsonBinder {
        static final Map<Class<?>, BeanMetadata> METADATA = new ConcurrentHashMap<>();
        static final ThreadLocal<byte[]> OUT = ThreadLocal.withInitial(() -> new byte[8_192]);
        static long clock;

        static BeanMetadata metadata(Class<?> c) {
            return METADATA.computeIfAbsent(c, k -> {
                List<Field> fs = new ArrayList<>();
                for (Field f : k.getDeclaredFields()) if (!Modifier.isStatic(f.getModifiers())) { f.setAccessible(true); fs.add(f); }
                Field[] fields = fs.toArray(new Field[0]);
                String[] names = new String[fields.length];
                byte[][] enc = new byte[fields.length][];
                for (int i = 0; i < fields.length; i++) { names[i] = fields[i].getName(); enc[i] = ("\"" + names[i] + "\":").getBytes(StandardCharsets.UTF_8); }
                return new BeanMetadata(k, fields, names, enc, clock);
            });
        }

        static void write(Object o, StringBuilder sb) throws IllegalAccessException {
            if (o == null) { sb.append("null"); return; }
            if (o instanceof String) { sb.append('"').append(o).append('"'); return; }
            if (o instanceof Number || o instanceof Boolean) { sb.append(o); return; }
            if (o instanceof int[]) { sb.append('[').append(((int[]) o).length).append(']'); return; }
            if (o instanceof List) { sb.append('['); for (Object e : (List<?>) o) { write(e, sb); sb.append(','); } sb.append(']'); return; }
            BeanMetadata m = metadata(o.getClass());
            m.uses++;
            sb.append('{');
            for (int i = 0; i < m.fields.length; i++) { sb.append(m.names[i]).append(':'); write(m.fields[i].get(o), sb); sb.append(','); }
            sb.append('}');
        }

        static int toJson(Object o) throws IllegalAccessException {
            StringBuilder sb = new StringBuilder();
            write(o, sb);
            byte[] out = OUT.get();
            byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, out, 0, Math.min(b.length, out.length));
            return b.length;
        }
    }

    static final class TicketType { final int id; final String name; final long priceCents; final int capacity; int sold;
        TicketType(int id, String name, long priceCents, int capacity) { this.id = id; this.name = name; this.priceCents = priceCents; this.capacity = capacity; } }
    static final class Attendee { final long id; final String name; final String email; final String company; final TicketType ticket; final long registeredAt; final int[] bookedSessions; String dietary;
        Attendee(long id, String name, String email, String company, TicketType ticket, long registeredAt, int[] bookedSessions) { this.id = id; this.name = name; this.email = email; this.company = company; this.ticket = ticket; this.registeredAt = registeredAt; this.bookedSessions = bookedSessions; } }
    static final class BadgeView { final long attendeeId; final String name; final String company; final String ticket;
        BadgeView(long attendeeId, String name, String company, String ticket) { this.attendeeId = attendeeId; this.name = name; this.company = company; this.ticket = ticket; } }
    static final class CheckInView { final long attendeeId; final String gate; final long at; final Boolean firstTime;
        CheckInView(long attendeeId, String gate, long at, Boolean firstTime) { this.attendeeId = attendeeId; this.gate = gate; this.at = at; this.firstTime = firstTime; } }
    static final class OrderView { final long orderId; final long attendeeId; final TicketType ticket; final Long totalCents;
        OrderView(long orderId, long attendeeId, TicketType ticket, Long totalCents) { this.orderId = orderId; this.attendeeId = attendeeId; this.ticket = ticket; this.totalCents = totalCents; } }
    static final class CheckIn { final long attendeeId; final String gate; final long at;
        CheckIn(long attendeeId, String gate, long at) { this.attendeeId = attendeeId; this.gate = gate; this.at = at; } }
    static final class BadgeJob { final long attendeeId; final byte[] label; final long queuedAt;
        BadgeJob(long attendeeId, byte[] label, long queuedAt) { this.attendeeId = attendeeId; this.label = label; this.queuedAt = queuedAt; } }

    static final class QrCache extends LinkedHashMap<Long, byte[]> {
        long evicted;
        QrCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<Long, byte[]> e) { if (size() > QR_CAP) { evicted++; return true; } return false; }
    }

    /** One deployment of the agenda webapp. */
    static final class Deployment { final int generation; final URLClassLoader loader; final Function<String, Object> controller; final long deployedAt; long requests;
        Deployment(int generation, URLClassLoader loader, Function<String, Object> controller, long deployedAt) { this.generation = generation; this.loader = loader; this.controller = controller; this.deployedAt = deployedAt; } }

    static final class RegistrationService {
        final Map<Long, Attendee> attendees = new HashMap<>();
        final Map<Integer, TicketType> ticketTypes = new HashMap<>();
        final QrCache qrCodes = new QrCache();
        final CheckIn[] checkIns = new CheckIn[RING];
        final ArrayBlockingQueue<BadgeJob> badgeQueue = new ArrayBlockingQueue<>(500);
        final List<String> deployLog = new ArrayList<>();
        final AtomicInteger httpSeq = new AtomicInteger();
        final ThreadPoolExecutor http = new ThreadPoolExecutor(HTTP_THREADS, HTTP_THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "reg-http-" + httpSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        final File webappDir;
        final boolean fixed;
        Deployment current;
        long checkInsWritten, badgesPrinted, bytesOut;
        RegistrationService(File webappDir, boolean fixed) { this.webappDir = webappDir; this.fixed = fixed; }

        @SuppressWarnings("unchecked")
        URLClassLoader deploy(int generation, long t) throws Exception {
            Deployment old = current;
            URLClassLoader loader = new URLClassLoader("agenda-webapp-gen-" + generation, new URL[] {webappDir.toURI().toURL()}, Val19LeakEventRegistration.class.getClassLoader());
            Function<String, Object> controller = (Function<String, Object>) loader.loadClass(CONTROLLER).getDeclaredConstructor().newInstance();
            current = new Deployment(generation, loader, controller, t);
            deployLog.add("gen " + generation + " deployed at " + t);
            if (old != null) {
                old.loader.close();
                if (fixed) JsonBinder.METADATA.keySet().removeIf(c -> c.getClassLoader() == old.loader);
                // BUG in the leak run: the binder's metadata of the old webapp's classes stays cached.
            }
            return old == null ? null : old.loader;
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val19.fixed"); // only for measuring the leak's share
        File dir = new File(args.length > 2 ? args[2] : "testdata/build/val19-agenda-classes");
        if (!new File(dir, "testdata/agenda/AgendaController.class").isFile()) throw new IllegalStateException("agenda webapp not compiled in " + dir);
        long now = System.currentTimeMillis();
        long start = now - SIM_HOURS * HOUR;
        Random rnd = new Random(19_040_001);
        RegistrationService svc = new RegistrationService(dir, fixed);
        REGISTRATION = svc;
        for (int i = 0; i < 35; i++) svc.config.setProperty("registration.gate" + i, "hall-" + (i % 5));
        for (int i = 0; i < TICKET_TYPES; i++) svc.ticketTypes.put(i, new TicketType(i, (i % 3 == 0 ? "Full pass" : i % 3 == 1 ? "Day pass" : "Workshop") + " " + i, 19_900 + 1_000L * i, 200 + 10 * i));
        for (int i = 0; i < ATTENDEES; i++) {
            int[] booked = new int[10];
            for (int k = 0; k < booked.length; k++) booked[k] = 10_000 + rnd.nextInt(2_400);
            long id = 3_000_000L + i;
            TicketType tt = svc.ticketTypes.get(rnd.nextInt(TICKET_TYPES));
            tt.sold++;
            svc.attendees.put(id, new Attendee(id, "Attendee " + i, "attendee" + i + "@company" + (i % 3_000) + ".example", "Company " + (i % 3_000), tt, start - (long) (rnd.nextDouble() * 120 * 24 * HOUR), booked));
        }
        CyclicBarrier ready = new CyclicBarrier(HTTP_THREADS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < HTTP_THREADS; w++) warm.add(svc.http.submit(() -> { ready.await(); JsonBinder.OUT.get(); return null; }));
        for (Future<?> f : warm) f.get();

        List<WeakReference<ClassLoader>> undeployed = new ArrayList<>();
        int generation = 1;
        JsonBinder.clock = start;
        svc.deploy(generation, start);
        long nextDeploy = start + REDEPLOY_EVERY_MINUTES * MINUTE;
        String[] tracks = {"cloud", "data", "security", "frontend", "platform", "ml", "devex", "mobile"};
        String[] gates = {"north", "south", "east", "hall-b"};
        long agendaRequests = 0;
        for (int i = 0; i < REQUESTS; i++) {
            long t = start + (now - start) * i / REQUESTS;
            JsonBinder.clock = t;
            while (nextDeploy <= t) { undeployed.add(new WeakReference<>(svc.deploy(++generation, nextDeploy))); nextDeploy += REDEPLOY_EVERY_MINUTES * MINUTE; }
            int kind = rnd.nextInt(10);
            Attendee a = svc.attendees.get(3_000_000L + rnd.nextInt(ATTENDEES));
            Object response;
            if (kind < 4) {
                response = svc.current.controller.apply("/agenda/" + tracks[rnd.nextInt(tracks.length)]);
                svc.current.requests++;
                agendaRequests++;
            } else if (kind < 7) {
                svc.checkIns[(int) (svc.checkInsWritten++ % RING)] = new CheckIn(a.id, gates[rnd.nextInt(gates.length)], t);
                response = new CheckInView(a.id, gates[rnd.nextInt(gates.length)], t, rnd.nextBoolean());
            } else if (kind < 9) {
                byte[] qr = svc.qrCodes.get(a.id);
                if (qr == null) { qr = new byte[600 + rnd.nextInt(200)]; qr[0] = (byte) a.id; svc.qrCodes.put(a.id, qr); }
                if (svc.badgeQueue.size() >= 40) { svc.badgesPrinted += svc.badgeQueue.size(); svc.badgeQueue.clear(); }
                svc.badgeQueue.add(new BadgeJob(a.id, new byte[256], t));
                response = new BadgeView(a.id, a.name, a.company, a.ticket.name);
            } else {
                response = new OrderView(80_000_000L + i, a.id, a.ticket, a.ticket.priceCents);
            }
            svc.bytesOut += JsonBinder.toJson(response);
        }
        // an attendee record itself (the admin console)
        svc.bytesOut += JsonBinder.toJson(svc.attendees.get(3_000_000L));
        for (int g = 0; g < 5; g++) { System.gc(); Thread.sleep(50); }
        int alive = 0;
        for (WeakReference<ClassLoader> w : undeployed) if (w.get() != null) alive++;
        int stale = undeployed.size();
        undeployed = null;
        int webappEntries = 0, staleEntries = 0, hostEntries = 0;
        for (Class<?> c : JsonBinder.METADATA.keySet()) {
            if (c.getClassLoader() == svc.current.loader) webappEntries++;
            else if (c.getClassLoader() instanceof URLClassLoader) staleEntries++;
            else hostEntries++;
        }
        System.out.println((fixed ? "FIXED " : "") + "attendees " + svc.attendees.size() + " ticket types " + svc.ticketTypes.size() + " generations " + generation + " (undeployed " + stale + ", still loaded " + alive + ") binder metadata " + JsonBinder.METADATA.size() + " (current webapp " + webappEntries + ", undeployed webapps " + staleEntries + ", host " + hostEntries + ") agenda requests " + agendaRequests + " (current gen " + svc.current.requests + ") check-ins " + svc.checkInsWritten + " qr " + svc.qrCodes.size() + " (evicted " + svc.qrCodes.evicted + ") badge queue " + svc.badgeQueue.size() + " printed " + svc.badgesPrinted);
        check(svc.attendees.size() == ATTENDEES && svc.ticketTypes.size() == TICKET_TYPES, "reference data");
        check(generation == 15 && stale == 14, "redeploys");
        check(alive == (fixed ? 0 : stale), "undeployed loaders still loaded");
        check(webappEntries == 3 && hostEntries == 5 && staleEntries == (fixed ? 0 : 3 * stale), "binder metadata");
        check(svc.qrCodes.size() == QR_CAP && svc.qrCodes.evicted > 0 && svc.checkInsWritten > RING, "cache, ring");
        check(svc.http.getPoolSize() == HTTP_THREADS, "http pool");
        LeakCheck.histogram("java.net.URLClassLoader ", "testdata.agenda.");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
