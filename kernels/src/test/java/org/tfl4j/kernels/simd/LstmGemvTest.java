package org.tfl4j.kernels.simd;

import org.junit.jupiter.api.Test;
import org.tfl4j.kernels.Lstm;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link Lstm}'s one-row products on packed weights ({@link F32GemvDot4}) against the same LSTM with the scalar
 * products only (weights declared variable, never packed): output sequence and final state bit for bit, over
 * batch-major and time-major layouts, CIFG, peepholes, projection, layer norm, diagonal recurrent weights and cell
 * counts with odd tails; and the four gates' products fused into one GEMV each ({@link Lstm#fusesGateProducts}) the
 * same way, with every condition that sends a step or a whole LSTM back to the products gate by gate.
 */
class LstmGemvTest {

    private record Shape(int batches, int steps, int in, int cells, int out, boolean timeMajor, boolean cifg,
                         boolean peephole, boolean projection, boolean layerNorm, boolean diagonal) {
        @Override
        public String toString() {
            return "batches " + batches + " steps " + steps + " in " + in + " cells " + cells + " out " + out
                    + (timeMajor ? " time-major" : " batch-major") + (cifg ? " cifg" : "") + (peephole ? " peephole" : "")
                    + (projection ? " projection" : "") + (layerNorm ? " layer-norm" : "") + (diagonal ? " diagonal" : "");
        }
    }

    /**
     * How the data is drawn beyond the shape.
     *
     * @param weightScale      scale of every gate's weights (and the projection's)
     * @param tinyGate         a gate whose weights are scaled by 2^-110 (its products flush, the others' do not), or -1
     * @param zeroRows         some input rows all zeros (+0, -0 and subnormals: TFLite skips their input product)
     * @param subnormalInInput one subnormal in otherwise normal input rows (that step's input products flush)
     * @param h0Scale          scale of the initial output state (2^-130: subnormal, the first step's recurrent
     *                         products flush)
     */
    private record Data(float weightScale, int tinyGate, boolean zeroRows, boolean subnormalInInput, float h0Scale) {
        static Data weights(float weightScale) {
            return new Data(weightScale, -1, false, false, 1f);
        }

        @Override
        public String toString() {
            return "weights x" + weightScale + (tinyGate >= 0 ? " gate " + tinyGate + " tiny" : "")
                    + (zeroRows ? " zero rows" : "") + (subnormalInInput ? " subnormal input" : "") + " h0 x" + h0Scale;
        }
    }

    @Test
    void fusedGateProductsGiveTheScalarBits() {
        Random random = new Random(2024L);
        // Fused: all four gates plain, one row per step, more than one cell (projection and tails allowed).
        Shape[] fused = {
            new Shape(1, 10, 16, 16, 16, false, false, false, false, false, false), // MovieLens-like
            new Shape(2, 6, 7, 17, 17, false, false, false, false, false, false),   // tails in units and depth
            new Shape(1, 6, 3, 2, 2, false, false, false, false, false, false),     // two cells: 8 units
            new Shape(1, 6, 6, 13, 5, false, false, false, true, false, false),     // projection
            new Shape(1, 6, 9, 21, 21, true, false, false, false, false, false),    // time-major, one row per step
        };
        // Gate by gate throughout: CIFG, peephole, layer norm, diagonal, several rows, one cell.
        Shape[] perGate = {
            new Shape(1, 6, 7, 17, 17, false, true, false, false, false, false),
            new Shape(1, 6, 7, 17, 17, false, false, true, false, false, false),
            new Shape(1, 6, 7, 17, 17, false, false, false, false, true, false),
            new Shape(1, 6, 7, 17, 17, false, false, false, false, false, true),
            new Shape(3, 6, 7, 17, 17, true, false, false, false, false, false),
            new Shape(1, 6, 7, 1, 1, false, false, false, false, false, false),
        };
        // Per step: all-zero input rows stay fused (input product skipped); a flushing product sends the step back.
        Data[] data = {
            Data.weights(1f),
            new Data(1f, -1, true, false, 1f),
            new Data(1f, -1, false, true, 1f),
            new Data(1f, -1, false, false, 0x1p-130f),
            new Data(1f, 0, true, false, 1f),
            new Data(1f, 3, false, false, 1f),
        };
        for (Shape shape : fused) {
            for (Data d : data) assertEquals(true, check(random, shape, Lstm.Activation.TANH, d), shape + " fused");
            check(random, shape, Lstm.Activation.RELU, new Data(1f, -1, true, true, 1f));
        }
        for (Shape shape : perGate) {
            for (Data d : data) {
                if (shape.cifg() && d.tinyGate() == 0) continue; // no input gate
                assertEquals(false, check(random, shape, Lstm.Activation.TANH, d), shape + " gate by gate");
            }
        }
    }

    /**
     * A step whose cell-gate product must flush runs gate by gate, where the flush shows in the bits: cell j's
     * input row is {@code [2^-60, 2^-75, 0, 0]} against x = {@code [2^-60, 2^-60, 2^-60, 2^-60]}, so its sum is
     * 2^-120 (normal) plus a subnormal product 2^-135 that TFLite's FTZ drops; the gate stays that small (zero
     * bias, zero recurrent weights and state), i and o saturate at 1 (bias 20) and f = logistic(0) = 1/2, so after
     * the first step c = tanh(2^-120) = 2^-120 and after the second c = 2^-121 + 2^-120 = 1.5 * 2^-120 exactly,
     * where the non-flushing sums would add 2^-135 at each step.
     */
    @Test
    void aProductThatMustFlushRunsGateByGate() {
        int steps = 2, in = 4, cells = 8;
        Lstm.Config cfg = new Lstm.Config(1, steps, in, cells, cells, false, Lstm.Activation.TANH, 0f, 0f);
        float[][] w = new float[4][cells * in], r = new float[4][cells * cells], bias = new float[4][cells];
        for (int j = 0; j < cells; j++) {
            w[2][j * in] = 0x1p-60f;
            w[2][j * in + 1] = 0x1p-75f;
            bias[0][j] = 20f;
            bias[3][j] = 20f;
        }
        Lstm.Gate[] gates = new Lstm.Gate[4];
        for (int g = 0; g < 4; g++) gates[g] = new Lstm.Gate(w[g], 0, r[g], 0, null, 0, bias[g], 0);
        float[] x = new float[steps * in];
        Arrays.fill(x, 0x1p-60f);
        Shape s = new Shape(1, steps, in, cells, cells, false, false, false, false, false, false);
        float[] zeros = new float[cells];

        Lstm packed = new Lstm(cfg, gates[0], gates[1], gates[2], gates[3], null, Lstm.packWeights(cfg, w, r, null));
        assertEquals(true, packed.fusesGateProducts());
        float[][] expected = run(new Lstm(cfg, gates[0], gates[1], gates[2], gates[3], null, false), s, x, zeros, zeros);
        for (int j = 0; j < cells; j++) assertEquals(0x1.8p-120f, expected[2][j], "c[" + j + "], hand-computed");
        compare(expected, run(packed, s, x, zeros, zeros), "a product that must flush");
    }

    @Test
    void packedProductsGiveTheScalarBits() {
        Random random = new Random(99L);
        Shape[] shapes = {
            new Shape(1, 10, 16, 16, 16, false, false, false, false, false, false), // MovieLens-like
            new Shape(1, 5, 32, 64, 64, false, false, false, false, false, false),
            new Shape(2, 4, 7, 17, 17, false, false, false, false, false, false),
            new Shape(3, 3, 5, 9, 9, false, true, true, false, false, false),
            new Shape(1, 4, 6, 13, 5, false, false, true, true, false, false),
            new Shape(2, 3, 3, 11, 11, false, false, false, false, true, false),
            new Shape(1, 3, 4, 19, 19, false, false, false, false, false, true),
            new Shape(1, 4, 9, 21, 21, true, false, false, false, false, false),  // time-major, one row per step
            new Shape(3, 4, 9, 21, 21, true, false, false, false, false, false),  // time-major GEMMs: not packed
            new Shape(1, 3, 5, 1, 1, false, false, false, false, false, false),   // one cell: inner product
            new Shape(1, 3, 5, 3, 1, false, false, false, true, false, false),    // one projected output
            new Shape(2, 3, 1, 33, 33, false, false, false, false, false, false),
        };
        for (Shape shape : shapes) {
            for (Lstm.Activation activation : new Lstm.Activation[] {Lstm.Activation.TANH, Lstm.Activation.RELU}) {
                check(random, shape, activation, Data.weights(1f));
            }
            check(random, shape, Lstm.Activation.TANH, Data.weights(0x1p-110f)); // tiny weights: the flushing scalar path
        }
    }

    /** Compares the packed LSTMs with the scalar one; returns whether the packed ones fuse the gates' products. */
    private static boolean check(Random random, Shape s, Lstm.Activation activation, Data d) {
        float weightScale = d.weightScale();
        Lstm.Config cfg = new Lstm.Config(s.batches(), s.steps(), s.in(), s.cells(), s.out(), s.timeMajor(), activation,
                0f, 0f, s.diagonal());
        float[][] w = new float[4][], r = new float[4][], peep = new float[4][], bias = new float[4][], norm = new float[4][];
        for (int g = s.cifg() ? 1 : 0; g < 4; g++) {
            float gateScale = g == d.tinyGate() ? weightScale * 0x1p-110f : weightScale;
            w[g] = values(random, s.cells() * s.in(), gateScale);
            r[g] = values(random, s.diagonal() ? s.cells() : s.cells() * s.out(), gateScale);
            bias[g] = values(random, s.cells(), 1f);
            if (s.peephole() && g != 2) peep[g] = values(random, s.cells(), 1f);
            if (s.layerNorm()) norm[g] = values(random, s.cells(), 1f);
        }
        float[] proj = s.projection() ? values(random, s.out() * s.cells(), weightScale) : null;
        float[] projBias = s.projection() ? values(random, s.out(), 1f) : null;
        float[] x = values(random, s.batches() * s.steps() * s.in(), 4f);
        int rows = s.batches() * s.steps();
        for (int row = 0; row < rows; row++) {
            int at = row * s.in();
            if (d.zeroRows() && row % 3 == 1) {
                Arrays.fill(x, at, at + s.in(), 0f);
            } else if (d.zeroRows() && row % 3 == 2) {
                for (int k = 0; k < s.in(); k++) x[at + k] = k % 3 == 0 ? -0f : k % 3 == 1 ? 0x1p-140f : -0x1p-127f;
            } else if (d.subnormalInInput() && row % 2 == 0) {
                x[at + random.nextInt(s.in())] = -0x1p-129f;
            }
        }
        float[] h0 = values(random, s.batches() * s.out(), d.h0Scale());
        float[] c0 = values(random, s.batches() * s.cells(), 1f);

        Lstm.Gate[] gates = new Lstm.Gate[4];
        Lstm.Gate[] shiftedGates = new Lstm.Gate[4]; // the same values one element in, to exercise offsets
        for (int g = 0; g < 4; g++) {
            if (w[g] == null) continue;
            gates[g] = new Lstm.Gate(w[g], 0, r[g], 0, peep[g], 0, bias[g], 0, norm[g], 0);
            shiftedGates[g] = new Lstm.Gate(shifted(w[g]), 1, shifted(r[g]), 1, shifted(peep[g]), peep[g] == null ? 0 : 1,
                    shifted(bias[g]), 1, shifted(norm[g]), norm[g] == null ? 0 : 1);
        }
        Lstm.Projection projection = proj == null ? null : new Lstm.Projection(proj, 0, projBias, 0);
        Lstm.Projection shiftedProjection = proj == null ? null : new Lstm.Projection(shifted(proj), 1, shifted(projBias), 1);

        Lstm.PackedWeights packed = Lstm.packWeights(cfg, w, r, proj);
        if (s.timeMajor() && s.batches() > 1) assertNull(packed, s + ": time-major batches run GEMMs, nothing to pack");
        else assertNotNull(packed, s.toString());

        Lstm scalar = new Lstm(cfg, gates[0], gates[1], gates[2], gates[3], projection, false);
        Lstm selfPacked = new Lstm(cfg, shiftedGates[0], shiftedGates[1], shiftedGates[2], shiftedGates[3],
                shiftedProjection, true);
        Lstm sharedPacking = new Lstm(cfg, gates[0], gates[1], gates[2], gates[3], projection, packed);

        float[][] expected = run(scalar, s, x, h0, c0);
        String what = s + " " + activation + " " + d;
        compare(expected, run(selfPacked, s, x, h0, c0), what + ", packed in the constructor");
        compare(expected, run(sharedPacking, s, x, h0, c0), what + ", shared packing");
        // A second eval on the same instance continues from the state it left: must still agree.
        compare(run(scalar, s, x, expected[1], expected[2]), run(sharedPacking, s, x, expected[1], expected[2]),
                what + ", second sequence");
        assertEquals(sharedPacking.fusesGateProducts(), selfPacked.fusesGateProducts(), what);
        assertEquals(false, scalar.fusesGateProducts(), what + ": nothing packed");
        return sharedPacking.fusesGateProducts();
    }

    /** {y, h, c} after one sequence from the state {h0, c0}. */
    private static float[][] run(Lstm lstm, Shape s, float[] x, float[] h0, float[] c0) {
        float[] h = h0.clone(), c = c0.clone();
        float[] y = new float[s.batches() * s.steps() * s.out()];
        lstm.eval(x, 0, h, 0, c, 0, y, 0);
        return new float[][] {y, h, c};
    }

    private static void compare(float[][] expected, float[][] actual, String what) {
        String[] names = {"y", "h", "c"};
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < expected[t].length; i++) {
                int e = Float.floatToRawIntBits(expected[t][i]), a = Float.floatToRawIntBits(actual[t][i]);
                if (e != a) {
                    fail(what + ": " + names[t] + "[" + i + "] expected " + expected[t][i] + " (0x" + Integer.toHexString(e)
                            + ") got " + actual[t][i] + " (0x" + Integer.toHexString(a) + ")  [" + VectorWidth.describe() + "]");
                }
            }
        }
    }

    /** Signed values of magnitude scale * 2^-6 .. scale * 2^1 with full mantissas. */
    private static float[] values(Random random, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            float magnitude = (float) Math.scalb((1.0 + random.nextDouble()) * scale, random.nextInt(8) - 6);
            v[i] = random.nextBoolean() ? magnitude : -magnitude;
        }
        return v;
    }

    private static float[] shifted(float[] a) {
        if (a == null) return null;
        float[] s = new float[a.length + 1];
        s[0] = Float.NaN;
        System.arraycopy(a, 0, s, 1, a.length);
        return s;
    }
}
