// hprofscan-dump: name=val32-leak-volunteering-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val32-leak-volunteering-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val32-leak-volunteering jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val32-leak-volunteering-parallel jvm="-Xmx266m -XX:+UseParallelGC -Xint" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 32 (written blind), LEAK: the shift-coordination platform of a regional volunteer
 * network. Charity reference data, the volunteer directory, the shift directory, a cache of rendered
 * roster pages at its cap, a pool of push-payload buffers, a ring of recent shift check-ins, and one
 * notification inbox per volunteer (an ArrayDeque of notifications). Opening the app marks the unread
 * notifications read (readAt is set), but nothing ever removes a read notification: every
 * notification ever delivered stays in its inbox. See VALIDATION32.md.
 */
public final class Val32LeakVolunteering {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, PURGE_READ_AFTER = 30 * MINUTE;
    static final int CHARITIES = 1_000, VOLUNTEERS = 3_000, SHIFTS = 12_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, NOTIFICATIONS_PER_HOUR = 6_000;
    static boolean FIXED;

    record Charity(String code, String name, double[] weeklyDemand) {}
    record Volunteer(String id, String displayName, String homeCharity, byte[] profile, long joinedAt) {}
    record Shift(String code, String charityCode, String role, long startsAt, int slots) {}
    record RosterPage(String key, byte[] rendered, long at) {}
    record CheckIn(String volunteerId, String shiftCode, long at) {}

    static final class Notification {
        final long id; final String kind; final String shiftCode; final long createdAt; long readAt; final byte[] body;
        Notification(long id, String kind, String shiftCode, long createdAt, byte[] body) {
            this.id = id; this.kind = kind; this.shiftCode = shiftCode; this.createdAt = createdAt; this.body = body;
        }
    }

    /** One per volunteer: the in-app notification inbox. */
    static final class Inbox {
        final String volunteerId;
        final ArrayDeque<Notification> items = new ArrayDeque<>();
        long lastOpenedAt, delivered, purged; int unread;
        Inbox(String volunteerId) { this.volunteerId = volunteerId; }
        void deliver(Notification n) { items.addLast(n); unread++; delivered++; }
        /** The volunteer opens the app: everything unread is shown and marked read. */
        void open(long at) {
            for (Notification n : items) if (n.readAt == 0) n.readAt = at;
            unread = 0;
            lastOpenedAt = at;
            if (FIXED) purgeRead(at);
            // BUG: read notifications are never purged; the inbox keeps every notification ever delivered
        }
        /** The fix: drop notifications read more than 30 minutes ago. */
        void purgeRead(long at) {
            for (Iterator<Notification> it = items.iterator(); it.hasNext(); ) {
                Notification n = it.next();
                if (n.readAt != 0 && n.readAt <= at - PURGE_READ_AFTER) { it.remove(); purged++; }
            }
        }
    }

    static final class PageCache extends LinkedHashMap<String, RosterPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RosterPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Charity> CHARITIES_BY_CODE = new HashMap<>();

    static final class Platform {
        final Map<String, Volunteer> volunteers = new HashMap<>();
        final Map<String, Shift> shifts = new HashMap<>();
        final Map<String, Inbox> inboxes = new HashMap<>();
        final PageCache rosterPages = new PageCache();
        final ArrayDeque<byte[]> pushBuffers = new ArrayDeque<>();
        final CheckIn[] checkIns = new CheckIn[RING];
        long checkInsWritten, notifications, opens, sweeps;
    }

    static Platform SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val32.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int events = NOTIFICATIONS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(32_010_001);
        String[] charityCodes = new String[CHARITIES];
        for (int c = 0; c < CHARITIES; c++) {
            double[] demand = new double[64];
            for (int k = 0; k < demand.length; k++) demand[k] = rnd.nextDouble() * 40;
            charityCodes[c] = "CH-" + (3_000 + c);
            CHARITIES_BY_CODE.put(charityCodes[c], new Charity(charityCodes[c], "Charity " + c, demand));
        }
        Platform svc = new Platform();
        SERVICE = svc;
        String[] volunteerIds = new String[VOLUNTEERS];
        for (int v = 0; v < VOLUNTEERS; v++) {
            String id = "VOL-" + (410_000 + v * 3);
            volunteerIds[v] = id;
            svc.volunteers.put(id, new Volunteer(id, "Volunteer " + v, charityCodes[rnd.nextInt(CHARITIES)], new byte[200 + rnd.nextInt(200)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
            svc.inboxes.put(id, new Inbox(id));
        }
        String[] roles = {"Driver", "Food bank", "Befriender", "Warehouse", "Event steward", "Tutor"};
        String[] shiftCodes = new String[SHIFTS];
        for (int s = 0; s < SHIFTS; s++) {
            shiftCodes[s] = "SH-" + (900_000 + s);
            svc.shifts.put(shiftCodes[s], new Shift(shiftCodes[s], charityCodes[rnd.nextInt(CHARITIES)], roles[s % roles.length], end + (long) (rnd.nextInt(24 * 21) - 24) * HOUR, 1 + rnd.nextInt(12)));
        }
        for (int b = 0; b < POOL; b++) svc.pushBuffers.add(new byte[32_768]);
        Random traffic = new Random(32_010_002);
        String[] kinds = {"SHIFT_OFFERED", "SHIFT_CHANGED", "SHIFT_REMINDER", "SHIFT_CANCELLED", "THANK_YOU"};
        long nextSweep = start + 10 * MINUTE;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            if (FIXED) {
                while (nextSweep <= t) { for (Inbox in : svc.inboxes.values()) in.purgeRead(nextSweep); svc.sweeps++; nextSweep += 10 * MINUTE; }
            }
            String shift = shiftCodes[traffic.nextInt(SHIFTS)];
            Inbox to = svc.inboxes.get(volunteerIds[traffic.nextInt(VOLUNTEERS)]);
            to.deliver(new Notification(5_000_000L + i, kinds[traffic.nextInt(kinds.length)], shift, t, new byte[60 + traffic.nextInt(60)]));
            svc.notifications++;
            byte[] buf = svc.pushBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.pushBuffers.add(buf);
            // 1.5 app opens per notification (9,000 an hour across 3,000 volunteers)
            int opens = i % 2 == 0 ? 2 : 1;
            for (int o = 0; o < opens; o++) {
                Inbox in = svc.inboxes.get(volunteerIds[traffic.nextInt(VOLUNTEERS)]);
                in.open(t);
                svc.opens++;
                String key = "roster-" + traffic.nextInt(5_000);
                if (svc.rosterPages.get(key) == null) svc.rosterPages.put(key, new RosterPage(key, new byte[500 + traffic.nextInt(500)], t));
            }
            svc.checkIns[(int) (svc.checkInsWritten++ % RING)] = new CheckIn(volunteerIds[traffic.nextInt(VOLUNTEERS)], shiftCodes[traffic.nextInt(SHIFTS)], t);
        }
        long held = 0, unread = 0, read = 0, stale = 0, purged = 0, maxInbox = 0;
        for (Inbox in : svc.inboxes.values()) {
            held += in.items.size(); unread += in.unread; purged += in.purged;
            maxInbox = Math.max(maxInbox, in.items.size());
            for (Notification n : in.items) {
                if (n.readAt != 0) { read++; if (n.readAt <= end - PURGE_READ_AFTER - 10 * MINUTE) stale++; }
            }
        }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " charities " + CHARITIES_BY_CODE.size() + " volunteers " + svc.volunteers.size() + " shifts " + svc.shifts.size() + " inboxes " + svc.inboxes.size()
                + " notifications " + svc.notifications + " held " + held + " (unread " + unread + ", read " + read + ", read over 40 min ago " + stale + ", purged " + purged + ", largest inbox " + maxInbox + ") opens " + svc.opens + " sweeps " + svc.sweeps
                + " pages " + svc.rosterPages.size() + " (evicted " + svc.rosterPages.evicted + ") pool " + svc.pushBuffers.size() + " check-ins " + svc.checkInsWritten);
        check(CHARITIES_BY_CODE.size() == CHARITIES && svc.volunteers.size() == VOLUNTEERS && svc.shifts.size() == SHIFTS && svc.inboxes.size() == VOLUNTEERS, "reference data / directories");
        check(svc.notifications == events && svc.opens == events + (events + 1) / 2, "traffic");
        check(held + purged == events && unread + read == held, "inbox accounting");
        if (FIXED) check(stale == 0 && purged > 0 && held < events / 2, "read notifications purged: " + held);
        else check(held == events && purged == 0 && stale > events / 4, "inboxes keep every notification: " + held);
        check(svc.rosterPages.size() == PAGE_CAP && svc.rosterPages.evicted > 0, "roster page cache at cap");
        check(svc.pushBuffers.size() == POOL, "pool");
        check(svc.checkInsWritten == events && (events < RING || svc.checkIns[RING - 1] != null), "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
