package org.tfl4j.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One row of the conformance report: tfl4j against one reference configuration on one subject (a model or
 * an op), over many cases. Float outputs are compared by bits (ULP distance); integer and bool outputs
 * (ids, indices, masks) must be equal. Every value beyond {@link #ulpBound()} or unequal is a failure with
 * a precise message: case, inputs, output, position, both values.
 */
public final class Comparison {

    private static final int MAX_KEPT_FAILURES = 200;

    private final String subject;
    private final String kind;
    private final String configuration;
    private final long ulpBound;
    private int cases;
    private long floatValues;
    private long bitIdentical;
    private long maxUlp;
    private long integerValues;
    private long integerMismatches;
    private int casesWithIntegerMismatch;
    private int failureCount;
    private final List<String> failures = new ArrayList<>();

    /**
     * @param subject       the model file or op ("CONV_2D")
     * @param kind          "model" or "op"
     * @param configuration the reference configuration ("builtin, 1 thread", "XNNPACK, 1 thread", ...)
     * @param ulpBound      the largest ULP distance allowed on a float output (0: bit-exact)
     */
    public Comparison(String subject, String kind, String configuration, long ulpBound) {
        this.subject = subject;
        this.kind = kind;
        this.configuration = configuration;
        this.ulpBound = ulpBound;
    }

    /**
     * Compares all outputs of one case. {@code expected} comes from the official runtime, {@code actual}
     * from tfl4j, both in the model's output order as {@code float[]}, {@code int[]}, {@code long[]} or
     * {@code boolean[]}.
     */
    public void addCase(String caseName, String inputs, Object[] expected, Object[] actual) {
        cases++;
        String where = subject + " / " + caseName + (inputs.isEmpty() ? "" : " " + inputs);
        if (expected.length != actual.length) {
            fail(where + ": tfl4j gave " + actual.length + " outputs, TFLite " + expected.length);
            return;
        }
        boolean integerMismatch = false;
        for (int k = 0; k < expected.length; k++) {
            Object e = expected[k];
            Object a = actual[k];
            if (e != null && a != null && !(e.getClass().isArray() && a.getClass().isArray())) {
                fail(where + ": output " + k + ": TFLite " + e + ", tfl4j " + a); // a run that failed on either side
                continue;
            }
            if (e == null || a == null || e.getClass() != a.getClass()) {
                fail(where + ": output " + k + " is " + typeName(a) + " in tfl4j, " + typeName(e) + " in TFLite");
                continue;
            }
            int n = java.lang.reflect.Array.getLength(e);
            if (n != java.lang.reflect.Array.getLength(a)) {
                fail(where + ": output " + k + " has " + java.lang.reflect.Array.getLength(a) + " values in tfl4j, " + n + " in TFLite");
                continue;
            }
            if (e instanceof float[]) {
                compareFloats(where, k, (float[]) e, (float[]) a);
            } else {
                integerMismatch |= compareIntegers(where, k, e, a, n);
            }
        }
        if (integerMismatch) casesWithIntegerMismatch++;
    }

    private void compareFloats(String where, int output, float[] e, float[] a) {
        for (int i = 0; i < e.length; i++) {
            floatValues++;
            if (Float.floatToRawIntBits(e[i]) == Float.floatToRawIntBits(a[i])) {
                bitIdentical++;
                continue;
            }
            long ulp = Ulp.distance(e[i], a[i]);
            maxUlp = Math.max(maxUlp, ulp);
            // Bound 0 means bit-identical: +0 against -0 is 0 ULP apart and still a failure there.
            if (ulp > ulpBound || ulpBound == 0) {
                fail(String.format("%s: output %d [%d] differs by %s ULP: TFLite %s, tfl4j %s", where, output, i,
                        Ulp.describe(ulp), hex(e[i]), hex(a[i])));
            }
        }
    }

    private boolean compareIntegers(String where, int output, Object e, Object a, int n) {
        int differing = 0;
        int first = -1;
        for (int i = 0; i < n; i++) {
            integerValues++;
            if (!java.lang.reflect.Array.get(e, i).equals(java.lang.reflect.Array.get(a, i))) {
                if (first < 0) first = i;
                differing++;
            }
        }
        if (differing == 0) return false;
        integerMismatches += differing;
        fail(String.format("%s: output %d differs at %d of %d positions, first [%d]: TFLite %s, tfl4j %s", where, output,
                differing, n, first, java.lang.reflect.Array.get(e, first), java.lang.reflect.Array.get(a, first)));
        return true;
    }

    private void fail(String message) {
        failureCount++;
        if (failures.size() < MAX_KEPT_FAILURES) failures.add(message);
    }

    public String subject() {
        return subject;
    }

    public String kind() {
        return kind;
    }

    public String configuration() {
        return configuration;
    }

    public long ulpBound() {
        return ulpBound;
    }

    public int cases() {
        return cases;
    }

    /** Float values compared. */
    public long floatValues() {
        return floatValues;
    }

    /** Float values whose bits equal TFLite's. */
    public long bitIdentical() {
        return bitIdentical;
    }

    /** Largest ULP distance seen ({@link Long#MAX_VALUE} when a NaN met a number or another NaN's bits). */
    public long maxUlp() {
        return maxUlp;
    }

    /** Integer and bool values compared (ids, indices, masks). */
    public long integerValues() {
        return integerValues;
    }

    /** Integer and bool values that differ from TFLite's. */
    public long integerMismatches() {
        return integerMismatches;
    }

    public int casesWithIntegerMismatch() {
        return casesWithIntegerMismatch;
    }

    public int failureCount() {
        return failureCount;
    }

    /** The first failures, each with case, inputs, output, position and both values. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    public boolean conformant() {
        return failureCount == 0;
    }

    /** One line for logs. */
    public String line() {
        return String.format("conformance %-5s %-40s %-26s cases %d, bit-identical %d/%d, max ULP %s (bound %d), "
                        + "id/index mismatches %d/%d, failures %d",
                kind, subject, configuration, cases, bitIdentical, floatValues, Ulp.describe(maxUlp), ulpBound,
                integerMismatches, integerValues, failureCount);
    }

    /** The line and up to {@code limit} failures, for an assertion message. */
    public String describeFailures(int limit) {
        StringBuilder msg = new StringBuilder(line()).append('\n');
        failures.stream().limit(limit).forEach(f -> msg.append("  ").append(f).append('\n'));
        if (failureCount > limit) msg.append("  ... and ").append(failureCount - limit).append(" more\n");
        return msg.toString();
    }

    public static String hex(float f) {
        return String.format("%s (0x%08x)", Float.toString(f), Float.floatToRawIntBits(f));
    }

    private static String typeName(Object o) {
        return o == null ? "null" : o.getClass().getSimpleName();
    }

    /** A short rendering of input arrays for failure messages (long arrays are cut). */
    public static String describeInputs(Object[] inputs) {
        StringBuilder s = new StringBuilder();
        for (Object in : inputs) {
            if (s.length() > 0) s.append(' ');
            String text;
            if (in instanceof float[]) text = Arrays.toString((float[]) in);
            else if (in instanceof int[]) text = Arrays.toString((int[]) in);
            else if (in instanceof long[]) text = Arrays.toString((long[]) in);
            else if (in instanceof boolean[]) text = Arrays.toString((boolean[]) in);
            else text = String.valueOf(in);
            s.append(text.length() > 160 ? text.substring(0, 157) + "..." : text);
        }
        return s.toString();
    }
}
