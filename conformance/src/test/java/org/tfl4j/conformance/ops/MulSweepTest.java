package org.tfl4j.conformance.ops;

import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.AddOptionsT;
import org.tensorflow.lite.schema.DivOptionsT;
import org.tensorflow.lite.schema.MulOptionsT;
import org.tensorflow.lite.schema.SubOptionsT;
import org.tfl4j.conformance.OpCase;
import org.tfl4j.models.TfliteWriter;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.TensorType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * MUL against TFLite, float32 and int32: equal shapes of every length class, numpy broadcasting (scalar either
 * side, row, column, rank 4 both ways, up to rank 6), every fused activation, and the values where float
 * multiplication is easy to get wrong: ±0 (x * 0 keeps the sign), subnormal operands and products (FTZ/DAZ),
 * overflow to ±inf (clamped to ±FLT_MAX), inf * 0 (NaN) and NaN meeting numbers; int32 wrap-around.
 */
class MulSweepTest {

    static final byte[] ACTIVATIONS = {ActivationFunctionType.NONE, ActivationFunctionType.RELU,
            ActivationFunctionType.RELU_N1_TO_1, ActivationFunctionType.RELU6};

    /** Pairs of broadcast-compatible shapes: {a, b}. */
    static final int[][][] BROADCASTS = {
            {{}, {7}}, {{5}, {}}, {{1}, {2, 3}}, {{2, 3}, {1}}, {{1, 1, 1}, {2, 3, 4}},
            {{4}, {3, 4}}, {{3, 4}, {1, 4}}, {{3, 1}, {3, 4}}, {{3, 4}, {3, 1}}, {{3, 1}, {1, 4}},
            {{1, 10, 16}, {1, 10, 1}}, {{1, 10, 1}, {1, 10, 16}},
            {{2, 1, 3, 1}, {1, 4, 1, 5}}, {{2, 3, 4, 5}, {2, 1, 4, 1}}, {{1, 3, 1, 5}, {2, 3, 4, 5}},
            {{2, 3, 4, 5}, {5}}, {{2, 3, 4, 5}, {4, 1}}, {{2, 1, 1, 5}, {1, 3, 4, 1}},
            {{2, 1, 2, 1, 3}, {1, 2, 1, 4, 1}}, {{2, 3, 1, 2, 1}, {3, 4, 2, 3}},
    };

    /** Rank-6 broadcasts, which TFLite's MUL accepts (DIV stops at rank 5). */
    static final int[][][] RANK_6 = {{{2, 1, 2, 1, 2, 3}, {1, 2, 1, 3, 2, 1}}, {{1, 2, 1, 2, 1, 2}, {2, 1, 3, 1, 2, 2}}};

    static List<OpCase> cases() {
        Random random = new Random(31);
        List<OpCase> cases = new ArrayList<>();
        addFloatCases(cases, random, BuiltinOp.MUL);
        for (int[][] shapes : RANK_6) {
            cases.add(floats(random, BuiltinOp.MUL, "rank 6 broadcast", shapes[0], shapes[1], ActivationFunctionType.NONE));
        }
        cases.add(binary(BuiltinOp.MUL, "x * +0 and x * -0", TensorType.FLOAT32, new int[] {8}, new int[] {8},
                new float[] {3f, -3f, 0f, -0f, Float.MAX_VALUE, -1e-30f, 1f, -1f},
                new float[] {0f, 0f, 0f, 0f, -0f, -0f, -0f, -0f}, ActivationFunctionType.NONE));
        cases.add(binary(BuiltinOp.MUL, "relu of -0", TensorType.FLOAT32, new int[] {6}, new int[] {6},
                new float[] {-3f, 3f, -0f, 0f, -1e-30f, 1e-30f}, new float[] {0f, -0f, 1f, -1f, 1e-30f, 1e-30f},
                ActivationFunctionType.RELU));
        cases.add(binary(BuiltinOp.MUL, "products around FLT_MIN", TensorType.FLOAT32, new int[] {8}, new int[] {8},
                new float[] {0x1p-63f, 0x1p-63f, 0x1.8p-63f, -0x1p-64f, 0x1.fffffep-64f, 0x1p-126f, 0x1p-100f, 0x1.000002p-63f},
                new float[] {0x1p-63f, 0x1p-64f, 0x1.555556p-64f, 0x1p-62f, 0x1p-62f, 0.999f, 0x1p-27f, 0x1.fffffcp-64f},
                ActivationFunctionType.NONE));
        // int32: same shapes and broadcasts, activations (clamped to the int ranges), wrap-around products.
        for (int[][] shapes : BROADCASTS) {
            cases.add(ints(random, BuiltinOp.MUL, "int32 broadcast", shapes[0], shapes[1], ACTIVATIONS[random.nextInt(4)], 1000));
        }
        for (byte act : ACTIVATIONS) {
            for (int n : new int[] {1, 5, 16, 33}) {
                cases.add(ints(random, BuiltinOp.MUL, "int32", new int[] {n}, new int[] {n}, act, 10));
            }
        }
        cases.add(ints(random, BuiltinOp.MUL, "int32 wrapping", new int[] {40}, new int[] {40}, ActivationFunctionType.NONE,
                Integer.MAX_VALUE));
        int[] extremes = SweepValues.SPECIAL_INTS;
        int[] a = new int[extremes.length * extremes.length], b = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = extremes[i / extremes.length];
            b[i] = extremes[i % extremes.length];
        }
        cases.add(binary(BuiltinOp.MUL, "int32 extremes", TensorType.INT32, new int[] {a.length}, new int[] {b.length}, a, b,
                ActivationFunctionType.NONE));
        cases.add(binary(BuiltinOp.MUL, "int32 extremes relu6", TensorType.INT32, new int[] {a.length}, new int[] {b.length},
                a, b, ActivationFunctionType.RELU6));
        return cases;
    }

    /** The float32 cases MUL, DIV, ADD and SUB share: shapes, broadcasts, activations, specials. */
    static void addFloatCases(List<OpCase> cases, Random random, int op) {
        for (int n : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 67}) {
            cases.add(floats(random, op, "same shape", new int[] {n}, new int[] {n}, ActivationFunctionType.NONE));
        }
        cases.add(floats(random, op, "same shape rank 3", new int[] {2, 3, 4}, new int[] {2, 3, 4}, ActivationFunctionType.NONE));
        cases.add(floats(random, op, "same shape rank 4", new int[] {2, 3, 1, 5}, new int[] {2, 3, 1, 5}, ActivationFunctionType.NONE));
        for (int[][] shapes : BROADCASTS) {
            cases.add(floats(random, op, "broadcast", shapes[0], shapes[1], ActivationFunctionType.NONE));
        }
        for (byte act : ACTIVATIONS) {
            cases.add(floats(random, op, "activation", new int[] {24}, new int[] {24}, act));
            cases.add(floats(random, op, "activation scalar", new int[] {}, new int[] {2, 9}, act));
            cases.add(floats(random, op, "activation rank 4", new int[] {2, 1, 3, 4}, new int[] {1, 2, 3, 1}, act));
        }
        // Specials: every value of SPECIAL against every other (both orders of the operands), then random mixes.
        float[] special = SweepValues.SPECIAL;
        int n = special.length * special.length;
        float[] a = new float[n], b = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = special[i / special.length];
            b[i] = special[i % special.length];
        }
        for (byte act : ACTIVATIONS) {
            cases.add(binary(op, "special x special act " + act, TensorType.FLOAT32, new int[] {n}, new int[] {n}, a, b, act));
        }
        // Infinities and NaN against finite values and specials (never two different NaNs in one operation).
        float[] nonFinite = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        float[] others = concat(special, nonFinite);
        int m = nonFinite.length * others.length;
        float[] x = new float[2 * m], y = new float[2 * m];
        for (int i = 0; i < m; i++) {
            x[i] = nonFinite[i / others.length];
            y[i] = others[i % others.length];
            x[m + i] = y[i]; // and the other way round
            y[m + i] = x[i];
        }
        for (byte act : ACTIVATIONS) {
            cases.add(binary(op, "non-finite act " + act, TensorType.FLOAT32, new int[] {2 * m}, new int[] {2 * m}, x, y, act));
        }
        for (int i = 0; i < 8; i++) {
            int[][] shapes = BROADCASTS[random.nextInt(BROADCASTS.length)];
            float[] p = SweepValues.withSpecials(random, SweepValues.count(shapes[0]), 8f);
            float[] q = SweepValues.withSpecials(random, SweepValues.count(shapes[1]), 8f);
            cases.add(binary(op, "broadcast specials", TensorType.FLOAT32, shapes[0], shapes[1], p, q, ACTIVATIONS[i % 4]));
        }
        float[] subA = SweepValues.subnormals(random, 32), subB = SweepValues.uniform(random, 32, 1e10f);
        cases.add(binary(op, "subnormal first operand", TensorType.FLOAT32, new int[] {32}, new int[] {32}, subA, subB,
                ActivationFunctionType.NONE));
        cases.add(binary(op, "subnormal second operand", TensorType.FLOAT32, new int[] {32}, new int[] {32}, subB, subA,
                ActivationFunctionType.NONE));
        cases.add(binary(op, "subnormal scalar", TensorType.FLOAT32, new int[] {}, new int[] {5},
                new float[] {-Float.MIN_VALUE}, SweepValues.uniform(random, 5, 1e30f), ActivationFunctionType.NONE));
        cases.add(binary(op, "tiny operands", TensorType.FLOAT32, new int[] {32}, new int[] {32},
                SweepValues.uniform(random, 32, 1e-19f), SweepValues.uniform(random, 32, 1e-19f), ActivationFunctionType.NONE));
        cases.add(binary(op, "huge operands", TensorType.FLOAT32, new int[] {32}, new int[] {32},
                SweepValues.uniform(random, 32, 1e30f), SweepValues.uniform(random, 32, 1e30f), ActivationFunctionType.NONE));
        cases.add(constantSecondOperand(random, op));
    }

    static OpCase floats(Random random, int op, String name, int[] aShape, int[] bShape, byte activation) {
        return binary(op, name, TensorType.FLOAT32, aShape, bShape, SweepValues.wideRange(random, SweepValues.count(aShape)),
                SweepValues.wideRange(random, SweepValues.count(bShape)), activation);
    }

    /** int32 operands in [-bound, bound) with some of {@link SweepValues#SPECIAL_INTS}; no zero divisors for DIV. */
    static OpCase ints(Random random, int op, String name, int[] aShape, int[] bShape, byte activation, int bound) {
        int[] a = intValues(random, SweepValues.count(aShape), bound);
        int[] b = intValues(random, SweepValues.count(bShape), bound);
        if (op == BuiltinOp.DIV) for (int i = 0; i < b.length; i++) if (b[i] == 0) b[i] = 1 + random.nextInt(7);
        return binary(op, name, TensorType.INT32, aShape, bShape, a, b, activation);
    }

    private static int[] intValues(Random random, int n, int bound) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextInt(6) == 0 ? SweepValues.SPECIAL_INTS[random.nextInt(SweepValues.SPECIAL_INTS.length)]
                    : (int) (random.nextLong() % bound);
        }
        return v;
    }

    /** MUL, DIV, ADD or SUB of two runtime tensors. */
    static OpCase binary(int op, String name, TensorType type, int[] aShape, int[] bShape, Object a, Object b, byte activation) {
        TfliteWriter writer = new TfliteWriter();
        TfliteWriter.Graph g = writer.graph("main");
        int x = g.tensor("a", type, aShape);
        int y = g.tensor("b", type, bShape);
        int out = g.tensor("out", type, SweepValues.broadcastShape(aShape, bShape));
        g.op(op, options(op, activation), new int[] {x, y}, new int[] {out});
        g.inputs(x, y).outputs(out);
        return new OpCase(name + " " + Arrays.toString(aShape) + " " + Arrays.toString(bShape) + " act " + activation,
                writer.toBytes(), new Object[] {a, b});
    }

    private static OpCase constantSecondOperand(Random random, int op) {
        TfliteWriter writer = new TfliteWriter();
        TfliteWriter.Graph g = writer.graph("main");
        int x = g.tensor("a", TensorType.FLOAT32, 3, 4);
        int y = g.constant("b", new int[] {4}, SweepValues.wideRange(random, 4));
        int out = g.tensor("out", TensorType.FLOAT32, 3, 4);
        g.op(op, options(op, ActivationFunctionType.NONE), new int[] {x, y}, new int[] {out});
        g.inputs(x).outputs(out);
        return new OpCase("constant second operand [3, 4] [4]", writer.toBytes(), new Object[] {SweepValues.wideRange(random, 12)});
    }

    private static Object options(int op, byte activation) {
        if (op == BuiltinOp.ADD) {
            AddOptionsT o = new AddOptionsT();
            o.setFusedActivationFunction(activation);
            return o;
        }
        if (op == BuiltinOp.SUB) {
            SubOptionsT o = new SubOptionsT();
            o.setFusedActivationFunction(activation);
            return o;
        }
        if (op == BuiltinOp.DIV) {
            DivOptionsT o = new DivOptionsT();
            o.setFusedActivationFunction(activation);
            return o;
        }
        MulOptionsT o = new MulOptionsT();
        o.setFusedActivationFunction(activation);
        return o;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void bitExactAgainstTflite() {
        OpSweepAssert.assertBitExact("MUL", cases());
    }
}
