package org.tfl4j.conformance.cli;

import org.tfl4j.parser.TensorType;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded inputs for a model, from each input's type and element count: floats uniform in [-1, 1), ints that index
 * a table uniform over its rows, other ints small and non-negative, bools fair coins. When there are two cases or
 * more, the last one is all zeros (floats +0, ints 0, bools false), an edge every model should survive: id 0 is the
 * padding id of the recommendation models and always a valid row.
 */
final class InputGenerator {

    /** Generated ints that index no table are drawn from {@code [0, SMALL_INT_LIMIT)}. */
    static final int SMALL_INT_LIMIT = 10;

    /** What to generate for one input. */
    record Spec(TensorType type, int elementCount, IndexBounds.Bound bound) {}

    private InputGenerator() {}

    /** {@code cases} cases, each one array per input in input order. */
    static List<Object[]> generate(List<Spec> specs, int cases, long seed) {
        Random random = new Random(seed);
        List<Object[]> result = new ArrayList<>(cases);
        for (int c = 0; c < cases; c++) {
            boolean zeros = isZerosCase(c, cases);
            Object[] inputs = new Object[specs.size()];
            for (int k = 0; k < inputs.length; k++) inputs[k] = values(specs.get(k), zeros ? null : random);
            result.add(inputs);
        }
        return result;
    }

    /** Whether case {@code c} of {@code cases} is the all-zeros case. */
    static boolean isZerosCase(int c, int cases) {
        return cases >= 2 && c == cases - 1;
    }

    /** One input's values; all zeros when {@code random} is null. */
    private static Object values(Spec spec, Random random) {
        int n = spec.elementCount();
        int limit = spec.bound() != null ? Math.max(1, spec.bound().limit()) : SMALL_INT_LIMIT;
        switch (spec.type()) {
            case FLOAT32: {
                float[] v = new float[n];
                if (random != null) for (int i = 0; i < n; i++) v[i] = random.nextFloat() * 2f - 1f;
                return v;
            }
            case INT32: {
                int[] v = new int[n];
                if (random != null) for (int i = 0; i < n; i++) v[i] = random.nextInt(limit);
                return v;
            }
            case INT64: {
                long[] v = new long[n];
                if (random != null) for (int i = 0; i < n; i++) v[i] = random.nextInt(limit);
                return v;
            }
            case BOOL: {
                boolean[] v = new boolean[n];
                if (random != null) for (int i = 0; i < n; i++) v[i] = random.nextBoolean();
                return v;
            }
            default:
                throw new IllegalArgumentException("cannot generate " + spec.type() + " inputs");
        }
    }
}
