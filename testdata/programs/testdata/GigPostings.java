// hprofscan-dump: name=gig-postings jvm="-Xmx200m" variants=mxbean args="healthy"
// hprofscan-dump: name=gig-postings-serial jvm="-Xmx200m -XX:+UseSerialGC" variants=jcmd args="healthy"
// hprofscan-dump: name=gig-postings-leak jvm="-Xmx200m" variants=mxbean args="leak"
// hprofscan-dump: name=gig-postings-leak-parallel jvm="-Xmx200m -XX:+UseParallelGC" variants=jcmd args="leak"
package testdata;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A freelance gig board. Postings are kept by slug ({@code gig-<n>}, a {@code String}) for 90
 * minutes and swept; a skill index maps each of 400 skills to the slugs of the postings that
 * ask for it (2 to 4 skills each). 3,000 postings an hour over 8 simulated hours. Beside it:
 * 15,000 freelancers by numeric id (a directory), 400 skills (reference data), an LRU of 1,000
 * rendered pages at its cap, a pool of 16 buffers, a queue of applications with a normal
 * backlog, and a talent matcher: the ids of every freelancer under each of their two skills
 * ({@code freelancersBySkill}, 30,000 ids) beside the 600 freelancers online
 * ({@code onlineSince}) and the freelancer directory it was given.
 * <ul>
 * <li>{@code healthy}: the sweep removes a posting's slug from each of its skills' sets.
 * <li>{@code leak}: the sweep removes the posting only: the skill sets keep the slug of every
 * posting ever made (about 72,000 slugs, 4,500 of them live).
 * </ul>
 * Counts depend only on the seed; printed and checked.
 */
public final class GigPostings {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, KEEP = 90 * MINUTE;
    static final int PER_HOUR = 3_000, HOURS = 8, SKILLS = 400;

    record Skill(String code, String name, String category) {}

    record Freelancer(long id, String name, String country, int rating, byte[] portfolio) {}

    record Posting(String slug, String title, String[] skills, int budget, long postedAt, byte[] brief) {}

    static final class PostingStore {
        final boolean cleanIndex;
        final Map<String, Posting> bySlug = new ConcurrentHashMap<>();
        final Map<String, Set<String>> slugsBySkill = new HashMap<>();
        long posted, swept;

        PostingStore(boolean cleanIndex) {
            this.cleanIndex = cleanIndex;
        }

        void post(Posting p) {
            bySlug.put(p.slug(), p);
            for (String s : p.skills()) slugsBySkill.computeIfAbsent(s, k -> new HashSet<>()).add(p.slug());
            posted++;
        }

        void sweep(long now) {
            Iterator<Posting> it = bySlug.values().iterator();
            while (it.hasNext()) {
                Posting p = it.next();
                if (p.postedAt() + KEEP > now) continue;
                it.remove();
                swept++;
                if (!cleanIndex) continue;
                for (String s : p.skills()) {
                    Set<String> slugs = slugsBySkill.get(s);
                    if (slugs != null) slugs.remove(p.slug());
                }
            }
        }

        long indexed() {
            long n = 0;
            for (Set<String> s : slugsBySkill.values()) n += s.size();
            return n;
        }
    }

    static final class TalentMatcher {
        final Map<Long, Freelancer> directory;
        final Map<Long, Long> onlineSince = new ConcurrentHashMap<>();
        final Map<String, Set<Long>> freelancersBySkill = new HashMap<>();

        TalentMatcher(Map<Long, Freelancer> directory) {
            this.directory = directory;
        }

        long indexed() {
            long n = 0;
            for (Set<Long> s : freelancersBySkill.values()) n += s.size();
            return n;
        }
    }

    static final Map<String, Skill> SKILLS_BY_CODE = new HashMap<>();
    static final Map<Long, Freelancer> FREELANCERS = new HashMap<>();
    static final Map<String, byte[]> PAGES = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) {
            return size() > 1_000;
        }
    };
    static final ArrayDeque<byte[]> BUFFERS = new ArrayDeque<>();
    static final ArrayDeque<long[]> APPLICATIONS = new ArrayDeque<>();
    static PostingStore store;
    static TalentMatcher matcher;

    public static void main(String[] args) throws Exception {
        boolean leak = args[2].equals("leak");
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        simulate(leak, end - HOURS * HOUR, end);
        report(leak);
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }

    static void simulate(boolean leak, long start, long end) {
        Random r = new Random(53_003);
        String[] categories = {"design", "code", "writing", "video", "audio", "data", "ops", "marketing"};
        for (int i = 0; i < SKILLS; i++) {
            String code = "SK" + (1000 + i);
            SKILLS_BY_CODE.put(code, new Skill(code, "Skill " + i, categories[i % categories.length]));
        }
        for (int i = 0; i < 15_000; i++) {
            long id = 4_200_000L + i * 7L;
            FREELANCERS.put(id, new Freelancer(id, "Freelancer " + i, "C" + (i % 90), 1 + i % 5, new byte[150 + i % 100]));
        }
        matcher = new TalentMatcher(FREELANCERS);
        for (int i = 0; i < 15_000; i++) {
            long id = 4_200_000L + i * 7L;
            matcher.freelancersBySkill.computeIfAbsent("SK" + (1000 + i % SKILLS), k -> new HashSet<>()).add(id);
            matcher.freelancersBySkill.computeIfAbsent("SK" + (1000 + (i * 7 + 3) % SKILLS), k -> new HashSet<>()).add(id);
        }
        for (int i = 0; i < 600; i++) matcher.onlineSince.put(4_200_000L + (i * 25L) * 7L, start + i * 1_000L);
        for (int i = 0; i < 16; i++) BUFFERS.add(new byte[16_384]);
        store = new PostingStore(!leak);
        int n = PER_HOUR * HOURS;
        long nextSweep = start + MINUTE;
        for (int i = 0; i < n; i++) {
            long t = start + (end - MINUTE - start) * i / n;
            while (nextSweep <= t) {
                store.sweep(nextSweep);
                nextSweep += MINUTE;
            }
            String[] skills = new String[2 + r.nextInt(3)];
            for (int k = 0; k < skills.length; k++) skills[k] = "SK" + (1000 + r.nextInt(SKILLS));
            String slug = "gig-" + (880_000 + i);
            store.post(new Posting(slug, "Gig " + i, skills, 50 + r.nextInt(5_000), t, new byte[100 + r.nextInt(200)]));
            PAGES.put("page-" + r.nextInt(6_000), new byte[500 + r.nextInt(300)]);
            APPLICATIONS.add(new long[] {4_200_000L + r.nextInt(15_000) * 7L, i});
            if (APPLICATIONS.size() > 150) APPLICATIONS.poll();
        }
        store.sweep(nextSweep);
    }

    static void report(boolean leak) {
        long live = store.bySlug.size(), indexed = store.indexed();
        System.out.println("skills " + SKILLS_BY_CODE.size() + ", freelancers " + FREELANCERS.size() + ", pages " + PAGES.size()
                + ", postings live " + live + " of " + store.posted + ", indexed slugs " + indexed + ", applications " + APPLICATIONS.size());
        if (SKILLS_BY_CODE.size() != SKILLS || FREELANCERS.size() != 15_000 || PAGES.size() != 1_000) throw new IllegalStateException("reference");
        if (store.posted != PER_HOUR * HOURS) throw new IllegalStateException("posted");
        if (matcher.indexed() != 30_000 || matcher.onlineSince.size() != 600) throw new IllegalStateException("matcher " + matcher.indexed());
        if (live != 4_509 || indexed != (leak ? 71_839 : 13_453)) throw new IllegalStateException("postings " + live + ", indexed " + indexed);
    }
}
