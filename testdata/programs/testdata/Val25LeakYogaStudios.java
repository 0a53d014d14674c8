// hprofscan-dump: name=val25-leak-yogastudios jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val25-leak-yogastudios-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 25 (written blind), LEAK: the booking platform of a chain of yoga studios, which
 * notifies partner apps (class passes, corporate wellness) of every booking by an outbound webhook.
 * Studio reference data, the member directory, a class-schedule cache at its cap, a pool of JSON
 * encode buffers, a ring of booking events, and the webhook retry list. The bug: the retry job
 * retries the failed deliveries with attempts below the maximum and removes those that succeed,
 * but a delivery that exhausted its attempts is only marked GAVE_UP and never dropped from the
 * list. Simulated period: 10 h. See testdata/VALIDATION25.md.
 */
public final class Val25LeakYogaStudios {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int STUDIOS = 900, MEMBERS = 40_000, SCHEDULE_CAP = 2_500, POOL = 8, RING = 16_384, BOOKINGS = 60_000, MAX_ATTEMPTS = 5, PARTNERS = 20;
    static boolean FIXED;

    enum Status { PENDING, DELIVERED, RETRYING, GAVE_UP }
    record Studio(String code, String city, double[] occupancyCurve) {}
    record Member(String id, String name, String plan, byte[] preferences, long joinedAt) {}
    record ClassSchedule(String key, byte[] slots) {}
    record BookingEvent(String bookingId, String memberId, String studio, long at) {}
    static final class Delivery { final String id; final String partner; final String eventType; final byte[] body; final long createdAt; int attempts; long lastAttemptAt; int lastHttpStatus; Status status = Status.PENDING;
        Delivery(String id, String partner, String eventType, byte[] body, long createdAt) { this.id = id; this.partner = partner; this.eventType = eventType; this.body = body; this.createdAt = createdAt; } }

    static final class WebhookDispatcher {
        final List<Delivery> retries = new ArrayList<>();
        long delivered, recovered, gaveUp;
        final boolean[] partnerDown = new boolean[PARTNERS];
        boolean send(Delivery d, Random net, long at) {
            d.attempts++;
            d.lastAttemptAt = at;
            boolean ok = !partnerDown[Integer.parseInt(d.partner.substring(3))] && net.nextInt(100) >= 4;
            d.lastHttpStatus = ok ? 200 : partnerDown[Integer.parseInt(d.partner.substring(3))] ? 503 : 504;
            return ok;
        }
        void deliver(Delivery d, Random net, long at) {
            if (send(d, net, at)) { d.status = Status.DELIVERED; delivered++; }
            else { d.status = Status.RETRYING; retries.add(d); }
        }
        /** Runs every minute. */
        void retryJob(Random net, long at) {
            for (Iterator<Delivery> it = retries.iterator(); it.hasNext(); ) {
                Delivery d = it.next();
                if (d.status == Status.GAVE_UP) continue; // BUG: never removed
                if (d.attempts < MAX_ATTEMPTS) {
                    if (send(d, net, at)) { d.status = Status.DELIVERED; recovered++; it.remove(); }
                } else {
                    d.status = Status.GAVE_UP;
                    gaveUp++;
                    if (FIXED) it.remove();
                }
            }
        }
    }

    static final class ScheduleCache extends LinkedHashMap<String, ClassSchedule> {
        long evicted;
        ScheduleCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, ClassSchedule> e) { if (size() > SCHEDULE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Studio> STUDIOS_BY_CODE = new HashMap<>();

    static final class BookingService {
        final Map<String, Member> members = new HashMap<>();
        final WebhookDispatcher webhooks = new WebhookDispatcher();
        final ScheduleCache schedules = new ScheduleCache();
        final ArrayDeque<byte[]> jsonBuffers = new ArrayDeque<>();
        final BookingEvent[] events = new BookingEvent[RING];
        long eventCount;
    }

    static BookingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val25.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE; // the simulated period ends at the start of the current minute
        long start = end - 10 * HOUR;
        Random rnd = new Random(25_020_001);
        String[] cities = {"Leeds", "Bristol", "Lyon", "Porto", "Utrecht", "Gent", "Graz", "Aarhus"};
        for (int s = 0; s < STUDIOS; s++) {
            double[] curve = new double[168];
            for (int k = 0; k < curve.length; k++) curve[k] = rnd.nextDouble();
            String code = "ST-" + (1_000 + s);
            STUDIOS_BY_CODE.put(code, new Studio(code, cities[s % cities.length], curve));
        }
        BookingService svc = new BookingService();
        SERVICE = svc;
        for (int m = 0; m < MEMBERS; m++) {
            String id = "MEM-" + (2_000_000 + m);
            svc.members.put(id, new Member(id, "Member " + m, m % 5 == 0 ? "unlimited" : "10-pack", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * 24 * HOUR));
        }
        for (int p = 0; p < POOL; p++) svc.jsonBuffers.add(new byte[16_384]);
        Random traffic = new Random(25_020_002), net = new Random(25_020_003);
        long lastRetryMinute = start / MINUTE;
        for (int b = 0; b < BOOKINGS; b++) {
            long t = start + (end - start) * b / BOOKINGS;
            // partner 7 is down from 1 h to 4 h, partner 13 from 5 h to 8 h, partner 17 from 6 h to 9 h of the simulated period
            long h = (t - start) / HOUR;
            svc.webhooks.partnerDown[7] = h >= 1 && h < 4;
            svc.webhooks.partnerDown[13] = h >= 5 && h < 8;
            svc.webhooks.partnerDown[17] = h >= 6 && h < 9;
            String bookingId = "BK-" + (70_000_000 + b);
            String memberId = "MEM-" + (2_000_000 + traffic.nextInt(MEMBERS));
            String studio = "ST-" + (1_000 + traffic.nextInt(STUDIOS));
            svc.events[(int) (svc.eventCount++ % RING)] = new BookingEvent(bookingId, memberId, studio, t);
            String key = studio + "/" + traffic.nextInt(14);
            if (svc.schedules.get(key) == null) svc.schedules.put(key, new ClassSchedule(key, new byte[600 + traffic.nextInt(600)]));
            byte[] buf = svc.jsonBuffers.poll();
            buf[b % buf.length] = (byte) b;
            svc.jsonBuffers.add(buf);
            Delivery d = new Delivery("WH-" + (80_000_000 + b), "PRT" + traffic.nextInt(PARTNERS), "booking.created", new byte[1_500 + traffic.nextInt(1_500)], t);
            svc.webhooks.deliver(d, net, t);
            if (t / MINUTE != lastRetryMinute) { lastRetryMinute = t / MINUTE; svc.webhooks.retryJob(net, t); }
        }
        WebhookDispatcher wh = svc.webhooks;
        long gaveUpInList = 0, retryingInList = 0;
        for (Delivery d : wh.retries) { if (d.status == Status.GAVE_UP) gaveUpInList++; else if (d.status == Status.RETRYING) retryingInList++; else throw new IllegalStateException("status " + d.status); }
        System.out.println((FIXED ? "FIXED " : "") + "studios " + STUDIOS_BY_CODE.size() + " members " + svc.members.size() + " bookings " + svc.eventCount + " delivered " + wh.delivered + " recovered " + wh.recovered
                + " gave up " + wh.gaveUp + " retry list " + wh.retries.size() + " (GAVE_UP " + gaveUpInList + ", RETRYING " + retryingInList + ") schedules " + svc.schedules.size() + " (evicted " + svc.schedules.evicted + ") pool " + svc.jsonBuffers.size());
        check(STUDIOS_BY_CODE.size() == STUDIOS && svc.members.size() == MEMBERS, "reference data / directory");
        check(wh.delivered + wh.recovered + wh.gaveUp + retryingInList == BOOKINGS, "deliveries accounted");
        check(gaveUpInList == (FIXED ? 0 : wh.gaveUp) && wh.gaveUp == 2_714 && retryingInList == 4, "retry list " + wh.retries.size());
        check(svc.schedules.size() == SCHEDULE_CAP && svc.schedules.evicted > 0, "schedule cache at its cap");
        check(svc.jsonBuffers.size() == POOL, "json pool");
        check(svc.eventCount == BOOKINGS && svc.events[RING - 1] != null, "event ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
