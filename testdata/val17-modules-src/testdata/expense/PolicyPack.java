package testdata.expense;

import testdata.Val17HealthyExpenseReports;

/**
 * A tenant's expense-policy pack, loaded once per tenant at startup in its own URLClassLoader by
 * testdata.Val17HealthyExpenseReports. Compiled into testdata/build/val17-expense-classes (NOT on
 * the classpath). Its static limit table is per loader, i.e. per tenant.
 */
public class PolicyPack implements Val17HealthyExpenseReports.Policy {
    static int[] limitCents;
    static String[] categoryRules;
    private String tenant;
    private long checks;

    public PolicyPack() {}

    @Override
    public void configure(String tenant, int categories, long seed) {
        this.tenant = tenant;
        java.util.Random rnd = new java.util.Random(seed);
        limitCents = new int[categories];
        categoryRules = new String[categories];
        for (int i = 0; i < categories; i++) {
            limitCents[i] = 1_000 + rnd.nextInt(200_000);
            categoryRules[i] = tenant + ": category " + i + " requires receipt above " + (limitCents[i] / 4) + " and manager approval above " + limitCents[i];
        }
    }

    @Override
    public String tenant() {
        return tenant;
    }

    @Override
    public int categories() {
        return limitCents.length;
    }

    @Override
    public boolean allowed(int category, int amountCents) {
        checks++;
        return amountCents <= limitCents[category % limitCents.length];
    }
}
