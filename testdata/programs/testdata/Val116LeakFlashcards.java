// hprofscan-dump: name=val116-leak-flashcards jvm="-Xmx266m" variants=mxbean
// hprofscan-dump: name=val116-leak-flashcards-serial jvm="-Xmx266m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Validation set 116 (written blind), LEAK: the study backend of a language-learning flashcard app
 * licensed to a school district (3,000 learners). Deck reference data, the card bank, the learner
 * profiles, an LRU of synthesised audio clips at its cap, a pool of render buffers, a ring of recent
 * reviews for analytics, and the progress sync to the district's LMS with its backlog. Every action
 * of a learner (a review session, cards added, a deck started, a streak or a level reached) is
 * appended to that learner's activity feed, ActivityFeed.byLearner (HashMap&lt;Long,
 * ArrayList&lt;ActivityItem&gt;&gt;); the feed page shows the newest 20, but nothing ever trims the
 * lists. See VALIDATION116.md.
 */
public final class Val116LeakFlashcards {
    static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR, SYNC_EVERY = 15 * MINUTE;
    static final int DECKS = 1_000, CARDS = 20_000, LEARNERS = 3_000, AUDIO_CAP = 2_000, POOL = 8, RING = 8_192, HOURS = 10, ACTIONS = 250_000, PAGE = 20, SYNC_BATCH = 1_500;
    static final String[] LANGS = {"es", "fr", "de", "it", "pt", "ja", "zh", "ar", "pl", "nl"};
    static final String[] SCHOOLS = {"Northfield High", "Riverside Middle", "Oakwood Academy", "St Brigid's", "Hillcrest High", "Lakeside Middle", "Westgate School"};
    static boolean FIXED;

    enum ActivityKind { REVIEW_SESSION, CARDS_ADDED, DECK_STARTED, STREAK, LEVEL_UP }

    record Deck(String id, String title, String from, String to, double[] retentionCurve) {}
    record Card(String id, String deckId, String front, String back, byte[] audioMeta) {}
    record Learner(long id, String displayName, String school, String targetLang, byte[] settings, long joinedAt) {}
    record AudioClip(String key, byte[] opus, long at) {}
    record ReviewEvent(long learnerId, String cardId, boolean correct, int ease, long at) {}
    record ProgressSync(long learnerId, String deckId, int mastered, long at) {}
    /** One line of a learner's activity feed. */
    record ActivityItem(long at, ActivityKind kind, String deckId, short cards, short correct, String note) {}

    static final class ActivityFeed {
        final HashMap<Long, ArrayList<ActivityItem>> byLearner = new HashMap<>();
        long appended;
        void append(long learnerId, ActivityItem item) {
            ArrayList<ActivityItem> feed = byLearner.computeIfAbsent(learnerId, k -> new ArrayList<>());
            feed.add(item);
            appended++;
            if (FIXED && feed.size() > PAGE) feed.subList(0, feed.size() - PAGE).clear();
            // BUG: never trimmed; page() only shows the newest PAGE items
        }
        List<ActivityItem> page(long learnerId) {
            ArrayList<ActivityItem> feed = byLearner.get(learnerId);
            if (feed == null) return List.of();
            return feed.subList(Math.max(0, feed.size() - PAGE), feed.size());
        }
    }

    static final class AudioCache extends LinkedHashMap<String, AudioClip> {
        long evicted;
        AudioCache() { super(4_096, 0.75f, true); }
        @Override protected boolean removeEldestEntry(Map.Entry<String, AudioClip> e) { if (size() > AUDIO_CAP) { evicted++; return true; } return false; }
    }

    static final Map<String, Deck> DECKS_BY_ID = new HashMap<>();

    static final class StudyService {
        final Map<String, Card> cards = new HashMap<>();
        final String[] cardIds = new String[CARDS];
        final String[] deckIds = new String[DECKS];
        final Map<Long, Learner> learners = new HashMap<>();
        final long[] learnerIds = new long[LEARNERS];
        final AudioCache audio = new AudioCache();
        final ArrayDeque<byte[]> renderBuffers = new ArrayDeque<>();
        final ReviewEvent[] reviews = new ReviewEvent[RING];
        final ArrayDeque<ProgressSync> lmsSync = new ArrayDeque<>();
        final ActivityFeed feed = new ActivityFeed();
        long actions, reviewCount, audioHits, synced, feedViews, feedItemsShown;

        void act(long t, Random r) {
            long learner = learnerIds[r.nextInt(LEARNERS)];
            String deck = deckIds[r.nextInt(DECKS)];
            int roll = r.nextInt(100);
            ActivityItem item;
            if (roll < 80) {
                int n = 5 + r.nextInt(26), correct = 0;
                for (int k = 0; k < 3; k++) {
                    Card c = cards.get(cardIds[r.nextInt(CARDS)]);
                    boolean ok = r.nextInt(4) != 0;
                    if (ok) correct++;
                    reviews[(int) (reviewCount++ % RING)] = new ReviewEvent(learner, c.id(), ok, 1 + r.nextInt(4), t);
                    String key = c.id() + "/" + LANGS[r.nextInt(2)];
                    if (audio.get(key) == null) audio.put(key, new AudioClip(key, new byte[400 + r.nextInt(400)], t));
                    else audioHits++;
                }
                correct = correct * n / 3;
                item = new ActivityItem(t, ActivityKind.REVIEW_SESSION, deck, (short) n, (short) correct, null);
                if (r.nextInt(8) == 0) lmsSync.add(new ProgressSync(learner, deck, correct, t));
            } else if (roll < 92) {
                item = new ActivityItem(t, ActivityKind.CARDS_ADDED, deck, (short) (1 + r.nextInt(20)), (short) 0, null);
            } else if (roll < 97) {
                item = new ActivityItem(t, ActivityKind.DECK_STARTED, deck, (short) 0, (short) 0, null);
            } else if (roll < 99) {
                item = new ActivityItem(t, ActivityKind.STREAK, deck, (short) 0, (short) 0, (2 + r.nextInt(60)) + "-day streak in " + DECKS_BY_ID.get(deck).title());
            } else {
                item = new ActivityItem(t, ActivityKind.LEVEL_UP, deck, (short) 0, (short) 0, "reached level " + (2 + r.nextInt(30)) + " in " + DECKS_BY_ID.get(deck).to());
            }
            feed.append(learner, item);
            actions++;
            if (r.nextInt(5) == 0) { // the learner opens the feed page
                byte[] buf = renderBuffers.poll();
                List<ActivityItem> page = feed.page(learner);
                feedViews++;
                feedItemsShown += page.size();
                buf[(int) (feedViews % buf.length)] = (byte) page.size();
                renderBuffers.add(buf);
            }
        }

        void syncToLms(long t) {
            for (int k = 0; k < SYNC_BATCH && !lmsSync.isEmpty(); k++) { lmsSync.poll(); synced++; }
        }
    }

    static StudyService SERVICE;

    static void check(boolean ok, String what) { if (!ok) throw new IllegalStateException("unexpected size: " + what); }

    static void run() {
        long now = System.currentTimeMillis();
        long end = now - now % MINUTE;
        long start = end - HOURS * HOUR;
        Random rnd = new Random(116_040_001);
        StudyService svc = new StudyService();
        SERVICE = svc;
        for (int d = 0; d < DECKS; d++) {
            double[] curve = new double[40];
            for (int k = 0; k < curve.length; k++) curve[k] = Math.exp(-k * (0.02 + rnd.nextDouble() * 0.1));
            String id = "DK-" + (10_000 + d);
            svc.deckIds[d] = id;
            String to = LANGS[d % LANGS.length];
            DECKS_BY_ID.put(id, new Deck(id, "Everyday " + to + " #" + (d / LANGS.length), "en", to, curve));
        }
        for (int c = 0; c < CARDS; c++) {
            String id = "CD-" + (500_000 + c * 3);
            svc.cardIds[c] = id;
            svc.cards.put(id, new Card(id, svc.deckIds[rnd.nextInt(DECKS)], "word " + c, "palabra " + (c * 7 % 19_997), new byte[150 + rnd.nextInt(150)]));
        }
        for (int l = 0; l < LEARNERS; l++) {
            long id = 2_400_000L + l * 17L;
            svc.learnerIds[l] = id;
            svc.learners.put(id, new Learner(id, "learner" + id, SCHOOLS[rnd.nextInt(SCHOOLS.length)], LANGS[rnd.nextInt(LANGS.length)], new byte[64], now - (long) (20 + rnd.nextInt(900)) * DAY));
        }
        for (int b = 0; b < POOL; b++) svc.renderBuffers.add(new byte[32_768]);
        Random traffic = new Random(116_040_002);
        long nextSync = start + SYNC_EVERY;
        for (int i = 0; i < ACTIONS; i++) {
            long t = start + (end - MINUTE - start) * i / ACTIONS;
            while (nextSync <= t) { svc.syncToLms(nextSync); nextSync += SYNC_EVERY; }
            svc.act(t, traffic);
        }
    }

    static final int EXPECTED_SHORTEST = 57, EXPECTED_LONGEST = 114, EXPECTED_SYNC_BACKLOG = 580;

    static void report() {
        StudyService svc = SERVICE;
        long items = 0;
        int shortest = Integer.MAX_VALUE, longest = 0, over50 = 0, over20 = 0;
        for (ArrayList<ActivityItem> l : svc.feed.byLearner.values()) {
            items += l.size();
            shortest = Math.min(shortest, l.size());
            longest = Math.max(longest, l.size());
            if (l.size() > 50) over50++;
            if (l.size() > PAGE) over20++;
        }
        System.out.println((FIXED ? "FIXED " : "") + "decks " + DECKS_BY_ID.size() + " cards " + svc.cards.size() + " learners " + svc.learners.size() + " actions " + svc.actions + " reviews " + svc.reviewCount
                + " feeds " + svc.feed.byLearner.size() + " feed items " + items + " (shortest " + shortest + ", longest " + longest + ", over 50: " + over50 + ", over " + PAGE + ": " + over20
                + ") feed views " + svc.feedViews + " (items shown " + svc.feedItemsShown + ") audio " + svc.audio.size() + " (evicted " + svc.audio.evicted + ", hits " + svc.audioHits
                + ") lms backlog " + svc.lmsSync.size() + " (synced " + svc.synced + ") pool " + svc.renderBuffers.size());
        check(DECKS_BY_ID.size() == DECKS && svc.cards.size() == CARDS && svc.learners.size() == LEARNERS, "reference data / directories");
        check(svc.actions == ACTIONS && svc.feed.appended == ACTIONS && svc.feed.byLearner.size() == LEARNERS, "traffic");
        check(items == (FIXED ? (long) LEARNERS * PAGE : ACTIONS), "feed items: " + items);
        check(FIXED ? longest == PAGE : shortest == EXPECTED_SHORTEST && longest == EXPECTED_LONGEST, "feed lengths " + shortest + ".." + longest);
        check(svc.lmsSync.size() == EXPECTED_SYNC_BACKLOG, "lms backlog: " + svc.lmsSync.size());
        check(svc.audio.size() == AUDIO_CAP && svc.audio.evicted > 0, "audio cache at cap");
        check(svc.renderBuffers.size() == POOL && svc.reviews[RING - 1] != null, "pool / ring");
    }

    public static void main(String[] args) throws Exception {
        FIXED = Boolean.getBoolean("val116.fixed");
        run();
        report();
        LeakCheck.histogram("java.util.ArrayList ", "[Ljava.lang.Object; ");
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
        System.exit(0);
    }
}
