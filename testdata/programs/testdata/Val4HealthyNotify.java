// hprofscan-dump: name=val4-healthy-notify jvm="-Xmx256m" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Validation set 4 (written blind), HEALTHY: a notification dispatcher (e-mail and push).
 *
 * <p>Localised templates are loaded at startup (5,000, static). The recipient directory is
 * loaded lazily and is bounded by the 40,000 users (fully warmed). Deliveries are de-duplicated
 * by their random UUID idempotency key in a {@code LinkedHashMap} (insertion order,
 * {@code removeEldestEntry}, at its capacity of 10,000). An in-process event bus has 12
 * subscribers, all registered once at startup (the counterpart of per-request subscribers). A
 * scheduler runs 4 periodic housekeeping tasks that capture only the service's components (the
 * counterpart of periodic tasks capturing requests). 16 SMTP connections in an
 * {@code ArrayBlockingQueue} (all idle), a pool of 128 envelopes with 8 KiB buffers (all
 * returned), a fixed pool of 4 {@code notify-sender} threads with a {@code ThreadLocal}
 * {@code StringBuilder}, a ring of the last 8,192 delivery receipts, metrics. 70,000
 * notifications over 6 simulated hours ending now. Nothing here is a leak.
 * See testdata/VALIDATION4.md.
 */
public final class Val4HealthyNotify {
    static final int TEMPLATES = 5_000;
    static final int USERS = 40_000;
    static final int DEDUP = 10_000;
    static final int SUBSCRIBERS = 12;
    static final int PERIODIC = 4;
    static final int SMTP = 16;
    static final int ENVELOPES = 128;
    static final int SENDERS = 4;
    static final int RING = 8_192;
    static final int NOTIFICATIONS = 70_000;
    static final long SIM_MILLIS = 6L * 3600_000L;

    static NotificationService RUNNING;

    static final class Template {
        final String id; final String locale; final String channel; final String subject; final String body; final long loadedAt;
        Template(String id, String locale, String channel, String subject, String body, long loadedAt) { this.id = id; this.locale = locale; this.channel = channel; this.subject = subject; this.body = body; this.loadedAt = loadedAt; }
    }

    static final class TemplateStore {
        static final Map<String, Template> TEMPLATES_BY_KEY = new HashMap<>();
        static void load(long now) {
            String[] locales = {"en", "de", "fr", "es", "it", "nl", "pt", "pl", "sv", "da"};
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < TEMPLATES; i++) {
                sb.setLength(0);
                for (int k = 0; k < 12; k++) sb.append("Dear {{name}}, line ").append(k).append(" of template ").append(i).append(". ");
                String id = "tpl-" + (i / 10);
                TEMPLATES_BY_KEY.put(id + "/" + locales[i % 10], new Template(id, locales[i % 10], i % 3 == 0 ? "push" : "email", "Subject " + i, sb.toString(), now));
            }
        }
    }

    static final class Recipient {
        final long userId; final String email; final String locale; final String pushToken; final boolean marketingOptIn; final long loadedAt;
        Recipient(long userId, String email, String locale, String pushToken, boolean marketingOptIn, long loadedAt) { this.userId = userId; this.email = email; this.locale = locale; this.pushToken = pushToken; this.marketingOptIn = marketingOptIn; this.loadedAt = loadedAt; }
    }

    static final class RecipientDirectory {
        final Map<Long, Recipient> byUserId = new ConcurrentHashMap<>();
        Recipient get(long id, long now) {
            return byUserId.computeIfAbsent(id, k -> new Recipient(k, "user" + k + "@example.org", (k % 3 == 0) ? "de" : "en", "pt-" + Long.toHexString(k * 2_654_435_761L), k % 4 != 0, now));
        }
    }

    static final class DeliveryRecord {
        final String idempotencyKey; final long userId; final String templateId; final long sentAt;
        DeliveryRecord(String idempotencyKey, long userId, String templateId, long sentAt) { this.idempotencyKey = idempotencyKey; this.userId = userId; this.templateId = templateId; this.sentAt = sentAt; }
    }

    static final class DedupWindow extends LinkedHashMap<String, DeliveryRecord> {
        final int maxEntries;
        DedupWindow(int maxEntries) { super(maxEntries * 2); this.maxEntries = maxEntries; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, DeliveryRecord> e) { return size() > maxEntries; }
    }

    static final class NotificationEvent {
        final String type; final long userId; final long at;
        NotificationEvent(String type, long userId, long at) { this.type = type; this.userId = userId; this.at = at; }
    }

    static final class EventBus {
        final Map<String, List<Consumer<NotificationEvent>>> subscribers = new ConcurrentHashMap<>();
        void subscribe(String type, Consumer<NotificationEvent> c) { subscribers.computeIfAbsent(type, k -> new CopyOnWriteArrayList<>()).add(c); }
        void publish(NotificationEvent e) { for (Consumer<NotificationEvent> c : subscribers.getOrDefault(e.type, List.of())) c.accept(e); }
        int count() { int n = 0; for (List<?> l : subscribers.values()) n += l.size(); return n; }
    }

    static final class SmtpConnection {
        final int id; final String host; final byte[] outBuffer = new byte[4_096]; long lastUsedAt; int messages;
        SmtpConnection(int id, String host, long now) { this.id = id; this.host = host; this.lastUsedAt = now; }
    }

    static final class Envelope {
        final byte[] buffer = new byte[8_192]; int length; String to;
    }

    static final class EnvelopePool {
        final ArrayDeque<Envelope> free = new ArrayDeque<>();
        int outstanding;
        EnvelopePool(int n) { for (int i = 0; i < n; i++) free.add(new Envelope()); }
        Envelope borrow() { outstanding++; return free.pop(); }
        void giveBack(Envelope e) { e.length = 0; e.to = null; outstanding--; free.push(e); }
    }

    static final class DeliveryReceipt {
        final String channel; final long userId; final int status; final long at;
        DeliveryReceipt(String channel, long userId, int status, long at) { this.channel = channel; this.userId = userId; this.status = status; this.at = at; }
    }

    static final class NotificationService {
        final RecipientDirectory recipients = new RecipientDirectory();
        final DedupWindow dedup = new DedupWindow(DEDUP);
        final EventBus bus = new EventBus();
        final ArrayBlockingQueue<SmtpConnection> smtp = new ArrayBlockingQueue<>(SMTP);
        final EnvelopePool envelopes = new EnvelopePool(ENVELOPES);
        final DeliveryReceipt[] receipts = new DeliveryReceipt[RING];
        long receiptNext;
        final ExecutorService senders;
        final ScheduledExecutorService scheduler;
        static final ThreadLocal<StringBuilder> RENDER = ThreadLocal.withInitial(() -> new StringBuilder(4_096));
        final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
        NotificationService() {
            AtomicInteger n = new AtomicInteger();
            senders = Executors.newFixedThreadPool(SENDERS, r -> { Thread t = new Thread(r, "notify-sender-" + n.incrementAndGet()); t.setDaemon(true); return t; });
            scheduler = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> { Thread t = new Thread(r, "notify-housekeeping"); t.setDaemon(true); return t; });
        }
        void count(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

        void startup(long now) {
            String[] types = {"order.shipped", "order.delivered", "password.reset", "invoice.ready"};
            for (int i = 0; i < SUBSCRIBERS; i++) {
                String type = types[i % 4];
                String name = "sub-" + i;
                bus.subscribe(type, e -> count("bus." + name));
            }
            scheduler.scheduleAtFixedRate(() -> count("housekeeping.dedup=" + dedup.size()), 1, 1, TimeUnit.HOURS);
            scheduler.scheduleAtFixedRate(() -> count("housekeeping.smtp=" + smtp.size()), 5, 5, TimeUnit.MINUTES);
            scheduler.scheduleAtFixedRate(() -> count("housekeeping.envelopes=" + envelopes.free.size()), 1, 1, TimeUnit.MINUTES);
            scheduler.scheduleWithFixedDelay(() -> count("housekeeping.recipients=" + recipients.byUserId.size()), 10, 10, TimeUnit.MINUTES);
            for (int i = 0; i < SMTP; i++) smtp.add(new SmtpConnection(i, "smtp-" + (i % 4) + ".mail.internal", now));
        }

        void notify(long userId, String type, String idempotencyKey, long now) throws InterruptedException {
            if (dedup.containsKey(idempotencyKey)) { count("dedup.hit"); return; }
            Recipient r = recipients.get(userId, now);
            Template t = TemplateStore.TEMPLATES_BY_KEY.get("tpl-" + (userId % (TEMPLATES / 10)) + "/" + (r.locale.equals("de") ? "de" : "en"));
            Envelope env = envelopes.borrow();
            SmtpConnection c = smtp.take();
            try {
                env.to = r.email; env.length = Math.min(env.buffer.length, t.body.length());
                c.lastUsedAt = now; c.messages++;
            } finally {
                smtp.put(c);
                envelopes.giveBack(env);
            }
            dedup.put(idempotencyKey, new DeliveryRecord(idempotencyKey, userId, t.id, now));
            receipts[(int) (receiptNext++ % RING)] = new DeliveryReceipt(t.channel, userId, 250, now);
            bus.publish(new NotificationEvent(type, userId, now));
            count("sent");
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        NotificationService svc = new NotificationService();
        RUNNING = svc;
        TemplateStore.load(start);
        svc.startup(start);
        List<Future<?>> warm = new ArrayList<>();
        for (int i = 0; i < SENDERS * 3; i++) warm.add(svc.senders.submit(() -> NotificationService.RENDER.get().setLength(0)));
        for (Future<?> f : warm) f.get();
        Random rnd = new Random(4_041_010);
        String[] types = {"order.shipped", "order.delivered", "password.reset", "invoice.ready"};
        long end = System.currentTimeMillis();
        for (int i = 0; i < NOTIFICATIONS; i++) {
            long t = start + (end - start) * i / NOTIFICATIONS;
            long user = 9_000_000L + (i < USERS ? i : rnd.nextInt(USERS));
            svc.notify(user, types[rnd.nextInt(4)], new UUID(rnd.nextLong(), rnd.nextLong()).toString(), t);
        }
        System.out.println("recipients " + svc.recipients.byUserId.size() + " dedup " + svc.dedup.size() + " subscribers " + svc.bus.count());
        check(svc.recipients.byUserId.size() == USERS, "recipients");
        check(svc.dedup.size() == DEDUP, "dedup");
        check(svc.bus.count() == SUBSCRIBERS, "subscribers");
        check(svc.smtp.size() == SMTP, "smtp");
        check(svc.envelopes.free.size() == ENVELOPES && svc.envelopes.outstanding == 0, "envelopes");
        check(TemplateStore.TEMPLATES_BY_KEY.size() == TEMPLATES, "templates");
        check(svc.receiptNext >= RING, "receipts");
        check(((java.util.concurrent.ThreadPoolExecutor) svc.scheduler).getQueue().size() == PERIODIC, "periodic tasks");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
