// hprofscan-dump: name=val79-healthy-smartparking-1 jvm="-Xmx266m" variants=mxbean args="1"
// hprofscan-dump: name=val79-healthy-smartparking-2 jvm="-Xmx266m" variants=mxbean args="2"
// hprofscan-dump: name=val79-healthy-smartparking jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val79-healthy-smartparking-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=jcmd args="3"
package testdata;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.beans.PropertyChangeSupport;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 79 (written blind), HEALTHY: the back end of a city's smart-parking garages.
 * Garage reference data, the permit directory, a ring of gate events, and four look-alikes done
 * right: a per-(reader key, minute) rate limiter that drops windows that are over, a cache of
 * payment-terminal session tickets that is swept of expired tickets, per-request view models that
 * remove their property-change listeners from the shared tariff settings, and a fee memo keyed only
 * by what the fee depends on (zone, duration bucket, permit type). Warms up, then plateaus.
 * See VALIDATION79.md.
 */
public final class Val79HealthySmartParking {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, TICKET_LIFETIME = 30 * MINUTE;
    static final int GARAGES = 1_500, PERMITS = 25_000, READERS = 300, RING = 8_192, EVENTS_PER_HOUR = 4_000, ZONES = 20, BUCKETS = 12;
    static final DateTimeFormatter WINDOW = DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);

    record Garage(String code, String district, double[] occupancyByHour) {}
    record Permit(String plate, String type, byte[] record, long issuedAt) {}
    record GateEvent(String plate, String garageCode, boolean entry, long at) {}
    record TerminalTicket(String sessionId, String terminal, byte[] secret, long issuedAt) {}
    record FeeKey(int zone, int durationBucket, String permitType) {}
    record Fee(long cents, byte[] breakdown) {}

    static final class Strike { final long windowStart; int count; Strike(long w) { windowStart = w; } }

    static final class RateLimiter {
        final Map<String, Strike> strikes = new HashMap<>();
        long currentWindow = -1, dropped;
        void hit(String readerKey, long at) {
            long window = at - at % MINUTE;
            if (window != currentWindow) {
                currentWindow = window;
                int before = strikes.size();
                strikes.values().removeIf(s -> s.windowStart < window);
                dropped += before - strikes.size();
            }
            strikes.computeIfAbsent(readerKey + ":" + WINDOW.format(Instant.ofEpochMilli(window)), k -> new Strike(window)).count++;
        }
    }

    static final class TicketCache {
        final Map<String, TerminalTicket> tickets = new HashMap<>();
        long issued, swept;
        void issue(TerminalTicket t) { tickets.put(t.sessionId(), t); issued++; }
        void sweep(long at) { int before = tickets.size(); tickets.values().removeIf(t -> at - t.issuedAt() > TICKET_LIFETIME); swept += before - tickets.size(); }
    }

    static final class TariffSettings {
        final PropertyChangeSupport changes = new PropertyChangeSupport(this);
        int surchargePercent;
        void setSurcharge(int p) { int old = surchargePercent; surchargePercent = p; changes.firePropertyChange("surchargePercent", old, p); }
    }

    static final class ReceiptViewModel {
        final String plate;
        final byte[] rendered;
        int rerenders;
        PropertyChangeListener listener;
        ReceiptViewModel(String plate, byte[] rendered) { this.plate = plate; this.rendered = rendered; }
        void bind(TariffSettings s) {
            listener = new PropertyChangeListener() { @Override public void propertyChange(PropertyChangeEvent evt) { rerenders++; } };
            s.changes.addPropertyChangeListener(listener);
        }
        void close(TariffSettings s) { s.changes.removePropertyChangeListener(listener); }
    }

    static final Map<String, Garage> GARAGES_BY_CODE = new HashMap<>();

    static final class ParkingService {
        final Map<String, Permit> permits = new HashMap<>();
        final GateEvent[] gateEvents = new GateEvent[RING];
        long events;
        final RateLimiter limiter = new RateLimiter();
        final TicketCache terminalTickets = new TicketCache();
        final TariffSettings tariff = new TariffSettings();
        final Map<FeeKey, Fee> feeMemo = new HashMap<>();
    }

    static ParkingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int stage = Integer.parseInt(args[2]);
        int hours = stage == 1 ? 1 : stage == 2 ? 4 : 8;
        int events = EVENTS_PER_HOUR * hours;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - hours * HOUR;
        Random rnd = new Random(79_050_001);
        String[] garageCodes = new String[GARAGES];
        for (int g = 0; g < GARAGES; g++) {
            double[] occ = new double[64];
            for (int k = 0; k < occ.length; k++) occ[k] = rnd.nextDouble();
            String code = "GR-" + (8_000 + g);
            garageCodes[g] = code;
            GARAGES_BY_CODE.put(code, new Garage(code, "District " + (g % 40), occ));
        }
        ParkingService svc = new ParkingService();
        SERVICE = svc;
        String[] plates = new String[PERMITS];
        String[] types = {"resident", "commuter", "business", "blue-badge"};
        for (int p = 0; p < PERMITS; p++) {
            String plate = "PL" + (300_000 + p);
            plates[p] = plate;
            svc.permits.put(plate, new Permit(plate, types[p % types.length], new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(700)) * 24 * HOUR));
        }
        long[] appWide = new long[4];
        for (int k = 0; k < 4; k++) { final int idx = k; svc.tariff.changes.addPropertyChangeListener(evt -> appWide[idx]++); }
        Random traffic = new Random(79_050_002);
        long lastSweep = start, surchargeChanges = 0;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            if (t - lastSweep >= MINUTE) { svc.terminalTickets.sweep(t); lastSweep = t; }
            if (i > 0 && i % 2_000 == 0) { svc.tariff.setSurcharge(i / 2_000 % 5); surchargeChanges++; }
            int p = traffic.nextInt(PERMITS);
            String garage = garageCodes[traffic.nextInt(GARAGES)];
            svc.gateEvents[(int) (svc.events++ % RING)] = new GateEvent(plates[p], garage, (i & 1) == 0, t);
            svc.limiter.hit("reader-" + Integer.toHexString(0x1000 + traffic.nextInt(READERS)), t);
            if ((i & 1) == 1) { // exit: pay at a terminal
                svc.terminalTickets.issue(new TerminalTicket(Long.toHexString(traffic.nextLong()) + Long.toHexString(traffic.nextLong()), "T" + traffic.nextInt(200), new byte[48], t));
                FeeKey fk = new FeeKey(traffic.nextInt(ZONES), traffic.nextInt(BUCKETS), types[p % types.length]);
                Fee fee = svc.feeMemo.computeIfAbsent(fk, k -> new Fee(100L * (1 + k.durationBucket()) * (1 + k.zone() % 4), new byte[64 + k.zone()]));
                ReceiptViewModel vm = new ReceiptViewModel(plates[p], new byte[200 + (int) (fee.cents() % 200)]);
                vm.bind(svc.tariff);
                vm.close(svc.tariff);
            }
        }
        int listeners = svc.tariff.changes.getPropertyChangeListeners().length;
        System.out.println("stage " + stage + " garages " + GARAGES_BY_CODE.size() + " permits " + svc.permits.size() + " events " + svc.events + " strikes " + svc.limiter.strikes.size() + " (dropped " + svc.limiter.dropped
                + ") tickets " + svc.terminalTickets.tickets.size() + " (issued " + svc.terminalTickets.issued + ", swept " + svc.terminalTickets.swept + ") listeners " + listeners + " surchargeChanges " + surchargeChanges + " feeMemo " + svc.feeMemo.size());
        check(GARAGES_BY_CODE.size() == GARAGES && svc.permits.size() == PERMITS, "reference data / directory");
        check(svc.events == events && (stage == 1 || svc.gateEvents[RING - 1] != null), "ring");
        check(svc.limiter.strikes.size() <= READERS, "limiter holds the current window only");
        check(svc.terminalTickets.tickets.size() <= 1_200 && svc.terminalTickets.tickets.size() + svc.terminalTickets.swept == svc.terminalTickets.issued, "tickets swept");
        check(listeners == 4 && appWide[0] == surchargeChanges, "only app-wide listeners");
        check(svc.feeMemo.size() <= ZONES * BUCKETS * types.length, "fee memo bounded by its key space");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
