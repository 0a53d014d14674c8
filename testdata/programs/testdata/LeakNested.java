// hprofscan-dump: name=leak-nested jvm="-Xmx128m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Leaks one level down, for explanations that say what the entries hold (issue #18 item 7).
 * <ul>
 *   <li>{@code UploadIndex.PARTS} (static HashMap) maps 6,000 upload ids (UUIDs) to an ArrayList
 *       of 4 byte[512] parts each: 24,000 byte[512] in all. Nothing removes a finished upload.</li>
 *   <li>{@code EventBus.LISTENERS} (static ArrayList) holds 3,000 anonymous listeners; each is
 *       created inside a {@code Screen} and pins it through {@code this$0}; each Screen holds a
 *       byte[2048] and is referenced by nothing else once closed.</li>
 * </ul>
 * See testdata/README.md ("LeakNested").
 */
public final class LeakNested {
    static final int UPLOADS = 6_000;
    static final int PARTS_PER_UPLOAD = 4;
    static final int PART_BYTES = 512;
    static final int SCREENS = 3_000;
    static final int SCREEN_BYTES = 2_048;

    interface Listener {
        void onEvent(String event);
    }

    static final class EventBus {
        static final List<Listener> LISTENERS = new ArrayList<>();
    }

    static final class UploadIndex {
        static final Map<String, List<byte[]>> PARTS = new HashMap<>();
    }

    /** A screen registers a listener when opened and forgets to unregister it when closed. */
    static final class Screen {
        final int id;
        final byte[] pixels = new byte[SCREEN_BYTES];
        int events;

        Screen(int id) {
            this.id = id;
        }

        void open() {
            EventBus.LISTENERS.add(new Listener() {
                @Override
                public void onEvent(String event) {
                    events++;
                }
            });
        }
    }

    static void build() {
        for (int i = 0; i < UPLOADS; i++) {
            String id = UUID.nameUUIDFromBytes(("upload-" + i).getBytes(StandardCharsets.UTF_8)).toString();
            List<byte[]> parts = new ArrayList<>();
            for (int p = 0; p < PARTS_PER_UPLOAD; p++) {
                parts.add(new byte[PART_BYTES]);
            }
            UploadIndex.PARTS.put(id, parts);
        }
        for (int i = 0; i < SCREENS; i++) {
            new Screen(i).open();
        }
        for (Listener l : EventBus.LISTENERS) {
            l.onEvent("closed");
        }
    }

    public static void main(String[] args) throws Exception {
        build();
        System.gc();
        DumpUtil.dump(args[0], args[1]);
        System.out.println("dumped " + args[1]);
    }
}
