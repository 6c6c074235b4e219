package org.tfl4j.engine.ops;

import org.junit.jupiter.api.Test;
import org.tfl4j.engine.InvalidModelException;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.TensorType;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tfl4j.engine.ops.OpHarness.bits;

/**
 * SUM and REDUCE_MAX through prepare and bind, against an oracle that walks the input in memory
 * order and folds each element into its output (the first one copied), which is TFLite's order.
 */
class ReductionOpsTest {
    private static float ftz(float v) {
        return Math.abs(v) < Float.MIN_NORMAL ? Math.copySign(0f, v) : v;
    }

    /** Expected output: {@code sum} or max over {@code reduced} dimensions, row-major fold, first element copied. */
    private static float[] oracle(float[] x, int[] shape, boolean[] reduced, boolean sum) {
        int outCount = 1;
        for (int d = 0; d < shape.length; d++) if (!reduced[d]) outCount *= shape[d];
        float[] out = new float[outCount];
        boolean[] started = new boolean[outCount];
        for (int p = 0; p < x.length; p++) {
            int[] index = OpHarness.unravel(p, shape);
            int o = 0;
            for (int d = 0; d < shape.length; d++) if (!reduced[d]) o = o * shape[d] + index[d];
            if (!started[o]) {
                out[o] = x[p];
                started[o] = true;
            } else if (sum) {
                out[o] = ftz(ftz(out[o]) + ftz(x[p]));
            } else {
                float current = ftz(out[o]), v = ftz(x[p]);
                out[o] = current > v ? current : v;
            }
        }
        for (int o = 0; o < outCount; o++) if (!started[o]) out[o] = sum ? 0f : -Float.MAX_VALUE;
        return out;
    }

    @Test
    void randomAxesAgainstTheOracle() {
        Random rnd = new Random(5);
        float[] pool = {0f, -0f, 1e-40f, -1e-40f, 1e8f, -1e8f, 1f, Float.POSITIVE_INFINITY};
        for (int trial = 0; trial < 500; trial++) {
            int rank = 1 + rnd.nextInt(4);
            int[] shape = new int[rank];
            for (int d = 0; d < rank; d++) shape[d] = 1 + rnd.nextInt(4);
            if (rnd.nextInt(15) == 0) shape[rnd.nextInt(rank)] = 0;
            int[] axes = new int[rnd.nextInt(rank + 2)];
            boolean[] reduced = new boolean[rank];
            for (int i = 0; i < axes.length; i++) {
                int a = rnd.nextInt(rank);
                reduced[a] = true;
                axes[i] = rnd.nextBoolean() ? a : a - rank; // negative axes, and repeats
            }
            boolean keepDims = rnd.nextBoolean();
            boolean sum = rnd.nextBoolean();
            float[] x = new float[OpHarness.count(shape)];
            for (int i = 0; i < x.length; i++) x[i] = rnd.nextInt(3) == 0 ? pool[rnd.nextInt(pool.length)] : (float) rnd.nextGaussian();
            int[] outShape = keepDims ? shape.clone() : new int[rank - count(reduced)];
            for (int d = 0, k = 0; d < rank; d++) {
                if (keepDims) { if (reduced[d]) outShape[d] = 1; } else if (!reduced[d]) outShape[k++] = shape[d];
            }
            OpHarness h = new OpHarness();
            int in = h.input(TensorType.FLOAT32, shape, x);
            int ax = h.constant(TensorType.INT32, axes.length == 1 && rnd.nextBoolean() ? new int[] {} : new int[] {axes.length}, axes);
            int out = h.output(TensorType.FLOAT32, outShape);
            h.node(sum ? BuiltinOp.SUM : BuiltinOp.REDUCE_MAX, new OpOptions.Reducer(keepDims), new int[] {in, ax}, out).run();
            float[] expected = oracle(x, shape, reduced, sum);
            float[] y = h.floats(out);
            String what = (sum ? "SUM " : "REDUCE_MAX ") + Arrays.toString(shape) + " axes " + Arrays.toString(axes) + " keep " + keepDims;
            assertEquals(expected.length, y.length, what);
            for (int o = 0; o < y.length; o++) {
                if (Float.isNaN(expected[o])) assertTrue(Float.isNaN(y[o]), what + " output " + o);
                else assertEquals(Float.floatToRawIntBits(expected[o]), Float.floatToRawIntBits(y[o]),
                        what + " output " + o + ": expected " + bits(expected[o]) + " got " + bits(y[o]));
            }
            assertTrue(h.paddingIntact(), what);
        }
    }

    private static int count(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) if (f) n++;
        return n;
    }

    @Test
    void bowModelSums() {
        // SUM([1,3,2], axis 1): columns over time; an all-padding column of -0.0 stays -0.0.
        OpHarness h = new OpHarness();
        int in = h.input(TensorType.FLOAT32, new int[] {1, 3, 2}, new float[] {-0f, 1f, -0f, 2f, -0f, 3f});
        int axis = h.constant(TensorType.INT32, new int[] {}, new int[] {1});
        int out = h.output(TensorType.FLOAT32, 1, 2);
        h.node(BuiltinOp.SUM, new OpOptions.Reducer(false), new int[] {in, axis}, out).run();
        float[] y = h.floats(out);
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(y[0]));
        assertEquals(6f, y[1]);
    }

    @Test
    void int32Reductions() {
        OpHarness h = new OpHarness();
        int in = h.input(TensorType.INT32, new int[] {2, 3}, new int[] {1, 5, -2, 7, 7, 0});
        int axis = h.constant(TensorType.INT32, new int[] {1}, new int[] {-1});
        int sum = h.output(TensorType.INT32, 2, 1);
        int max = h.output(TensorType.INT32, 2);
        h.node(BuiltinOp.SUM, new OpOptions.Reducer(true), new int[] {in, axis}, sum).run();
        h.node(BuiltinOp.REDUCE_MAX, new OpOptions.Reducer(false), new int[] {in, axis}, max).run();
        assertArrayEquals(new int[] {4, 14}, h.ints(sum));
        assertArrayEquals(new int[] {5, 7}, h.ints(max));
    }

    @Test
    void refusesBadAxes() {
        OpHarness h = new OpHarness();
        int in = h.input(TensorType.FLOAT32, new int[] {2, 3}, new float[6]);
        int tooBig = h.constant(TensorType.INT32, new int[] {1}, new int[] {2});
        int tooSmall = h.constant(TensorType.INT32, new int[] {1}, new int[] {-3});
        int dynamic = h.input(TensorType.INT32, new int[] {1}, new int[] {0});
        int out = h.output(TensorType.FLOAT32, 2);
        OpOptions o = new OpOptions.Reducer(false);
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> h.prepare(BuiltinOp.SUM, o, new int[] {in, tooBig}, out));
        assertTrue(e.getMessage().contains("axis 2"), e.getMessage());
        assertThrows(InvalidModelException.class, () -> h.prepare(BuiltinOp.REDUCE_MAX, o, new int[] {in, tooSmall}, out));
        assertThrows(InvalidModelException.class, () -> h.prepare(BuiltinOp.SUM, o, new int[] {in, dynamic}, out));
    }
}
