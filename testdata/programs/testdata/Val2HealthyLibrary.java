// hprofscan-dump: name=val2-healthy-library jvm="-Xmx256m" variants=jcmd
package testdata;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validation set 2 (written blind): a public-library catalog, search and loan service. HEALTHY.
 *
 * <p>Components: book catalog with interned author names (reference data), title inverted index
 * (reference data), search-result cache (map + insertion-order queue, capped), member directory,
 * loan desk (loans returned after 21 days), library event bus with a fixed set of listeners,
 * search worker pool with a per-thread formatter (ThreadLocal, reset per use), reminder queue.
 * 90 simulated days pass; nothing grows without bound.
 */
public final class Val2HealthyLibrary {
    static final int BOOKS = 20_000;
    static final int MEMBERS = 20_000;
    static final int DAYS = 90;
    static final int LOANS_PER_DAY = 200;
    static final int LOAN_DAYS = 21;
    static final int SEARCHES_PER_DAY = 400;
    static final int SEARCH_CACHE_CAP = 5_000;
    static final int SEARCH_THREADS = 3;
    static final int REMINDERS_AT_DUMP = LOANS_PER_DAY; // loans due tomorrow, queued tonight
    static final LocalDate OPENING = LocalDate.of(2026, 1, 5);
    static final String[] WORDS = {"history", "river", "garden", "night", "winter", "empire", "silent", "city",
        "ocean", "secret", "journey", "stone", "light", "shadow", "kingdom", "island", "machine", "letters",
        "forest", "summer", "war", "peace", "music", "glass", "north", "south", "bridge", "mountain", "dream", "road",
        "science", "art", "cooking", "travel", "children", "poems", "mystery", "house", "time", "memory"};

    static final class SimClock {
        private long nowMillis;
        SimClock(long start) { nowMillis = start; }
        long millis() { return nowMillis; }
        LocalDate today() { return Instant.ofEpochMilli(nowMillis).atZone(ZoneOffset.UTC).toLocalDate(); }
        void advance(long ms) { nowMillis += ms; }
    }

    static final class StringInterner {
        private final Map<String, String> pool = new HashMap<>();
        String intern(String s) { String e = pool.putIfAbsent(s, s); return e != null ? e : s; }
        int size() { return pool.size(); }
    }

    static final class Book {
        final int docId; final String isbn; final String title; final List<String> authors; final String subject; final int year; int copies;
        Book(int docId, String isbn, String title, List<String> authors, String subject, int year, int copies) {
            this.docId = docId; this.isbn = isbn; this.title = title; this.authors = authors; this.subject = subject; this.year = year; this.copies = copies;
        }
    }

    static final class BookCatalog {
        final Map<String, Book> byIsbn = new HashMap<>();
        final Book[] byDocId = new Book[BOOKS];
        final StringInterner names = new StringInterner();
        void load(Random rnd) {
            for (int i = 0; i < BOOKS; i++) {
                String title = "The " + WORDS[rnd.nextInt(WORDS.length)] + " of the " + WORDS[rnd.nextInt(WORDS.length)]
                        + (i % 4 == 0 ? " and other " + WORDS[rnd.nextInt(WORDS.length)] : "") + " vol. " + (i % 13 + 1);
                List<String> authors = new ArrayList<>(2);
                authors.add(names.intern("Author" + rnd.nextInt(6_000) + " " + WORDS[rnd.nextInt(WORDS.length)] + "son"));
                if (i % 3 == 0) authors.add(names.intern("Author" + rnd.nextInt(6_000) + " " + WORDS[rnd.nextInt(WORDS.length)] + "son"));
                String isbn = "978" + String.format("%010d", 1_000_000_000L + i * 37L);
                Book b = new Book(i, isbn, title, authors, WORDS[i % WORDS.length], 1950 + i % 75, 1 + i % 4);
                byIsbn.put(isbn, b);
                byDocId[i] = b;
            }
        }
    }

    static final class TitleIndex {
        final Map<String, int[]> postings = new HashMap<>();
        void build(BookCatalog cat) {
            Map<String, List<Integer>> tmp = new HashMap<>();
            for (Book b : cat.byDocId) {
                for (String t : b.title.toLowerCase().split(" ")) tmp.computeIfAbsent(t, k -> new ArrayList<>()).add(b.docId);
                for (String a : b.authors) for (String t : a.toLowerCase().split(" ")) tmp.computeIfAbsent(t, k -> new ArrayList<>()).add(b.docId);
            }
            for (Map.Entry<String, List<Integer>> e : tmp.entrySet()) {
                int[] p = new int[e.getValue().size()];
                for (int i = 0; i < p.length; i++) p[i] = e.getValue().get(i);
                postings.put(e.getKey(), p);
            }
        }
        int[] search(String a, String b) {
            int[] pa = postings.getOrDefault(a, new int[0]), pb = postings.getOrDefault(b, new int[0]);
            int[] out = new int[20]; int n = 0, i = 0, j = 0;
            while (i < pa.length && j < pb.length && n < out.length) {
                if (pa[i] == pb[j]) { out[n++] = pa[i]; i++; j++; } else if (pa[i] < pb[j]) i++; else j++;
            }
            return Arrays.copyOf(out, n);
        }
    }

    /** Capped cache: map + insertion-order queue; the oldest key is evicted on overflow. */
    static final class SearchResultCache {
        static final class Result {
            final String query; final int[] docIds; final long computedAtMillis;
            Result(String q, int[] ids, long at) { query = q; docIds = ids; computedAtMillis = at; }
        }
        final ConcurrentHashMap<String, Result> results = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
        final int cap;
        SearchResultCache(int cap) { this.cap = cap; }
        synchronized void put(Result r) {
            if (results.put(r.query, r) == null) order.add(r.query);
            while (results.size() > cap) results.remove(order.poll());
        }
        Result get(String q) { return results.get(q); }
    }

    static final class SearchWorkers {
        static final ThreadLocal<StringBuilder> FORMATTER = ThreadLocal.withInitial(() -> new StringBuilder(1024));
        final ExecutorService pool = Executors.newFixedThreadPool(SEARCH_THREADS, r -> {
            Thread t = new Thread(r, "search-worker");
            t.setDaemon(true);
            return t;
        });
        static String render(Book b) {
            StringBuilder sb = FORMATTER.get();
            sb.setLength(0);
            sb.append(b.title).append(" / ").append(String.join("; ", b.authors)).append(" (").append(b.year).append(')');
            String s = sb.toString();
            sb.setLength(0);
            return s;
        }
    }

    static final class Member {
        final String memberId; final String name; final String email; final LocalDate joined; int loansTotal;
        Member(String id, String name, String email, LocalDate joined) { memberId = id; this.name = name; this.email = email; this.joined = joined; }
    }

    static final class Loan {
        final String memberId; final String isbn; final LocalDate borrowedOn; final LocalDate dueOn;
        Loan(String memberId, String isbn, LocalDate borrowedOn, LocalDate dueOn) { this.memberId = memberId; this.isbn = isbn; this.borrowedOn = borrowedOn; this.dueOn = dueOn; }
    }

    interface LibraryListener { void onEvent(String type, Loan loan); }

    static final class LibraryEventBus {
        final CopyOnWriteArrayList<LibraryListener> listeners = new CopyOnWriteArrayList<>();
        void publish(String type, Loan loan) { for (LibraryListener l : listeners) l.onEvent(type, loan); }
    }

    static final class LoanDesk {
        final Map<String, List<Loan>> activeByMember = new HashMap<>();
        int active;
        void lend(Loan l) { activeByMember.computeIfAbsent(l.memberId, k -> new ArrayList<>(2)).add(l); active++; }
        List<Loan> returnDue(LocalDate today) {
            List<Loan> back = new ArrayList<>();
            for (Iterator<List<Loan>> it = activeByMember.values().iterator(); it.hasNext(); ) {
                List<Loan> ls = it.next();
                ls.removeIf(l -> { boolean r = !l.dueOn.isAfter(today); if (r) back.add(l); return r; });
                if (ls.isEmpty()) it.remove();
            }
            active -= back.size();
            return back;
        }
    }

    static final class Reminder {
        final String email; final String isbn; final LocalDate dueOn;
        Reminder(String email, String isbn, LocalDate dueOn) { this.email = email; this.isbn = isbn; this.dueOn = dueOn; }
    }

    final SimClock clock = new SimClock(OPENING.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
    final BookCatalog catalog = new BookCatalog();
    final TitleIndex index = new TitleIndex();
    final SearchResultCache searchCache = new SearchResultCache(SEARCH_CACHE_CAP);
    final SearchWorkers search = new SearchWorkers();
    final Map<String, Member> members = new HashMap<>();
    final LoanDesk loans = new LoanDesk();
    final LibraryEventBus bus = new LibraryEventBus();
    final LinkedBlockingQueue<Reminder> reminders = new LinkedBlockingQueue<>();
    final ConcurrentHashMap<String, LongAdder> metrics = new ConcurrentHashMap<>();
    final Random rnd = new Random(1984);
    long remindersSent;

    static Val2HealthyLibrary service;

    void inc(String n) { metrics.computeIfAbsent(n, k -> new LongAdder()).increment(); }

    void start() {
        catalog.load(rnd);
        index.build(catalog);
        for (int i = 0; i < MEMBERS; i++) {
            String id = "M" + (300_000 + i);
            members.put(id, new Member(id, "Member " + i, "member" + i + "@mail.example.org", OPENING.minusDays(i % 3650)));
        }
        bus.listeners.add((type, loan) -> inc("loan." + type));
        bus.listeners.add((type, loan) -> members.get(loan.memberId).loansTotal += type.equals("lent") ? 1 : 0);
        bus.listeners.add((type, loan) -> { if (type.equals("returned")) catalog.byIsbn.get(loan.isbn).copies++; });
    }

    void runDay() throws Exception {
        LocalDate today = clock.today();
        for (Loan l : loans.returnDue(today)) bus.publish("returned", l);
        List<Future<String>> pending = new ArrayList<>();
        for (int s = 0; s < SEARCHES_PER_DAY; s++) {
            String a = WORDS[rnd.nextInt(WORDS.length)], b = WORDS[rnd.nextInt(WORDS.length)];
            String q = a + " " + b + " p" + rnd.nextInt(8);
            pending.add(search.pool.submit(() -> {
                SearchResultCache.Result r = searchCache.get(q);
                if (r == null) {
                    r = new SearchResultCache.Result(q, index.search(a, b), clock.millis());
                    searchCache.put(r);
                }
                return r.docIds.length > 0 ? SearchWorkers.render(catalog.byDocId[r.docIds[0]]) : "";
            }));
        }
        for (Future<String> f : pending) f.get();
        for (int i = 0; i < LOANS_PER_DAY; i++) {
            Book b = catalog.byDocId[rnd.nextInt(BOOKS)];
            Loan l = new Loan("M" + (300_000 + rnd.nextInt(MEMBERS)), b.isbn, today, today.plusDays(LOAN_DAYS));
            b.copies--;
            loans.lend(l);
            bus.publish("lent", l);
        }
        // evening batch: reminders for loans due tomorrow, sent by the mailer overnight
        reminders.clear();
        for (List<Loan> ls : loans.activeByMember.values()) {
            for (Loan l : ls) if (l.dueOn.equals(today.plusDays(1))) reminders.add(new Reminder(members.get(l.memberId).email, l.isbn, l.dueOn));
        }
        clock.advance(TimeUnit.DAYS.toMillis(1));
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("unexpected size: " + what);
    }

    public static void main(String[] args) throws Exception {
        Val2HealthyLibrary svc = new Val2HealthyLibrary();
        service = svc;
        svc.start();
        for (int d = 0; d < DAYS; d++) svc.runDay();

        check(svc.catalog.byIsbn.size() == BOOKS, "catalog");
        check(svc.members.size() == MEMBERS, "members");
        check(svc.loans.active == LOANS_PER_DAY * LOAN_DAYS, "active loans " + svc.loans.active);
        check(svc.searchCache.results.size() == SEARCH_CACHE_CAP && svc.searchCache.order.size() == SEARCH_CACHE_CAP,
                "search cache " + svc.searchCache.results.size() + "/" + svc.searchCache.order.size());
        check(svc.bus.listeners.size() == 3, "listeners");
        check(svc.reminders.size() == REMINDERS_AT_DUMP, "reminders " + svc.reminders.size());
        check(svc.metrics.get("loan.lent").sum() == (long) DAYS * LOANS_PER_DAY, "lent");

        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
