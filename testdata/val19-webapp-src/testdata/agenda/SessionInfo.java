package testdata.agenda;

/** One talk of the conference programme. */
public final class SessionInfo {
    public final String id;
    public final String track;
    public final String title;
    public final SpeakerCard speaker;
    public final String room;
    public final int[] slots;

    public SessionInfo(String id, String track, String title, SpeakerCard speaker, String room, int[] slots) {
        this.id = id;
        this.track = track;
        this.title = title;
        this.speaker = speaker;
        this.room = room;
        this.slots = slots;
    }
}
