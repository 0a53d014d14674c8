// hprofscan-dump: name=visitor-reception jvm="-Xmx200m" variants=mxbean args="healthy 3"
// hprofscan-dump: name=visitor-reception-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy 3"
// hprofscan-dump: name=visitor-reception-leak-1 jvm="-Xmx200m" variants=mxbean args="leak 1"
// hprofscan-dump: name=visitor-reception-leak-2 jvm="-Xmx200m" variants=mxbean args="leak 2"
// hprofscan-dump: name=visitor-reception-leak jvm="-Xmx200m" variants=mxbean args="leak 3"
// hprofscan-dump: name=visitor-reception-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="leak 3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tuning program (session 56): the reception desks of a network of coworking spaces.
 * Beside the sites (reference data), the member directory, a capped LRU of printed badges, a
 * pool of label buffers, a ring of recent door events and the roll call of who is on site
 * (touched all at once by the fire-safety roll call every 10 minutes, emptied by check-outs),
 * visitor profiles are kept in {@code VisitorCache.slots}, a hand-written time-to-idle cache
 * ({@code Slot.touchedAt}, refreshed by {@code get}; a sweep every minute removes slots idle
 * for 20 minutes). 60 door events a minute, 3 in 4 of them a visitor not seen before.
 * <ul>
 * <li>{@code healthy}: the occupancy report (every 10 minutes) reads every cached profile with
 * {@code peek}, which leaves {@code touchedAt} alone: the cache holds the visitors of the last
 * 20 minutes.
 * <li>{@code leak}: the report reads through {@code get}, which refreshes every slot: no slot
 * is ever idle for 20 minutes and the cache keeps every visitor since the start, each touched
 * last by the report (one instant) or by a door event since.
 * </ul>
 * Stage 1/2/3 simulate 2/4/8 hours. Counts depend only on the seeds; printed and checked.
 */
public final class VisitorReception {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR, IDLE = 20 * MINUTE, REPORT_EVERY = 10 * MINUTE;
    static final int SITES = 80, MEMBERS = 9_000, BADGE_CAP = 1_200, POOL = 6, RING = 4_096, EVENTS_PER_MINUTE = 60;

    record Site(String code, String city, int desks, byte[] floorPlan) {}

    record Member(long memberNo, String name, String plan, long joinedAt, byte[] photoHash) {}

    record DoorEvent(String site, long who, boolean in, long at) {}

    static final class VisitorProfile {
        final String visitorId, company, host;
        final byte[] ndaScan;
        final long registeredAt;

        VisitorProfile(String visitorId, String company, String host, byte[] ndaScan, long registeredAt) {
            this.visitorId = visitorId;
            this.company = company;
            this.host = host;
            this.ndaScan = ndaScan;
            this.registeredAt = registeredAt;
        }
    }

    /** A time-to-idle cache: a slot idle for {@link #IDLE} is swept. */
    static final class VisitorCache {
        static final class Slot {
            final VisitorProfile profile;
            long touchedAt;

            Slot(VisitorProfile profile, long at) {
                this.profile = profile;
                this.touchedAt = at;
            }
        }

        final Map<String, Slot> slots = new ConcurrentHashMap<>();
        long hits, loads, swept;

        VisitorProfile get(String id, long now) {
            Slot s = slots.get(id);
            if (s == null) return null;
            s.touchedAt = now;
            hits++;
            return s.profile;
        }

        VisitorProfile peek(String id) {
            Slot s = slots.get(id);
            return s == null ? null : s.profile;
        }

        void put(VisitorProfile p, long now) {
            slots.put(p.visitorId, new Slot(p, now));
            loads++;
        }

        void sweep(long now) {
            for (Iterator<Slot> it = slots.values().iterator(); it.hasNext();) {
                if (now - it.next().touchedAt > IDLE) {
                    it.remove();
                    swept++;
                }
            }
        }
    }

    /** Who is on site: a check-in adds, a check-out removes; the roll call touches everyone at once. */
    static final class RollCall {
        static final class Presence {
            final long memberNo;
            final String site;
            final byte[] badgePhoto;
            long lastRollCall;

            Presence(long memberNo, String site, byte[] badgePhoto, long at) {
                this.memberNo = memberNo;
                this.site = site;
                this.badgePhoto = badgePhoto;
                this.lastRollCall = at;
            }
        }

        final Map<Long, Presence> onSite = new HashMap<>();

        void call(long now) {
            for (Presence p : onSite.values()) p.lastRollCall = now;
        }
    }

    static final class BadgeCache extends LinkedHashMap<Long, byte[]> {
        long evicted;

        BadgeCache() {
            super(2_048, 0.75f, true);
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> e) {
            if (size() > BADGE_CAP) {
                evicted++;
                return true;
            }
            return false;
        }
    }

    static final class DoorService {
        final Map<String, Site> sites = new HashMap<>();
        final Map<Long, Member> members = new HashMap<>();
        final long[] memberNos = new long[MEMBERS];
        final VisitorCache visitors = new VisitorCache();
        final RollCall rollCall = new RollCall();
        final BadgeCache badges = new BadgeCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final DoorEvent[] recentEvents = new DoorEvent[RING];
        final List<String> recentVisitorIds = new ArrayList<>();
        long events, reports, reportedVisitors, newVisitors;
        final boolean refreshingReport;

        DoorService(boolean refreshingReport) {
            this.refreshingReport = refreshingReport;
        }

        /** The occupancy report: counts the cached visitors per host company. */
        void occupancyReport(long now) {
            Map<String, Integer> perCompany = new HashMap<>();
            for (String id : visitors.slots.keySet()) {
                // BUG (leak): get() refreshes touchedAt, so no slot ever idles out
                VisitorProfile p = refreshingReport ? visitors.get(id, now) : visitors.peek(id);
                if (p != null) perCompany.merge(p.company, 1, Integer::sum);
            }
            reports++;
            reportedVisitors += perCompany.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    static DoorService SERVICE;

    public static void main(String[] args) throws Exception {
        boolean leak = args[2].equals("leak");
        int stage = Integer.parseInt(args[3]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        simulate(leak, end - hours * HOUR, end);
        report(leak, stage);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void simulate(boolean leak, long start, long end) {
        Random ref = new Random(56_001);
        DoorService svc = new DoorService(leak);
        SERVICE = svc;
        for (int i = 0; i < SITES; i++) {
            String code = "CW-" + (200 + i);
            svc.sites.put(code, new Site(code, "City " + (i % 15), 40 + ref.nextInt(160), new byte[3_000 + ref.nextInt(2_000)]));
        }
        for (int i = 0; i < MEMBERS; i++) {
            long no = 7_100_000L + i * 13L;
            svc.memberNos[i] = no;
            svc.members.put(no, new Member(no, "Member " + no, i % 4 == 0 ? "dedicated" : "hot-desk", start - (1 + ref.nextInt(1_200)) * DAY, new byte[32]));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[24_576]);
        Random traffic = new Random(56_002), rolls = new Random(56_003);
        long nextSweep = start + MINUTE, nextReport = start + REPORT_EVERY;
        int seq = 0;
        for (long t = start; t < end; t += MINUTE) {
            while (nextSweep <= t) { svc.visitors.sweep(nextSweep); nextSweep += MINUTE; }
            while (nextReport <= t) { svc.occupancyReport(nextReport); svc.rollCall.call(nextReport); nextReport += REPORT_EVERY; }
            for (int k = 0; k < EVENTS_PER_MINUTE; k++) {
                long at = t + k * 1_000L;
                seq = doorEvent(svc, traffic, at, seq);
                memberMove(svc, rolls, at);
            }
        }
    }

    /** A visitor at a door: a new one registers (3 in 4), a returning one is looked up. */
    static int doorEvent(DoorService svc, Random r, long at, int seq) {
        String site = "CW-" + (200 + r.nextInt(SITES));
        List<String> recent = svc.recentVisitorIds;
        if (r.nextInt(4) > 0 || recent.isEmpty()) {
            String id = "VIS-" + (40_000 + seq++);
            VisitorProfile p = new VisitorProfile(id, "Company " + r.nextInt(2_500), "Member " + svc.memberNos[r.nextInt(MEMBERS)], new byte[300 + r.nextInt(300)], at);
            svc.visitors.put(p, at);
            recent.add(id);
            if (recent.size() > 600) recent.remove(0);
            svc.newVisitors++;
        } else {
            String id = recent.get(recent.size() - 1 - r.nextInt(Math.min(recent.size(), 600)));
            if (svc.visitors.get(id, at) == null) {
                svc.visitors.put(new VisitorProfile(id, "Company " + r.nextInt(2_500), "returning", new byte[300 + r.nextInt(300)], at), at);
            }
        }
        byte[] buf = svc.labelBuffers.poll();
        buf[(int) (at % buf.length)] = 1;
        svc.labelBuffers.add(buf);
        svc.recentEvents[(int) (svc.events++ % RING)] = new DoorEvent(site, seq, true, at);
        return seq;
    }

    /** A member checks in (printing a badge through the LRU) or out. */
    static void memberMove(DoorService svc, Random r, long at) {
        long no = svc.memberNos[r.nextInt(MEMBERS)];
        Map<Long, RollCall.Presence> on = svc.rollCall.onSite;
        if (on.containsKey(no) && r.nextInt(3) == 0) {
            on.remove(no);
        } else if (!on.containsKey(no) && on.size() < 1_500) {
            on.put(no, new RollCall.Presence(no, "CW-" + (200 + r.nextInt(SITES)), new byte[600], at));
            if (svc.badges.get(no) == null) svc.badges.put(no, new byte[400 + r.nextInt(200)]);
        }
    }

    static void report(boolean leak, int stage) {
        DoorService svc = SERVICE;
        VisitorCache c = svc.visitors;
        System.out.println((leak ? "leak" : "healthy") + " stage " + stage + " visitors cached " + c.slots.size() + " (new " + svc.newVisitors + ", loads " + c.loads + ", hits " + c.hits
                + ", swept " + c.swept + ") reports " + svc.reports + " on site " + svc.rollCall.onSite.size() + " badges " + svc.badges.size() + " (evicted " + svc.badges.evicted + ") events " + svc.events);
        check(svc.badges.size() == BADGE_CAP && svc.badges.evicted > 0, "badge LRU at its cap");
        check(svc.labelBuffers.size() == POOL && svc.recentEvents[RING - 1] != null, "pool and ring");
        check(svc.rollCall.onSite.size() > 1_000, "roll call");
        if (leak) check(c.swept == 0 && c.slots.size() == c.loads, "leak: nothing idles out");
        else check(c.swept > 0 && c.slots.size() < 1_500, "healthy: the last 20 minutes");
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("unexpected: " + what);
    }
}
