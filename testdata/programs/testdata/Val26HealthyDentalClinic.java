// hprofscan-dump: name=val26-healthy-dentalclinic-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val26-healthy-dentalclinic-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val26-healthy-dentalclinic jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val26-healthy-dentalclinic-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 26 (written blind), HEALTHY: the scheduling service of a dental-clinic chain.
 * Procedure reference data, the patient directory, an access-ordered LRU of X-ray thumbnails at
 * its cap (removeEldestEntry overridden), a chair-slot booking bitmap sized once for the fixed
 * slot space (400 chairs x 96 slots x 60 days), a pool of 20 connections whose statement caches
 * hold parameterized SQL (24 statements each), a pool of render buffers, and a ring of
 * appointment events. Series: 1 h / 4 h / 8 h; warms up, then flat. See VALIDATION26.md.
 */
public final class Val26HealthyDentalClinic {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int PROCEDURES = 2_500, PATIENTS = 30_000, XRAY_CAP = 2_000, CHAIRS = 400, SLOTS_PER_DAY = 96, DAYS = 60,
            CONNECTIONS = 20, TEMPLATES = 24, POOL = 8, RING = 16_384, PER_HOUR = 5_000;

    record Procedure(String code, String name, double[] feeSchedule) {}
    record Patient(String id, String name, byte[] chart, long registeredAt) {}
    record XrayThumb(String id, byte[] pixels, long takenAt) {}
    record AppointmentEvent(String id, String patientId, int chair, int slot, String kind, long at) {}
    record Statement(String sql, int[] paramTypes, byte[] plan, long preparedAt) {}

    static final class PooledConnection {
        final String id; long borrowed;
        final Map<String, Statement> statementCache = new HashMap<>();
        PooledConnection(String id) { this.id = id; }
    }

    static final class XrayCache extends LinkedHashMap<String, XrayThumb> {
        long evicted;
        XrayCache() { super(16, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, XrayThumb> e) { if (size() > XRAY_CAP) { evicted++; return true; } return false; }
    }

    static final class SlotBook {
        final long[] booked = new long[CHAIRS * SLOTS_PER_DAY * DAYS / 64]; // fixed id space, sized once
        int bookings;
        boolean book(int chair, int day, int slot) {
            int bit = (day * CHAIRS + chair) * SLOTS_PER_DAY + slot;
            long mask = 1L << (bit & 63);
            if ((booked[bit >>> 6] & mask) != 0) return false;
            booked[bit >>> 6] |= mask; bookings++; return true;
        }
    }

    static final Map<String, Procedure> PROCEDURES_BY_CODE = new HashMap<>();

    static final class SchedulingService {
        final Map<String, Patient> patients = new HashMap<>();
        final XrayCache xrays = new XrayCache();
        final SlotBook slots = new SlotBook();
        final PooledConnection[] connections = new PooledConnection[CONNECTIONS];
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final AppointmentEvent[] events = new AppointmentEvent[RING];
        long eventCount;
    }

    static SchedulingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int total = hours * PER_HOUR;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(26_050_001);
        for (int p = 0; p < PROCEDURES; p++) {
            double[] fees = new double[80];
            for (int k = 0; k < fees.length; k++) fees[k] = 20 + rnd.nextDouble() * 400;
            String code = "D" + (1_000 + p);
            PROCEDURES_BY_CODE.put(code, new Procedure(code, "Procedure " + p, fees));
        }
        SchedulingService svc = new SchedulingService();
        SERVICE = svc;
        for (int i = 0; i < PATIENTS; i++) {
            String id = "PT-" + (8_000_000 + i);
            svc.patients.put(id, new Patient(id, "Patient " + i, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(5_000)) * 24 * HOUR));
        }
        String[] tables = {"appointment", "patient", "chair", "invoice", "xray", "recall"};
        String[] shapes = {"SELECT * FROM %s WHERE id = ?", "SELECT * FROM %s WHERE clinic_id = ? AND day = ?", "UPDATE %s SET status = ? WHERE id = ?", "INSERT INTO %s (id, payload, at) VALUES (?, ?, ?)"};
        for (int c = 0; c < CONNECTIONS; c++) {
            PooledConnection pc = new PooledConnection("conn-" + c);
            for (String table : tables) for (String shape : shapes) {
                String sql = String.format(shape, table);
                pc.statementCache.put(sql, new Statement(sql, new int[3], new byte[200 + rnd.nextInt(200)], start));
            }
            svc.connections[c] = pc;
        }
        for (int p = 0; p < POOL; p++) svc.renderBuffers.add(new byte[32_768]);
        Random traffic = new Random(26_050_002);
        int rejected = 0;
        for (int i = 0; i < total; i++) {
            long t = start + (end - start) * i / total;
            PooledConnection pc = svc.connections[i % CONNECTIONS];
            pc.borrowed++;
            String patientId = "PT-" + (8_000_000 + traffic.nextInt(PATIENTS));
            int chair = traffic.nextInt(CHAIRS), day = traffic.nextInt(DAYS), slot = traffic.nextInt(SLOTS_PER_DAY);
            if (!svc.slots.book(chair, day, slot)) rejected++;
            String xrayId = "XR-" + traffic.nextInt(60_000);
            if (svc.xrays.get(xrayId) == null) svc.xrays.put(xrayId, new XrayThumb(xrayId, new byte[1_000 + traffic.nextInt(1_000)], t - traffic.nextInt(1_000) * 24 * HOUR));
            byte[] buf = svc.renderBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.renderBuffers.add(buf);
            svc.events[(int) (svc.eventCount++ % RING)] = new AppointmentEvent("AP-" + (20_000_000 + i), patientId, chair, slot, "BOOKED", t);
        }
        int statements = 0;
        for (PooledConnection pc : svc.connections) statements += pc.statementCache.size();
        System.out.println("stage " + stage + " procedures " + PROCEDURES_BY_CODE.size() + " patients " + svc.patients.size() + " xrays " + svc.xrays.size() + " (evicted " + svc.xrays.evicted
                + ") bookings " + svc.slots.bookings + " (rejected " + rejected + ", bitmap words " + svc.slots.booked.length + ") statements " + statements + " pool " + svc.renderBuffers.size() + " events " + svc.eventCount);
        check(PROCEDURES_BY_CODE.size() == PROCEDURES && svc.patients.size() == PATIENTS, "reference data / directory");
        check(svc.xrays.size() == XRAY_CAP && svc.xrays.evicted > 0, "xray cache at cap");
        check(svc.slots.booked.length == 36_000 && svc.slots.bookings + rejected == total, "slot bitmap");
        check(statements == CONNECTIONS * TEMPLATES, "statements");
        check(svc.renderBuffers.size() == POOL, "pool");
        check(svc.eventCount == total, "events");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
