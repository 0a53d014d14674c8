// hprofscan-dump: name=val90-healthy-alumninetwork-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val90-healthy-alumninetwork-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val90-healthy-alumninetwork jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val90-healthy-alumninetwork-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 90 (written blind), HEALTHY: the member platform of a university alumni
 * association. Chapter reference data, the alumni directory, one notification inbox per chapter
 * officer (a Deque capped at the latest 100 on every push), a cache of rendered event pages at its
 * cap, a ring of recent donations, a pool of mail-merge buffers, and the viewer sessions of the
 * reunion webcasts, tracked with WeakReferences registered with a ReferenceQueue that a reaper
 * polls every minute (cleared references are removed from the tracked list). One JVM shutdown hook
 * is registered at startup. Warms up (the inboxes and the donation ring fill) and then plateaus.
 * See VALIDATION90.md.
 */
public final class Val90HealthyAlumniNetwork {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int CHAPTERS = 1_200, ALUMNI = 24_000, OFFICERS = 600, INBOX_KEEP = 100, PAGE_CAP = 2_000, POOL = 8, RING = 8_192,
            VIEWERS_LIVE = 30, NOTIFICATIONS_PER_HOUR = 25_000;

    record Chapter(String code, String city, double[] attendanceByMonth) {}
    record Alumnus(String memberId, String chapterCode, String name, byte[] careerProfile, long graduatedAt) {}
    record EventPage(String key, byte[] rendered, long at) {}
    record Donation(String memberId, String fund, long amountCents, long at) {}
    record Notification(long id, String kind, String memberId, long at, byte[] body) {}

    /** An officer's inbox: the cap is enforced on every push. */
    static final class Inbox {
        final String officerId;
        final Deque<Notification> items = new ArrayDeque<>();
        long delivered, dropped, opens;
        Inbox(String officerId) { this.officerId = officerId; }
        void push(Notification n) {
            items.addLast(n);
            delivered++;
            while (items.size() > INBOX_KEEP) { items.removeFirst(); dropped++; }
        }
        void open() { opens++; }
    }

    /** A webcast viewer session (holds its player's segment buffer). */
    static final class ViewerSession {
        final String memberId; final long startedAt; final byte[] segmentBuffer;
        ViewerSession(String memberId, long startedAt, byte[] segmentBuffer) { this.memberId = memberId; this.startedAt = startedAt; this.segmentBuffer = segmentBuffer; }
    }

    static final class SessionRef extends WeakReference<ViewerSession> {
        final long sessionNo; final long startedAt;
        SessionRef(ViewerSession s, long sessionNo, ReferenceQueue<? super ViewerSession> q) { super(s, q); this.sessionNo = sessionNo; this.startedAt = s.startedAt; }
    }

    static final class SessionTracker {
        final ReferenceQueue<ViewerSession> ended = new ReferenceQueue<>();
        final LinkedList<SessionRef> tracked = new LinkedList<>();
        long registered, reaped, reaperRuns;
        void track(ViewerSession s) { tracked.add(new SessionRef(s, registered++, ended)); }
        void reap() {
            reaperRuns++;
            Set<SessionRef> gone = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Reference<? extends ViewerSession> r; (r = ended.poll()) != null; ) gone.add((SessionRef) r); // viewer-minutes are billed here
            if (!gone.isEmpty()) { tracked.removeIf(gone::contains); reaped += gone.size(); }
        }
    }

    static final class PageCache extends LinkedHashMap<String, EventPage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, EventPage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Chapter> CHAPTERS_BY_CODE = new HashMap<>();

    static final class MemberPlatform {
        final Map<String, Alumnus> alumni = new HashMap<>();
        final Map<String, Inbox> inboxes = new HashMap<>();
        final PageCache pages = new PageCache();
        final Donation[] donations = new Donation[RING];
        long donationCount;
        final ArrayDeque<byte[]> mergeBuffers = new ArrayDeque<>();
        final SessionTracker viewers = new SessionTracker();
        final LinkedHashMap<Long, ViewerSession> liveViewers = new LinkedHashMap<>();

        void watch(String memberId, long at, Random r) {
            ViewerSession s = new ViewerSession(memberId, at, new byte[1_024 + r.nextInt(1_024)]);
            viewers.track(s);
            liveViewers.put(viewers.registered, s);
            if (liveViewers.size() > VIEWERS_LIVE) {
                Iterator<ViewerSession> it = liveViewers.values().iterator();
                it.next();
                it.remove();
            }
        }
    }

    static MemberPlatform SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    @SuppressWarnings("deprecation")
    static void awaitEnqueued(SessionTracker t) throws InterruptedException {
        for (int attempt = 0; attempt < 200; attempt++) {
            System.gc();
            Thread.sleep(50);
            int pending = 0;
            for (SessionRef r : t.tracked) if (r.refersTo(null) && !r.isEnqueued()) pending++;
            if (pending == 0) return;
        }
        throw new IllegalStateException("cleared references not enqueued");
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int notifications = NOTIFICATIONS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(90_050_001);
        String[] chapterCodes = new String[CHAPTERS];
        for (int c = 0; c < CHAPTERS; c++) {
            double[] att = new double[64];
            for (int k = 0; k < att.length; k++) att[k] = rnd.nextDouble() * 120;
            chapterCodes[c] = "CHP-" + (300 + c);
            CHAPTERS_BY_CODE.put(chapterCodes[c], new Chapter(chapterCodes[c], "City " + (c % 400), att));
        }
        MemberPlatform svc = new MemberPlatform();
        SERVICE = svc;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { }, "mail-queue-flush"));
        String[] memberIds = new String[ALUMNI];
        for (int a = 0; a < ALUMNI; a++) {
            memberIds[a] = "ALM" + (1_900_000 + a * 3);
            svc.alumni.put(memberIds[a], new Alumnus(memberIds[a], chapterCodes[rnd.nextInt(CHAPTERS)], "Alumnus " + a, new byte[150 + rnd.nextInt(150)], now - (long) (365 + rnd.nextInt(18_000)) * 24 * HOUR));
        }
        Inbox[] inboxByIndex = new Inbox[OFFICERS];
        for (int o = 0; o < OFFICERS; o++) {
            inboxByIndex[o] = new Inbox("OFF-" + (8_000 + o));
            svc.inboxes.put(inboxByIndex[o].officerId, inboxByIndex[o]);
        }
        for (int b = 0; b < POOL; b++) svc.mergeBuffers.add(new byte[32_768]);
        Random traffic = new Random(90_050_002);
        String[] kinds = {"RSVP", "DONATION", "MENTOR_REQUEST", "EVENT_CHANGE", "NEW_MEMBER"};
        String[] funds = {"Scholarships", "Library", "Athletics", "Annual fund", "Research"};
        long nextReap = start + MINUTE;
        for (int i = 0; i < notifications; i++) {
            long t = start + (end - MINUTE - start) * i / notifications;
            while (nextReap <= t) { svc.viewers.reap(); nextReap += MINUTE; }
            String member = memberIds[traffic.nextInt(ALUMNI)];
            Inbox inbox = inboxByIndex[traffic.nextInt(OFFICERS)];
            inbox.push(new Notification(50_000_000L + i, kinds[traffic.nextInt(kinds.length)], member, t, new byte[24 + traffic.nextInt(32)]));
            if (traffic.nextInt(10) == 0) inbox.open();
            if (i % 8 == 0) {
                svc.donations[(int) (svc.donationCount++ % RING)] = new Donation(member, funds[traffic.nextInt(funds.length)], 500 + traffic.nextInt(500_000), t);
                byte[] buf = svc.mergeBuffers.poll();
                buf[i % buf.length] = (byte) i;
                svc.mergeBuffers.add(buf);
            }
            if (i % 4 == 1) svc.watch(member, t, traffic);
            if (i % 5 == 2) {
                String key = "event-" + traffic.nextInt(4_000);
                if (svc.pages.get(key) == null) svc.pages.put(key, new EventPage(key, new byte[600 + traffic.nextInt(600)], t));
            }
        }
        awaitEnqueued(svc.viewers);
        svc.viewers.reap(); // the reaper's pass after the last ended sessions were collected
        awaitEnqueued(svc.viewers);
        long held = 0, delivered = 0, dropped = 0;
        int minHeld = Integer.MAX_VALUE, maxHeld = 0;
        for (Inbox in : svc.inboxes.values()) {
            held += in.items.size(); delivered += in.delivered; dropped += in.dropped;
            minHeld = Math.min(minHeld, in.items.size()); maxHeld = Math.max(maxHeld, in.items.size());
        }
        SessionTracker v = svc.viewers;
        int expectedDonations = (notifications + 7) / 8;
        System.out.println("stage " + stage + " chapters " + CHAPTERS_BY_CODE.size() + " alumni " + svc.alumni.size() + " inboxes " + svc.inboxes.size() + " notifications held " + held
                + " (delivered " + delivered + ", dropped " + dropped + ", min " + minHeld + " max " + maxHeld + " per inbox) donations " + svc.donationCount
                + " viewer refs " + v.tracked.size() + " (registered " + v.registered + ", reaped " + v.reaped + " in " + v.reaperRuns + " reaper runs) live viewers " + svc.liveViewers.size()
                + " pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.mergeBuffers.size());
        check(CHAPTERS_BY_CODE.size() == CHAPTERS && svc.alumni.size() == ALUMNI && svc.inboxes.size() == OFFICERS, "reference data / directories");
        check(delivered == notifications && held + dropped == delivered && maxHeld <= INBOX_KEEP, "inboxes capped");
        if (stage >= 2) check(minHeld == INBOX_KEEP && held == (long) OFFICERS * INBOX_KEEP, "inboxes full: " + held);
        else check(held == notifications && dropped == 0, "inboxes filling: " + held);
        check(v.tracked.size() == VIEWERS_LIVE && svc.liveViewers.size() == VIEWERS_LIVE && v.reaped == v.registered - VIEWERS_LIVE, "viewer tracker reaped: " + v.tracked.size());
        check(svc.donationCount == expectedDonations && (stage == 1 ? svc.donations[RING - 1] == null : svc.donations[RING - 1] != null), "donation ring");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.mergeBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
