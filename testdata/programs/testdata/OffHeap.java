// hprofscan-dump: name=offheap jvm="-Xmx128m -XX:+UseSerialGC" variants=mxbean
package testdata;

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Native memory held through the heap, for the off-heap totals.
 * <ul>
 *   <li>{@code Buffers.DIRECT} (static ArrayList): 8 direct ByteBuffers of 1 MiB (1,048,576 bytes)
 *       each: 8,388,608 bytes of native memory.</li>
 *   <li>{@code Buffers.SLICES} (static ArrayList): 4 views of {@code DIRECT[0]} (2 slices, 1
 *       duplicate, 1 read-only view): no native memory of their own.</li>
 *   <li>{@code Buffers.ONE} (static): 1 direct ByteBuffer of 300,000 bytes.</li>
 *   <li>{@code Mapped.FILES} (static ArrayList): 2 MappedByteBuffers of 65,536 and 12,288 bytes
 *       (READ_WRITE maps of two temp files, deleted at exit): 77,824 bytes file-backed.</li>
 * </ul>
 */
public final class OffHeap {
    static final class Buffers {
        static final List<ByteBuffer> DIRECT = new ArrayList<>();
        static final List<ByteBuffer> SLICES = new ArrayList<>();
        static ByteBuffer ONE;
    }

    static final class Mapped {
        static final List<MappedByteBuffer> FILES = new ArrayList<>();
    }

    static MappedByteBuffer map(int size) throws Exception {
        File f = File.createTempFile("hprofscan-offheap", ".bin");
        f.deleteOnExit();
        try (RandomAccessFile raf = new RandomAccessFile(f, "rw")) {
            raf.setLength(size);
            return raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, size);
        }
    }

    /** Builds the heap; kept out of main() so no stack slot of main references it. */
    static void build() throws Exception {
        for (int i = 0; i < 8; i++) {
            Buffers.DIRECT.add(ByteBuffer.allocateDirect(1 << 20));
        }
        ByteBuffer first = Buffers.DIRECT.get(0);
        Buffers.SLICES.add(first.slice(0, 4096));
        Buffers.SLICES.add(first.slice(4096, 4096));
        Buffers.SLICES.add(first.duplicate());
        Buffers.SLICES.add(first.asReadOnlyBuffer());
        Buffers.ONE = ByteBuffer.allocateDirect(300_000);
        Mapped.FILES.add(map(65_536));
        Mapped.FILES.add(map(12_288));
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String out = args[1];
        build();
        System.gc();
        DumpUtil.dump(variant, out);
        System.out.println("dumped " + out);
    }
}
