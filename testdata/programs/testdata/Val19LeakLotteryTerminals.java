// hprofscan-dump: name=val19-leak-lottery jvm="-Xmx256m" variants=mxbean
// hprofscan-dump: name=val19-leak-lottery-parallel jvm="-Xmx256m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validation set 19 (written blind), LEAK: the ticket-validation gateway of a national lottery's
 * retail terminals. Each validation opens a {@code TerminalSocket} (a wrapper of a native socket
 * handle with a receive buffer and the request it carries); the service closes it and drops it.
 * The class has a {@code finalize()} safety net that writes a line to the audit journal under the
 * journal's lock. The journal compactor took that lock at startup and waits for the archive
 * store, which never answers, so the finalizer thread blocks on the first socket it finalizes and
 * every socket dropped since piles up behind {@code java.lang.ref.Finalizer} (the service keeps
 * no reference to any of them). Legitimate beside it: the draw history, the retail terminal
 * registry, the winning-ticket index, the validation ring, the frame buffer pool and a fixed
 * I/O pool. See testdata/VALIDATION19.md.
 */
public final class Val19LeakLotteryTerminals {
    static final int DRAWS = 16_000;
    static final int TERMINALS = 14_000;
    static final int WINNERS = 60_000;
    static final int VALIDATIONS = 3_600;
    static final int RING = 2_048;
    static final int POOL = 48;
    static final int IO_THREADS = 12;
    static final long SIM_HOURS = 10;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;

    static ValidationService VALIDATION;

    static final AtomicInteger CREATED = new AtomicInteger();
    static final AtomicInteger FINALIZE_STARTED = new AtomicInteger();
    static final AtomicInteger FINALIZE_DONE = new AtomicInteger();

    static final class Draw { final int number; final String game; final long drawnAt; final int[] balls; final long[] prizeTable;
        Draw(int number, String game, long drawnAt, int[] balls, long[] prizeTable) { this.number = number; this.game = game; this.drawnAt = drawnAt; this.balls = balls; this.prizeTable = prizeTable; } }

    static final class Terminal { final String id; final String retailer; final String address; final int[] openingHours; final float[] weeklySales; final long installedAt;
        Terminal(String id, String retailer, String address, int[] openingHours, float[] weeklySales, long installedAt) { this.id = id; this.retailer = retailer; this.address = address; this.openingHours = openingHours; this.weeklySales = weeklySales; this.installedAt = installedAt; } }

    static final class Prize { final String serial; final int drawNumber; final int tier; final long amountCents; boolean paid;
        Prize(String serial, int drawNumber, int tier, long amountCents) { this.serial = serial; this.drawNumber = drawNumber; this.tier = tier; this.amountCents = amountCents; } }

    /** Reference data: the draw history. */
    static final class DrawHistory {
        static final Map<Integer, Draw> BY_NUMBER = new HashMap<>();
    }

    /** Reference data: the retail terminals. */
    static final class TerminalRegistry {
        static final Map<String, Terminal> BY_ID = new HashMap<>();
        static final List<Terminal> ALL = new ArrayList<>();
    }

    static final class ValidationRequest { final String ticketSerial; final String terminalId; final long receivedAt; final byte[] payload;
        ValidationRequest(String ticketSerial, String terminalId, long receivedAt, byte[] payload) { this.ticketSerial = ticketSerial; this.terminalId = terminalId; this.receivedAt = receivedAt; this.payload = payload; } }

    /** The audit journal; its compactor holds {@code lock} while it waits for the archive store. */
    static final class AuditJournal {
        final Object lock = new Object();
        final byte[] segment = new byte[512 * 1024];
        int written;
        long finalizedSockets;
        final CountDownLatch archiveAck = new CountDownLatch(1);
        final CountDownLatch compactorHoldsLock = new CountDownLatch(1);
        final boolean fixed;
        AuditJournal(boolean fixed) { this.fixed = fixed; }

        void append(String line) {
            synchronized (lock) {
                byte[] b = line.getBytes();
                for (int i = 0; i < b.length; i++) segment[(written + i) % segment.length] = b[i];
                written += b.length;
            }
        }

        /** Compaction: copies the segment and ships it to the archive store. */
        void compactForever() {
            try {
                if (fixed) {
                    byte[] copy;
                    synchronized (lock) { copy = segment.clone(); }
                    compactorHoldsLock.countDown();
                    archiveAck.await(); // waits outside the lock
                    copy[0] = 1;
                } else {
                    synchronized (lock) {
                        compactorHoldsLock.countDown();
                        archiveAck.await(); // BUG: waits for the archive store while holding the journal lock
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static AuditJournal JOURNAL;

    /** Wrapper of a native socket handle; finalize() is its safety net. */
    static final class TerminalSocket {
        final long handle; final byte[] rxBuffer = new byte[2_048]; final ValidationRequest request; boolean closed;
        TerminalSocket(long handle, ValidationRequest request) { this.handle = handle; this.request = request; CREATED.incrementAndGet(); }
        void close() { closed = true; }
        @SuppressWarnings({"deprecation", "removal"})
        @Override protected void finalize() {
            FINALIZE_STARTED.incrementAndGet();
            JOURNAL.append("socket " + handle + (closed ? " released" : " LEAKED, closing") + "\n");
            FINALIZE_DONE.incrementAndGet();
        }
    }

    static final class ValidationRecord { final String ticketSerial; final String terminalId; final long at; final long paidCents; final int result;
        ValidationRecord(String ticketSerial, String terminalId, long at, long paidCents, int result) { this.ticketSerial = ticketSerial; this.terminalId = terminalId; this.at = at; this.paidCents = paidCents; this.result = result; } }

    static final class ValidationService {
        final Map<String, Prize> winners = new HashMap<>();
        final ValidationRecord[] recent = new ValidationRecord[RING];
        final ArrayBlockingQueue<byte[]> framePool = new ArrayBlockingQueue<>(POOL);
        final AtomicInteger ioSeq = new AtomicInteger();
        final ThreadPoolExecutor io = new ThreadPoolExecutor(IO_THREADS, IO_THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> { Thread t = new Thread(r, "lotto-io-" + ioSeq.incrementAndGet()); t.setDaemon(true); return t; });
        final Properties config = new Properties();
        long written, paid, notWinning;

        void validate(String serial, Terminal term, long t, Random rnd) {
            byte[] payload = new byte[384 + rnd.nextInt(256)];
            payload[0] = (byte) serial.hashCode();
            TerminalSocket sock = new TerminalSocket(7_000_000_000L + written, new ValidationRequest(serial, term.id, t, payload));
            byte[] frame = framePool.poll();
            try {
                Prize p = winners.get(serial);
                long cents = 0;
                if (p != null && !p.paid) { p.paid = true; cents = p.amountCents; paid++; } else { notWinning++; }
                recent[(int) (written++ % RING)] = new ValidationRecord(serial, term.id, t, cents, p == null ? 0 : 1);
                sock.rxBuffer[0] = (byte) cents;
            } finally {
                if (frame != null) framePool.add(frame);
                sock.close();
            }
        }
    }

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        boolean fixed = Boolean.getBoolean("val19.fixed"); // only for measuring the leak's share
        long now = System.currentTimeMillis();
        long start = now - SIM_HOURS * HOUR;
        Random rnd = new Random(19_020_001);
        AuditJournal journal = new AuditJournal(fixed);
        JOURNAL = journal;
        Thread compactor = new Thread(journal::compactForever, "journal-compactor");
        compactor.setDaemon(true);
        compactor.start();
        journal.compactorHoldsLock.await();
        ValidationService svc = new ValidationService();
        VALIDATION = svc;
        for (int i = 0; i < 30; i++) svc.config.setProperty("validation.limit.tier" + i, Integer.toString(600 * (i + 1)));
        String[] games = {"Lotto 6/49", "EuroJackpot", "Keno", "Joker", "Daily Pick 3"};
        for (int d = 0; d < DRAWS; d++) {
            int[] balls = new int[6 + d % 15];
            for (int k = 0; k < balls.length; k++) balls[k] = 1 + rnd.nextInt(70);
            long[] prizes = new long[10];
            for (int k = 0; k < prizes.length; k++) prizes[k] = (10 - k) * (long) rnd.nextInt(1_000_000);
            DrawHistory.BY_NUMBER.put(40_000 + d, new Draw(40_000 + d, games[d % games.length], start - (DRAWS - d) * 12 * HOUR, balls, prizes));
        }
        for (int i = 0; i < TERMINALS; i++) {
            int[] hours = new int[14];
            for (int k = 0; k < hours.length; k++) hours[k] = k % 2 == 0 ? 6 + rnd.nextInt(4) : 18 + rnd.nextInt(6);
            float[] weekly = new float[52];
            for (int k = 0; k < weekly.length; k++) weekly[k] = rnd.nextFloat() * 20_000;
            String id = "T-" + (600_000 + i);
            Terminal term = new Terminal(id, "Newsagent " + (i % 4_000) + " & Sons", (1 + i % 250) + " Market Street, Town " + (i % 1_200), hours, weekly, start - (long) (rnd.nextDouble() * 2_000 * 24 * HOUR));
            TerminalRegistry.BY_ID.put(id, term);
            TerminalRegistry.ALL.add(term);
        }
        List<String> winningSerials = new ArrayList<>();
        for (int w = 0; w < WINNERS; w++) {
            String serial = String.format("%05d-%08d-%04d", 40_000 + DRAWS - 1 - w % 60, 10_000_000 + rnd.nextInt(89_999_999), w % 10_000);
            svc.winners.put(serial, new Prize(serial, 40_000 + DRAWS - 1 - w % 60, 1 + rnd.nextInt(9), 200 + rnd.nextInt(50_000)));
            winningSerials.add(serial);
        }
        for (int i = 0; i < POOL; i++) svc.framePool.add(new byte[16 * 1024]);
        CyclicBarrier ready = new CyclicBarrier(IO_THREADS);
        List<Future<?>> warm = new ArrayList<>();
        for (int w = 0; w < IO_THREADS; w++) warm.add(svc.io.submit(() -> { ready.await(); return null; }));
        for (Future<?> f : warm) f.get();

        for (int i = 0; i < VALIDATIONS; i++) {
            long t = start + (now - start) * i / VALIDATIONS;
            String serial = rnd.nextInt(3) == 0 ? winningSerials.get(rnd.nextInt(WINNERS))
                    : String.format("%05d-%08d-%04d", 40_000 + DRAWS - 1 - rnd.nextInt(60), 10_000_000 + rnd.nextInt(89_999_999), rnd.nextInt(10_000));
            svc.validate(serial, TerminalRegistry.ALL.get(rnd.nextInt(TERMINALS)), t, rnd);
            if (i % 400 == 399) System.gc(); // the service's own traffic triggers collections; dropped sockets are discovered
        }
        winningSerials = null;
        // Let the finalizer thread reach the dropped sockets.
        long deadline = System.currentTimeMillis() + 20_000;
        if (fixed) {
            while (FINALIZE_DONE.get() < CREATED.get() && System.currentTimeMillis() < deadline) { System.gc(); System.runFinalization(); Thread.sleep(20); }
        } else {
            while (FINALIZE_STARTED.get() == 0 && System.currentTimeMillis() < deadline) { System.gc(); Thread.sleep(50); }
            Thread.sleep(300);
        }
        int created = CREATED.get(), started = FINALIZE_STARTED.get(), done = FINALIZE_DONE.get();
        System.out.println((fixed ? "FIXED " : "") + "draws " + DrawHistory.BY_NUMBER.size() + " terminals " + TerminalRegistry.BY_ID.size() + " winners " + svc.winners.size() + " validations " + svc.written + " (paid " + svc.paid + ", not winning " + svc.notWinning + ") sockets created " + created + " finalize started " + started + " done " + done + " awaiting finalization " + (created - started) + " compactor " + compactor.getState());
        check(DrawHistory.BY_NUMBER.size() == DRAWS && TerminalRegistry.BY_ID.size() == TERMINALS && svc.winners.size() == WINNERS, "reference data");
        check(svc.written == VALIDATIONS && created == VALIDATIONS && svc.paid + svc.notWinning == VALIDATIONS, "validations");
        if (fixed) check(done == created, "finalizer kept up");
        else check(started == 1 && done == 0, "finalizer stuck on the first socket");
        check(svc.written > RING && svc.recent[RING - 1] != null && svc.framePool.size() == POOL && svc.io.getPoolSize() == IO_THREADS, "pool, threads");
        LeakCheck.histogram("java.lang.ref.Finalizer ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
