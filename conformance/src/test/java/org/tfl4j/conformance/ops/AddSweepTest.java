package org.tfl4j.conformance.ops;

import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tfl4j.conformance.OpCase;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.TensorType;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * ADD against TFLite, float32 and int32: the shapes, broadcasts, activations and specials of
 * {@link MulSweepTest} (±0 sums keep IEEE signs, subnormal operands and results under FTZ/DAZ, overflow to
 * ±inf clamped to ±FLT_MAX, inf + inf, NaN), the scalar-first broadcast of a GRU's {@code 1 - z}, sums that
 * cancel exactly, rank-6 broadcasts; int32 broadcasts, activations and wrap-around. {@link SubSweepTest} runs
 * the same cases for SUB.
 */
class AddSweepTest {

    static List<OpCase> cases() {
        return cases(BuiltinOp.ADD, 43);
    }

    /** The cases for ADD or SUB (the same shapes and specials; {@code seed} draws the values). */
    static List<OpCase> cases(int op, long seed) {
        Random random = new Random(seed);
        List<OpCase> cases = new ArrayList<>();
        MulSweepTest.addFloatCases(cases, random, op);
        for (int[][] shapes : MulSweepTest.RANK_6) {
            cases.add(MulSweepTest.floats(random, op, "rank 6 broadcast", shapes[0], shapes[1],
                    ActivationFunctionType.NONE));
        }
        cases.add(MulSweepTest.binary(op, "scalar 1 with a [1, 13] gate", TensorType.FLOAT32, new int[] {},
                new int[] {1, 13}, new float[] {1f}, new float[] {0f, -0f, 1f, 0.5f, 1e-8f, 0.99999994f, 0x1p-126f,
                        Float.MIN_VALUE, 0.25f, 0.75f, 1.0000001f, 3f, 0.1f}, ActivationFunctionType.NONE));
        cases.add(MulSweepTest.binary(op, "exact cancellation and signed zeros", TensorType.FLOAT32,
                new int[] {8}, new int[] {8}, new float[] {1f, -1f, 0f, -0f, 0f, -0f, 3e38f, -3e38f},
                new float[] {1f, -1f, 0f, -0f, -0f, 0f, 3e38f, -3e38f}, ActivationFunctionType.NONE));
        cases.add(MulSweepTest.binary(op, "results around FLT_MIN", TensorType.FLOAT32, new int[] {8},
                new int[] {8}, new float[] {0x1.000002p-126f, 0x1p-125f, -0x1p-125f, 0x1.8p-126f, 0x1p-126f, 0x1p-126f,
                        0x1.fffffcp-126f, 0x1p-124f},
                new float[] {0x1p-126f, 0x1.fffffep-126f, -0x1p-126f, -0x1p-126f, 0x1p-126f, -0x1p-126f, 0x1p-149f,
                        -0x1.8p-124f}, ActivationFunctionType.NONE));
        for (int[][] shapes : MulSweepTest.BROADCASTS) {
            cases.add(MulSweepTest.ints(random, op, "int32 broadcast", shapes[0], shapes[1],
                    MulSweepTest.ACTIVATIONS[random.nextInt(4)], 1000));
        }
        for (byte act : MulSweepTest.ACTIVATIONS) {
            for (int n : new int[] {1, 5, 16, 33}) {
                cases.add(MulSweepTest.ints(random, op, "int32", new int[] {n}, new int[] {n}, act, 10));
            }
        }
        cases.add(MulSweepTest.ints(random, op, "int32 wrapping", new int[] {40}, new int[] {40},
                ActivationFunctionType.NONE, Integer.MAX_VALUE));
        int[] extremes = SweepValues.SPECIAL_INTS;
        int[] a = new int[extremes.length * extremes.length], b = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = extremes[i / extremes.length];
            b[i] = extremes[i % extremes.length];
        }
        cases.add(MulSweepTest.binary(op, "int32 extremes", TensorType.INT32, new int[] {a.length},
                new int[] {b.length}, a, b, ActivationFunctionType.NONE));
        cases.add(MulSweepTest.binary(op, "int32 counter + 1", TensorType.INT32, new int[] {},
                new int[] {}, new int[] {7}, new int[] {1}, ActivationFunctionType.NONE));
        return cases;
    }

    @Test
    void bitExactAgainstTflite() {
        OpSweepAssert.assertBitExact("ADD", cases());
    }
}
