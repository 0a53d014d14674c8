package testdata.customs;

import testdata.Val17LeakCustomsBroker;

/**
 * One tariff book (EU, UK, US, CH), reloaded by the broker in a fresh URLClassLoader whenever the
 * authority publishes new rates. Compiled into testdata/build/val17-customs-classes (NOT on the
 * classpath).
 */
public class TariffBook implements Val17LeakCustomsBroker.TariffModule {
    private String book;
    private int generation;
    private long ratesPublishedAt;

    public TariffBook() {}

    @Override
    public void load(String book, int generation, int rows, long seed) {
        this.book = book;
        this.generation = generation;
        RateTable.load(book, rows, seed);
    }

    @Override
    public String book() {
        return book;
    }

    @Override
    public int generation() {
        return generation;
    }

    @Override
    public int rows() {
        return RateTable.hsCodes.length;
    }

    @Override
    public double dutyRate(long hsCode) {
        int i = java.util.Arrays.binarySearch(RateTable.hsCodes, hsCode);
        return i >= 0 ? RateTable.rates[i] : RateTable.rates[(-i - 1) % RateTable.rates.length];
    }

    @Override
    public void onRatesPublished(long at) {
        ratesPublishedAt = at;
    }
}
