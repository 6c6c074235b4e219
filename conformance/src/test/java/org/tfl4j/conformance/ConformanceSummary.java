package org.tfl4j.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compares tfl4j's results with the official runtime's, case by case: ids must be identical in the same order,
 * every score within {@link #MAX_ULP}. Counts bit-identical scores and keeps a precise message per failure.
 */
final class ConformanceSummary {

    /** The conformance bound on every score (ULP distance of the float32 bit patterns). */
    static final long MAX_ULP = 4;
    private static final int MAX_REPORTED = 25;

    private final String model;
    private int cases;
    private int idsEqual;
    private int scores;
    private int bitIdenticalScores;
    private long maxUlp;
    private final Set<Integer> distinctExpectedScores = new HashSet<>();
    private final List<String> failures = new ArrayList<>();

    ConformanceSummary(String model) {
        this.model = model;
    }

    /** Compares one case; {@code expected} comes from the official runtime. */
    void add(String caseName, Object[] inputs, ModelIo.Result expected, ModelIo.Result actual) {
        cases++;
        String where = model + " / " + caseName + " " + describe(inputs);
        if (expected.ids().length != actual.ids().length || expected.scores().length != actual.scores().length) {
            failures.add(where + ": tfl4j gave " + actual.ids().length + " ids and " + actual.scores().length
                    + " scores, TFLite " + expected.ids().length + " and " + expected.scores().length);
            return;
        }
        if (Arrays.equals(expected.ids(), actual.ids())) {
            idsEqual++;
        } else {
            int i = Arrays.mismatch(expected.ids(), actual.ids());
            failures.add(String.format("%s: ids differ first at rank %d: TFLite id %d (score %s), tfl4j id %d (score %s); %d ranks differ",
                    where, i, expected.ids()[i], hex(expected.scores()[i]), actual.ids()[i], hex(actual.scores()[i]),
                    differingRanks(expected.ids(), actual.ids())));
        }
        for (int i = 0; i < expected.scores().length; i++) {
            float e = expected.scores()[i];
            float a = actual.scores()[i];
            scores++;
            distinctExpectedScores.add(Float.floatToRawIntBits(e));
            if (Float.floatToRawIntBits(e) == Float.floatToRawIntBits(a)) bitIdenticalScores++;
            long ulp = Ulp.distance(e, a);
            maxUlp = Math.max(maxUlp, ulp);
            if (ulp > MAX_ULP) {
                failures.add(String.format("%s: score at rank %d (TFLite id %d, tfl4j id %d) differs by %s ULP: TFLite %s, tfl4j %s",
                        where, i, expected.ids()[i], actual.ids()[i], ulp == Long.MAX_VALUE ? "NaN" : Long.toString(ulp), hex(e), hex(a)));
            }
        }
    }

    /**
     * One line: cases, ids equal, bit-identical scores, max ULP, failures; and how many distinct score values
     * TFLite produced (sigmoids saturate at 1.0, so few distinct values would make bit-identity cheap).
     */
    String line() {
        return String.format("conformance %-38s cases %d, ids equal %d/%d, bit-identical scores %d/%d, max ULP %s, failures %d"
                        + " (distinct TFLite scores %d)",
                model, cases, idsEqual, cases, bitIdenticalScores, scores, maxUlp == Long.MAX_VALUE ? "NaN" : maxUlp,
                failures.size(), distinctExpectedScores.size());
    }

    int failureCount() {
        return failures.size();
    }

    int cases() {
        return cases;
    }

    /** Fails with the first failures (case, inputs, rank, both values) if any case did not conform. */
    void assertConformant() {
        if (failures.isEmpty()) return;
        StringBuilder msg = new StringBuilder(line()).append('\n');
        failures.stream().limit(MAX_REPORTED).forEach(f -> msg.append("  ").append(f).append('\n'));
        if (failures.size() > MAX_REPORTED) msg.append("  ... and ").append(failures.size() - MAX_REPORTED).append(" more\n");
        fail(msg.toString());
    }

    private static int differingRanks(int[] a, int[] b) {
        int n = 0;
        for (int i = 0; i < a.length; i++) if (a[i] != b[i]) n++;
        return n;
    }

    static String hex(float f) {
        return String.format("%s (0x%08x)", Float.toString(f), Float.floatToRawIntBits(f));
    }

    static String describe(Object[] inputs) {
        StringBuilder s = new StringBuilder();
        for (Object in : inputs) {
            s.append(in instanceof int[] ? Arrays.toString((int[]) in) : String.valueOf(in));
        }
        return s.toString();
    }
}
