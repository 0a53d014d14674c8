// hprofscan-dump: name=val40-leak-perfumers jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val40-leak-perfumers-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Validation set 40 (written blind), LEAK: the order service of a perfumery that blends bespoke
 * fragrances. Essence reference data, the customer directory, an LRU of rendered bottle labels at its
 * cap, a pool of blending-robot buffers, a ring of the after-commit actions executed. Every order
 * runs in a transaction of the hand-written TxManager that stays open until the payment provider
 * answers (1-12 minutes); the order registers after-commit actions (a confirmation e-mail, a
 * blending-bench slot, stock-change events per essence, a label-cache invalidation: four classes
 * of a sealed interface) with TxManager.registerAfterCommit. commit() runs and removes them;
 * rollback() (payment declined, essence out of stock) undoes the reservations and forgets the
 * transaction but never discards its registered actions: TxManager.synchronizations keeps every
 * rolled-back transaction's actions. See VALIDATION40.md.
 */
public final class Val40LeakPerfumers {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, DAY = 24 * HOUR;
    static final int ESSENCES = 1_000, CUSTOMERS = 25_000, LABEL_CAP = 2_000, POOL = 8, RING = 8_192, BENCHES = 12, HOURS = 10;
    static boolean FIXED;

    record Essence(String code, String name, double[] evaporationCurve) {}
    record Customer(String id, String name, String email, byte[] scentProfile, long since) {}
    record Label(String key, byte[] rendered, long at) {}

    /** What an order asks to happen once its transaction has committed. */
    sealed interface AfterCommit permits SendOrderConfirmation, ReserveBlendingSlot, PublishStockChange, InvalidateLabel {}
    record SendOrderConfirmation(String orderId, String email, byte[] renderedBody, long registeredAt) implements AfterCommit {}
    record ReserveBlendingSlot(String orderId, int bench, int minutes, long registeredAt) implements AfterCommit {}
    record PublishStockChange(String orderId, String essenceCode, int deltaMl, long registeredAt) implements AfterCommit {}
    record InvalidateLabel(String labelKey, long registeredAt) implements AfterCommit {}

    static final class Tx {
        final long id;
        final String orderId;
        final long beganAt, answerAt;
        final boolean declined;
        Tx(long id, String orderId, long beganAt, long answerAt, boolean declined) { this.id = id; this.orderId = orderId; this.beganAt = beganAt; this.answerAt = answerAt; this.declined = declined; }
    }

    /** A hand-written transaction manager with after-commit synchronizations (like Spring's). */
    static final class TxManager {
        final Map<Long, Tx> active = new HashMap<>();
        final Map<Long, List<AfterCommit>> synchronizations = new HashMap<>();
        long nextId = 1, committed, rolledBack;

        Tx begin(String orderId, long at, long answerAt, boolean declined) {
            Tx tx = new Tx(nextId++, orderId, at, answerAt, declined);
            active.put(tx.id, tx);
            return tx;
        }

        void registerAfterCommit(Tx tx, AfterCommit action) {
            synchronizations.computeIfAbsent(tx.id, k -> new ArrayList<>(6)).add(action);
        }

        List<AfterCommit> commit(Tx tx) {
            active.remove(tx.id);
            committed++;
            List<AfterCommit> actions = synchronizations.remove(tx.id);
            return actions == null ? List.of() : actions;
        }

        void rollback(Tx tx) {
            active.remove(tx.id);
            rolledBack++;
            if (FIXED) synchronizations.remove(tx.id); // BUG (unfixed): the rolled-back transaction's actions are never discarded
        }
    }

    static final class LabelCache extends LinkedHashMap<String, Label> {
        long evicted;
        LabelCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, Label> e) { if (size() > LABEL_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Essence> ESSENCES_BY_CODE = new HashMap<>();

    static final class OrderService {
        final Map<String, Customer> customers = new HashMap<>();
        final LabelCache labels = new LabelCache();
        final ArrayDeque<byte[]> blendBuffers = new ArrayDeque<>();
        final AfterCommit[] executedActions = new AfterCommit[RING];
        long executedWritten;
        final int[] benchMinutesBooked = new int[BENCHES];
        final Map<String, Integer> stockMl = new HashMap<>();
        final TxManager tx = new TxManager();
    }

    static OrderService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** Applies the payment provider's answers that arrived up to {@code upTo}. */
    static void answers(OrderService svc, PriorityQueue<Tx> awaiting, long upTo) {
        while (!awaiting.isEmpty() && awaiting.peek().answerAt <= upTo) {
            Tx t = awaiting.poll();
            if (t.declined) {
                svc.tx.rollback(t);
            } else {
                for (AfterCommit a : svc.tx.commit(t)) {
                    if (a instanceof ReserveBlendingSlot r) svc.benchMinutesBooked[r.bench()] += r.minutes();
                    else if (a instanceof PublishStockChange p) svc.stockMl.merge(p.essenceCode(), p.deltaMl(), Integer::sum);
                    else if (a instanceof InvalidateLabel l) svc.labels.remove(l.labelKey());
                    svc.executedActions[(int) (svc.executedWritten++ % RING)] = a;
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val40.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(40_020_001);
        OrderService svc = new OrderService();
        SERVICE = svc;
        String[] essenceCodes = new String[ESSENCES];
        for (int e = 0; e < ESSENCES; e++) {
            double[] c = new double[64];
            for (int k = 0; k < c.length; k++) c[k] = rnd.nextDouble();
            essenceCodes[e] = "ESS-" + (10_000 + e);
            ESSENCES_BY_CODE.put(essenceCodes[e], new Essence(essenceCodes[e], "Essence " + e, c));
            svc.stockMl.put(essenceCodes[e], 5_000 + rnd.nextInt(5_000));
        }
        String[] customerIds = new String[CUSTOMERS];
        for (int c = 0; c < CUSTOMERS; c++) {
            customerIds[c] = "CUS-" + (500_000 + c * 3);
            svc.customers.put(customerIds[c], new Customer(customerIds[c], "Customer " + c, "c" + c + "@mail.example", new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.blendBuffers.add(new byte[32_768]);

        Random traffic = new Random(40_020_002);
        PriorityQueue<Tx> awaiting = new PriorityQueue<>((a, b) -> a.answerAt != b.answerAt ? Long.compare(a.answerAt, b.answerAt) : Long.compare(a.id, b.id));
        long orders = 0, declined = 0, outOfStock = 0, actionsRegistered = 0, actionsLeakedExpected = 0;
        long[] leakedByKind = new long[4];
        long[] registeredByKind = new long[4];
        for (long minute = start; minute < end; minute += MINUTE) {
            answers(svc, awaiting, minute); // payment answers up to this minute
            int arrivals = 25 + traffic.nextInt(16);
            for (int k = 0; k < arrivals; k++) {
                long at = minute + traffic.nextInt(60_000);
                String orderId = "PRF-" + (4_000_000 + orders++);
                Customer cust = svc.customers.get(customerIds[traffic.nextInt(CUSTOMERS)]);
                String labelKey = cust.id() + "/label-" + traffic.nextInt(4);
                if (svc.labels.get(labelKey) == null) svc.labels.put(labelKey, new Label(labelKey, new byte[400 + traffic.nextInt(400)], at));
                byte[] buf = svc.blendBuffers.poll();
                buf[(int) (orders % buf.length)] = (byte) orders;
                svc.blendBuffers.add(buf);
                int roll = traffic.nextInt(100);
                boolean decline = roll < 13; // declined payments 9%, essences out of stock 4%
                if (roll < 9) declined++; else if (roll < 13) outOfStock++;
                long answerAt = at + (1 + traffic.nextInt(12)) * MINUTE;
                Tx t = svc.tx.begin(orderId, at, answerAt, decline);
                List<AfterCommit> actions = new ArrayList<>();
                actions.add(new SendOrderConfirmation(orderId, cust.email(), new byte[1_400 + traffic.nextInt(1_000)], at));
                actions.add(new ReserveBlendingSlot(orderId, traffic.nextInt(BENCHES), 20 + traffic.nextInt(40), at));
                int notes = 2 + traffic.nextInt(3);
                for (int n = 0; n < notes; n++) actions.add(new PublishStockChange(orderId, essenceCodes[traffic.nextInt(ESSENCES)], -(5 + traffic.nextInt(30)), at));
                if (traffic.nextInt(3) == 0) actions.add(new InvalidateLabel(labelKey, at));
                for (AfterCommit a : actions) {
                    svc.tx.registerAfterCommit(t, a);
                    int kind = a instanceof SendOrderConfirmation ? 0 : a instanceof ReserveBlendingSlot ? 1 : a instanceof PublishStockChange ? 2 : 3;
                    registeredByKind[kind]++;
                    actionsRegistered++;
                    if (decline && answerAt <= end) { leakedByKind[kind]++; actionsLeakedExpected++; }
                }
                awaiting.add(t);
            }
        }
        answers(svc, awaiting, end);
        int open = awaiting.size();
        awaiting = null;
        TxManager m = svc.tx;
        int heldActions = 0;
        int[] heldByKind = new int[4];
        for (List<AfterCommit> l : m.synchronizations.values()) {
            heldActions += l.size();
            for (AfterCommit a : l) heldByKind[a instanceof SendOrderConfirmation ? 0 : a instanceof ReserveBlendingSlot ? 1 : a instanceof PublishStockChange ? 2 : 3]++;
        }
        int openActions = heldActions - (FIXED ? 0 : (int) actionsLeakedExpected);
        System.out.println((FIXED ? "FIXED " : "") + "essences " + ESSENCES_BY_CODE.size() + " customers " + svc.customers.size() + " orders " + orders + " committed " + m.committed + " rolled-back " + m.rolledBack
                + " (declined " + declined + ", out-of-stock " + outOfStock + ", total incl. open) open " + open + " active " + m.active.size() + " synchronizations " + m.synchronizations.size()
                + " held-actions " + heldActions + " by-kind " + heldByKind[0] + "/" + heldByKind[1] + "/" + heldByKind[2] + "/" + heldByKind[3]
                + " leaked-actions " + actionsLeakedExpected + " by-kind " + leakedByKind[0] + "/" + leakedByKind[1] + "/" + leakedByKind[2] + "/" + leakedByKind[3]
                + " open-actions " + openActions + " executed " + svc.executedWritten + " registered " + actionsRegistered
                + " labels " + svc.labels.size() + " (evicted " + svc.labels.evicted + ") pool " + svc.blendBuffers.size());
        check(ESSENCES_BY_CODE.size() == ESSENCES && svc.customers.size() == CUSTOMERS, "reference data / directory");
        check(orders == EXPECTED_ORDERS && m.committed == EXPECTED_COMMITTED && m.rolledBack == EXPECTED_ROLLED_BACK && open == EXPECTED_OPEN && m.active.size() == EXPECTED_OPEN, "transactions");
        check(m.synchronizations.size() == (FIXED ? EXPECTED_OPEN : EXPECTED_OPEN + EXPECTED_ROLLED_BACK), "synchronizations: " + m.synchronizations.size());
        check(actionsLeakedExpected == EXPECTED_LEAKED_ACTIONS && openActions == EXPECTED_OPEN_ACTIONS && heldActions == (FIXED ? EXPECTED_OPEN_ACTIONS : EXPECTED_OPEN_ACTIONS + EXPECTED_LEAKED_ACTIONS), "actions held");
        check(leakedByKind[0] == EXPECTED_ROLLED_BACK && leakedByKind[1] == EXPECTED_ROLLED_BACK && leakedByKind[2] == EXPECTED_LEAKED_STOCK && leakedByKind[3] == EXPECTED_LEAKED_LABEL, "leaked actions by class");
        check(svc.executedWritten == EXPECTED_EXECUTED && svc.executedActions[RING - 1] != null, "executed-action ring full");
        check(svc.labels.size() == EXPECTED_LABELS && svc.labels.evicted > 0, "label cache at cap (less the labels invalidated since)");
        check(svc.blendBuffers.size() == POOL, "pool");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static final long EXPECTED_ORDERS = 19_696, EXPECTED_COMMITTED = 16_940, EXPECTED_ROLLED_BACK = 2_526, EXPECTED_OPEN = 230, EXPECTED_LABELS = 1_990;
    static final long EXPECTED_LEAKED_ACTIONS = 13_443, EXPECTED_OPEN_ACTIONS = 1_224, EXPECTED_LEAKED_STOCK = 7_512, EXPECTED_LEAKED_LABEL = 879, EXPECTED_EXECUTED = 90_380;
}
