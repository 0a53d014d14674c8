// hprofscan-dump: name=val7-leak-otppurge jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val7-leak-otppurge-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 7 (written blind), LEAK: the one-time-passcode service of a bank's login flow,
 * 10 simulated hours after startup. The leak: {@code OtpService.pending}, the map of issued
 * passcodes (each expires 5 minutes after it is issued), is cleaned by a periodic purge task that
 * threw after 40 minutes (a passcode with a null channel) and, as a periodic task that threw,
 * never ran again. Since then every passcode that was not verified stays, its expiresAt long in
 * the past. Beside it: the account directory, a trusted-device LRU at capacity, an audit ring
 * buffer, per-thread digest scratch buffers on the 4 verification workers, and the config.
 * See testdata/VALIDATION7.md.
 */
public final class Val7LeakOtpPurge {
    static final int ACCOUNTS = 60_000;
    static final int DEVICE_CAP = 5_000;
    static final int AUDIT_SLOTS = 4_096;
    static final int WORKERS = 4;
    static final int ISSUED = 90_000;
    static final long MINUTE = 60_000L;
    static final long SIM_MILLIS = 600 * MINUTE;
    static final long OTP_TTL = 5 * MINUTE;
    static final long PURGE_DIES_AT = 40 * MINUTE;

    static OtpService RUNNING;

    static final class Account {
        final long accountId; final String customerNumber; final String maskedPhone; final String email; final String segment; final long openedAt; long lastLoginAt;
        Account(long accountId, String customerNumber, String maskedPhone, String email, String segment, long openedAt) { this.accountId = accountId; this.customerNumber = customerNumber; this.maskedPhone = maskedPhone; this.email = email; this.segment = segment; this.openedAt = openedAt; }
    }

    static final class AccountDirectory {
        final Map<Long, Account> byId = new HashMap<>();
    }

    static final class PendingOtp {
        final long accountId; final String codeHash; final String channel; final long issuedAt; final long expiresAt; int attempts;
        PendingOtp(long accountId, String codeHash, String channel, long issuedAt) { this.accountId = accountId; this.codeHash = codeHash; this.channel = channel; this.issuedAt = issuedAt; this.expiresAt = issuedAt + OTP_TTL; }
    }

    static final class TrustedDevice {
        final String fingerprint; final long accountId; final String userAgent; final long trustedAt; long lastSeenAt;
        TrustedDevice(String fingerprint, long accountId, String userAgent, long trustedAt) { this.fingerprint = fingerprint; this.accountId = accountId; this.userAgent = userAgent; this.trustedAt = trustedAt; this.lastSeenAt = trustedAt; }
    }

    static final class DeviceCache extends LinkedHashMap<String, TrustedDevice> {
        final int maxEntries;
        DeviceCache(int maxEntries) { super(maxEntries * 2, 0.75f, true); this.maxEntries = maxEntries; }
        @Override protected boolean removeEldestEntry(Map.Entry<String, TrustedDevice> e) { return size() > maxEntries; }
    }

    static final class AuditRecord { long at; long accountId; String event; }

    static final class AuditRing {
        final AuditRecord[] slots = new AuditRecord[AUDIT_SLOTS];
        long written;
        AuditRing() { for (int i = 0; i < AUDIT_SLOTS; i++) slots[i] = new AuditRecord(); }
        void add(long at, long accountId, String event) { AuditRecord r = slots[(int) (written++ % AUDIT_SLOTS)]; r.at = at; r.accountId = accountId; r.event = event; }
    }

    static final class OtpService {
        final AccountDirectory accounts = new AccountDirectory();
        /** Keyed "accountId:nonce". THE LEAK once the purge task has died. */
        final Map<String, PendingOtp> pending = new ConcurrentHashMap<>();
        final DeviceCache trustedDevices = new DeviceCache(DEVICE_CAP);
        final AuditRing audit = new AuditRing();
        final Properties config = new Properties();
        final ScheduledThreadPoolExecutor housekeeping = new ScheduledThreadPoolExecutor(1, r -> { Thread t = new Thread(r, "otp-housekeeping"); t.setDaemon(true); return t; });
        ScheduledFuture<?> purgeTask;
        boolean purgeDead;
        long purged;
        final Map<String, Long> purgedByChannel = new ConcurrentHashMap<>();
        final AtomicInteger seq = new AtomicInteger();
        final ThreadPoolExecutor verifiers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "otp-verify-" + seq.incrementAndGet()); t.setDaemon(true); return t; });
        /** Per-thread digest and scratch buffer, reused by each verification on that worker. */
        static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[16 * 1024]);

        /** Every minute: drop expired passcodes. Throws on a passcode without a channel. */
        void purgeExpired(long now) {
            for (Iterator<PendingOtp> it = pending.values().iterator(); it.hasNext(); ) {
                PendingOtp p = it.next();
                if (p.expiresAt <= now) { purgedByChannel.merge(p.channel, 1L, Long::sum); it.remove(); purged++; }
            }
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - SIM_MILLIS;
        Random rnd = new Random(7_070_001);
        OtpService svc = new OtpService();
        RUNNING = svc;
        for (int i = 0; i < 70; i++) svc.config.setProperty("otp.channel.sms.provider." + i, "provider-" + (i % 4));
        String[] segments = {"RETAIL", "PREMIER", "BUSINESS", "PRIVATE"};
        long[] ids = new long[ACCOUNTS];
        for (int i = 0; i < ACCOUNTS; i++) {
            ids[i] = 400_000_000L + i * 37L;
            svc.accounts.byId.put(ids[i], new Account(ids[i], String.format("CUST%010d", 3_000_000_000L + i), "+44 7*** ***" + String.format("%03d", i % 1000), "c" + ids[i] + "@bank-mail.example", segments[i % 4], start - 86_400_000L * (i % 4000)));
        }
        CyclicBarrier warm = new CyclicBarrier(WORKERS);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) fs.add(svc.verifiers.submit(() -> { MessageDigest.getInstance("SHA-256"); OtpService.SCRATCH.get()[0] = 1; warm.await(); return null; }));
        for (Future<?> f : fs) f.get();
        // The real purge task was scheduled at startup; its first run meets the bad passcode and throws,
        // which cancels all later runs (ScheduledExecutorService semantics). The simulation below replays
        // the first 40 simulated minutes, during which it still ran every minute.
        svc.pending.put("0:bootstrap", new PendingOtp(0, "x", null, start));
        svc.purgeTask = svc.housekeeping.scheduleAtFixedRate(() -> svc.purgeExpired(System.currentTimeMillis()), 0, 1, TimeUnit.MINUTES);
        try { svc.purgeTask.get(10, TimeUnit.SECONDS); } catch (java.util.concurrent.ExecutionException e) { svc.purgeDead = true; }
        svc.pending.remove("0:bootstrap");
        check(svc.purgeDead && svc.purgeTask.isDone(), "purge task died");
        String[] channels = {"sms", "email", "push"};
        String[] agents = {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1)", "Mozilla/5.0 (Linux; Android 14)", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1)"};
        long lastPurge = start;
        int verified = 0;
        List<String> awaiting = new ArrayList<>();
        for (int i = 0; i < ISSUED; i++) {
            long t = start + SIM_MILLIS * i / ISSUED;
            long acct = ids[rnd.nextInt(ACCOUNTS)];
            String key = acct + ":" + Long.toHexString(rnd.nextLong());
            svc.pending.put(key, new PendingOtp(acct, Long.toHexString(rnd.nextLong()) + Long.toHexString(rnd.nextLong()), channels[rnd.nextInt(3)], t));
            awaiting.add(key);
            svc.audit.add(t, acct, "OTP_ISSUED");
            // Most users type the code within a minute; the code is then removed. A third never do.
            if (awaiting.size() > 8) {
                String k = awaiting.remove(rnd.nextInt(awaiting.size()));
                if (rnd.nextInt(3) != 0) {
                    PendingOtp p = svc.pending.remove(k);
                    verified++;
                    svc.accounts.byId.get(p.accountId).lastLoginAt = t;
                    svc.audit.add(t, p.accountId, "OTP_VERIFIED");
                    String fp = Long.toHexString(p.accountId * 31 + rnd.nextInt(3));
                    TrustedDevice d = svc.trustedDevices.get(fp);
                    if (d == null) svc.trustedDevices.put(fp, new TrustedDevice(fp, p.accountId, agents[rnd.nextInt(agents.length)], t)); else d.lastSeenAt = t;
                }
            }
            if (t - start < PURGE_DIES_AT && t - lastPurge >= MINUTE) { svc.purgeExpired(t); lastPurge = t; }
        }
        awaiting.clear();
        int expired = 0;
        long oldest = now;
        for (PendingOtp p : svc.pending.values()) { if (p.expiresAt <= now) expired++; oldest = Math.min(oldest, p.expiresAt); }
        System.out.println("accounts " + svc.accounts.byId.size() + " pending " + svc.pending.size() + " (expired " + expired + ", oldest expired " + (now - oldest) / MINUTE + " min ago, purged " + svc.purged + ")"
                + " verified " + verified + " devices " + svc.trustedDevices.size() + " audit " + svc.audit.written);
        check(svc.accounts.byId.size() == ACCOUNTS, "accounts");
        check(svc.trustedDevices.size() == DEVICE_CAP, "devices");
        check(svc.verifiers.getPoolSize() == WORKERS && svc.housekeeping.getQueue().isEmpty(), "workers");
        System.out.println("TRUTH pending=" + svc.pending.size() + " expired=" + expired);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
