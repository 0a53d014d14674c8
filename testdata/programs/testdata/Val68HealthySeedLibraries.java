// hprofscan-dump: name=val68-healthy-seedlibraries jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val68-healthy-seedlibraries-parallel jvm="-Xmx266m -XX:+UseParallelGC" variants=mxbean
package testdata;

import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 68 (written blind), HEALTHY: the lending platform of a regional network of
 * community seed libraries. Seed-variety reference data, the member directory, a cache of
 * rendered catalogue pages at its cap, a ring of loan events, a pool of label-printer buffers,
 * per-branch germination-rule plugins reloaded through a fresh class loader whenever a branch
 * edits its rules (the old version's listeners are unregistered from the static registry first, so
 * only the current loader of each branch stays reachable), and one notice topic per branch
 * (subscriber list plus the last 16 notices; bounded by the number of branches). See
 * VALIDATION68.md.
 */
public final class Val68HealthySeedLibraries {
    static final long MINUTE = 60_000L, HOUR = 3_600_000L;
    static final int VARIETIES = 1_300, MEMBERS = 26_000, PAGE_CAP = 2_000, POOL = 8, RING = 16_384, BRANCHES = 24, RULES_PER_BRANCH = 8, NOTICES = 16, HOURS = 10, LOANS_PER_HOUR = 6_000;
    static final String RULES_CLASS = "testdata.Val68HealthySeedLibraries$GerminationRules";
    static byte[] RULES_BYTECODE;

    record Variety(String code, String species, double[] germinationByWeek) {}
    record Member(String memberId, String homeBranch, String name, byte[] gardenNotes, long joinedAt) {}
    record CataloguePage(String key, byte[] rendered, long at) {}
    record Loan(String memberId, String varietyCode, String branch, long at) {}
    record Notice(String branch, String text, long at) {}

    public interface LoanListener {
        String branch();
        boolean onLoan(String memberId, String varietyCode);
    }

    /** A branch's germination rule; defined anew by each BranchRuleLoader. */
    public static final class GerminationRules implements LoanListener {
        public String branch; public int version, ruleIndex; public long loadedAt;
        public byte[] compiledTable; public Map<String, Integer> limits = new HashMap<>();
        public GerminationRules() {}
        @Override public String branch() { return branch; }
        @Override public boolean onLoan(String memberId, String varietyCode) { return compiledTable[(memberId.length() + varietyCode.length()) % compiledTable.length] >= 0 || limits.getOrDefault("packets", 0) > 2; }
    }

    static final class BranchRuleLoader extends ClassLoader {
        final String branch; final int version; final long createdAt;
        BranchRuleLoader(String branch, int version, long createdAt, ClassLoader parent) { super("seed-rules-" + branch + "-v" + version, parent); this.branch = branch; this.version = version; this.createdAt = createdAt; }
        @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.equals(RULES_CLASS)) {
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    if (c == null) c = defineClass(name, RULES_BYTECODE, 0, RULES_BYTECODE.length);
                    return c;
                }
            }
            return super.loadClass(name, resolve);
        }
    }

    static final class LoanEvents {
        static final List<LoanListener> LISTENERS = new ArrayList<>();
        static void register(LoanListener l) { LISTENERS.add(l); }
        static int unregisterBranch(String branch) { int before = LISTENERS.size(); LISTENERS.removeIf(l -> l.branch().equals(branch)); return before - LISTENERS.size(); }
    }

    static final class BranchPlugin {
        final String branch; final BranchRuleLoader loader; final List<LoanListener> rules = new ArrayList<>();
        BranchPlugin(String branch, BranchRuleLoader loader) { this.branch = branch; this.loader = loader; }
    }

    static final class PluginHost {
        final Map<String, BranchPlugin> active = new HashMap<>();
        long loads, unregistered;
        void load(String branch, int version, long at, Random r) throws Exception {
            if (active.containsKey(branch)) unregistered += LoanEvents.unregisterBranch(branch);
            BranchRuleLoader loader = new BranchRuleLoader(branch, version, at, Val68HealthySeedLibraries.class.getClassLoader());
            Class<?> c = loader.loadClass(RULES_CLASS);
            if (c == GerminationRules.class || c.getClassLoader() != loader) throw new IllegalStateException("rules not isolated");
            BranchPlugin p = new BranchPlugin(branch, loader);
            for (int k = 0; k < RULES_PER_BRANCH; k++) {
                Object o = c.getDeclaredConstructor().newInstance();
                c.getField("branch").set(o, branch);
                c.getField("version").setInt(o, version);
                c.getField("ruleIndex").setInt(o, k);
                c.getField("loadedAt").setLong(o, at);
                c.getField("compiledTable").set(o, new byte[1_024 + r.nextInt(1_024)]);
                @SuppressWarnings("unchecked") Map<String, Integer> lim = (Map<String, Integer>) c.getField("limits").get(o);
                lim.put("packets", 1 + r.nextInt(6)); lim.put("perSeason", 5 + r.nextInt(20));
                LoanListener l = (LoanListener) o;
                p.rules.add(l);
                LoanEvents.register(l);
            }
            active.put(branch, p);
            loads++;
        }
    }

    static final class Subscriber {
        final String memberId; final long since;
        Subscriber(String memberId, long since) { this.memberId = memberId; this.since = since; }
    }

    /** One notice topic per branch: bounded by the branches. */
    static final class BranchTopic {
        final String branch; final List<Subscriber> subscribers = new ArrayList<>();
        final Notice[] recent = new Notice[NOTICES]; int head, size; long published;
        BranchTopic(String branch) { this.branch = branch; }
        void publish(Notice n) { recent[(head + size) % NOTICES] = n; if (size < NOTICES) size++; else head = (head + 1) % NOTICES; published++; }
    }

    static final class PageCache extends LinkedHashMap<String, CataloguePage> {
        long evicted;
        PageCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, CataloguePage> e) { if (size() > PAGE_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Variety> VARIETIES_BY_CODE = new HashMap<>();

    static final class LendingService {
        final Map<String, Member> members = new HashMap<>();
        final PageCache pages = new PageCache();
        final ArrayDeque<byte[]> labelBuffers = new ArrayDeque<>();
        final Loan[] loans = new Loan[RING];
        long loanCount;
        final PluginHost plugins = new PluginHost();
        final Map<String, BranchTopic> topics = new HashMap<>();
    }

    static LendingService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    /** The traffic loop, in its own method: no compiled frame of it is on the stack at the dump. */
    static int traffic(LendingService svc, String[] branches, String[] memberIds, String[] varietyCodes, Random config, int[] versions, long[] nextReload, long start, long last) throws Exception {
        Random traffic = new Random(68_060_002);
        String[] noticeTexts = {"Tomato swap on Saturday", "Please return unused packets", "New bean varieties catalogued", "Volunteer sorting night", "Germination test results posted"};
        int loansTotal = LOANS_PER_HOUR * HOURS;
        int reloads = 0;
        for (int i = 0; i < loansTotal; i++) {
            long t = start + (last - start) * i / loansTotal;
            for (int b = 0; b < BRANCHES; b++) {
                while (nextReload[b] <= t) { svc.plugins.load(branches[b], ++versions[b], nextReload[b], config); reloads++; nextReload[b] += (10 + config.nextInt(30)) * MINUTE; }
            }
            String member = memberIds[traffic.nextInt(MEMBERS)];
            String variety = varietyCodes[traffic.nextInt(VARIETIES)];
            String branch = branches[traffic.nextInt(BRANCHES)];
            boolean ok = true;
            for (LoanListener l : svc.plugins.active.get(branch).rules) ok &= l.onLoan(member, variety);
            svc.loans[(int) (svc.loanCount++ % RING)] = new Loan(member, variety, branch, t);
            if (i % 50 == 0) svc.topics.get(branch).publish(new Notice(branch, noticeTexts[traffic.nextInt(noticeTexts.length)], t));
            String key = "cat-" + traffic.nextInt(4_500);
            if (svc.pages.get(key) == null) svc.pages.put(key, new CataloguePage(key, new byte[600 + traffic.nextInt(600)], t));
            byte[] buf = svc.labelBuffers.poll();
            buf[i % buf.length] = (byte) (ok ? i : -i);
            svc.labelBuffers.add(buf);
        }
        return reloads;
    }

    public static void main(String[] args) throws Exception {
        try (InputStream in = Val68HealthySeedLibraries.class.getResourceAsStream("Val68HealthySeedLibraries$GerminationRules.class")) { RULES_BYTECODE = in.readAllBytes(); }
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long last = end - MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(68_060_001);
        String[] species = {"Tomato", "Bean", "Squash", "Lettuce", "Pepper", "Pea", "Kale", "Sunflower", "Calendula", "Basil"};
        String[] varietyCodes = new String[VARIETIES];
        for (int v = 0; v < VARIETIES; v++) {
            double[] germ = new double[64];
            for (int k = 0; k < germ.length; k++) germ[k] = rnd.nextDouble();
            varietyCodes[v] = "VAR-" + (10_000 + v);
            VARIETIES_BY_CODE.put(varietyCodes[v], new Variety(varietyCodes[v], species[v % species.length], germ));
        }
        LendingService svc = new LendingService();
        SERVICE = svc;
        String[] branches = new String[BRANCHES];
        for (int b = 0; b < BRANCHES; b++) { branches[b] = "branch-" + (200 + b); svc.topics.put(branches[b], new BranchTopic(branches[b])); }
        String[] memberIds = new String[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            memberIds[m] = "MEM-" + (500_000 + m * 3);
            String home = branches[rnd.nextInt(BRANCHES)];
            svc.members.put(memberIds[m], new Member(memberIds[m], home, "Member " + m, new byte[150 + rnd.nextInt(150)], now - (long) (1 + rnd.nextInt(3_000)) * 24 * HOUR));
            if (m % 25 == 0) svc.topics.get(home).subscribers.add(new Subscriber(memberIds[m], now - (long) (1 + rnd.nextInt(600)) * 24 * HOUR));
        }
        for (int b = 0; b < POOL; b++) svc.labelBuffers.add(new byte[32_768]);
        Random config = new Random(68_060_003);
        int[] versions = new int[BRANCHES];
        long[] nextReload = new long[BRANCHES];
        for (int b = 0; b < BRANCHES; b++) { svc.plugins.load(branches[b], ++versions[b], start, config); nextReload[b] = start + (10 + config.nextInt(30)) * MINUTE; }
        int reloads = traffic(svc, branches, memberIds, varietyCodes, config, versions, nextReload, start, last);
        PluginHost host = svc.plugins;
        int subscribers = 0; long published = 0;
        for (BranchTopic bt : svc.topics.values()) { subscribers += bt.subscribers.size(); published += bt.published; }
        System.out.println("varieties " + VARIETIES_BY_CODE.size() + " members " + svc.members.size() + " branches " + host.active.size() + " loads " + host.loads + " reloads " + reloads + " unregistered " + host.unregistered + " listeners " + LoanEvents.LISTENERS.size()
                + " topics " + svc.topics.size() + " (subscribers " + subscribers + ", notices published " + published + ") pages " + svc.pages.size() + " (evicted " + svc.pages.evicted + ") pool " + svc.labelBuffers.size() + " loans " + svc.loanCount);
        check(VARIETIES_BY_CODE.size() == VARIETIES && svc.members.size() == MEMBERS, "reference data / directory");
        check(host.active.size() == BRANCHES && host.loads == BRANCHES + reloads && host.unregistered == (long) reloads * RULES_PER_BRANCH, "plugin reloads");
        check(LoanEvents.LISTENERS.size() == BRANCHES * RULES_PER_BRANCH, "only current rules registered");
        check(svc.topics.size() == BRANCHES && subscribers == MEMBERS / 25 + (MEMBERS % 25 == 0 ? 0 : 1), "topics bounded by branches");
        check(svc.pages.size() == PAGE_CAP && svc.pages.evicted > 0, "page cache at cap");
        check(svc.labelBuffers.size() == POOL, "pool");
        check(svc.loanCount == LOANS_PER_HOUR * HOURS && svc.loans[RING - 1] != null, "ring");
        LeakCheck.histogram("SeedLibraries$BranchRuleLoader");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
