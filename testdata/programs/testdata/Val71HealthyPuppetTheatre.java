// hprofscan-dump: name=val71-healthy-puppettheatre-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val71-healthy-puppettheatre-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val71-healthy-puppettheatre jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val71-healthy-puppettheatre-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Validation set 71 (written blind), HEALTHY: the mobile ticketing API of a puppet-theatre company
 * (family shows on tour). Production reference data, the patron directory, a session store with two
 * maps (token -> session, patron -> sessions) where logout and idle expiry remove a session from
 * both, an LRU of compiled search patterns keyed by the typed search text (capped at 256), a ring
 * of door scans, a pool of barcode-render buffers and an application shutdown registry holding one
 * callback per component. Warms up and then plateaus. See VALIDATION71.md.
 */
public final class Val71HealthyPuppetTheatre {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, IDLE_TIMEOUT = 30 * MINUTE, SWEEP_EVERY = 5 * MINUTE;
    static final int SHOWS = 1_200, PATRONS = 25_000, PATTERN_CAP = 256, POOL = 8, SCAN_RING = 16_384, LOGINS_PER_HOUR = 3_000;

    record Production(String code, String title, double[] seatsSoldByWeek) {}
    record Patron(String id, String postcode, String tier, byte[] preferences, long joinedAt) {}
    record DoorScan(String barcode, String showCode, String door, long at) {}

    static final class Session {
        final String token, patronId, device; final long createdAt; long lastSeenAt; final byte[] walletPass;
        Session(String token, String patronId, String device, long createdAt, byte[] walletPass) { this.token = token; this.patronId = patronId; this.device = device; this.createdAt = createdAt; this.lastSeenAt = createdAt; this.walletPass = walletPass; }
    }

    /** Both indexes are kept in step: logout and expiry remove from both. */
    static final class SessionStore {
        final Map<String, Session> byToken = new HashMap<>();
        final Map<String, List<Session>> byPatron = new HashMap<>();
        long logins, logouts, expired;
        void login(Session s) { byToken.put(s.token, s); byPatron.computeIfAbsent(s.patronId, u -> new ArrayList<>(2)).add(s); logins++; }
        void logout(String token) {
            Session s = byToken.remove(token);
            if (s == null) return;
            List<Session> l = byPatron.get(s.patronId);
            if (l != null) { l.remove(s); if (l.isEmpty()) byPatron.remove(s.patronId); }
            logouts++;
        }
        void sweep(long now) {
            for (Iterator<Session> it = byToken.values().iterator(); it.hasNext();) {
                Session s = it.next();
                if (s.lastSeenAt + IDLE_TIMEOUT <= now) {
                    it.remove();
                    List<Session> l = byPatron.get(s.patronId);
                    l.remove(s); if (l.isEmpty()) byPatron.remove(s.patronId);
                    expired++;
                }
            }
        }
        int indexed() { int n = 0; for (List<Session> l : byPatron.values()) n += l.size(); return n; }
    }

    static final class PatternLru extends LinkedHashMap<String, Pattern> {
        long evicted;
        PatternLru() { super(512, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Pattern> e) { if (size() > PATTERN_CAP) { evicted++; return true; } return false; }
    }

    static final class ShutdownRegistry {
        static final List<Runnable> CALLBACKS = new ArrayList<>();
        static synchronized void register(Runnable r) { CALLBACKS.add(r); }
    }

    static final Map<String, Production> PRODUCTIONS_BY_CODE = new HashMap<>();

    static final class TicketApi {
        final Map<String, Patron> patrons = new HashMap<>();
        final SessionStore sessions = new SessionStore();
        final PatternLru searchPatterns = new PatternLru();
        final DoorScan[] scans = new DoorScan[SCAN_RING];
        final ArrayDeque<byte[]> barcodeBuffers = new ArrayDeque<>();
        long scanned, searches, compiled;

        int search(String text, String[] titles) {
            searches++;
            Pattern p = searchPatterns.get(text);
            if (p == null) { p = Pattern.compile(Pattern.quote(text), Pattern.CASE_INSENSITIVE); searchPatterns.put(text, p); compiled++; }
            int hits = 0;
            for (int k = 0; k < 40; k++) if (p.matcher(titles[(int) ((searches * 31 + k) % titles.length)]).find()) hits++;
            return hits;
        }
    }

    static TicketApi SERVICE;

    record End(long at, Session s, boolean logout) {}

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void traffic(TicketApi svc, String[] patronIds, String[] showCodes, String[] titles, long start, long end, int logins) {
        Random r = new Random(71_050_002);
        String[] devices = {"iPhone 13", "iPhone 15", "Pixel 7", "Galaxy S22", "Galaxy A34"};
        String[] words = {"dragon", "owl", "pirate", "moon", "fox", "princess", "robot", "whale", "giant", "mouse", "king", "forest"};
        PriorityQueue<End> ends = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
        long nextSweep = start + SWEEP_EVERY;
        for (int i = 0; i <= logins; i++) {
            long t = i < logins ? start + (end - MINUTE - start) * i / logins : end;
            while (true) {
                long endAt = ends.isEmpty() ? Long.MAX_VALUE : ends.peek().at();
                if (nextSweep <= t && nextSweep <= endAt) { svc.sessions.sweep(nextSweep); nextSweep += SWEEP_EVERY; }
                else if (endAt <= t) { End e = ends.poll(); if (e.logout()) svc.sessions.logout(e.s().token); else e.s().lastSeenAt = e.at(); }
                else break;
            }
            if (i == logins) break;
            Session s = new Session(String.format("%016x%016x", r.nextLong(), r.nextLong()), patronIds[r.nextInt(PATRONS)], devices[r.nextInt(devices.length)], t, new byte[96 + r.nextInt(96)]);
            svc.sessions.login(s);
            ends.add(new End(t + (5 + r.nextInt(21)) * MINUTE, s, r.nextInt(100) < 80));
            String text = r.nextInt(3) == 0 ? words[r.nextInt(words.length)] : words[r.nextInt(words.length)] + " " + (1 + r.nextInt(60));
            svc.search(text, titles);
            for (int k = 0; k < 2; k++) svc.scans[(int) (svc.scanned++ % SCAN_RING)] = new DoorScan("BC" + (900_000_000L + r.nextInt(50_000_000)), showCodes[r.nextInt(SHOWS)], "Door " + (1 + r.nextInt(4)), t);
            byte[] buf = svc.barcodeBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.barcodeBuffers.add(buf);
        }
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int logins = LOGINS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(71_050_001);
        String[] showCodes = new String[SHOWS];
        String[] titles = new String[SHOWS];
        String[] words = {"Dragon", "Owl", "Pirate", "Moon", "Fox", "Princess", "Robot", "Whale", "Giant", "Mouse", "King", "Forest"};
        for (int s = 0; s < SHOWS; s++) {
            double[] sold = new double[64];
            for (int k = 0; k < sold.length; k++) sold[k] = rnd.nextDouble() * 400;
            showCodes[s] = "SHOW-" + (600 + s);
            titles[s] = "The " + words[s % words.length] + " and the " + words[(s / words.length) % words.length] + " " + (1 + s % 60);
            PRODUCTIONS_BY_CODE.put(showCodes[s], new Production(showCodes[s], titles[s], sold));
        }
        TicketApi svc = new TicketApi();
        SERVICE = svc;
        String[] patronIds = new String[PATRONS];
        String[] tiers = {"member", "friend", "patron", "none"};
        for (int p = 0; p < PATRONS; p++) {
            patronIds[p] = "PT" + (3_300_000 + p * 7);
            svc.patrons.put(patronIds[p], new Patron(patronIds[p], "PC" + rnd.nextInt(9_000), tiers[p % tiers.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_500)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.barcodeBuffers.add(new byte[32_768]);
        ShutdownRegistry.register(() -> svc.sessions.byToken.clear());
        ShutdownRegistry.register(() -> svc.sessions.byPatron.clear());
        ShutdownRegistry.register(() -> svc.searchPatterns.clear());
        ShutdownRegistry.register(() -> svc.barcodeBuffers.clear());
        ShutdownRegistry.register(() -> Arrays.fill(svc.scans, null));
        ShutdownRegistry.register(() -> System.out.println("ticket API stopped after " + svc.scanned + " scans"));
        traffic(svc, patronIds, showCodes, titles, start, end, logins);
        SessionStore st = svc.sessions;
        int indexed = st.indexed();
        System.out.println("stage " + stage + " productions " + PRODUCTIONS_BY_CODE.size() + " patrons " + svc.patrons.size() + " logins " + st.logins + " logouts " + st.logouts + " expired " + st.expired + " byToken " + st.byToken.size()
                + " byPatron " + st.byPatron.size() + " / " + indexed + " patterns " + svc.searchPatterns.size() + " (compiled " + svc.compiled + ", evicted " + svc.searchPatterns.evicted + ") scans " + svc.scanned + " pool " + svc.barcodeBuffers.size()
                + " shutdown callbacks " + ShutdownRegistry.CALLBACKS.size());
        check(PRODUCTIONS_BY_CODE.size() == SHOWS && svc.patrons.size() == PATRONS, "reference data / directory");
        check(st.logins == logins && st.byToken.size() == indexed && st.logins == st.logouts + st.expired + st.byToken.size(), "sessions in both maps, nothing else");
        check(svc.searchPatterns.size() == PATTERN_CAP && svc.searchPatterns.evicted > 0, "pattern LRU at cap");
        check(svc.scanned == 2L * logins && (stage == 1 ? svc.scans[SCAN_RING - 1] == null : svc.scans[SCAN_RING - 1] != null), "scan ring");
        check(svc.barcodeBuffers.size() == POOL && ShutdownRegistry.CALLBACKS.size() == 6, "pool / shutdown registry");
        LeakCheck.histogram("java.util.regex.Pattern ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
