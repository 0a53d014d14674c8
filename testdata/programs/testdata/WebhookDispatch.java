// hprofscan-dump: name=webhook-dispatch jvm="-Xmx128m" variants=mxbean args="healthy"
// hprofscan-dump: name=webhook-dispatch-parallel jvm="-Xmx128m -XX:+UseParallelGC" variants=mxbean args="healthy"
// hprofscan-dump: name=webhook-dispatch-leak jvm="-Xmx128m" variants=mxbean args="leak"
// hprofscan-dump: name=webhook-dispatch-leak-serial jvm="-Xmx128m -XX:+UseSerialGC" variants=mxbean args="leak"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

/**
 * A webhook dispatcher dumped while its sender thread is inside a pass over the pending
 * deliveries: the thread's frame holds the {@code LinkedHashMap} entry iterator and the entry
 * being sent, blocked on the network. Through the entries' {@code before}/{@code after} links the
 * iterator reaches every entry, so the map dominates none of them. An endpoint checker thread is
 * likewise blocked inside a pass over the endpoint directory (a {@code LinkedHashMap} too).
 *
 * <p>{@code Dispatcher.pending} ({@code LinkedHashMap<String, Delivery>}, by delivery id) gets a
 * delivery per event over 8 hours (48,000 events, one every 0.6 s). A delivery is removed when
 * its endpoint acknowledges it. Leak: acknowledgements with status 410 (endpoint gone, every 6th
 * event's endpoint) are logged and the delivery stays: 8,000 deliveries held, spread over the 8
 * hours, each with its 256..383-byte payload. Healthy: every acknowledged delivery is removed and
 * acknowledgements come 30 s to 4 min after sending: some hundreds pending, all recent.
 *
 * <p>Beside it: endpoints (3,000 subscriptions loaded at start, in registration order, each with its secret and event
 * types), a per-endpoint attempt counter (3,000 entries), a ring of the last 2,048 delivery
 * outcomes, and a pool of 32 reusable 16 KB send buffers.
 */
public final class WebhookDispatch {
    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final int EVENTS = 48_000;
    static final int ENDPOINTS = 3_000;

    record Endpoint(int id, String url, String secret, String[] eventTypes, long registeredAt) {}

    static final class Delivery {
        final String id;
        final int endpoint;
        final String eventType;
        final long createdAt;
        final byte[] payload;
        long sentAt;
        long goneAt;
        int attempts;

        Delivery(String id, int endpoint, String eventType, long createdAt, byte[] payload) {
            this.id = id;
            this.endpoint = endpoint;
            this.eventType = eventType;
            this.createdAt = createdAt;
            this.payload = payload;
        }
    }

    record Outcome(String deliveryId, int status, long at) {}

    static final class Dispatcher {
        final Map<String, Delivery> pending = new LinkedHashMap<>();
        final Map<Integer, Endpoint> endpoints = new LinkedHashMap<>();
        final Map<Integer, int[]> attemptsByEndpoint = new HashMap<>();
        final ArrayDeque<Outcome> recent = new ArrayDeque<>();
        final ArrayDeque<byte[]> buffers = new ArrayDeque<>();
        long removed;
        long gone;

        void record(Outcome o) {
            recent.addLast(o);
            if (recent.size() > 2_048) recent.removeFirst();
        }

        /** One pass: sends what is unsent, handles acknowledgements due by {@code at}. */
        void pass(long at, long[] ackAt, boolean leak) {
            for (Iterator<Delivery> it = pending.values().iterator(); it.hasNext(); ) {
                Delivery d = it.next();
                int n = Integer.parseInt(d.id.substring(4));
                if (d.sentAt == 0) {
                    d.sentAt = at;
                    d.attempts++;
                    attemptsByEndpoint.computeIfAbsent(d.endpoint, k -> new int[1])[0]++;
                } else if (d.goneAt == 0 && ackAt[n] <= at) {
                    int status = d.endpoint % 6 == 0 ? 410 : 200;
                    record(new Outcome(d.id, status, at));
                    if (status == 410) {
                        gone++;
                        d.goneAt = at;
                    }
                    if (status == 200 || !leak) {
                        it.remove();
                        removed++;
                    }
                }
            }
        }
    }

    static final Dispatcher DISPATCHER = new Dispatcher();
    static final CountDownLatch SENDING = new CountDownLatch(1);
    static final CountDownLatch CHECKING = new CountDownLatch(1);
    static final CountDownLatch NETWORK = new CountDownLatch(1);

    /** The sender thread's pass at the dump: blocked sending the 10th unsent-or-due delivery. */
    static void senderPass() {
        int seen = 0;
        for (Map.Entry<String, Delivery> e : DISPATCHER.pending.entrySet()) {
            if (++seen == 10) {
                send(e.getValue());
            }
        }
    }

    /** The endpoint checker's pass at the dump: blocked probing the 1,500th endpoint. */
    static void checkerPass() {
        int seen = 0;
        for (Iterator<Endpoint> it = DISPATCHER.endpoints.values().iterator(); it.hasNext(); ) {
            Endpoint e = it.next();
            if (++seen == 1_500) {
                CHECKING.countDown();
                try {
                    NETWORK.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    static void send(Delivery d) {
        byte[] buf = DISPATCHER.buffers.peekFirst();
        System.arraycopy(d.payload, 0, buf, 0, Math.min(buf.length, d.payload.length));
        SENDING.countDown();
        try {
            NETWORK.await();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    static void load(Dispatcher d, Random rnd, long start) {
        String[] types = {"order.created", "order.paid", "order.shipped", "refund.issued", "customer.updated"};
        for (int i = 0; i < ENDPOINTS; i++) {
            String[] mine = {types[i % types.length], types[(i + 2) % types.length]};
            d.endpoints.put(i, new Endpoint(i, "https://hooks.example-" + i + ".com/in", "whsec_" + Long.toHexString(rnd.nextLong()),
                    mine, start - (i + 1) * HOUR));
        }
        for (int i = 0; i < 32; i++) d.buffers.add(new byte[16 * 1024]);
    }

    static void simulate(Dispatcher d, boolean leak, long start, long end) {
        Random rnd = new Random(52_017);
        load(d, rnd, start);
        long[] ackAt = new long[EVENTS];
        long nextPass = start + 10 * SECOND;
        for (int i = 0; i < EVENTS; i++) {
            long t = start + (end - start - MINUTE) * i / EVENTS;
            while (nextPass <= t) {
                d.pass(nextPass, ackAt, leak);
                nextPass += 10 * SECOND;
            }
            int ep = i % ENDPOINTS;
            String id = "dlv-" + i;
            d.pending.put(id, new Delivery(id, ep, d.endpoints.get(ep).eventTypes()[i % 2], t, new byte[256 + rnd.nextInt(128)]));
            ackAt[i] = t + 30 * SECOND + rnd.nextInt(210) * SECOND;
        }
        d.pass(nextPass, ackAt, leak);
    }

    static void report(Dispatcher d, boolean leak, long end) {
        int old = 0;
        for (Delivery x : d.pending.values()) {
            if (x.createdAt < end - HOUR) old++;
        }
        System.out.println((leak ? "leak" : "healthy") + " pending " + d.pending.size() + " (older than 1 h " + old
                + ", removed " + d.removed + ", gone " + d.gone + ") endpoints " + d.endpoints.size()
                + " counters " + d.attemptsByEndpoint.size() + " recent " + d.recent.size() + " buffers " + d.buffers.size());
        int expected = leak ? 8_000 : -1;
        if (leak && (d.pending.size() < expected || d.pending.size() > expected + 400)) {
            throw new IllegalStateException("pending " + d.pending.size());
        }
    }

    public static void main(String[] args) throws Exception {
        boolean leak = args.length > 2 && args[2].equals("leak");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        simulate(DISPATCHER, leak, end - 8 * HOUR, end);
        report(DISPATCHER, leak, end);
        Thread sender = new Thread(WebhookDispatch::senderPass, "webhook-sender");
        sender.setDaemon(true);
        sender.start();
        Thread checker = new Thread(WebhookDispatch::checkerPass, "endpoint-checker");
        checker.setDaemon(true);
        checker.start();
        SENDING.await();
        CHECKING.await();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
