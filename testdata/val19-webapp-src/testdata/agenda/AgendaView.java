package testdata.agenda;

import java.util.List;

/** Response DTO of the agenda webapp (serialised to JSON by the host). */
public final class AgendaView {
    public final String track;
    public final List<SessionInfo> sessions;
    public final int count;

    public AgendaView(String track, List<SessionInfo> sessions) {
        this.track = track;
        this.sessions = sessions;
        this.count = sessions.size();
    }
}
