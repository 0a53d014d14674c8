// hprofscan-dump: name=val74-leak-scoutgroups-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val74-leak-scoutgroups-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val74-leak-scoutgroups jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val74-leak-scoutgroups-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 74 (written blind), LEAK: the member app backend of a scout association. Troop
 * reference data, the youth-member directory, a cache of rendered badge certificates at its cap, a
 * pool of push-payload buffers, a ring of meeting attendance records, and a notification inbox for
 * each of the 3,000 adult app users (leaders and parents). When a user opens the app every unread
 * notification is marked read (read = true, readAt = now), but nothing ever deletes a notification:
 * each inbox's list grows with traffic while the map of inboxes keeps its 3,000 entries. See
 * VALIDATION74.md.
 */
public final class Val74LeakScoutGroups {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int TROOPS = 1_200, MEMBERS = 24_000, APP_USERS = 3_000, BADGE_CAP = 2_000, POOL = 8, RING = 8_192,
            NOTES_PER_HOUR = 6_000;
    static boolean FIXED;

    record Troop(String code, String district, double[] weeklyAttendance) {}
    record Member(String membershipNo, String troopCode, String section, byte[] consentForm, long joinedAt) {}
    record BadgeCertificate(String key, byte[] rendered, long at) {}
    record Attendance(String membershipNo, String troopCode, String meeting, long at) {}

    static final class Notification {
        final long id; final String kind, troopCode; final long createdAt; final byte[] body;
        boolean read; long readAt;
        Notification(long id, String kind, String troopCode, long createdAt, byte[] body) {
            this.id = id; this.kind = kind; this.troopCode = troopCode; this.createdAt = createdAt; this.body = body;
        }
    }

    static final class Inbox {
        final String userId;
        final ArrayList<Notification> items = new ArrayList<>();
        int unread; long opens, deleted;
        Inbox(String userId) { this.userId = userId; }
        void deliver(Notification n) { items.add(n); unread++; }
        void open(long at) {
            opens++;
            for (int k = items.size() - 1; k >= 0 && !items.get(k).read; k--) { items.get(k).read = true; items.get(k).readAt = at; }
            unread = 0;
            if (FIXED) { // the fix: a notification is deleted once it has been read (the app keeps its own copy)
                deleted += items.size();
                items.clear();
            }
            // BUG: read notifications are only flagged, never deleted
        }
    }

    static final class BadgeCache extends LinkedHashMap<String, BadgeCertificate> {
        long evicted;
        BadgeCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, BadgeCertificate> e) { if (size() > BADGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Troop> TROOPS_BY_CODE = new HashMap<>();

    static final class MemberApp {
        final Map<String, Member> members = new HashMap<>();
        final Map<String, Inbox> inboxes = new HashMap<>();
        final BadgeCache badges = new BadgeCache();
        final ArrayDeque<byte[]> pushBuffers = new ArrayDeque<>();
        final Attendance[] attendance = new Attendance[RING];
        long attendanceWritten, notificationsSent, opens;
    }

    static MemberApp SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val74.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        int notes = NOTES_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(74_010_001);
        String[] troopCodes = new String[TROOPS];
        for (int b = 0; b < TROOPS; b++) {
            double[] att = new double[64];
            for (int k = 0; k < att.length; k++) att[k] = rnd.nextDouble() * 40;
            troopCodes[b] = "TRP-" + (3_000 + b);
            TROOPS_BY_CODE.put(troopCodes[b], new Troop(troopCodes[b], "District " + (b % 90), att));
        }
        MemberApp svc = new MemberApp();
        SERVICE = svc;
        String[] sections = {"Beavers", "Cubs", "Scouts", "Explorers"};
        String[] memberNos = new String[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            memberNos[m] = "SM" + (4_100_000 + m * 3);
            svc.members.put(memberNos[m], new Member(memberNos[m], troopCodes[rnd.nextInt(TROOPS)], sections[m % sections.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        Inbox[] users = new Inbox[APP_USERS];
        for (int u = 0; u < APP_USERS; u++) {
            users[u] = new Inbox("AU-" + (20_000 + u));
            svc.inboxes.put(users[u].userId, users[u]);
        }
        for (int b = 0; b < POOL; b++) svc.pushBuffers.add(new byte[32_768]);
        Random traffic = new Random(74_010_002);
        String[] kinds = {"MEETING_REMINDER", "CAMP_UPDATE", "BADGE_AWARDED", "PAYMENT_DUE", "ROTA_CHANGE"};
        String[] meetings = {"Weekly meeting", "Hike", "Camp", "Community service"};
        for (int i = 0; i < notes; i++) {
            long t = start + (end - MINUTE - start) * i / notes;
            Inbox to = users[traffic.nextInt(APP_USERS)];
            to.deliver(new Notification(5_000_000L + i, kinds[traffic.nextInt(kinds.length)], troopCodes[traffic.nextInt(TROOPS)], t, new byte[60 + traffic.nextInt(60)]));
            svc.notificationsSent++;
            byte[] buf = svc.pushBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.pushBuffers.add(buf);
            int opens = i % 2 == 0 ? 2 : 1; // 9,000 app opens per hour
            for (int o = 0; o < opens; o++) {
                users[traffic.nextInt(APP_USERS)].open(t);
                svc.opens++;
                String key = "badge-" + traffic.nextInt(5_000);
                if (svc.badges.get(key) == null) svc.badges.put(key, new BadgeCertificate(key, new byte[400 + traffic.nextInt(400)], t));
            }
            String member = memberNos[traffic.nextInt(MEMBERS)];
            svc.attendance[(int) (svc.attendanceWritten++ % RING)] = new Attendance(member, svc.members.get(member).troopCode(), meetings[traffic.nextInt(meetings.length)], t);
        }
        long held = 0, unread = 0, read = 0; int maxInbox = 0;
        for (Inbox in : svc.inboxes.values()) {
            held += in.items.size(); unread += in.unread; maxInbox = Math.max(maxInbox, in.items.size());
            for (Notification n : in.items) if (n.read) read++;
        }
        System.out.println((FIXED ? "FIXED " : "") + "stage " + stage + " troops " + TROOPS_BY_CODE.size() + " members " + svc.members.size() + " inboxes " + svc.inboxes.size()
                + " notifications held " + held + " (read " + read + ", unread " + unread + ", max per inbox " + maxInbox + ") sent " + svc.notificationsSent + " opens " + svc.opens
                + " badges " + svc.badges.size() + " (evicted " + svc.badges.evicted + ") pool " + svc.pushBuffers.size() + " attendance written " + svc.attendanceWritten);
        check(TROOPS_BY_CODE.size() == TROOPS && svc.members.size() == MEMBERS && svc.inboxes.size() == APP_USERS, "reference data / directory / inboxes");
        check(svc.notificationsSent == notes && svc.opens == notes * 3L / 2 && read + unread == held, "traffic");
        if (FIXED) {
            for (Inbox in : svc.inboxes.values()) check(in.items.size() == in.unread, "fixed inbox " + in.userId);
        } else {
            check(held == notes, "inboxes keep every notification: " + held);
        }
        check(svc.badges.size() == BADGE_CAP && svc.badges.evicted > 0, "badge cache at cap");
        check(svc.pushBuffers.size() == POOL, "pool");
        check(svc.attendanceWritten == notes && svc.attendance[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
