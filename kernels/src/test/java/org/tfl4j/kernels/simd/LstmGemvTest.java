package org.tfl4j.kernels.simd;

import org.junit.jupiter.api.Test;
import org.tfl4j.kernels.Lstm;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link Lstm}'s one-row products on packed weights ({@link F32GemvDot4}) against the same LSTM with the scalar
 * products only (weights declared variable, never packed): output sequence and final state bit for bit, over
 * batch-major and time-major layouts, CIFG, peepholes, projection, layer norm, diagonal recurrent weights and cell
 * counts with odd tails.
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
                check(random, shape, activation, 1f);
            }
            check(random, shape, Lstm.Activation.TANH, 0x1p-110f); // tiny weights: the flushing scalar path
        }
    }

    private static void check(Random random, Shape s, Lstm.Activation activation, float weightScale) {
        Lstm.Config cfg = new Lstm.Config(s.batches(), s.steps(), s.in(), s.cells(), s.out(), s.timeMajor(), activation,
                0f, 0f, s.diagonal());
        float[][] w = new float[4][], r = new float[4][], peep = new float[4][], bias = new float[4][], norm = new float[4][];
        for (int g = s.cifg() ? 1 : 0; g < 4; g++) {
            w[g] = values(random, s.cells() * s.in(), weightScale);
            r[g] = values(random, s.diagonal() ? s.cells() : s.cells() * s.out(), weightScale);
            bias[g] = values(random, s.cells(), 1f);
            if (s.peephole() && g != 2) peep[g] = values(random, s.cells(), 1f);
            if (s.layerNorm()) norm[g] = values(random, s.cells(), 1f);
        }
        float[] proj = s.projection() ? values(random, s.out() * s.cells(), weightScale) : null;
        float[] projBias = s.projection() ? values(random, s.out(), 1f) : null;
        float[] x = values(random, s.batches() * s.steps() * s.in(), 4f);
        float[] h0 = values(random, s.batches() * s.out(), 1f);
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
        String what = s + " " + activation + " weights x" + weightScale;
        compare(expected, run(selfPacked, s, x, h0, c0), what + ", packed in the constructor");
        compare(expected, run(sharedPacking, s, x, h0, c0), what + ", shared packing");
        // A second eval on the same instance continues from the state it left: must still agree.
        compare(run(scalar, s, x, expected[1], expected[2]), run(sharedPacking, s, x, expected[1], expected[2]),
                what + ", second sequence");
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
