package testdata.agenda;

/** A speaker of the conference. */
public final class SpeakerCard {
    public final String id;
    public final String bio;
    public final int[] links;

    public SpeakerCard(String id, String bio, int[] links) {
        this.id = id;
        this.bio = bio;
        this.links = links;
    }
}
