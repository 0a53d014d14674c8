package testdata.customs;

/**
 * Per-loader static duty-rate table of one tariff-book generation (compiled by the
 * hprofscan-build line of testdata.Val17LeakCustomsBroker into testdata/build/val17-customs-classes,
 * NOT on the classpath). Every generation's loader carries its own copy.
 */
final class RateTable {
    static long[] hsCodes;
    static float[] rates;
    static String[] headings;

    private RateTable() {}

    static void load(String book, int rows, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        hsCodes = new long[rows];
        rates = new float[rows];
        headings = new String[rows];
        String[] words = {"parts and accessories", "of iron or steel", "not elsewhere specified", "for retail sale", "of a weight exceeding 10 kg", "containing cocoa", "knitted or crocheted", "of synthetic fibres"};
        for (int i = 0; i < rows; i++) {
            hsCodes[i] = 100_000_000L + i * 7_919L;
            rates[i] = rnd.nextInt(180) / 10f;
            headings[i] = book + " " + (hsCodes[i] / 10_000) + " " + words[i % words.length] + " #" + i;
        }
    }
}
