// hprofscan-dump: name=val119-leak-locumagency-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val119-leak-locumagency-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val119-leak-locumagency jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val119-leak-locumagency-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Validation set 119 (written blind), LEAK (growth series, 2 / 4 / 8 h): the shift-booking service
 * of a locum doctors' agency. Hospital-trust reference data, the doctor directory, a cache of
 * rendered timesheets at its cap, a pool of PDF buffers, a ring of recent shift offers, the payroll
 * export queue with its normal backlog, and the rate-card cache: a HashMap keyed by RateKey (grade,
 * specialty, region, day/night band), a small value class built fresh for every lookup that has no
 * equals/hashCode. Every lookup misses and adds one more entry for a key already present: 192
 * logical keys, one entry per shift priced. See VALIDATION119.md.
 */
public final class Val119LeakLocumAgency {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
    static final int TRUSTS = 700, DOCTORS = 20_000, SHEET_CAP = 2_000, POOL = 8, RING = 8_192, SHIFTS_PER_HOUR = 4_000;
    static boolean FIXED;

    static final String[] GRADES = {"FY2", "CT1-2", "ST3+", "Consultant"};
    static final String[] SPECIALTIES = {"Emergency Medicine", "Anaesthetics", "General Medicine", "Paediatrics", "Psychiatry",
            "Obstetrics and Gynaecology"};
    static final String[] REGIONS = {"London", "South East", "Midlands", "North"};
    static final String[] BANDS = {"day", "night"};
    static final int[] GRADE_BASE_PENCE = {5_200, 6_800, 8_900, 13_500};

    record Trust(String code, String name, String region, double[] fillRateByWeek) {}
    record Doctor(String gmcNumber, String name, String grade, String specialty, byte[] compliancePack, long registeredAt) {}
    record Timesheet(String key, byte[] rendered, long at) {}
    record ShiftOffer(String shiftId, String trustCode, String gmcNumber, int ratePence, long startsAt, long offeredAt) {}
    record PayrollLine(String shiftId, String gmcNumber, int hours, int ratePence, long confirmedAt) {}

    /** What the rate engine prices a shift by. */
    static class RateKey {
        final String grade;
        final String specialty;
        final String region;
        final int band;

        RateKey(String grade, String specialty, String region, int band) {
            this.grade = grade; this.specialty = specialty; this.region = region; this.band = band;
        }
    }

    /** Only for the measurement run with the bug fixed (-Dval119.fixed=true). */
    static final class ComparableRateKey extends RateKey {
        ComparableRateKey(String grade, String specialty, String region, int band) { super(grade, specialty, region, band); }
        @Override public boolean equals(Object o) {
            if (!(o instanceof ComparableRateKey)) return false;
            RateKey k = (RateKey) o;
            return grade.equals(k.grade) && specialty.equals(k.specialty) && region.equals(k.region) && band == k.band;
        }
        @Override public int hashCode() { return ((grade.hashCode() * 31 + specialty.hashCode()) * 31 + region.hashCode()) * 31 + band; }
    }

    /** The computed rate card of one key: the hourly rate for each hour of the shift's day. */
    static final class RateCard {
        final RateKey key;
        final String agreement;
        final double[] hourlyPounds;
        final long computedAt;

        RateCard(RateKey key, String agreement, double[] hourlyPounds, long computedAt) {
            this.key = key; this.agreement = agreement; this.hourlyPounds = hourlyPounds; this.computedAt = computedAt;
        }
    }

    /** Rate cards are expensive (agreement rules, uplifts): computed once per key and kept. */
    static final class RateCardCache {
        final Map<RateKey, RateCard> cards = new HashMap<>();
        long lookups, misses;

        RateCard lookup(String grade, String specialty, String region, int band, long t) {
            lookups++;
            RateKey key = FIXED ? new ComparableRateKey(grade, specialty, region, band) : new RateKey(grade, specialty, region, band);
            RateCard card = cards.get(key);
            if (card == null) {
                misses++;
                card = compute(key, t);
                cards.put(key, card);
            }
            return card;
        }

        static RateCard compute(RateKey key, long t) {
            int g = 0;
            while (!GRADES[g].equals(key.grade)) g++;
            double base = GRADE_BASE_PENCE[g] / 100.0 * (key.region.equals("London") ? 1.2 : 1.0);
            double[] hourly = new double[24];
            for (int h = 0; h < 24; h++) hourly[h] = base * (h < 7 || h >= 21 ? 1.33 : 1.0) * (key.band == 1 ? 1.1 : 1.0);
            return new RateCard(key, "NHSE-LRC-" + key.region.toUpperCase(Locale.ROOT).replace(' ', '-') + "-" + BANDS[key.band] + "-2024", hourly, t);
        }
    }

    static final class SheetCache extends LinkedHashMap<String, Timesheet> {
        long evicted;
        SheetCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Timesheet> e) {
            if (size() > SHEET_CAP) { evicted++; return true; }
            return false;
        }
    }

    static final Map<String, Trust> TRUSTS_BY_CODE = new HashMap<>();

    static final class BookingService {
        final Map<String, Doctor> doctors = new HashMap<>();
        final String[] gmcNumbers = new String[DOCTORS];
        final String[] trustCodes = new String[TRUSTS];
        final SheetCache timesheets = new SheetCache();
        final ArrayDeque<byte[]> pdfBuffers = new ArrayDeque<>();
        final ShiftOffer[] offers = new ShiftOffer[RING];
        final ArrayDeque<PayrollLine> payrollQueue = new ArrayDeque<>();
        final RateCardCache rates = new RateCardCache();
        /** The distinct (grade, specialty, region, band) combinations priced: for the check only. */
        final Set<String> logicalKeys = new HashSet<>();
        long shifts, confirmed, exported, pdfs;

        void offerShift(Random r, long t) {
            Trust trust = TRUSTS_BY_CODE.get(trustCodes[r.nextInt(TRUSTS)]);
            Doctor doc = doctors.get(gmcNumbers[r.nextInt(DOCTORS)]);
            int band = r.nextInt(3) == 0 ? 1 : 0;
            RateCard card = rates.lookup(doc.grade(), doc.specialty(), trust.region(), band, t);
            logicalKeys.add(doc.grade() + "|" + doc.specialty() + "|" + trust.region() + "|" + band);
            long startsAt = t + (long) (2 + r.nextInt(240)) * HOUR;
            int startHour = (int) ((startsAt / HOUR) % 24);
            int ratePence = (int) Math.round(card.hourlyPounds[startHour] * 100);
            String shiftId = "SH-" + (7_700_000 + shifts);
            offers[(int) (shifts++ % RING)] = new ShiftOffer(shiftId, trust.code(), doc.gmcNumber(), ratePence, startsAt, t);
            if (r.nextInt(3) == 0) {
                confirmed++;
                payrollQueue.add(new PayrollLine(shiftId, doc.gmcNumber(), band == 1 ? 12 : 8 + r.nextInt(5), ratePence, t));
                String key = "timesheet-" + shiftId;
                if (timesheets.get(key) == null) timesheets.put(key, new Timesheet(key, new byte[400 + r.nextInt(400)], t));
                byte[] buf = pdfBuffers.poll();
                buf[(int) (pdfs++ % buf.length)] = (byte) ratePence;
                pdfBuffers.add(buf);
            }
        }

        /** Every 15 minutes the payroll export takes the confirmations older than 5 minutes. */
        void exportPayroll(long t) {
            while (!payrollQueue.isEmpty() && payrollQueue.peek().confirmedAt() <= t - 5 * MINUTE) {
                payrollQueue.poll();
                exported++;
            }
        }
    }

    static BookingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void simulate(int hours) {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(119_020_001);
        BookingService svc = new BookingService();
        SERVICE = svc;
        for (int i = 0; i < TRUSTS; i++) {
            double[] fill = new double[52];
            for (int k = 0; k < fill.length; k++) fill[k] = rnd.nextDouble();
            svc.trustCodes[i] = "R" + (char) ('A' + i % 26) + (char) ('A' + (i / 26) % 26) + (i / 676);
            TRUSTS_BY_CODE.put(svc.trustCodes[i], new Trust(svc.trustCodes[i], "Hospital Trust " + i, REGIONS[rnd.nextInt(REGIONS.length)], fill));
        }
        for (int i = 0; i < DOCTORS; i++) {
            svc.gmcNumbers[i] = "GMC" + (6_000_000 + i * 37);
            svc.doctors.put(svc.gmcNumbers[i], new Doctor(svc.gmcNumbers[i], "Dr Locum " + i, GRADES[rnd.nextInt(GRADES.length)],
                    SPECIALTIES[rnd.nextInt(SPECIALTIES.length)], new byte[150 + rnd.nextInt(150)], now - (long) (200 + rnd.nextInt(9_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.pdfBuffers.add(new byte[32_768]);
        Random traffic = new Random(119_020_002);
        int shifts = SHIFTS_PER_HOUR * hours;
        long nextExport = start + 15 * MINUTE;
        for (int i = 0; i < shifts; i++) {
            long t = start + (end - MINUTE - start) * i / shifts;
            while (nextExport <= t) { svc.exportPayroll(nextExport); nextExport += 15 * MINUTE; }
            svc.offerShift(traffic, t);
        }
    }

    static String verify(int stage, int hours) {
        BookingService svc = SERVICE;
        int shifts = SHIFTS_PER_HOUR * hours;
        String summary = (FIXED ? "FIXED " : "") + "stage " + stage + " trusts " + TRUSTS_BY_CODE.size() + " doctors " + svc.doctors.size()
                + " shifts " + svc.shifts + " rate lookups " + svc.rates.lookups + " misses " + svc.rates.misses + " rate cards " + svc.rates.cards.size()
                + " logical keys " + svc.logicalKeys.size() + " confirmed " + svc.confirmed + " exported " + svc.exported + " queued " + svc.payrollQueue.size()
                + " timesheets " + svc.timesheets.size() + " (evicted " + svc.timesheets.evicted + ") pool " + svc.pdfBuffers.size();
        check(TRUSTS_BY_CODE.size() == TRUSTS && svc.doctors.size() == DOCTORS, "reference data / directory");
        check(svc.shifts == shifts && svc.rates.lookups == shifts, "traffic");
        check(svc.logicalKeys.size() == GRADES.length * SPECIALTIES.length * REGIONS.length * BANDS.length, "logical keys " + svc.logicalKeys.size());
        if (FIXED) check(svc.rates.cards.size() == svc.logicalKeys.size(), "one card per key");
        else check(svc.rates.cards.size() == shifts && svc.rates.misses == shifts, "one card per lookup: " + svc.rates.cards.size());
        check(svc.timesheets.size() == SHEET_CAP && svc.timesheets.evicted > 0, "timesheets at cap");
        check(svc.pdfBuffers.size() == POOL && svc.offers[Math.min(shifts, RING) - 1] != null, "pool / ring");
        check(svc.exported + svc.payrollQueue.size() == svc.confirmed && svc.payrollQueue.size() < 500, "payroll");
        return summary;
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val119.fixed");
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 2 : stage == 2 ? 4 : 8;
        simulate(hours);
        System.out.println(verify(stage, hours));
        LeakCheck.histogram("java.util.HashMap$Node ", "[Ljava.util.HashMap$Node;", "[D ", "java.lang.String ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
