// hprofscan-dump: name=val27-leak-smarthome jvm="-Xmx266m" variants=mxbean args="3"
// hprofscan-dump: name=val27-leak-smarthome-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=jcmd args="3"
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 27 (written blind), LEAK: the automation-rule engine of a smart-home platform.
 * Device-type reference data, the device directory, a device-state cache at its cap, a pool of
 * command buffers, a ring of device events, and a rule engine reloaded from configuration every
 * 15 minutes. The bug: refresh() adds all rules again to the engine's list without clearing it,
 * so after k reloads the list holds k+1 copies of the same 300 rules. See VALIDATION27.md.
 */
public final class Val27LeakSmartHome {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L, RELOAD_EVERY = 15 * MINUTE;
    static final int TYPES = 1_500, DEVICES = 30_000, STATE_CAP = 2_500, POOL = 8, RING = 16_384, RULES = 300, EVENTS = 200_000, HOURS = 10;
    static boolean FIXED;

    record DeviceType(String code, String vendor, double[] powerProfile) {}
    record Device(String id, String hubId, String type, byte[] pairingInfo, long pairedAt) {}
    record DeviceState(String deviceId, byte[] attributes, long at) {}
    record DeviceEvent(String deviceId, String trigger, int value, long at) {}

    static final class Rule {
        final String id, trigger, condition, action; final byte[] compiled; final int priority; final long loadedAt;
        Rule(String id, String trigger, String condition, String action, byte[] compiled, int priority, long loadedAt) {
            this.id = id; this.trigger = trigger; this.condition = condition; this.action = action; this.compiled = compiled; this.priority = priority; this.loadedAt = loadedAt;
        }
    }

    static final class RuleEngine {
        final List<Rule> rules = new ArrayList<>();
        int reloads;
        long fired;
        void refresh(List<Rule> fresh) {
            if (FIXED) rules.clear(); // fixed: replace, not append
            rules.addAll(fresh); // BUG: appended again on every reload
            reloads++;
        }
        void evaluate(String trigger) { for (Rule r : rules) if (r.trigger.equals(trigger)) fired++; } // actions are idempotent
    }

    static List<Rule> loadConfig(long at) {
        Random cfg = new Random(27_030_009); // the same configuration file every time
        List<Rule> out = new ArrayList<>(RULES);
        for (int r = 0; r < RULES; r++) {
            out.add(new Rule("rule-" + (1_000 + r), "sensor.kind" + (r % 60) + ".changed", "value > " + cfg.nextInt(100) + " && mode == 'away-" + (r % 7) + "'",
                    "notify(owner); set(scene-" + cfg.nextInt(500) + ")", new byte[200 + cfg.nextInt(200)], cfg.nextInt(10), at));
        }
        return out;
    }

    static final class StateCache extends LinkedHashMap<String, DeviceState> {
        long evicted;
        StateCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, DeviceState> e) { if (size() > STATE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, DeviceType> TYPES_BY_CODE = new HashMap<>();

    static final class AutomationService {
        final Map<String, Device> devices = new HashMap<>();
        final StateCache states = new StateCache();
        final ArrayDeque<byte[]> commandBuffers = new ArrayDeque<>();
        final DeviceEvent[] events = new DeviceEvent[RING];
        final RuleEngine engine = new RuleEngine();
        long eventCount;
    }

    static AutomationService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val27.fixed");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(27_030_001);
        for (int t = 0; t < TYPES; t++) {
            double[] p = new double[100];
            for (int k = 0; k < p.length; k++) p[k] = rnd.nextDouble() * 60;
            String code = "DT-" + (2_000 + t);
            TYPES_BY_CODE.put(code, new DeviceType(code, "Vendor " + (t % 90), p));
        }
        AutomationService svc = new AutomationService();
        SERVICE = svc;
        String[] deviceIds = new String[DEVICES];
        for (int d = 0; d < DEVICES; d++) {
            String id = "DEV-" + (1_200_000 + d);
            deviceIds[d] = id;
            svc.devices.put(id, new Device(id, "HUB-" + (d / 12), "DT-" + (2_000 + rnd.nextInt(TYPES)), new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(1_500)) * 24 * HOUR));
        }
        for (int p = 0; p < POOL; p++) svc.commandBuffers.add(new byte[32_768]);
        svc.engine.refresh(loadConfig(start));
        long nextReload = start + RELOAD_EVERY;
        Random traffic = new Random(27_030_002);
        for (int i = 0; i < EVENTS; i++) {
            long t = start + (end - start) * i / EVENTS;
            while (t >= nextReload) { svc.engine.refresh(loadConfig(nextReload)); nextReload += RELOAD_EVERY; }
            String dev = deviceIds[traffic.nextInt(DEVICES)];
            String trigger = "sensor.kind" + traffic.nextInt(60) + ".changed";
            if (i % 50 == 0) svc.engine.evaluate(trigger);
            svc.states.put(dev, new DeviceState(dev, new byte[300 + traffic.nextInt(300)], t));
            byte[] buf = svc.commandBuffers.poll();
            buf[i % buf.length] = (byte) i;
            svc.commandBuffers.add(buf);
            svc.events[(int) (svc.eventCount++ % RING)] = new DeviceEvent(dev, trigger, traffic.nextInt(1_000), t);
        }
        while (end >= nextReload) { svc.engine.refresh(loadConfig(nextReload)); nextReload += RELOAD_EVERY; }
        int reloads = svc.engine.reloads;
        System.out.println((FIXED ? "FIXED " : "") + "types " + TYPES_BY_CODE.size() + " devices " + svc.devices.size() + " rules " + svc.engine.rules.size() + " loads " + reloads
                + " fired " + svc.engine.fired + " states " + svc.states.size() + " (evicted " + svc.states.evicted + ") pool " + svc.commandBuffers.size() + " events " + svc.eventCount);
        check(TYPES_BY_CODE.size() == TYPES && svc.devices.size() == DEVICES, "reference data / directory");
        check(reloads == 1 + (int) (HOURS * HOUR / RELOAD_EVERY), "loads " + reloads);
        check(svc.engine.rules.size() == (FIXED ? RULES : reloads * RULES), "rules " + svc.engine.rules.size());
        check(svc.states.size() == STATE_CAP && svc.states.evicted > 0, "state cache at cap");
        check(svc.commandBuffers.size() == POOL, "pool");
        check(svc.eventCount == EVENTS && svc.events[RING - 1] != null, "ring");
        LeakCheck.histogram();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
