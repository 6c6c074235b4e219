package org.tfl4j.conformance.ops;

import org.junit.jupiter.api.Test;
import org.tfl4j.conformance.OpCase;
import org.tfl4j.parser.BuiltinOp;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * REDUCE_MAX against TFLite, float32 and int32: the axis patterns, ranks and keep_dims of {@link SumSweepTest},
 * exact ties, -0 against +0 in every order (the later element wins a tie), subnormals against zeros and negative
 * numbers (DAZ), ±inf, NaN at the start, middle and end of a reduction, all-equal rows, the type's extremes, and
 * an empty reduction (TFLite gives the lowest finite value).
 */
class ReduceMaxSweepTest {

    static List<OpCase> cases() {
        Random random = new Random(47);
        List<OpCase> cases = new ArrayList<>();
        SumSweepTest.addCommonCases(cases, random, BuiltinOp.REDUCE_MAX);
        // -0 and +0 in every order of two and three, each row a separate reduction.
        float[] zeroRows = {-0f, 0f, 0f, -0f, -0f, -0f, 0f, 0f,
                -0f, 0f, -0f, 0f, -0f, 0f, 0f, 0f, -0f, -0f};
        cases.add(SumSweepTest.reduce(BuiltinOp.REDUCE_MAX, "signed zero pairs", new int[] {4, 2}, new int[] {1}, false,
                java.util.Arrays.copyOf(zeroRows, 8)));
        cases.add(SumSweepTest.reduce(BuiltinOp.REDUCE_MAX, "signed zero triples", new int[] {2, 3}, new int[] {1}, false,
                java.util.Arrays.copyOfRange(zeroRows, 8, 14)));
        cases.add(SumSweepTest.reduce(BuiltinOp.REDUCE_MAX, "signed zeros below negatives", new int[] {3, 3}, new int[] {1}, true,
                new float[] {-1f, -0f, -2f, -3f, 0f, -0f, -0f, -5f, 0f}));
        cases.add(SumSweepTest.reduce(BuiltinOp.REDUCE_MAX, "subnormals against zeros and negatives", new int[] {4, 3}, new int[] {1}, false,
                new float[] {Float.MIN_VALUE, -1f, -2f, -1f, Float.MIN_VALUE, -0f, 0f, -Float.MIN_VALUE, -1f,
                        -0x1.fffffcp-127f, -1f, 0x1.fffffcp-127f}));
        cases.add(SumSweepTest.reduce(BuiltinOp.REDUCE_MAX, "infinities", new int[] {3, 3}, new int[] {1}, false,
                new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY,
                        Float.NEGATIVE_INFINITY, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, 1f, Float.MAX_VALUE}));
        cases.add(SumSweepTest.reduce(BuiltinOp.REDUCE_MAX, "all equal", new int[] {2, 5}, new int[] {1}, false,
                new float[] {2f, 2f, 2f, 2f, 2f, -7f, -7f, -7f, -7f, -7f}));
        cases.add(SumSweepTest.reduce(BuiltinOp.REDUCE_MAX, "int32 extremes", new int[] {3, 3}, new int[] {1}, false,
                new int[] {Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE, -1, 0,
                        Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}));
        cases.add(SumSweepTest.reduce(BuiltinOp.REDUCE_MAX, "ties", new int[] {6, 7}, new int[] {1}, false,
                SweepValues.ties(random, 42)));
        cases.add(SumSweepTest.reduce(BuiltinOp.REDUCE_MAX, "ties over two axes", new int[] {3, 4, 5}, new int[] {0, 2}, true,
                SweepValues.ties(random, 60)));
        // The models' pooling: [1, L, C] over axis 1.
        cases.add(SumSweepTest.reduce(BuiltinOp.REDUCE_MAX, "model pooling", new int[] {1, 2, 128}, new int[] {1}, false,
                SweepValues.wideRange(random, 256)));
        cases.add(SumSweepTest.reduce(BuiltinOp.REDUCE_MAX, "model pooling, one step", new int[] {1, 1, 64}, new int[] {1}, false,
                SweepValues.withSpecials(random, 64, 1f)));
        return cases;
    }

    @Test
    void bitExactAgainstTflite() {
        OpSweepAssert.assertBitExact("REDUCE_MAX", cases());
    }
}
