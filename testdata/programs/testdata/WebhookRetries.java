// hprofscan-dump: name=webhook-retries jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=webhook-retries-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="healthy"
// hprofscan-dump: name=webhook-retries-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=webhook-retries-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=mxbean args="leak"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedTransferQueue;

/**
 * The webhook service of a payments platform: 2,400 subscriptions (a directory loaded at
 * startup, each keeping its last 16 delivery outcomes for the dashboard), 4,000 events an
 * hour posted to their endpoints by dispatch workers through a hand-off queue
 * ({@code Dispatcher.handoff}, a {@code LinkedTransferQueue<Delivery>}: the backlog of the
 * last seconds), an LRU of request signatures, a ring of recent outcomes and a pool of body
 * buffers. A failed post becomes a {@code Retry} in {@code Dispatcher.retries} (a
 * {@code LinkedTransferQueue<Retry>} the retry workers drain every minute, re-queueing what is
 * not due), retried every minute, each failure appended to the retry's own
 * {@code failures} list. 2% of the posts meet a transient 503 and succeed on one of the next
 * three retries; 96 subscribers delete their endpoint (410 for ever) in the first six hours:
 * while a retry is pending for a subscription, its new events are parked (counted, dropped).
 * Twelve hours of traffic.
 * <ul>
 * <li>{@code healthy}: a retry gives up after 8 failures and disables the subscription: the
 * retry queue holds the few retries in progress. No leak.
 * <li>{@code leak}: no attempt limit: the 96 dead endpoints' retries stay queued, their
 * {@code failures} lists growing by one a minute (some 39,000 failures at the dump, none of
 * the lists big alone). The
 * queue's size is constant; the leak is {@code Retry.failures} in {@code Dispatcher.retries}.
 * </ul>
 * Fixed numbers (printed).
 */
public final class WebhookRetries {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final int SUBS = 2_400, PER_HOUR = 4_000, HOURS = 12, DEAD = 96, MAX_FAILURES = 8;
    static final int RECENT = 16, SIG_CAP = 2_000, RING = 8_192, BACKLOG = 1_200;

    record Tenant(String code, String name, byte[] settings) {}

    record Outcome(long deliveryId, int status, long at) {}

    record Failure(int status, String detail, long at) {}

    static final class Subscription {
        final String id;
        final String tenant;
        final String url;
        final byte[] secret;
        final long createdAt;
        boolean endpointGone;
        boolean disabled;
        boolean retrying;
        final ArrayDeque<Outcome> recent = new ArrayDeque<>();

        Subscription(String id, String tenant, String url, byte[] secret, long createdAt) {
            this.id = id;
            this.tenant = tenant;
            this.url = url;
            this.secret = secret;
            this.createdAt = createdAt;
        }

        void record(Outcome o) {
            if (recent.size() == RECENT) recent.pollFirst();
            recent.addLast(o);
        }
    }

    static final class Delivery {
        final long id;
        final Subscription to;
        final long createdAt;
        final byte[] body;

        Delivery(long id, Subscription to, long createdAt, byte[] body) {
            this.id = id;
            this.to = to;
            this.createdAt = createdAt;
            this.body = body;
        }
    }

    static final class Retry {
        final Delivery delivery;
        long nextAt;
        int transientLeft;
        final List<Failure> failures = new ArrayList<>();

        Retry(Delivery delivery, long nextAt, int transientLeft) {
            this.delivery = delivery;
            this.nextAt = nextAt;
            this.transientLeft = transientLeft;
        }
    }

    static final class Dispatcher {
        final LinkedTransferQueue<Delivery> handoff = new LinkedTransferQueue<>();
        final LinkedTransferQueue<Retry> retries = new LinkedTransferQueue<>();
        final Map<String, byte[]> signatures = new LinkedHashMap<>(SIG_CAP, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) {
                return size() > SIG_CAP;
            }
        };
        final Outcome[] ring = new Outcome[RING];
        int written;
        final ArrayDeque<byte[]> bodyBuffers = new ArrayDeque<>();
        long parked, givenUp, recovered;
    }

    static final Map<String, Tenant> TENANTS = new HashMap<>();
    static final Map<String, Subscription> SUBSCRIPTIONS = new HashMap<>();
    static Dispatcher DISPATCHER;

    public static void main(String[] args) throws Exception {
        boolean leak = args.length > 2 && args[2].equals("leak");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(71_113);
        for (int i = 0; i < 800; i++) {
            String code = "T" + (10_000 + i * 3);
            TENANTS.put(code, new Tenant(code, "Tenant " + i, new byte[3_000 + rnd.nextInt(2_000)]));
        }
        List<Subscription> subs = new ArrayList<>();
        for (int i = 0; i < SUBS; i++) {
            String id = "whsub_" + Long.toString(0x5f3a_0000L + i * 977L, 36);
            Subscription s = new Subscription(id, "T" + (10_000 + rnd.nextInt(800) * 3),
                    "https://hooks.example-" + rnd.nextInt(900) + ".com/in/" + i, new byte[1_000 + rnd.nextInt(1_000)],
                    start - (1 + rnd.nextInt(900)) * 24 * HOUR);
            subs.add(s);
            SUBSCRIPTIONS.put(id, s);
        }
        long[] deathAt = new long[SUBS];
        for (int i = 0; i < DEAD; i++) deathAt[i * (SUBS / DEAD)] = start + (long) (rnd.nextDouble() * 6 * HOUR);
        Dispatcher d = new Dispatcher();
        DISPATCHER = d;
        for (int i = 0; i < 6; i++) d.bodyBuffers.add(new byte[64 * 1024]);
        long total = (long) PER_HOUR * HOURS;
        long nextRound = start + MINUTE;
        long failures = 0;
        for (long k = 0; k < total; k++) {
            long t = start + (end - start - MINUTE) * k / total;
            while (nextRound <= t) {
                failures += retryRound(d, deathAt, subs, leak, nextRound);
                nextRound += MINUTE;
            }
            int si = rnd.nextInt(SUBS);
            Subscription s = subs.get(si);
            if (s.disabled) continue;
            if (deathAt[si] != 0 && deathAt[si] <= t) s.endpointGone = true;
            Delivery dl = new Delivery(k + 1, s, t, new byte[300 + rnd.nextInt(600)]);
            if (s.retrying) {
                d.parked++;
                continue;
            }
            d.signatures.put(s.id + ":" + (k + 1), new byte[300 + rnd.nextInt(300)]);
            if (s.endpointGone || rnd.nextInt(50) == 0) {
                Retry r = new Retry(dl, t + MINUTE, s.endpointGone ? -1 : 1 + rnd.nextInt(3));
                r.failures.add(failure(s.endpointGone ? 410 : 503, dl, t));
                failures++;
                s.retrying = true;
                d.retries.add(r);
            } else {
                outcome(d, s, new Outcome(dl.id, 200, t));
            }
        }
        for (long k = 0; k < BACKLOG; k++) {
            Subscription s = subs.get(rnd.nextInt(SUBS));
            d.handoff.add(new Delivery(total + k + 1, s, end - BACKLOG + k, new byte[300 + rnd.nextInt(600)]));
        }
        long queued = d.retries.size(), held = 0, max = 0;
        for (Retry r : d.retries) {
            held += r.failures.size();
            max = Math.max(max, r.failures.size());
        }
        subs = null;
        System.out.println((leak ? "leak" : "healthy") + " events " + total + " failures " + failures + " retries queued " + queued
                + " failures held " + held + " max " + max + " parked " + d.parked + " given up " + d.givenUp
                + " recovered " + d.recovered + " signatures " + d.signatures.size() + " backlog " + d.handoff.size());
        if (leak ? queued < DEAD || held < 30_000 : held > 2_000) throw new IllegalStateException("unexpected retries " + held);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    /** Retries every due retry at {@code t}; returns the failures added. */
    static long retryRound(Dispatcher d, long[] deathAt, List<Subscription> subs, boolean leak, long t) {
        List<Retry> due = new ArrayList<>();
        for (int n = d.retries.size(); n > 0; n--) {
            Retry r = d.retries.poll();
            if (r.nextAt <= t) due.add(r);
            else d.retries.add(r);
        }
        long failed = 0;
        for (Retry r : due) {
            Subscription s = r.delivery.to;
            if (!s.endpointGone && --r.transientLeft <= 0) {
                s.retrying = false;
                d.recovered++;
                outcome(d, s, new Outcome(r.delivery.id, 200, t));
                continue;
            }
            r.failures.add(failure(s.endpointGone ? 410 : 503, r.delivery, t));
            failed++;
            if (!leak && r.failures.size() >= MAX_FAILURES) {
                s.retrying = false;
                s.disabled = s.endpointGone;
                d.givenUp++;
                outcome(d, s, new Outcome(r.delivery.id, 410, t));
                continue;
            }
            r.nextAt = t + MINUTE;
            d.retries.add(r);
        }
        return failed;
    }

    static Failure failure(int status, Delivery dl, long t) {
        String detail = "POST " + dl.to.url + " -> " + status + (status == 410 ? " Gone" : " Service Unavailable")
                + " (delivery " + dl.id + ", trace " + Long.toHexString(t * 31 + dl.id) + ")";
        return new Failure(status, detail, t);
    }

    static void outcome(Dispatcher d, Subscription s, Outcome o) {
        s.record(o);
        d.ring[d.written++ % RING] = o;
    }
}
