// hprofscan-dump: name=val30-healthy-laundromats jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val30-healthy-laundromats-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 30 (written blind), HEALTHY: the back office of a chain of self-service
 * laundromats. Machine-model reference data, the fleet of washers and dryers (each registered in
 * the static Machine.ALL by its constructor at startup; bounded by the fleet), the prepaid-card
 * directory, a size-capped LinkedHashMap of rendered receipts at its cap, a ring of machine events,
 * an object pool of payment-terminal sessions, and a cycle log read by six live subscribers and
 * trimmed to the slowest one (small). See VALIDATION30.md.
 */
public final class Val30HealthyLaundromats {
    static final long SECOND = 1_000L, MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int MODELS = 300, STORES = 150, MACHINES_PER_STORE = 12, CARDS = 30_000, RECEIPT_CAP = 2_000, TERMINALS = 12, RING = 16_384,
            EVENTS_PER_HOUR = 8_000, HOURS = 10;
    static final long POLL_EVERY = 30 * SECOND;

    record MachineModel(String code, String maker, double[] energyByMinute) {}
    record Card(String cardNo, String holder, long balanceCents, byte[] topUpHistory, long issuedAt) {}
    record Receipt(String key, byte[] rendered, long at) {}
    record MachineEvent(String machineId, String kind, int cents, long at) {}
    record CycleRecord(long offset, String machineId, String cardNo, int minutes, long at, byte[] telemetry) {}

    /** A washer or dryer of the fleet; registers itself in ALL (the fleet is fixed). */
    static final class Machine {
        static final List<Machine> ALL = new ArrayList<>();
        final String id, storeCode, modelCode;
        final long installedAt;
        final int[] cyclesByHour = new int[24];
        Machine(String id, String storeCode, String modelCode, long installedAt) { this.id = id; this.storeCode = storeCode; this.modelCode = modelCode; this.installedAt = installedAt; ALL.add(this); }
    }

    /** Pooled object: a payment-terminal session with its buffer. */
    static final class TerminalSession {
        final String terminalId;
        final byte[] buffer = new byte[8_192];
        long borrowedAt, uses;
        TerminalSession(String terminalId) { this.terminalId = terminalId; }
    }

    static final class Subscriber {
        final String name;
        long readOffset, lastPollAt;
        Subscriber(String name) { this.name = name; }
    }

    /** Append log of finished cycles read by billing, loyalty, maintenance, ...; trimmed to the slowest reader. */
    static final class CycleLog {
        final ArrayList<CycleRecord> entries = new ArrayList<>();
        final List<Subscriber> subscribers = new ArrayList<>();
        long baseOffset, appended, trimmed;
        long head() { return baseOffset + entries.size(); }
        void append(String machineId, String cardNo, int minutes, long at, byte[] telemetry) { entries.add(new CycleRecord(head(), machineId, cardNo, minutes, at, telemetry)); appended++; }
        void pollAll(long at) {
            for (Subscriber s : subscribers) { s.readOffset = head(); s.lastPollAt = at; }
        }
        void trim() {
            long min = head();
            for (Subscriber s : subscribers) min = Math.min(min, s.readOffset);
            int n = (int) (min - baseOffset);
            if (n > 0) { entries.subList(0, n).clear(); baseOffset = min; trimmed += n; }
        }
    }

    static final class ReceiptCache extends LinkedHashMap<String, Receipt> {
        long evicted;
        ReceiptCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Receipt> e) { if (size() > RECEIPT_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, MachineModel> MODELS_BY_CODE = new HashMap<>();

    static final class LaundryService {
        final Map<String, Card> cards = new HashMap<>();
        final ReceiptCache receipts = new ReceiptCache();
        final MachineEvent[] events = new MachineEvent[RING];
        final ArrayDeque<TerminalSession> idleTerminals = new ArrayDeque<>();
        final List<TerminalSession> allTerminals = new ArrayList<>();
        final CycleLog cycleLog = new CycleLog();
        long eventCount, cyclesDone;

        TerminalSession borrow(long at) { TerminalSession s = idleTerminals.poll(); s.borrowedAt = at; s.uses++; return s; }
        void giveBack(TerminalSession s) { idleTerminals.add(s); }
    }

    static LaundryService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        int events = EVENTS_PER_HOUR * HOURS;
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(30_060_001);
        String[] makers = {"Electrolux", "Miele", "Speed Queen", "Primus", "Girbau", "Dexter"};
        String[] modelCodes = new String[MODELS];
        for (int m = 0; m < MODELS; m++) {
            double[] energy = new double[128];
            for (int k = 0; k < energy.length; k++) energy[k] = rnd.nextDouble() * 3.2;
            modelCodes[m] = "MDL-" + (600 + m);
            MODELS_BY_CODE.put(modelCodes[m], new MachineModel(modelCodes[m], makers[m % makers.length], energy));
        }
        for (int s = 0; s < STORES; s++)
            for (int k = 0; k < MACHINES_PER_STORE; k++)
                new Machine("LM" + (100 + s) + "-" + (k < 8 ? "W" : "D") + (k + 1), "LM" + (100 + s), modelCodes[rnd.nextInt(MODELS)], now - (long) (1 + rnd.nextInt(3_500)) * DAY);
        LaundryService svc = new LaundryService();
        SERVICE = svc;
        String[] cardNos = new String[CARDS];
        for (int c = 0; c < CARDS; c++) {
            cardNos[c] = "LC" + (40_000_000 + c * 13);
            svc.cards.put(cardNos[c], new Card(cardNos[c], "Holder " + c, rnd.nextInt(5_000), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(2_000)) * DAY));
        }
        for (int k = 0; k < TERMINALS; k++) { TerminalSession s = new TerminalSession("PT-" + (k + 1)); svc.allTerminals.add(s); svc.idleTerminals.add(s); }
        CycleLog log = svc.cycleLog;
        for (String name : new String[] {"billing", "loyalty", "maintenance", "energy-report", "fraud-check", "store-dashboard"}) log.subscribers.add(new Subscriber(name));
        Random traffic = new Random(30_060_002);
        String[] kinds = {"DOOR_OPEN", "DOOR_CLOSE", "CYCLE_START", "CYCLE_END", "PAYMENT", "COIN_JAM", "FILTER_WARN", "TEMP_SAMPLE"};
        long nextPoll = start + POLL_EVERY;
        int maxLog = 0;
        List<Machine> fleet = Machine.ALL;
        for (int i = 0; i < events; i++) {
            long t = start + (end - MINUTE - start) * i / events;
            while (nextPoll <= t) { log.pollAll(nextPoll); log.trim(); nextPoll += POLL_EVERY; }
            Machine m = fleet.get(traffic.nextInt(fleet.size()));
            String kind = kinds[traffic.nextInt(kinds.length)];
            int cents = 0;
            if (kind.equals("PAYMENT")) {
                TerminalSession s = svc.borrow(t);
                cents = 250 + traffic.nextInt(600);
                s.buffer[(int) (s.uses % s.buffer.length)] = (byte) cents;
                String key = "rcpt-" + traffic.nextInt(6_000);
                if (svc.receipts.get(key) == null) svc.receipts.put(key, new Receipt(key, new byte[500 + traffic.nextInt(500)], t));
                svc.giveBack(s);
            } else if (kind.equals("CYCLE_END")) {
                m.cyclesByHour[(int) ((t / HOUR) % 24)]++;
                log.append(m.id, cardNos[traffic.nextInt(CARDS)], 25 + traffic.nextInt(40), t, new byte[60 + traffic.nextInt(60)]);
                svc.cyclesDone++;
                maxLog = Math.max(maxLog, log.entries.size());
            }
            svc.events[(int) (svc.eventCount++ % RING)] = new MachineEvent(m.id, kind, cents, t);
        }
        System.out.println("models " + MODELS_BY_CODE.size() + " machines " + Machine.ALL.size() + " cards " + svc.cards.size() + " events " + svc.eventCount + " cycles " + svc.cyclesDone + " log entries " + log.entries.size()
                + " (max " + maxLog + ", trimmed " + log.trimmed + ") receipts " + svc.receipts.size() + " (evicted " + svc.receipts.evicted + ") terminals idle " + svc.idleTerminals.size());
        check(MODELS_BY_CODE.size() == MODELS && svc.cards.size() == CARDS, "reference data / directory");
        check(Machine.ALL.size() == STORES * MACHINES_PER_STORE, "fleet");
        check(svc.eventCount == events && svc.events[RING - 1] != null, "ring");
        check(log.appended == svc.cyclesDone && log.trimmed + log.entries.size() == log.appended && log.entries.size() <= maxLog && maxLog < 200, "cycle log trimmed: " + log.entries.size());
        check(svc.receipts.size() == RECEIPT_CAP && svc.receipts.evicted > 0, "receipt cache at cap");
        check(svc.idleTerminals.size() == TERMINALS && svc.allTerminals.size() == TERMINALS, "terminal pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
