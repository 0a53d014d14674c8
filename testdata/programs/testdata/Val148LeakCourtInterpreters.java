// hprofscan-dump: name=val148-leak-courtinterpreters jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val148-leak-courtinterpreters-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Validation set 148 (written blind), LEAK: the booking service of a court-interpreter agency.
 * Court reference data, the interpreter directory, a cache of rendered glossaries at its cap, a
 * pool of transcript buffers, a ring of recent confirmations, and a per-request confirmation
 * waiter: every booking request starts a daemon thread that blocks in Future.get() (no timeout)
 * until the partner agency's confirmation webhook completes the future. One partner agency
 * (LinguaBridge) never sends its webhook, so every request routed to it leaves a thread waiting
 * forever, its Runnable holding the booking request (with its case brief). See VALIDATION148.md.
 */
public final class Val148LeakCourtInterpreters {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, REQUEST_EVERY = 10_000L;
    static final int COURTS = 800, INTERPRETERS = 18_000, GLOSSARY_CAP = 2_000, POOL = 8, RING = 2_048, HOURS = 10;
    static final String[] AGENCIES = {"Polyglot Legal", "CourtVoice", "Verbatim Partners", "LinguaBridge"};
    static final int BROKEN_AGENCY = 3;
    static boolean FIXED;

    record Court(String code, String name, double[] sittingCalendar) {}
    record Interpreter(String id, String language, String agency, byte[] accreditation, long accreditedAt) {}
    record Glossary(String key, byte[] rendered, long at) {}
    record Confirmation(String bookingId, String interpreterId, String agency, long at) {}
    record BookingRequest(String bookingId, String courtCode, String language, String agency, long hearingAt, long requestedAt, byte[] caseBrief) {}

    /** The Runnable of a per-request waiter thread: it keeps the request until the reply comes. */
    static final class ConfirmationWaiter implements Runnable {
        final BookingRequest request; final CompletableFuture<Confirmation> reply; final BookingDesk desk;
        ConfirmationWaiter(BookingRequest request, CompletableFuture<Confirmation> reply, BookingDesk desk) { this.request = request; this.reply = reply; this.desk = desk; }
        @Override public void run() {
            try {
                Confirmation c = FIXED ? reply.get(20, TimeUnit.MILLISECONDS) // the fix: a bounded wait (30 s in production)
                                       : reply.get();                          // BUG: waits forever
                desk.confirmed(c);
            } catch (TimeoutException e) {
                desk.unconfirmed(request);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static final class GlossaryCache extends LinkedHashMap<String, Glossary> {
        long evicted;
        GlossaryCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Glossary> e) { if (size() > GLOSSARY_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Court> COURTS_BY_CODE = new HashMap<>();

    static final class BookingDesk {
        final Map<String, Interpreter> interpreters = new HashMap<>();
        final GlossaryCache glossaries = new GlossaryCache();
        final ArrayDeque<byte[]> transcriptBuffers = new ArrayDeque<>();
        final Confirmation[] recentConfirmations = new Confirmation[RING];
        long confirmedCount, unconfirmedCount, requests;
        synchronized void confirmed(Confirmation c) { recentConfirmations[(int) (confirmedCount++ % RING)] = c; }
        synchronized void unconfirmed(BookingRequest r) { unconfirmedCount++; } // the fix escalates to the duty clerk (a count here)
        synchronized long confirmedCount() { return confirmedCount; }
        synchronized long unconfirmedCount() { return unconfirmedCount; }
    }

    static BookingDesk SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val148.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(148_020_001);
        String[] courtCodes = new String[COURTS];
        for (int c = 0; c < COURTS; c++) {
            double[] cal = new double[64];
            for (int k = 0; k < cal.length; k++) cal[k] = rnd.nextDouble() * 8;
            String code = "CT-" + (6_000 + c);
            courtCodes[c] = code;
            COURTS_BY_CODE.put(code, new Court(code, "Court " + (c % 200), cal));
        }
        BookingDesk svc = new BookingDesk();
        SERVICE = svc;
        String[] languages = {"Polish", "Romanian", "Arabic", "Urdu", "Portuguese", "Lithuanian", "Punjabi", "Somali", "Tigrinya", "Mandarin"};
        String[] ids = new String[INTERPRETERS];
        for (int i = 0; i < INTERPRETERS; i++) {
            String id = "INT-" + (300_000 + i);
            ids[i] = id;
            svc.interpreters.put(id, new Interpreter(id, languages[i % languages.length], AGENCIES[i % AGENCIES.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.transcriptBuffers.add(new byte[32_768]);
        Random traffic = new Random(148_020_002);
        int requests = (int) (HOURS * HOUR / REQUEST_EVERY); // 3,600: one every 10 s
        int stuck = 0;
        for (int r = 0; r < requests; r++) {
            long t = start + r * REQUEST_EVERY;
            int agency = r % AGENCIES.length;
            String bookingId = "BK-" + (7_700_000 + r);
            BookingRequest req = new BookingRequest(bookingId, courtCodes[traffic.nextInt(COURTS)], languages[traffic.nextInt(languages.length)], AGENCIES[agency],
                    t + (1 + traffic.nextInt(30)) * 24 * HOUR, t, new byte[2_048 + traffic.nextInt(2_048)]);
            CompletableFuture<Confirmation> reply = new CompletableFuture<>();
            Thread waiter = new Thread(new ConfirmationWaiter(req, reply, svc), "confirm-" + bookingId);
            waiter.setDaemon(true);
            waiter.start();
            svc.requests++;
            String interpreter = ids[traffic.nextInt(INTERPRETERS)];
            if (agency != BROKEN_AGENCY) {
                reply.complete(new Confirmation(bookingId, interpreter, AGENCIES[agency], t + 2_000 + traffic.nextInt(60_000)));
                waiter.join();
            } else {
                stuck++; // LinguaBridge never calls the webhook: nothing ever completes this future
                if (FIXED) waiter.join();
            }
            req = null; reply = null; waiter = null;
            String key = "gloss-" + traffic.nextInt(5_000);
            if (svc.glossaries.get(key) == null) svc.glossaries.put(key, new Glossary(key, new byte[400 + traffic.nextInt(400)], t));
            byte[] buf = svc.transcriptBuffers.poll();
            buf[r % buf.length] = (byte) r;
            svc.transcriptBuffers.add(buf);
        }
        // Every waiter thread still alive is one of the stuck ones; wait until all of them are blocked in get().
        int alive = 0;
        for (int attempt = 0; attempt < 200; attempt++) {
            alive = 0; int waiting = 0;
            for (Thread th : Thread.getAllStackTraces().keySet()) {
                if (th.getName().startsWith("confirm-BK-")) { alive++; if (th.getState() == Thread.State.WAITING) waiting++; }
            }
            if (waiting == alive) break;
            Thread.sleep(20);
        }
        System.out.println((FIXED ? "FIXED " : "") + "courts " + COURTS_BY_CODE.size() + " interpreters " + svc.interpreters.size() + " requests " + svc.requests + " confirmed " + svc.confirmedCount()
                + " unconfirmed " + svc.unconfirmedCount() + " waiter threads alive " + alive + " glossaries " + svc.glossaries.size() + " (evicted " + svc.glossaries.evicted + ") pool " + svc.transcriptBuffers.size());
        check(COURTS_BY_CODE.size() == COURTS && svc.interpreters.size() == INTERPRETERS, "reference data / directory");
        check(svc.requests == 3_600 && stuck == 900 && svc.confirmedCount() == 2_700, "requests / confirmations");
        if (FIXED) check(alive == 0 && svc.unconfirmedCount() == 900, "fixed: every waiter ended");
        else check(alive == 900 && svc.unconfirmedCount() == 0, "stuck waiters: " + alive);
        check(svc.glossaries.size() == GLOSSARY_CAP && svc.glossaries.evicted > 0, "glossary cache at cap");
        check(svc.transcriptBuffers.size() == POOL, "pool");
        check(svc.recentConfirmations[RING - 1] != null, "confirmation ring (2,700 written, wrapping)");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
