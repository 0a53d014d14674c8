// hprofscan-dump: name=tenant-notices jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=tenant-notices-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy"
// hprofscan-dump: name=tenant-notices-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=tenant-notices-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=mxbean args="leak"
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The tenant portal of a property manager: each of 2,500 tenants ({@code Portal.tenants}, a
 * {@code HashMap<String, Tenant>} filled at startup) has a notice board ({@code Tenant.notices},
 * an {@code ArrayList<Notice>}) that receives maintenance visits, rent reminders and building
 * news, 5,000 an hour. A tenant logs in every 140-180 minutes; the notices waiting are then
 * marked viewed ({@code viewedAt}, zero until then). Beside it: the buildings loaded at startup, an
 * LRU of rendered statements and a ring of recent payments. Eight hours of traffic.
 * <ul>
 * <li>{@code healthy}: a sweep every minute archives (removes) the notices viewed more than 55
 * minutes ago. The boards hold the notices waiting for their tenant's next login and those viewed
 * in the last 55 minutes: about 60% of them were created an hour or more before the dump (a
 * notice waits up to three hours), but only a quarter were last touched that long ago, and
 * {@code viewedAt} is set on only about 40% of them (zero on the others). No leak.
 * <li>{@code leak}: the sweep compares {@code viewedAt} with the wrong clock and archives
 * nothing: the boards keep every notice of the eight hours. The leak is
 * {@code Tenant.notices}.
 * </ul>
 * Deterministic (seeded) counts, printed; nothing in main's frame refers to a notice at the dump.
 */
public final class TenantNotices {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final int TENANTS = 2_500, PER_HOUR = 5_000, HOURS = 8, BUILDINGS = 300, STATEMENTS_CAP = 1_200, RING = 2_048;
    static final long ARCHIVE_AFTER = 55 * MINUTE;
    static final String[] KINDS = {"MAINTENANCE_VISIT", "RENT_REMINDER", "BUILDING_NEWS", "PARCEL_WAITING"};

    record Building(String code, String street, double[] occupancyByMonth) {}

    record Payment(String tenantId, long cents, long at) {}

    static final class Notice {
        final long id;
        final String kind, buildingCode;
        final long createdAt;
        final byte[] body;
        long viewedAt;

        Notice(long id, String kind, String buildingCode, long createdAt, byte[] body) {
            this.id = id;
            this.kind = kind;
            this.buildingCode = buildingCode;
            this.createdAt = createdAt;
            this.body = body;
        }
    }

    static final class Tenant {
        final String id, buildingCode;
        final ArrayList<Notice> notices = new ArrayList<>();
        long lastLogin, nextLogin;
        final int loginEvery;

        Tenant(String id, String buildingCode, int loginEvery, long nextLogin) {
            this.id = id;
            this.buildingCode = buildingCode;
            this.loginEvery = loginEvery;
            this.nextLogin = nextLogin;
        }

        /** Marks the waiting notices viewed. */
        void login(long at) {
            lastLogin = at;
            for (Notice n : notices) if (n.viewedAt == 0) n.viewedAt = at;
        }

        /** Removes the notices viewed before {@code cutoff}; how many. */
        int archive(long cutoff) {
            int removed = 0;
            for (Iterator<Notice> it = notices.iterator(); it.hasNext(); ) {
                long viewed = it.next().viewedAt;
                if (viewed != 0 && viewed < cutoff) {
                    it.remove();
                    removed++;
                }
            }
            return removed;
        }
    }

    static final class Portal {
        final Map<String, Tenant> tenants = new HashMap<>();
        final Map<String, Building> buildings = new HashMap<>();
        final Map<String, byte[]> statements = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) {
                return size() > STATEMENTS_CAP;
            }
        };
        final Payment[] recentPayments = new Payment[RING];
        final boolean leak;
        long sent, archived, logins, payments;

        Portal(boolean leak) {
            this.leak = leak;
        }

        /** The minute's sweep: archives what was viewed more than {@link #ARCHIVE_AFTER} ago. */
        void sweep(long now) {
            // The bug: the cutoff is taken in seconds, so no millisecond viewedAt is ever below it.
            long cutoff = leak ? (now - ARCHIVE_AFTER) / 1_000 : now - ARCHIVE_AFTER;
            for (Tenant t : tenants.values()) archived += t.archive(cutoff);
        }
    }

    static Portal PORTAL;

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("unexpected: " + what);
    }

    static void simulate(Portal p, long start, long end) {
        Random rnd = new Random(61_507);
        Tenant[] byIndex = new Tenant[TENANTS];
        for (int b = 0; b < BUILDINGS; b++) {
            double[] occ = new double[120];
            for (int m = 0; m < occ.length; m++) occ[m] = 0.7 + rnd.nextDouble() * 0.3;
            String code = "BLD-" + (4_000 + b);
            p.buildings.put(code, new Building(code, (10 + b) + " Harbour Street", occ));
        }
        for (int i = 0; i < TENANTS; i++) {
            int every = 140 + rnd.nextInt(41);
            String id = "TEN-" + (300_000 + i * 11);
            byIndex[i] = new Tenant(id, "BLD-" + (4_000 + rnd.nextInt(BUILDINGS)), every, start + rnd.nextInt(every) * MINUTE);
            p.tenants.put(id, byIndex[i]);
        }
        int perMinute = PER_HOUR / 60;
        long noticeId = 90_000_000L;
        for (long t = start; t < end; t += MINUTE) {
            for (int k = 0; k < perMinute; k++) {
                Tenant to = byIndex[rnd.nextInt(TENANTS)];
                to.notices.add(new Notice(noticeId++, KINDS[rnd.nextInt(KINDS.length)], to.buildingCode, t + k * (MINUTE / perMinute), new byte[80 + rnd.nextInt(80)]));
                p.sent++;
            }
            for (Tenant te : byIndex) {
                if (te.nextLogin <= t) {
                    te.login(t);
                    te.nextLogin = t + te.loginEvery * MINUTE;
                    p.logins++;
                    p.statements.put(te.id + "/" + (t / HOUR), new byte[600 + rnd.nextInt(600)]);
                }
            }
            for (int k = 0; k < 3; k++) {
                Tenant payer = byIndex[rnd.nextInt(TENANTS)];
                p.recentPayments[(int) (p.payments++ % RING)] = new Payment(payer.id, 50_000 + rnd.nextInt(150_000), t);
            }
            p.sweep(t);
        }
    }

    public static void main(String[] args) throws Exception {
        boolean leak = args.length > 2 && args[2].equals("leak");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        PORTAL = new Portal(leak);
        simulate(PORTAL, end - HOURS * HOUR, end);
        report(PORTAL, end);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /** Prints the counts and checks them (a method of its own: main's frame keeps no notice). */
    static void report(Portal p, long end) {
        long held = 0, viewed = 0, createdOld = 0, idle = 0;
        for (Tenant t : p.tenants.values()) {
            for (Notice n : t.notices) {
                held++;
                if (n.viewedAt != 0) viewed++;
                if (n.createdAt < end - HOUR) createdOld++;
                if (Math.max(n.createdAt, n.viewedAt) < end - HOUR) idle++;
            }
        }
        System.out.println((p.leak ? "leak" : "healthy") + " tenants " + p.tenants.size() + " notices sent " + p.sent + " held " + held + " (viewed " + viewed
                + ", created over 1 h before " + createdOld + ", last touched over 1 h before " + idle + ") archived " + p.archived + " logins " + p.logins
                + " statements " + p.statements.size() + " buildings " + p.buildings.size());
        check(held + p.archived == p.sent, "every notice held or archived");
        check(p.leak ? p.archived == 0 : held < p.sent / 3, "archived as the variant says");
    }
}
