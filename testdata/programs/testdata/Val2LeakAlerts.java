// hprofscan-dump: name=val2-leak-alerts jvm="-Xmx256m" variants=jcmd
// hprofscan-dump: name=val2-leak-alerts-serial jvm="-Xmx256m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 2 (written blind): price-alert service of a retail brokerage app. LEAKING.
 *
 * <p>Leak: each alert subscription schedules a fixed-rate evaluation task on the long-lived
 * {@link AlertScheduler#timer} (a ScheduledThreadPoolExecutor). {@code unsubscribe} removes the
 * subscription from the registry but never cancels its ScheduledFuture, so the task (a lambda
 * capturing the {@link AlertSubscription} with its price window) stays in the executor's
 * DelayedWorkQueue forever. Tasks of still-active subscriptions are legitimate.
 *
 * <p>Healthy: symbol directory (reference data), subscription registry (active only), device
 * session store with expiry, notification outbox, metrics.
 */
public final class Val2LeakAlerts {
    static final int SYMBOLS = 40_000;
    static final int USERS = 12_000;
    static final int SUBSCRIPTIONS_PER_MINUTE = 6;
    static final int MINUTES = 24 * 60;
    static final int WINDOW = 60;
    static final int OUTBOX_CAPACITY = 2_000;
    static final int OUTBOX_AT_DUMP = 600;
    static final long DEVICE_SESSION_TTL_MILLIS = TimeUnit.MINUTES.toMillis(20);
    static final int LOGINS_PER_MINUTE = 50;
    static final long START = Instant.parse("2026-05-11T00:00:00Z").toEpochMilli();

    static final class SimClock {
        private long nowMillis;
        SimClock(long start) { nowMillis = start; }
        long millis() { return nowMillis; }
        void advance(long ms) { nowMillis += ms; }
    }

    static final class SymbolInfo {
        final String symbol; final String name; final String exchange; final String currency; final long lastCloseMicros; final String isin;
        SymbolInfo(String symbol, String name, String exchange, String currency, long close, String isin) {
            this.symbol = symbol; this.name = name; this.exchange = exchange; this.currency = currency; lastCloseMicros = close; this.isin = isin;
        }
    }

    static final class SymbolDirectory {
        final Map<String, SymbolInfo> bySymbol = new HashMap<>();
        void load(Random rnd) {
            String[] ex = {"NASDAQ", "NYSE", "LSE", "XETRA", "EURONEXT"};
            for (int i = 0; i < SYMBOLS; i++) {
                String sym = Integer.toString(i * 17 + 1296, 36).toUpperCase();
                bySymbol.put(sym, new SymbolInfo(sym, "Example Corporation Class " + (char) ('A' + i % 3) + " #" + i,
                        ex[i % ex.length], i % 2 == 0 ? "USD" : "EUR", 1_000_000L + rnd.nextInt(400_000_000),
                        "US" + String.format("%09d", i) + "7" + (i % 10)));
            }
        }
    }

    static final class AlertSubscription {
        final String subscriptionId; final String userId; final String symbol; final long thresholdMicros;
        final boolean above; final String deviceToken; final long createdAtMillis; final long expiresAtMillis;
        final double[] priceWindow = new double[WINDOW]; int windowPos; long evaluations;
        volatile ScheduledFuture<?> evaluationHandle;
        AlertSubscription(String id, String userId, String symbol, long threshold, boolean above, String deviceToken, long created, long expires) {
            subscriptionId = id; this.userId = userId; this.symbol = symbol; thresholdMicros = threshold; this.above = above;
            this.deviceToken = deviceToken; createdAtMillis = created; expiresAtMillis = expires;
        }
    }

    static final class Notification {
        final String userId; final String deviceToken; final String title; final String body; final long createdAtMillis;
        Notification(String userId, String deviceToken, String title, String body, long at) {
            this.userId = userId; this.deviceToken = deviceToken; this.title = title; this.body = body; createdAtMillis = at;
        }
    }

    /** Owns the long-lived evaluation timer. */
    static final class AlertScheduler {
        final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "alert-eval");
            t.setDaemon(true);
            return t;
        });
        final LongAdder evaluations = new LongAdder();

        ScheduledFuture<?> schedule(AlertSubscription s) {
            return timer.scheduleAtFixedRate(() -> {
                s.evaluations++;
                s.priceWindow[s.windowPos++ % WINDOW] = s.thresholdMicros / 1e6;
                evaluations.increment();
            }, 15, 15, TimeUnit.MINUTES);
        }
    }

    static final class SubscriptionRegistry {
        final ConcurrentHashMap<String, AlertSubscription> active = new ConcurrentHashMap<>();
        final AlertScheduler scheduler;
        long subscribed, unsubscribed;
        SubscriptionRegistry(AlertScheduler scheduler) { this.scheduler = scheduler; }
        void subscribe(AlertSubscription s) {
            active.put(s.subscriptionId, s);
            s.evaluationHandle = scheduler.schedule(s);
            subscribed++;
        }
        void unsubscribe(String id) {
            if (active.remove(id) != null) unsubscribed++; // evaluationHandle is not cancelled
        }
        void expire(long now) {
            List<String> dead = new ArrayList<>();
            for (AlertSubscription s : active.values()) if (s.expiresAtMillis <= now) dead.add(s.subscriptionId);
            for (String id : dead) unsubscribe(id);
        }
    }

    static final class DeviceSession {
        final String userId; final String deviceToken; final String appVersion; long lastSeenMillis;
        DeviceSession(String userId, String deviceToken, String appVersion, long at) { this.userId = userId; this.deviceToken = deviceToken; this.appVersion = appVersion; lastSeenMillis = at; }
    }

    final SimClock clock = new SimClock(START);
    final SymbolDirectory symbols = new SymbolDirectory();
    final AlertScheduler scheduler = new AlertScheduler();
    final SubscriptionRegistry registry = new SubscriptionRegistry(scheduler);
    final ConcurrentHashMap<String, DeviceSession> deviceSessions = new ConcurrentHashMap<>();
    final ArrayBlockingQueue<Notification> outbox = new ArrayBlockingQueue<>(OUTBOX_CAPACITY);
    final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
    final Random rnd = new Random(5150);
    final List<String> symbolList = new ArrayList<>();
    long seq, sent;

    static Val2LeakAlerts service;

    void inc(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

    void start() {
        symbols.load(rnd);
        symbolList.addAll(symbols.bySymbol.keySet());
        symbolList.sort(null);
    }

    String tokenOf(int user) { return "fcm:" + Integer.toHexString(user * 2654435761L > 0 ? user * 40503 : user) + ":APA91b" + user; }

    void runMinute(int m) {
        long now = clock.millis();
        for (int i = 0; i < LOGINS_PER_MINUTE; i++) {
            int user = rnd.nextInt(USERS);
            String uid = "u" + user;
            DeviceSession ds = deviceSessions.get(uid);
            if (ds == null) deviceSessions.put(uid, new DeviceSession(uid, tokenOf(user), "7.4." + (user % 9), now));
            else ds.lastSeenMillis = now;
        }
        for (int i = 0; i < SUBSCRIPTIONS_PER_MINUTE; i++) {
            int user = rnd.nextInt(USERS);
            String sym = symbolList.get(rnd.nextInt(SYMBOLS));
            long lifetime = TimeUnit.MINUTES.toMillis(30L * (1 + (seq % 7)));
            AlertSubscription s = new AlertSubscription("al-" + seq, "u" + user, sym,
                    symbols.bySymbol.get(sym).lastCloseMicros * (90 + rnd.nextInt(20)) / 100, seq % 2 == 0,
                    tokenOf(user), now, now + lifetime);
            seq++;
            registry.subscribe(s);
            inc("alerts.subscribed");
        }
        // users delete some alerts explicitly, the rest expire
        if (m % 3 == 0 && !registry.active.isEmpty()) {
            registry.unsubscribe("al-" + (seq - 1 - rnd.nextInt((int) Math.min(seq, 200))));
        }
        // a few alerts fire; the outbox is drained by the push sender
        for (int i = 0; i < 3; i++) {
            outbox.add(new Notification("u" + rnd.nextInt(USERS), tokenOf(i), "Price alert", "Your alert was triggered at " + Instant.ofEpochMilli(now), now));
        }
        while (outbox.size() > 10) { outbox.poll(); sent++; }
        clock.advance(60_000);
        registry.expire(clock.millis());
        deviceSessions.values().removeIf(d -> d.lastSeenMillis + DEVICE_SESSION_TTL_MILLIS <= clock.millis());
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("unexpected size: " + what);
    }

    public static void main(String[] args) {
        Val2LeakAlerts svc = new Val2LeakAlerts();
        service = svc;
        svc.start();
        for (int m = 0; m < MINUTES; m++) svc.runMinute(m);
        // morning burst: the push provider is slow, notifications queue up
        while (svc.outbox.size() < OUTBOX_AT_DUMP) {
            svc.outbox.add(new Notification("u" + svc.rnd.nextInt(USERS), svc.tokenOf(7), "Price alert", "Market open summary", svc.clock.millis()));
        }

        long created = (long) MINUTES * SUBSCRIPTIONS_PER_MINUTE;
        check(svc.registry.subscribed == created, "subscribed");
        check(svc.registry.active.size() == created - svc.registry.unsubscribed, "active " + svc.registry.active.size());
        check(svc.registry.active.size() == 682, "active (seeded run) " + svc.registry.active.size());
        check(svc.scheduler.timer.getQueue().size() == created, "timer queue " + svc.scheduler.timer.getQueue().size());
        check(svc.scheduler.evaluations.sum() == 0, "evaluations ran");
        check(svc.symbols.bySymbol.size() == SYMBOLS, "symbols");
        check(svc.outbox.size() == OUTBOX_AT_DUMP, "outbox");
        check(svc.deviceSessions.size() > 500 && svc.deviceSessions.size() <= 20 * LOGINS_PER_MINUTE, "device sessions " + svc.deviceSessions.size());

        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
