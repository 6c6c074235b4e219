package org.tfl4j.conformance.cli;

import org.tfl4j.conformance.Comparison;
import org.tfl4j.conformance.Ulp;
import org.tfl4j.parser.TensorType;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/**
 * One model output over every case: the figures of a {@link Comparison} (bound 0 ULP) plus the first positions
 * whose bits differ, with both values. "Bit-identical" means equal bit patterns, so +0 against -0 counts as a
 * difference here even though its ULP distance is 0.
 */
final class OutputComparison {

    /** How many differing positions are kept for the report. */
    static final int KEPT_DIFFERENCES = 5;

    /** A differing position: the case, the index in the output's shape, both values and their ULP distance. */
    record Difference(String caseName, int[] position, String tflite, String tfl4j, String ulp) {}

    private final int index;
    private final String name;
    private final TensorType type;
    private final int[] shape;
    private final Comparison comparison;
    private final List<Difference> differences = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    OutputComparison(int index, String name, TensorType type, int[] shape, String configuration) {
        this.index = index;
        this.name = name;
        this.type = type;
        this.shape = shape.clone();
        this.comparison = new Comparison(name, "output", configuration, 0);
    }

    /** Adds one case: {@code expected} from TFLite, {@code actual} from tfl4j, each a Java array. */
    void add(String caseName, Object expected, Object actual) {
        comparison.addCase(caseName, "", new Object[] {expected}, new Object[] {actual});
        if (expected == null || actual == null || expected.getClass() != actual.getClass()) {
            problems.add(caseName + ": tfl4j gave " + arrayName(actual) + ", TFLite " + arrayName(expected));
            return;
        }
        int n = Array.getLength(expected);
        if (n != Array.getLength(actual)) {
            problems.add(caseName + ": tfl4j gave " + Array.getLength(actual) + " values, TFLite " + n);
            return;
        }
        if (differences.size() >= KEPT_DIFFERENCES) return;
        for (int i = 0; i < n && differences.size() < KEPT_DIFFERENCES; i++) {
            if (expected instanceof float[]) {
                float e = ((float[]) expected)[i];
                float a = ((float[]) actual)[i];
                if (Float.floatToRawIntBits(e) != Float.floatToRawIntBits(a)) {
                    differences.add(new Difference(caseName, position(i, n), Comparison.hex(e), Comparison.hex(a),
                            Ulp.describe(Ulp.distance(e, a))));
                }
            } else {
                Object e = Array.get(expected, i);
                Object a = Array.get(actual, i);
                if (!e.equals(a)) differences.add(new Difference(caseName, position(i, n), e.toString(), a.toString(), null));
            }
        }
    }

    /** The flat index as an index into the output's shape (the flat index alone if the shape does not fit). */
    private int[] position(int flat, int n) {
        long count = 1;
        for (int d : shape) count *= d;
        if (count != n || shape.length == 0) return new int[] {flat};
        int[] p = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            p[d] = flat % shape[d];
            flat /= shape[d];
        }
        return p;
    }

    private static String arrayName(Object o) {
        return o == null ? "nothing" : o.getClass().getSimpleName();
    }

    int index() {
        return index;
    }

    String name() {
        return name;
    }

    TensorType type() {
        return type;
    }

    int[] shape() {
        return shape.clone();
    }

    int cases() {
        return comparison.cases();
    }

    /** Values compared (float and integer). */
    long values() {
        return comparison.floatValues() + comparison.integerValues();
    }

    /** Values whose bits equal TFLite's. */
    long bitIdentical() {
        return comparison.bitIdentical() + comparison.integerValues() - comparison.integerMismatches();
    }

    /** Largest ULP distance over float values (0 for integer outputs; {@link Long#MAX_VALUE} for a NaN mismatch). */
    long maxUlp() {
        return comparison.maxUlp();
    }

    boolean isFloat() {
        return type == TensorType.FLOAT32;
    }

    long integerMismatches() {
        return comparison.integerMismatches();
    }

    /** Type or length mismatches between the runtimes, one per case. */
    List<String> problems() {
        return List.copyOf(problems);
    }

    List<Difference> differences() {
        return List.copyOf(differences);
    }

    boolean identical() {
        return problems.isEmpty() && bitIdentical() == values();
    }
}
