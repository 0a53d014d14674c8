// hprofscan-dump: name=val119-leak-studfarms jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val119-leak-studfarms-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.WeakHashMap;

/**
 * Validation set 119 (written blind), LEAK: the nominations service of a thoroughbred stud farm
 * group (mares booked to visiting stallions: booked, covered, scanned, closed). Stallion reference
 * data, the mare directory, a cache of rendered covering certificates at its cap, a pool of scan
 * image buffers, a ring of vet scans, the fee-invoice queue with its normal backlog, the active
 * bookings, and the audit side-table: a WeakHashMap&lt;CoveringBooking, BookingAudit&gt; meant to
 * drop a booking's audit trail once the booking is closed and dropped. Each BookingAudit keeps a
 * back-reference to the booking it describes (for describe()), so every key stays strongly
 * reachable through its own value and no entry is ever cleared. See VALIDATION119.md.
 */
public final class Val119LeakStudFarms {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
    static final int STALLIONS = 600, MARES = 20_000, CERT_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, BOOKINGS_PER_HOUR = 1_600;
    static boolean FIXED;

    static final String[] VETS = {"J. Hartley MRCVS", "S. O'Donnell MRCVS", "P. Mensah MRCVS", "K. Lindqvist MRCVS", "R. Achterberg MRCVS"};
    static final String[] OUTCOMES = {"scanned in foal (single)", "scanned in foal, twin pinched", "not in foal, returned to owner",
            "scanned empty, re-cover next cycle"};

    record Stallion(String name, String stud, int feeGuineas, double[] foalCropByYear) {}
    record Mare(String ueln, String name, String owner, byte[] pedigree, long foaledAt) {}
    record Certificate(String key, byte[] rendered, long at) {}
    record VetScan(String bookingId, String vet, int follicleMm, String result, long at) {}
    record FeeInvoice(String invoiceNo, String bookingId, int amountPounds, long raisedAt) {}
    record AuditLine(String what, String by, long at) {}

    /** A mare's visit to a stallion. Identity matters: it is the key of the audit side-table. */
    static final class CoveringBooking {
        final String bookingId;
        final String mareUeln;
        final String stallion;
        final long bookedAt;
        final long closesAt;
        String status = "BOOKED";

        CoveringBooking(String bookingId, String mareUeln, String stallion, long bookedAt, long closesAt) {
            this.bookingId = bookingId; this.mareUeln = mareUeln; this.stallion = stallion; this.bookedAt = bookedAt; this.closesAt = closesAt;
        }
    }

    /** The audit trail of one booking. */
    static final class BookingAudit {
        final String bookingId;
        final CoveringBooking booking; // the booking this trail describes (for describe())
        final List<AuditLine> lines = new ArrayList<>(4);

        BookingAudit(String bookingId, CoveringBooking booking) { this.bookingId = bookingId; this.booking = booking; }

        String describe() { return booking == null ? bookingId : booking.bookingId + " " + booking.stallion + " x " + booking.mareUeln + " [" + booking.status + "]"; }
    }

    /** Side data for bookings, "dropped automatically when the booking goes away". */
    static final class BookingTracker {
        final Map<CoveringBooking, BookingAudit> audits = new WeakHashMap<>();
        long audited;

        void record(CoveringBooking b, String what, String by, long t) {
            BookingAudit a = audits.get(b);
            if (a == null) {
                a = new BookingAudit(b.bookingId, FIXED ? null : b);
                audits.put(b, a);
            }
            a.lines.add(new AuditLine(what, by, t));
            audited++;
        }
    }

    static final class CertificateCache extends LinkedHashMap<String, Certificate> {
        long evicted;
        CertificateCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Certificate> e) {
            if (size() > CERT_CAP) { evicted++; return true; }
            return false;
        }
    }

    static final Map<String, Stallion> STALLIONS_BY_NAME = new HashMap<>();

    static final class NominationService {
        final Map<String, Mare> mares = new HashMap<>();
        final String[] uelns = new String[MARES];
        final String[] stallionNames = new String[STALLIONS];
        final CertificateCache certificates = new CertificateCache();
        final ArrayDeque<byte[]> scanBuffers = new ArrayDeque<>();
        final VetScan[] scans = new VetScan[RING];
        final ArrayDeque<FeeInvoice> invoiceQueue = new ArrayDeque<>();
        final Map<String, CoveringBooking> activeBookings = new HashMap<>();
        final PriorityQueue<CoveringBooking> closing = new PriorityQueue<>(
                Comparator.comparingLong((CoveringBooking b) -> b.closesAt).thenComparing(b -> b.bookingId));
        final BookingTracker tracker = new BookingTracker();
        long booked, closed, scanCount, invoicesRaised, invoicesSent, nextBooking = 1_190_000;

        void book(Random r, long t) {
            Mare mare = mares.get(uelns[r.nextInt(MARES)]);
            Stallion st = STALLIONS_BY_NAME.get(stallionNames[r.nextInt(STALLIONS)]);
            CoveringBooking b = new CoveringBooking("NOM-" + nextBooking++, mare.ueln(), st.name(), t, t + (30 + r.nextInt(121)) * MINUTE);
            activeBookings.put(b.bookingId, b);
            closing.add(b);
            booked++;
            tracker.record(b, "nomination booked for " + mare.name() + " to " + st.name() + " at " + st.stud(), "bookings office", t);
            if (r.nextInt(10) < 7) {
                b.status = "COVERED";
                tracker.record(b, "covered, teaser " + (1 + r.nextInt(4)) + ", stallion man " + (char) ('A' + r.nextInt(26)) + ". confirmed", "yard", t + 10 * MINUTE);
            }
        }

        void close(CoveringBooking b, Random r, long t) {
            String vet = VETS[r.nextInt(VETS.length)];
            String outcome = OUTCOMES[r.nextInt(OUTCOMES.length)];
            int follicle = 25 + r.nextInt(30);
            scans[(int) (scanCount++ % RING)] = new VetScan(b.bookingId, vet, follicle, outcome, t);
            byte[] buf = scanBuffers.poll();
            buf[(int) (scanCount % buf.length)] = (byte) follicle;
            scanBuffers.add(buf);
            tracker.record(b, "day-14 scan: " + outcome + ", follicle " + follicle + " mm", vet, t);
            b.status = "CLOSED";
            tracker.record(b, "booking closed, nomination fee due " + (1_000 + r.nextInt(40_000)) + " gns", "accounts", t);
            String key = "cert-" + b.mareUeln + "-" + b.stallion;
            if (certificates.get(key) == null) certificates.put(key, new Certificate(key, new byte[400 + r.nextInt(400)], t));
            invoiceQueue.add(new FeeInvoice("SF-" + (600_000 + invoicesRaised++), b.bookingId, 1_000 + r.nextInt(40_000), t));
            activeBookings.remove(b.bookingId);
            closed++;
        }

        /** The accounts run every 15 minutes invoices the fees raised at least 5 minutes before. */
        void sendInvoices(long t) {
            while (!invoiceQueue.isEmpty() && invoiceQueue.peek().raisedAt() <= t - 5 * MINUTE) {
                invoiceQueue.poll();
                invoicesSent++;
            }
        }
    }

    static NominationService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(119_040_001);
        NominationService svc = new NominationService();
        SERVICE = svc;
        for (int s = 0; s < STALLIONS; s++) {
            double[] crops = new double[40];
            for (int k = 0; k < crops.length; k++) crops[k] = rnd.nextInt(180);
            svc.stallionNames[s] = "Stallion " + (char) ('A' + s % 26) + (s / 26);
            STALLIONS_BY_NAME.put(svc.stallionNames[s], new Stallion(svc.stallionNames[s], "Stud " + (s % 45), 2_000 + rnd.nextInt(150_000), crops));
        }
        for (int i = 0; i < MARES; i++) {
            svc.uelns[i] = "826002" + (100_000_000 + i * 7L);
            svc.mares.put(svc.uelns[i], new Mare(svc.uelns[i], "Mare " + i, "Owner " + (i % 3_000), new byte[150 + rnd.nextInt(150)],
                    now - (long) (3 * 365 + rnd.nextInt(15 * 365)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.scanBuffers.add(new byte[32_768]);
        Random traffic = new Random(119_040_002), yard = new Random(119_040_003);
        int bookings = BOOKINGS_PER_HOUR * HOURS;
        long nextInvoiceRun = start + 15 * MINUTE;
        for (int i = 0; i < bookings; i++) {
            long t = start + (end - MINUTE - start) * i / bookings;
            for (CoveringBooking b; (b = svc.closing.peek()) != null && b.closesAt <= t; ) svc.close(svc.closing.poll(), yard, b.closesAt);
            while (nextInvoiceRun <= t) { svc.sendInvoices(nextInvoiceRun); nextInvoiceRun += 15 * MINUTE; }
            svc.book(traffic, t);
        }
    }

    /** Lets the collector clear what is only weakly reachable; the WeakHashMap expunges on size(). */
    static int settledAuditCount(int expected) throws InterruptedException {
        int size = SERVICE.tracker.audits.size();
        for (int tries = 0; tries < 50 && size != expected; tries++) {
            System.gc();
            Thread.sleep(20);
            size = SERVICE.tracker.audits.size();
        }
        return size;
    }

    static String verify() throws InterruptedException {
        NominationService svc = SERVICE;
        int bookings = BOOKINGS_PER_HOUR * HOURS;
        int active = svc.activeBookings.size();
        int audits = settledAuditCount(FIXED ? active : bookings);
        String summary = (FIXED ? "FIXED " : "") + "stallions " + STALLIONS_BY_NAME.size() + " mares " + svc.mares.size() + " bookings " + svc.booked
                + " closed " + svc.closed + " active " + active + " audits " + audits + " (audit lines " + svc.tracker.audited + ") certificates "
                + svc.certificates.size() + " (evicted " + svc.certificates.evicted + ") pool " + svc.scanBuffers.size() + " scans " + svc.scanCount
                + " invoices " + svc.invoicesRaised + " sent " + svc.invoicesSent + " queued " + svc.invoiceQueue.size();
        check(STALLIONS_BY_NAME.size() == STALLIONS && svc.mares.size() == MARES, "reference data / directory");
        check(svc.booked == bookings && svc.closed + active == bookings && svc.closing.size() == active, "bookings");
        check(svc.closed == 13_615 && active == 2_385, "closed / active: " + svc.closed + " / " + active);
        if (FIXED) check(audits == active, "one audit per active booking: " + audits);
        else check(audits == bookings, "one audit per booking ever made: " + audits);
        check(svc.certificates.size() == CERT_CAP && svc.certificates.evicted > 0, "certificate cache at cap");
        check(svc.scanBuffers.size() == POOL && svc.scanCount == svc.closed && svc.scans[RING - 1] != null, "pool / ring");
        check(svc.invoicesRaised == svc.closed && svc.invoicesSent + svc.invoiceQueue.size() == svc.invoicesRaised && svc.invoiceQueue.size() < 1_000, "invoices");
        return summary;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val119.fixed");
        simulate();
        System.out.println(verify());
        LeakCheck.histogram("java.util.WeakHashMap", "java.util.ArrayList ", "java.lang.String ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
