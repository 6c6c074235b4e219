package org.tfl4j.conformance.ops;

import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tfl4j.conformance.OpCase;
import org.tfl4j.models.TfliteWriter;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.TensorType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * FULLY_CONNECTED against TFLite: Eigen's GEMV order (one input row) over depths with odd tails up to 400,
 * the GEMM micro-kernel's orders (several rows: 8/4/1-row register blocks, 4-column blocks, the lazy
 * coefficient product for tiny sizes), with and without bias, keep_num_dims, every fused activation, and
 * subnormals (FTZ/DAZ), signed zeros, huge values, infinities and NaN. Values span 2^-8..2^8 so that a
 * different summation order changes bits. Includes the models' label-table product (1 x 32 by 3953 x 32).
 */
class FullyConnectedSweepTest {

    private static final byte[] ACTIVATIONS = {ActivationFunctionType.NONE, ActivationFunctionType.RELU,
            ActivationFunctionType.RELU_N1_TO_1, ActivationFunctionType.RELU6};

    static List<OpCase> cases() {
        Random random = new Random(9);
        List<OpCase> cases = new ArrayList<>();
        // GEMV (one row): every depth class of dot4 (body, 1..3 tail) and lengths past the models' 256.
        for (int depth : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128,
                129, 255, 256, 257, 300, 383, 400}) {
            cases.add(wide(random, "gemv depth " + depth, new int[] {1, depth}, 7, true, ActivationFunctionType.NONE, false));
        }
        // A single output (one unit, one row): Eigen's inner product (four packet accumulators), not the GEMV.
        for (int depth : new int[] {1, 3, 4, 7, 8, 12, 15, 16, 19, 24, 31, 32, 33, 47, 64, 65, 101, 128, 255, 400}) {
            cases.add(wide(random, "single output depth " + depth, new int[] {1, depth}, 1, random.nextBoolean(),
                    ActivationFunctionType.NONE, false));
        }
        // GEMV depths past Eigen's GEMM depth blocking (which the GEMV does not have).
        cases.add(wide(random, "gemv depth 1000", new int[] {1, 1000}, 5, true, ActivationFunctionType.NONE, false));
        cases.add(wide(random, "single output depth 2000", new int[] {1, 2000}, 1, false, ActivationFunctionType.NONE, false));
        for (int units : new int[] {1, 2, 3, 4, 5, 8, 9, 13, 16, 17, 32, 33, 64, 100}) {
            cases.add(wide(random, "gemv units " + units, new int[] {1, 19}, units, random.nextBoolean(),
                    ActivationFunctionType.NONE, false));
        }
        // GEMM (several rows): row blocks of 8/4/1 by units, column blocks of 4 by rows, tiny (coefficient-based) sizes.
        int[] rowsSet = {2, 3, 4, 5, 7, 8, 9, 12, 13, 16, 17};
        int[] unitsSet = {1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 16, 17, 24, 31};
        int[] depthSet = {1, 2, 3, 5, 8, 9, 13, 16, 17, 33, 64, 67, 130, 256, 400};
        for (int rows : rowsSet) {
            for (int units : unitsSet) {
                int depth = depthSet[random.nextInt(depthSet.length)];
                cases.add(wide(random, "gemm rows " + rows + " units " + units + " depth " + depth,
                        new int[] {rows, depth}, units, random.nextBoolean(), ActivationFunctionType.NONE, false));
            }
        }
        for (int depth : depthSet) {
            cases.add(wide(random, "gemm 6x" + depth + " units 11", new int[] {6, depth}, 11, true, ActivationFunctionType.NONE, false));
            cases.add(wide(random, "gemm 20x" + depth + " units 9", new int[] {20, depth}, 9, false, ActivationFunctionType.NONE, false));
        }
        // Around Eigen's coefficient-based threshold (depth + rows + units < 20).
        for (int depth = 1; depth <= 12; depth++) {
            cases.add(wide(random, "small depth " + depth + " 3 rows 4 units", new int[] {3, depth}, 4, true,
                    ActivationFunctionType.NONE, false));
            cases.add(wide(random, "small depth " + depth + " 2 rows 17 units", new int[] {2, depth}, 17 - depth, false,
                    ActivationFunctionType.NONE, false));
        }
        // Activations, bias, rows 1 and several, values centred on zero so the clamps bite.
        for (byte act : ACTIVATIONS) {
            for (int rows : new int[] {1, 3, 9}) {
                for (boolean bias : new boolean[] {false, true}) {
                    int depth = 5 + random.nextInt(40), units = 1 + random.nextInt(20);
                    cases.add(fc("activation " + act + " rows " + rows + " bias " + bias, new int[] {rows, depth},
                            SweepValues.uniform(random, rows * depth, 1f), SweepValues.uniform(random, units * depth, 1f),
                            units, bias ? SweepValues.uniform(random, units, 1f) : null, act, false));
                }
            }
        }
        // keep_num_dims and inputs of rank > 2 (read as rows of the weights' depth).
        cases.add(wide(random, "rank 3 keep_num_dims", new int[] {2, 3, 10}, 6, true, ActivationFunctionType.RELU, true));
        cases.add(wide(random, "rank 3 flattened", new int[] {2, 3, 10}, 6, true, ActivationFunctionType.RELU, false));
        cases.add(wide(random, "rank 4 keep_num_dims", new int[] {2, 1, 3, 7}, 5, false, ActivationFunctionType.NONE, true));
        cases.add(wide(random, "rank 4 flattened", new int[] {1, 2, 2, 6}, 9, true, ActivationFunctionType.NONE, false));
        cases.add(wide(random, "[2, 12] as rows of 4", new int[] {2, 12}, 4, 3, true, ActivationFunctionType.NONE, false));
        cases.add(wide(random, "rank 1 input", new int[] {24}, 4, 5, true, ActivationFunctionType.NONE, false));
        cases.add(wide(random, "rank 3 batch 1 keep_num_dims", new int[] {1, 1, 32}, 16, true, ActivationFunctionType.RELU, true));
        // Specials: ±0, subnormals (read as zeros, products flushed), huge values overflowing to ±inf (then
        // clamped to ±FLT_MAX, or NaN from inf - inf). NaN and infinities are kept apart: two different NaNs
        // meeting is a known, unmodelled payload choice.
        for (int rows : new int[] {1, 2, 5, 9}) {
            for (byte act : ACTIVATIONS) {
                int depth = 3 + random.nextInt(30), units = 1 + random.nextInt(12);
                cases.add(fc("specials rows " + rows + " act " + act, new int[] {rows, depth},
                        SweepValues.withSpecials(random, rows * depth, 4f), SweepValues.withSpecials(random, units * depth, 2f),
                        units, SweepValues.withSpecials(random, units, 1f), act, false));
            }
        }
        for (int rows : new int[] {1, 3, 8}) {
            int depth = 24, units = 9;
            cases.add(fc("subnormal inputs rows " + rows, new int[] {rows, depth}, SweepValues.subnormals(random, rows * depth),
                    SweepValues.uniform(random, units * depth, 1e30f), units, null, ActivationFunctionType.NONE, false));
            cases.add(fc("subnormal weights rows " + rows, new int[] {rows, depth}, SweepValues.uniform(random, rows * depth, 1e30f),
                    SweepValues.subnormals(random, units * depth), units, SweepValues.subnormals(random, units),
                    ActivationFunctionType.NONE, false));
            cases.add(fc("underflowing products rows " + rows, new int[] {rows, depth}, tiny(random, rows * depth),
                    tiny(random, units * depth), units, null, ActivationFunctionType.NONE, false));
            cases.add(fc("cancelling to subnormal sums rows " + rows, new int[] {rows, depth}, cancelling(random, rows * depth),
                    SweepValues.uniform(random, units * depth, 1f), units, tiny(random, units), ActivationFunctionType.NONE, false));
            cases.add(fc("signed zeros rows " + rows, new int[] {rows, depth}, zeros(random, rows * depth),
                    SweepValues.uniform(random, units * depth, 1f), units, zeros(random, units), ActivationFunctionType.NONE, false));
            cases.add(fc("signed zeros relu rows " + rows, new int[] {rows, depth}, zeros(random, rows * depth),
                    SweepValues.uniform(random, units * depth, 1f), units, zeros(random, units), ActivationFunctionType.RELU, false));
            cases.add(fc("overflow rows " + rows, new int[] {rows, depth}, SweepValues.uniform(random, rows * depth, 3e38f),
                    SweepValues.uniform(random, units * depth, 4f), units, null, ActivationFunctionType.NONE, false));
            cases.add(fc("infinities rows " + rows, new int[] {rows, depth}, sprinkle(random, SweepValues.uniform(random, rows * depth, 4f),
                    Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY), SweepValues.uniform(random, units * depth, 1f), units,
                    SweepValues.uniform(random, units, 1f), ActivationFunctionType.NONE, false));
            cases.add(fc("NaN input rows " + rows, new int[] {rows, depth}, sprinkle(random, SweepValues.uniform(random, rows * depth, 4f),
                    Float.NaN), SweepValues.uniform(random, units * depth, 1f), units, SweepValues.uniform(random, units, 1f),
                    ActivationFunctionType.RELU, false));
        }
        for (byte act : new byte[] {ActivationFunctionType.NONE, ActivationFunctionType.RELU6}) {
            for (int rows : new int[] {1, 4}) {
                cases.add(fc("NaN input, no bias, act " + act + " rows " + rows, new int[] {rows, 10},
                        sprinkle(random, SweepValues.uniform(random, rows * 10, 4f), Float.NaN), SweepValues.uniform(random, 60, 1f),
                        6, null, act, false));
            }
        }
        cases.add(fc("NaN single output", new int[] {1, 13}, sprinkle(random, SweepValues.uniform(random, 13, 4f), Float.NaN),
                SweepValues.uniform(random, 13, 1f), 1, null, ActivationFunctionType.NONE, false));
        cases.add(fc("subnormal single output", new int[] {1, 21}, SweepValues.subnormals(random, 21),
                SweepValues.uniform(random, 21, 1e30f), 1, SweepValues.subnormals(random, 1), ActivationFunctionType.NONE, false));
        cases.add(fc("underflowing single output", new int[] {1, 37}, tiny(random, 37), tiny(random, 37), 1, null,
                ActivationFunctionType.NONE, false));
        // The models' label-table product: a 32-float context against 3953 label embeddings, no bias.
        cases.add(wide(random, "label table 1x32 by 3953x32", new int[] {1, 32}, 3953, false, ActivationFunctionType.NONE, false));
        // Weights fed as a runtime input instead of a constant.
        cases.add(runtimeWeights(random, 1, 37, 6));
        cases.add(runtimeWeights(random, 7, 37, 13));
        return cases;
    }

    /** Wide-range random input, weights and bias. */
    static OpCase wide(Random random, String name, int[] inputShape, int units, boolean bias, byte activation, boolean keepNumDims) {
        return wide(random, name, inputShape, inputShape[inputShape.length - 1], units, bias, activation, keepNumDims);
    }

    /** Like the above with weights of depth {@code depth}, the input read as rows of that many values. */
    static OpCase wide(Random random, String name, int[] inputShape, int depth, int units, boolean bias, byte activation,
                       boolean keepNumDims) {
        int n = SweepValues.count(inputShape);
        return fc(name, inputShape, SweepValues.wideRange(random, n), SweepValues.wideRange(random, units * depth), units,
                bias ? SweepValues.wideRange(random, units) : null, activation, keepNumDims);
    }

    /** An FC with constant weights {@code [units, w.length / units]} and optional constant bias. */
    static OpCase fc(String name, int[] inputShape, float[] x, float[] w, int units, float[] bias, byte activation,
                     boolean keepNumDims) {
        int depth = w.length / units;
        TfliteWriter writer = new TfliteWriter();
        TfliteWriter.Graph g = writer.graph("main");
        int in = g.tensor("x", TensorType.FLOAT32, inputShape);
        int weights = g.constant("w", new int[] {units, depth}, w);
        int b = bias == null ? -1 : g.constant("b", new int[] {units}, bias);
        int[] outShape;
        if (keepNumDims) {
            outShape = inputShape.clone();
            outShape[outShape.length - 1] = units;
        } else {
            outShape = new int[] {SweepValues.count(inputShape) / depth, units};
        }
        int out = g.tensor("y", TensorType.FLOAT32, outShape);
        FullyConnectedOptionsT options = new FullyConnectedOptionsT();
        options.setFusedActivationFunction(activation);
        options.setKeepNumDims(keepNumDims);
        g.op(BuiltinOp.FULLY_CONNECTED, options, new int[] {in, weights, b}, new int[] {out});
        g.inputs(in).outputs(out);
        return new OpCase(name + " " + Arrays.toString(inputShape) + " x [" + units + ", " + depth + "]",
                writer.toBytes(), new Object[] {x});
    }

    private static OpCase runtimeWeights(Random random, int rows, int depth, int units) {
        TfliteWriter writer = new TfliteWriter();
        TfliteWriter.Graph g = writer.graph("main");
        int in = g.tensor("x", TensorType.FLOAT32, rows, depth);
        int weights = g.tensor("w", TensorType.FLOAT32, units, depth);
        int b = g.constant("b", new int[] {units}, SweepValues.wideRange(random, units));
        int out = g.tensor("y", TensorType.FLOAT32, rows, units);
        FullyConnectedOptionsT options = new FullyConnectedOptionsT();
        g.op(BuiltinOp.FULLY_CONNECTED, options, new int[] {in, weights, b}, new int[] {out});
        g.inputs(in, weights).outputs(out);
        return new OpCase("runtime weights [" + rows + ", " + depth + "] x [" + units + ", " + depth + "]", writer.toBytes(),
                new Object[] {SweepValues.wideRange(random, rows * depth), SweepValues.wideRange(random, units * depth)});
    }

    /** Normal values near 2^-70: their products are subnormal (flushed to zero in TFLite). */
    private static float[] tiny(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (random.nextBoolean() ? 1 : -1) * Math.scalb(1f + random.nextFloat(), -60 - random.nextInt(20));
        return v;
    }

    /** Pairs ±a of normal values near FLT_MIN, so that partial sums cancel into the subnormal range. */
    private static float[] cancelling(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.scalb(1f + random.nextInt(1 << 10) / 1024f, -125 + random.nextInt(3));
            if (random.nextBoolean()) v[i] = -v[i];
        }
        return v;
    }

    /** Only +0 and -0. */
    private static float[] zeros(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = random.nextBoolean() ? 0f : -0f;
        return v;
    }

    /** Replaces about one value in eight by one of {@code specials}. */
    static float[] sprinkle(Random random, float[] v, float... specials) {
        for (int i = 0; i < v.length; i++) if (random.nextInt(8) == 0) v[i] = specials[random.nextInt(specials.length)];
        return v;
    }

    @Test
    void bitExactAgainstTflite() {
        OpSweepAssert.assertBitExact("FULLY_CONNECTED", cases());
    }
}
