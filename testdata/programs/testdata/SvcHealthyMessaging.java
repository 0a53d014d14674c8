// hprofscan-dump: name=svc-healthy-messaging jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=svc-healthy-messaging-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Healthy notification/messaging service: a user directory by numeric user id (instance HashMap,
 * fully warmed), a presence cache (hand-written HashMap + ArrayDeque FIFO capped at capacity),
 * a bounded outbound queue partially full, static message templates (unmodifiableMap), a pool of
 * SMTP connections all returned, and 4 delivery workers with an 8 KiB ThreadLocal scratch buffer.
 * See testdata/SERVICES.md.
 */
public final class SvcHealthyMessaging {
    static final int USERS = 15_000;
    static final int PRESENCE_CAPACITY = 4_000;
    static final int TEMPLATES = 600;
    static final int OUTBOUND_CAPACITY = 5_000;
    static final int OUTBOUND_PENDING = 1_234;
    static final int SMTP_POOL = 32;
    static final int WORKERS = 4;
    static final int SCRATCH_BYTES = 8 * 1024;
    static final int EVENTS = 90_000;
    static final long SIM_HOURS = 24;

    enum Channel { EMAIL, SMS, PUSH }

    static final class SimClock implements LongSupplier {
        long now;

        SimClock(long start) {
            now = start;
        }

        @Override
        public long getAsLong() {
            return now;
        }
    }

    static final class Template {
        final String id;
        final String locale;
        final String subject;
        final String body;
        final long loadedAt;

        Template(String id, String locale, int i, long loadedAt) {
            this.id = id;
            this.locale = locale;
            this.subject = "Notification " + id;
            this.body = ("Hello {name}, this is message template " + id + ". ").repeat(4);
            this.loadedAt = loadedAt;
        }
    }

    static final class TemplateRegistry {
        static Map<String, Template> TEMPLATES;

        static void load(long loadedAt) {
            Map<String, Template> m = new HashMap<>();
            for (int i = 0; i < SvcHealthyMessaging.TEMPLATES; i++) {
                String id = "tpl-" + (1000 + i);
                m.put(id, new Template(id, i % 2 == 0 ? "en" : "de", i, loadedAt));
            }
            TEMPLATES = Collections.unmodifiableMap(m);
        }
    }

    static final class User {
        final long id;
        final String handle;
        final String email;
        final String phone;
        final Channel preferred;
        final long createdAt;
        long lastActiveMillis;

        User(long id, long createdAt) {
            this.id = id;
            this.handle = "user" + id;
            this.email = "user" + id + "@example.net";
            this.phone = "+4915" + (100_000_000L + id);
            this.preferred = Channel.values()[(int) (id % 3)];
            this.createdAt = createdAt;
        }
    }

    /** Users by database id; loaded from the user service on first use. */
    static final class UserDirectory {
        final Map<Long, User> byId = new HashMap<>();

        User get(long id) {
            User u = byId.get(id);
            if (u == null) {
                u = new User(id, 1_550_000_000_000L + (id - 2_000_000L) * 1_000L);
                byId.put(id, u);
            }
            return u;
        }
    }

    static final class Presence {
        final long userId;
        final String status;
        final long since;

        Presence(long userId, String status, long since) {
            this.userId = userId;
            this.status = status;
            this.since = since;
        }
    }

    /** Last known presence of the most recently active users; FIFO-evicts beyond capacity. */
    static final class PresenceCache {
        final int capacity;
        final Map<Long, Presence> byUser = new HashMap<>();
        final ArrayDeque<Long> order = new ArrayDeque<>();

        PresenceCache(int capacity) {
            this.capacity = capacity;
        }

        void update(Presence p) {
            if (byUser.put(p.userId, p) == null) {
                order.addLast(p.userId);
                if (order.size() > capacity) {
                    byUser.remove(order.pollFirst());
                }
            }
        }
    }

    static final class OutboundMessage {
        final long messageId;
        final User recipient;
        final Template template;
        final Channel channel;
        final byte[] renderedBody;
        final long enqueuedAt;

        OutboundMessage(long messageId, User recipient, Template template, long enqueuedAt) {
            this.messageId = messageId;
            this.recipient = recipient;
            this.template = template;
            this.channel = recipient.preferred;
            this.renderedBody = new byte[256];
            this.enqueuedAt = enqueuedAt;
        }
    }

    static final class SmtpConnection {
        final int id;
        final String host;
        final byte[] writeBuffer = new byte[2_048];
        long messagesSent;

        SmtpConnection(int id) {
            this.id = id;
            this.host = "smtp-" + (id % 4) + ".mail.internal";
        }
    }

    static final class SmtpPool {
        final List<SmtpConnection> all = new ArrayList<>();
        final ArrayDeque<SmtpConnection> available = new ArrayDeque<>();

        SmtpPool(int size) {
            for (int i = 0; i < size; i++) {
                SmtpConnection c = new SmtpConnection(i);
                all.add(c);
                available.add(c);
            }
        }
    }

    static final class NamedThreadFactory implements ThreadFactory {
        final String prefix;
        final AtomicInteger next = new AtomicInteger();

        NamedThreadFactory(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, prefix + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }

    static final class DeliveryWorkers {
        static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_BYTES]);
        final ExecutorService pool = Executors.newFixedThreadPool(WORKERS, new NamedThreadFactory("delivery-worker-"));

        /** Each worker renders one batch; the barrier makes every one of the 4 threads take part. */
        void renderBatches(SmtpPool smtp) throws Exception {
            CyclicBarrier barrier = new CyclicBarrier(WORKERS);
            List<Future<Long>> fs = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                fs.add(pool.submit(() -> {
                    barrier.await();
                    byte[] scratch = SCRATCH.get();
                    SmtpConnection c;
                    synchronized (smtp) {
                        c = smtp.available.poll();
                    }
                    try {
                        c.messagesSent += scratch.length;
                        return c.messagesSent;
                    } finally {
                        synchronized (smtp) {
                            smtp.available.push(c);
                        }
                    }
                }));
            }
            for (Future<Long> f : fs) {
                f.get();
            }
        }
    }

    static final class MessagingService {
        final SimClock clock;
        final UserDirectory users = new UserDirectory();
        final PresenceCache presence = new PresenceCache(PRESENCE_CAPACITY);
        final ArrayBlockingQueue<OutboundMessage> outbound = new ArrayBlockingQueue<>(OUTBOUND_CAPACITY);
        final SmtpPool smtp = new SmtpPool(SMTP_POOL);
        final DeliveryWorkers workers = new DeliveryWorkers();
        long sent;

        MessagingService(SimClock clock) {
            this.clock = clock;
        }

        void onEvent(int n) {
            long now = clock.getAsLong();
            User u = users.get(2_000_000L + (n * 17L) % USERS);
            u.lastActiveMillis = now;
            presence.update(new Presence(u.id, n % 5 == 0 ? "away" : "online", now));
            if (n % 3 == 0) {
                Template t = TemplateRegistry.TEMPLATES.get("tpl-" + (1000 + n % TEMPLATES));
                outbound.add(new OutboundMessage(n, u, t, now));
                if (outbound.size() > OUTBOUND_PENDING) {
                    outbound.poll();
                    sent++;
                }
            }
        }
    }

    static MessagingService RUNNING;

    static void build() throws Exception {
        long end = System.currentTimeMillis();
        long start = end - SIM_HOURS * 3_600_000L;
        TemplateRegistry.load(start);
        SimClock clock = new SimClock(start);
        MessagingService s = new MessagingService(clock);
        for (int n = 0; n < EVENTS; n++) {
            clock.now = start + (end - start) * (n + 1) / EVENTS;
            s.onEvent(n);
        }
        s.workers.renderBatches(s.smtp);
        if (s.users.byId.size() != USERS || s.presence.byUser.size() != PRESENCE_CAPACITY
                || s.presence.order.size() != PRESENCE_CAPACITY || s.outbound.size() != OUTBOUND_PENDING
                || s.smtp.available.size() != SMTP_POOL) {
            throw new IllegalStateException("unexpected sizes " + s.presence.byUser.size());
        }
        RUNNING = s;
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];
        build();
        System.gc();
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out);
        System.exit(0);
    }
}
