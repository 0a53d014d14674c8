package testdata.agenda;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * The agenda webapp of testdata.Val19LeakEventRegistration, compiled into
 * testdata/build/val19-agenda-classes (NOT on the host's class path) and deployed in a fresh
 * URLClassLoader on every redeploy. At class initialisation it loads the conference programme
 * (its own static cache); {@link #apply(String)} answers "/agenda/<track>" with an AgendaView.
 */
public final class AgendaController implements Function<String, Object> {
    /** The programme of the conference, loaded once per deployment (class initialisation). */
    static final Map<String, SessionInfo> PROGRAMME = new HashMap<>();
    static final List<SpeakerCard> SPEAKERS = new ArrayList<>();
    static final String[] TRACKS = {"cloud", "data", "security", "frontend", "platform", "ml", "devex", "mobile"};

    static {
        Random r = new Random(19_040_777);
        for (int s = 0; s < 600; s++) {
            int[] links = new int[12];
            for (int k = 0; k < links.length; k++) links[k] = r.nextInt(100_000);
            SPEAKERS.add(new SpeakerCard("speaker-" + s, "Speaker " + s + ", principal engineer at Company " + (s % 150), links));
        }
        for (int i = 0; i < 2_400; i++) {
            String id = "S" + (10_000 + i);
            int[] slots = new int[16];
            for (int k = 0; k < slots.length; k++) slots[k] = r.nextInt(96);
            PROGRAMME.put(id, new SessionInfo(id, TRACKS[i % TRACKS.length], "Talk " + i + ": lessons learned from running " + TRACKS[i % TRACKS.length] + " systems at scale, with a live demo and a Q&A session afterwards",
                    SPEAKERS.get(r.nextInt(SPEAKERS.size())), "Room " + (1 + r.nextInt(40)), slots));
        }
    }

    @Override
    public Object apply(String path) {
        String track = path.substring(path.lastIndexOf('/') + 1);
        List<SessionInfo> sessions = new ArrayList<>();
        for (SessionInfo s : PROGRAMME.values()) {
            if (s.track.equals(track) && sessions.size() < 5) sessions.add(s);
        }
        return new AgendaView(track, sessions);
    }
}
