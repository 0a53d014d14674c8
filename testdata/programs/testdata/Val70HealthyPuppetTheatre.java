// hprofscan-dump: name=val70-healthy-puppettheatre-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val70-healthy-puppettheatre-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val70-healthy-puppettheatre jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val70-healthy-puppettheatre-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 70 (written blind), HEALTHY: the box office and programme site of a touring puppet
 * theatre. Production reference data, the patron directory, a searchable index of programme notes
 * (term -> postings; an edited note's old postings are removed before the new ones are added), a
 * hand-written box-office database pool that gets its connection back on every path (declined
 * payments included), a cache of rendered seat maps at its cap, a pool of ticket-printer buffers
 * and a ring of box-office events that fills in the first hours and then wraps. See
 * VALIDATION70.md.
 */
public final class Val70HealthyPuppetTheatre {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int SHOWS = 1_200, PATRONS = 25_000, SEATMAP_CAP = 2_000, POOL = 8, RING = 8_192, PREWARM = 12;
    static final int NOTES = 1_500, VOCAB = 4_000, TERMS_PER_NOTE = 24, EVENTS_PER_HOUR = 6_000;

    record Production(String code, String title, double[] attendanceByWeek) {}
    record Patron(String patronNo, String postcode, String tier, byte[] preferences, long joinedAt) {}
    record SeatMap(String key, byte[] rendered, long at) {}
    record BoxOfficeEvent(String patronNo, String showCode, String kind, int seats, long at) {}
    record Posting(long noteId, int version, int position) {}
    record ProgrammeNote(long id, String showCode, int version, long editedAt, String[] terms, byte[] text) {}

    /** Inverted index whose updates replace a note's postings. */
    static final class NotesIndex {
        final Map<String, ArrayList<Posting>> postings = new HashMap<>();
        final Map<Long, ProgrammeNote> notes = new HashMap<>();
        long postingCount, edits, removed;
        void index(ProgrammeNote n) {
            ProgrammeNote old = notes.put(n.id(), n);
            if (old != null) {
                edits++;
                Set<String> seen = new HashSet<>();
                for (String term : old.terms()) {
                    if (!seen.add(term)) continue;
                    ArrayList<Posting> list = postings.get(term);
                    int before = list.size();
                    list.removeIf(p -> p.noteId() == old.id());
                    removed += before - list.size();
                    postingCount -= before - list.size();
                    if (list.isEmpty()) postings.remove(term);
                }
            }
            for (int pos = 0; pos < n.terms().length; pos++) {
                postings.computeIfAbsent(n.terms()[pos], k -> new ArrayList<>()).add(new Posting(n.id(), n.version(), pos));
                postingCount++;
            }
        }
        int search(String term) { List<Posting> l = postings.get(term); return l == null ? 0 : Math.min(10, l.size()); }
    }

    static final class DbConnection {
        final long id; final long createdAt;
        final byte[] sendBuffer = new byte[4_096], recvBuffer = new byte[8_192];
        long borrowedAt; String borrowedBy; int uses;
        DbConnection(long id, long createdAt) { this.id = id; this.createdAt = createdAt; }
    }

    /** Hand-written pool: every borrow is returned in a finally block. */
    static final class BoxOfficePool {
        final ArrayDeque<DbConnection> idle = new ArrayDeque<>();
        final Map<Long, DbConnection> leased = new HashMap<>();
        long created, borrows, returns;
        DbConnection borrow(String who, long at) {
            DbConnection c = idle.poll();
            if (c == null) c = new DbConnection(created++, at);
            c.borrowedAt = at; c.borrowedBy = who; c.uses++;
            leased.put(c.id, c); borrows++;
            return c;
        }
        void giveBack(DbConnection c) { leased.remove(c.id); c.borrowedBy = null; idle.push(c); returns++; }
    }

    record Sale(String orderId, DbConnection conn, int finishesAt, boolean declined) {}

    static final class SeatMapCache extends LinkedHashMap<String, SeatMap> {
        long evicted;
        SeatMapCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, SeatMap> e) { if (size() > SEATMAP_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Production> SHOWS_BY_CODE = new HashMap<>();

    static final class BoxOffice {
        final Map<String, Patron> patrons = new HashMap<>();
        final NotesIndex notes = new NotesIndex();
        final BoxOfficePool db = new BoxOfficePool();
        final ArrayDeque<Sale> inFlight = new ArrayDeque<>();
        final SeatMapCache seatMaps = new SeatMapCache();
        final ArrayDeque<byte[]> ticketBuffers = new ArrayDeque<>();
        final BoxOfficeEvent[] events = new BoxOfficeEvent[RING];
        long written, declined, completed;
        void finish(Sale s) {
            try {
                if (s.declined()) { declined++; return; } // payment declined: nothing booked
                completed++;
            } finally {
                db.giveBack(s.conn());
            }
        }
    }

    static BoxOffice SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static String[] pickTerms(Random r, String[] vocab) {
        String[] t = new String[TERMS_PER_NOTE];
        for (int k = 0; k < t.length; k++) t[k] = vocab[r.nextInt(VOCAB)];
        return t;
    }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(70_050_001);
        String[] showCodes = new String[SHOWS];
        for (int s = 0; s < SHOWS; s++) {
            double[] att = new double[64];
            for (int k = 0; k < att.length; k++) att[k] = rnd.nextDouble() * 300;
            showCodes[s] = "PR-" + (700 + s);
            SHOWS_BY_CODE.put(showCodes[s], new Production(showCodes[s], "Production " + s, att));
        }
        BoxOffice svc = new BoxOffice();
        SERVICE = svc;
        String[] tiers = {"Friend", "Patron", "Benefactor", "Student"};
        String[] patronNos = new String[PATRONS];
        for (int p = 0; p < PATRONS; p++) {
            patronNos[p] = "PT" + (300_000 + p * 11);
            svc.patrons.put(patronNos[p], new Patron(patronNos[p], "PC" + rnd.nextInt(9_000), tiers[p % tiers.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(4_000)) * 24 * HOUR));
        }
        String[] stems = {"marionette", "shadow", "rod", "glove", "string", "lantern", "fable", "giant", "dragon", "fox",
                "moon", "sea", "forest", "clock", "king", "witch", "circus", "winter", "storm", "garden"};
        String[] vocab = new String[VOCAB];
        for (int k = 0; k < VOCAB; k++) vocab[k] = stems[k % stems.length] + "-" + (k / stems.length);
        Random notesRnd = new Random(70_050_003);
        for (int n = 0; n < NOTES; n++) svc.notes.index(new ProgrammeNote(90_000L + n, showCodes[n % SHOWS], 1, now - (long) (1 + notesRnd.nextInt(600)) * 24 * HOUR, pickTerms(notesRnd, vocab), new byte[300 + notesRnd.nextInt(300)]));
        for (int p = 0; p < PREWARM; p++) svc.db.giveBack(new DbConnection(svc.db.created++, start));
        svc.db.returns = 0;
        for (int b = 0; b < POOL; b++) svc.ticketBuffers.add(new byte[32_768]);
        Random traffic = new Random(70_050_002);
        String[] kinds = {"SALE", "EXCHANGE", "REFUND", "HOLD"};
        int maxInFlight = 0;
        long searches = 0;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (!svc.inFlight.isEmpty() && svc.inFlight.peek().finishesAt() <= i) svc.finish(svc.inFlight.poll());
            String patron = patronNos[traffic.nextInt(PATRONS)];
            String show = showCodes[traffic.nextInt(SHOWS)];
            if (i % 3 == 0) {
                String orderId = "ORD-" + (5_000_000 + i);
                svc.inFlight.add(new Sale(orderId, svc.db.borrow(orderId, t), i + 14, traffic.nextInt(40) == 0));
                maxInFlight = Math.max(maxInFlight, svc.inFlight.size());
            }
            svc.events[(int) (svc.written++ % RING)] = new BoxOfficeEvent(patron, show, kinds[traffic.nextInt(kinds.length)], 1 + traffic.nextInt(6), t);
            if (i % 10 == 7) { // a programme note is edited
                long id = 90_000L + traffic.nextInt(NOTES);
                ProgrammeNote old = svc.notes.notes.get(id);
                svc.notes.index(new ProgrammeNote(id, old.showCode(), old.version() + 1, t, pickTerms(notesRnd, vocab), new byte[300 + notesRnd.nextInt(300)]));
            } else if (i % 10 == 3) {
                svc.notes.search(vocab[traffic.nextInt(VOCAB)]);
                searches++;
            }
            String key = "seats-" + traffic.nextInt(4_000);
            if (svc.seatMaps.get(key) == null) svc.seatMaps.put(key, new SeatMap(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.ticketBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.ticketBuffers.add(buf);
        }
        NotesIndex ix = svc.notes;
        BoxOfficePool db = svc.db;
        System.out.println("stage " + stage + " shows " + SHOWS_BY_CODE.size() + " patrons " + svc.patrons.size() + " notes " + ix.notes.size() + " postings " + ix.postingCount + " (edits " + ix.edits + ", removed " + ix.removed + ", terms " + ix.postings.size()
                + ") searches " + searches + " pool leased " + db.leased.size() + " idle " + db.idle.size() + " created " + db.created + " (borrows " + db.borrows + ", declined " + svc.declined + ", max in flight " + maxInFlight + ") seat maps " + svc.seatMaps.size()
                + " (evicted " + svc.seatMaps.evicted + ") ticket buffers " + svc.ticketBuffers.size() + " events " + Math.min(svc.written, RING) + " (written " + svc.written + ")");
        check(SHOWS_BY_CODE.size() == SHOWS && svc.patrons.size() == PATRONS && ix.notes.size() == NOTES, "reference data / directory / notes");
        check(ix.postingCount == (long) NOTES * TERMS_PER_NOTE && ix.edits == events / 10, "index holds current versions only: " + ix.postingCount);
        check(db.created == PREWARM && db.leased.size() == svc.inFlight.size() && db.borrows == (events + 2) / 3 && svc.declined > 0, "pool: every connection returned");
        check(svc.seatMaps.size() == SEATMAP_CAP && svc.seatMaps.evicted > 0, "seat-map cache at cap");
        check(svc.ticketBuffers.size() == POOL, "ticket pool");
        check(svc.written == events, "event ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
