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
 * DIV against TFLite, float32 and int32: the shapes, broadcasts (up to rank 5, TFLite's limit for DIV),
 * activations and specials of {@link MulSweepTest}, plus division by ±0 (±inf, clamped to ±FLT_MAX), 0/0 and
 * inf/inf (NaN), quotients that underflow (FTZ) or overflow; int32 quotients truncated toward zero with
 * negative operands. Not swept: an int32 divisor of 0 (TFLite fails the invocation, tfl4j too) and
 * {@code INT_MIN / -1} (a hardware trap in TFLite's C++).
 */
class DivSweepTest {

    static List<OpCase> cases() {
        Random random = new Random(37);
        List<OpCase> cases = new ArrayList<>();
        MulSweepTest.addFloatCases(cases, random, BuiltinOp.DIV);
        cases.add(MulSweepTest.binary(BuiltinOp.DIV, "division by signed zeros", TensorType.FLOAT32, new int[] {10}, new int[] {10},
                new float[] {1f, -1f, 1f, -1f, 0f, -0f, 0f, Float.MAX_VALUE, Float.MIN_VALUE, 1e-30f},
                new float[] {0f, 0f, -0f, -0f, 0f, 0f, -0f, 0f, 0f, -Float.MIN_VALUE}, ActivationFunctionType.NONE));
        cases.add(MulSweepTest.binary(BuiltinOp.DIV, "division by zero relu", TensorType.FLOAT32, new int[] {6}, new int[] {6},
                new float[] {1f, -1f, 1f, -1f, 0f, -0f}, new float[] {0f, 0f, -0f, -0f, -1f, 1f}, ActivationFunctionType.RELU));
        cases.add(MulSweepTest.binary(BuiltinOp.DIV, "quotients around FLT_MIN", TensorType.FLOAT32, new int[] {8}, new int[] {8},
                new float[] {0x1p-100f, 0x1p-100f, 0x1.8p-100f, -0x1p-120f, 0x1.fffffep-127f * 2, 0x1p-126f, 1f, 0x1p-126f},
                new float[] {0x1p26f, 0x1p27f, 0x1p26f, 0x1p6f, 2f, 1.0000001f, 0x1p127f, 0.99999994f},
                ActivationFunctionType.NONE));
        cases.add(MulSweepTest.binary(BuiltinOp.DIV, "overflowing quotients", TensorType.FLOAT32, new int[] {4}, new int[] {4},
                new float[] {3e38f, -3e38f, 1e30f, 1f}, new float[] {0.5f, 0.1f, -1e-10f, 1e-39f}, ActivationFunctionType.NONE));
        // int32: truncation toward zero for every sign combination, broadcasts, activations.
        cases.add(MulSweepTest.binary(BuiltinOp.DIV, "int32 truncation", TensorType.INT32, new int[] {12}, new int[] {12},
                new int[] {7, -7, 7, -7, 1, -1, 0, 6, -6, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE + 1},
                new int[] {2, 2, -2, -2, 3, 3, -5, 3, -3, -1, 2, -1}, ActivationFunctionType.NONE));
        for (int[][] shapes : MulSweepTest.BROADCASTS) {
            cases.add(intDiv(random, "int32 broadcast", shapes[0], shapes[1], MulSweepTest.ACTIVATIONS[random.nextInt(4)]));
        }
        for (byte act : MulSweepTest.ACTIVATIONS) {
            for (int n : new int[] {1, 5, 16, 33}) cases.add(intDiv(random, "int32", new int[] {n}, new int[] {n}, act));
        }
        return cases;
    }

    /** int32 DIV with no zero divisor and no INT_MIN dividend (so never INT_MIN / -1). */
    private static OpCase intDiv(Random random, String name, int[] aShape, int[] bShape, byte activation) {
        OpCase c = MulSweepTest.ints(random, BuiltinOp.DIV, name, aShape, bShape, activation, 100_000);
        int[] dividend = (int[]) c.inputs()[0];
        for (int i = 0; i < dividend.length; i++) if (dividend[i] == Integer.MIN_VALUE) dividend[i] = Integer.MIN_VALUE + 1;
        int[] divisor = (int[]) c.inputs()[1];
        for (int i = 0; i < divisor.length; i++) if (random.nextInt(3) == 0) divisor[i] = random.nextInt(19) - 9 | 1;
        return c;
    }

    @Test
    void bitExactAgainstTflite() {
        OpSweepAssert.assertBitExact("DIV", cases());
    }
}
