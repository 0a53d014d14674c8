// hprofscan-dump: name=val53-healthy-climbinggyms-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val53-healthy-climbinggyms-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val53-healthy-climbinggyms jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val53-healthy-climbinggyms-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 53 (written blind), HEALTHY: the membership and check-in service of a chain of
 * climbing gyms. Gym reference data, the member directory, a cache of rendered route cards at its
 * cap, a pool of badge-printer buffers, a ring of recent check-ins (filling in the first hour, then
 * full), a webhook outbox to the franchise partners' CRMs (each partner has a LinkedList retry
 * queue; transient 5xx failures are retried every minute, permanent 4xx rejections are
 * dead-lettered into a capped dead-letter log of the newest 256), and a header canonicaliser whose
 * values carry no per-request part (user-agent stems, languages, countries: bounded). Warms up,
 * then plateaus. See VALIDATION53.md.
 */
public final class Val53HealthyClimbingGyms {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int GYMS = 1_400, MEMBERS = 26_000, CARD_CAP = 2_000, POOL = 8, RING = 16_384, PARTNERS = 80, DEAD_LETTER_CAP = 256;
    static final int CHECKINS_PER_HOUR = 6_000, EVENTS_PER_HOUR = 3_000;

    record Gym(String code, String city, double[] hourlyOccupancy) {}
    record Member(String memberId, String homeGym, String plan, byte[] waiver, long joinedAt) {}
    record RouteCard(String key, byte[] rendered, long at) {}
    record CheckIn(String memberId, String gymCode, String userAgent, long at) {}
    record DeadLetter(long eventId, String partnerId, String type, int status, int attempts, long firstAttemptAt, byte[] payload) {}

    static final class Delivery {
        final long eventId; final String partnerId, type; final byte[] payload;
        final int permanentStatus; int transientFailuresLeft, attempts, lastStatus;
        final long firstAttemptAt; long lastAttemptAt;
        Delivery(long eventId, String partnerId, String type, byte[] payload, int permanentStatus, int transientFailures, long at) {
            this.eventId = eventId; this.partnerId = partnerId; this.type = type; this.payload = payload;
            this.permanentStatus = permanentStatus; this.transientFailuresLeft = transientFailures; this.firstAttemptAt = at;
        }
    }

    static final class Partner {
        final String partnerId, endpoint;
        final LinkedList<Delivery> retryQueue = new LinkedList<>();
        long delivered;
        Partner(String partnerId, String endpoint) { this.partnerId = partnerId; this.endpoint = endpoint; }
    }

    static final class WebhookOutbox {
        final Map<String, Partner> partners = new HashMap<>();
        final ArrayDeque<DeadLetter> deadLetters = new ArrayDeque<>(); // newest DEAD_LETTER_CAP, for the ops page
        long published, accepted, transientFailures, deadLettered, retryRounds, maxQueued;

        int attempt(Delivery w, long t) {
            w.attempts++; w.lastAttemptAt = t;
            int status = w.permanentStatus != 0 ? w.permanentStatus : w.transientFailuresLeft-- > 0 ? 502 : 200;
            w.lastStatus = status;
            return status;
        }
        void settle(Partner p, Delivery w, int status) {
            if (status < 300) { accepted++; p.delivered++; return; }
            if (status >= 500) { transientFailures++; p.retryQueue.addLast(w); return; }
            deadLettered++; // permanent: never retried
            deadLetters.addLast(new DeadLetter(w.eventId, w.partnerId, w.type, status, w.attempts, w.firstAttemptAt, w.payload));
            if (deadLetters.size() > DEAD_LETTER_CAP) deadLetters.removeFirst();
        }
        void publish(Partner p, Delivery w, long t) { published++; settle(p, w, attempt(w, t)); }
        void retryRound(long t) {
            retryRounds++;
            long queued = 0;
            for (Partner p : partners.values()) {
                for (int n = p.retryQueue.size(); n > 0; n--) { Delivery w = p.retryQueue.pollFirst(); settle(p, w, attempt(w, t)); }
                queued += p.retryQueue.size();
            }
            maxQueued = Math.max(maxQueued, queued);
        }
        long queued() { long q = 0; for (Partner p : partners.values()) q += p.retryQueue.size(); return q; }
    }

    static final class HeaderCanonicalizer {
        final Map<String, String> pool = new HashMap<>();
        long lookups, hits;
        String canonical(String v) { lookups++; String c = pool.putIfAbsent(v, v); if (c != null) { hits++; return c; } return v; }
    }

    static final class CardCache extends LinkedHashMap<String, RouteCard> {
        long evicted;
        CardCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, RouteCard> e) { if (size() > CARD_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Gym> GYMS_BY_CODE = new HashMap<>();

    static final class GymService {
        final Map<String, Member> members = new HashMap<>();
        final CardCache cards = new CardCache();
        final ArrayDeque<byte[]> badgeBuffers = new ArrayDeque<>();
        final CheckIn[] checkIns = new CheckIn[RING];
        long checkInsWritten;
        final WebhookOutbox outbox = new WebhookOutbox();
        final HeaderCanonicalizer headers = new HeaderCanonicalizer();
    }

    static GymService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(53_050_001);
        String[] gymCodes = new String[GYMS];
        for (int g = 0; g < GYMS; g++) {
            double[] occ = new double[64];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            gymCodes[g] = "GYM-" + (400 + g);
            GYMS_BY_CODE.put(gymCodes[g], new Gym(gymCodes[g], "City " + (g % 200), occ));
        }
        GymService svc = new GymService();
        SERVICE = svc;
        String[] memberIds = new String[MEMBERS];
        String[] plans = {"monthly", "annual", "10-visit", "student", "family"};
        for (int m = 0; m < MEMBERS; m++) {
            memberIds[m] = "M" + (2_000_000 + m * 11);
            svc.members.put(memberIds[m], new Member(memberIds[m], gymCodes[rnd.nextInt(GYMS)], plans[m % plans.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_500)) * 24 * HOUR));
        }
        Partner[] partners = new Partner[PARTNERS];
        for (int p = 0; p < PARTNERS; p++) {
            partners[p] = new Partner("FR-" + (100 + p), "https://crm.franchise" + p + ".example/hooks/checkins");
            svc.outbox.partners.put(partners[p].partnerId, partners[p]);
        }
        for (int b = 0; b < POOL; b++) svc.badgeBuffers.add(new byte[32_768]);
        String[] appVersions = {"3.4.0", "3.3.2", "3.3.1", "3.2.7"};
        String[] devices = {"iPhone14,3; iOS 17.2", "iPhone15,2; iOS 17.1", "Pixel 8; Android 14", "SM-S911B; Android 14", "SM-A546B; Android 13", "iPad13,1; iPadOS 17.2"};
        String[] kiosks = {"GymKiosk/2.1 (Linux; armv7l)", "GymKiosk/2.0 (Linux; armv7l)"};
        String[] stems = new String[appVersions.length * devices.length + kiosks.length];
        int n = 0;
        for (String a : appVersions) for (String d : devices) stems[n++] = "Cragly/" + a + " (" + d + ") okhttp/4.12.0";
        for (String k : kiosks) stems[n++] = k;
        String[] languages = {"en-GB", "en-US", "de-DE", "fr-FR", "es-ES", "nl-NL", "sv-SE", "it-IT"};
        String[] types = {"member.checked_in", "member.joined", "plan.changed", "class.booked"};
        int[] permanent = {400, 404, 422};
        Random traffic = new Random(53_050_002);
        Random hooks = new Random(53_050_003);
        int checkins = CHECKINS_PER_HOUR * hours, events = EVENTS_PER_HOUR * hours;
        long nextRound = start + MINUTE;
        int eventIndex = 0, rejectedEvents = 0;
        for (int i = 0; i < checkins; i++) {
            long t = start + (end - MINUTE - start) * i / checkins;
            while (nextRound <= t) { svc.outbox.retryRound(nextRound); nextRound += MINUTE; }
            String member = memberIds[traffic.nextInt(MEMBERS)];
            String gym = gymCodes[traffic.nextInt(GYMS)];
            String ua = svc.headers.canonical(new String(stems[traffic.nextInt(stems.length)]));
            svc.headers.canonical(new String(languages[traffic.nextInt(languages.length)]));
            svc.checkIns[(int) (svc.checkInsWritten++ % RING)] = new CheckIn(member, gym, ua, t);
            String key = gym + "/wall-" + traffic.nextInt(6);
            if (svc.cards.get(key) == null) svc.cards.put(key, new RouteCard(key, new byte[500 + traffic.nextInt(500)], t));
            byte[] buf = svc.badgeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.badgeBuffers.add(buf);
            if (i % 2 == 1) { // every second check-in produces one webhook event
                Partner p = partners[hooks.nextInt(PARTNERS)];
                double q = hooks.nextDouble();
                int perm = q < 0.04 ? permanent[hooks.nextInt(permanent.length)] : 0;
                int trans = q >= 0.04 && q < 0.07 ? 1 + hooks.nextInt(3) : 0;
                if (perm != 0) rejectedEvents++;
                svc.outbox.publish(p, new Delivery(55_000_000L + eventIndex++, p.partnerId, types[hooks.nextInt(types.length)], new byte[600 + hooks.nextInt(1_200)], perm, trans, t), t);
            }
        }
        while (nextRound <= end - MINUTE) { svc.outbox.retryRound(nextRound); nextRound += MINUTE; }
        WebhookOutbox o = svc.outbox;
        System.out.println("stage " + stage + " gyms " + GYMS_BY_CODE.size() + " members " + svc.members.size() + " check-ins " + svc.checkInsWritten + " ring " + Math.min(RING, svc.checkInsWritten) + " cards " + svc.cards.size() + " (evicted " + svc.cards.evicted + ") pool " + svc.badgeBuffers.size()
                + " webhooks published " + o.published + " accepted " + o.accepted + " rejected " + rejectedEvents + " dead letters kept " + o.deadLetters.size() + " queued " + o.queued() + " (max " + o.maxQueued + ") retry rounds " + o.retryRounds
                + " canonical pool " + svc.headers.pool.size() + " (lookups " + svc.headers.lookups + ", hits " + svc.headers.hits + ")");
        check(GYMS_BY_CODE.size() == GYMS && svc.members.size() == MEMBERS && o.partners.size() == PARTNERS, "reference data / directories");
        check(svc.checkInsWritten == checkins && svc.checkIns[Math.min(RING, checkins) - 1] != null, "check-in ring");
        check(o.published == events && o.deadLettered == rejectedEvents && o.deadLetters.size() == Math.min(DEAD_LETTER_CAP, rejectedEvents), "dead letters capped");
        check(o.queued() < 60 && o.retryRounds == (long) hours * 60 - 1 && o.accepted + o.deadLettered + o.queued() == events, "retry queues hold only transient failures: " + o.queued());
        check(svc.headers.pool.size() == stems.length + languages.length, "canonical pool bounded: " + svc.headers.pool.size());
        check(svc.cards.size() == CARD_CAP && svc.cards.evicted > 0, "card cache at cap");
        check(svc.badgeBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
