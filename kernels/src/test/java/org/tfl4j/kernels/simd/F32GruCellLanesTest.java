package org.tfl4j.kernels.simd;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link F32GruCellLanes}: the vector kernels, their scalar twins and the dispatching methods against the GRU's
 * ADD, SUB and MUL ops written out here (one float32 operation on flushed operands, flushed, then
 * {@code std::max(v, -FLT_MAX)} and {@code std::min(v, FLT_MAX)}), bit for bit, for 1 to 70 units, on values mixing
 * activations with NaN, ±inf, ±0, subnormals and magnitudes whose products overflow; outputs pre-filled with NaN
 * between guards, and in place where the kernel allows it. Where two NaN inputs meet, which payload survives depends on
 * the operand order the JIT chose, so there any NaN is accepted; everywhere else the bits must match.
 */
class F32GruCellLanesTest {
    private static final int GUARD = 3;
    private static final int GUARD_BITS = ActivationValues.GUARD_BITS;
    private static final float MAX = Float.MAX_VALUE;

    @FunctionalInterface
    interface Sum {
        void run(float[] p, int pOff, float[] q, int qOff, float[] out, int outOff, int n);
    }

    @FunctionalInterface
    interface Candidate {
        void run(float[] xh, int xhOff, float[] r, int rOff, float[] rh, int rhOff, float[] out, int outOff, int n);
    }

    @FunctionalInterface
    interface Update {
        void run(float[] z, int zOff, float[] h, int hOff, float[] hh, int hhOff, float one, float[] out, int outOff, int n);
    }

    private static final String[] NAMES = {"dispatch", "vector", "scalar"};
    private static final Sum[] SUMS = {F32GruCellLanes::sum, F32GruCellLanes::sumVector, F32GruCellLanes::sumScalar};
    private static final Candidate[] CANDIDATES = {F32GruCellLanes::candidate, F32GruCellLanes::candidateVector,
            F32GruCellLanes::candidateScalar};
    private static final Update[] UPDATES = {F32GruCellLanes::update, F32GruCellLanes::updateVector,
            F32GruCellLanes::updateScalar};

    @Test
    void sumMatchesTheAddOpBitForBit() {
        System.out.println("F32GruCellLanesTest: " + VectorWidth.describe());
        Random random = new Random(9_201L);
        int checked = 0;
        for (int round = 0; round < 8; round++) {
            for (int n = 1; n <= 70; n++) {
                float[] p = values(random, n + 2);
                float[] q = values(random, n + 5);
                for (int k = 0; k < SUMS.length; k++) {
                    float[] out = ActivationValues.guarded(GUARD, n);
                    SUMS[k].run(p, 2, q, 5, out, GUARD, n);
                    String what = NAMES[k] + " sum n " + n;
                    for (int i = 0; i < n; i++) {
                        check(out[GUARD + i], add(p[2 + i], q[5 + i]), what, i, p[2 + i], q[5 + i]);
                    }
                    assertGuards(out, n, what);
                    float[] inPlace = q.clone(); // out = q, as a caller may do
                    SUMS[k].run(p, 2, inPlace, 5, inPlace, 5, n);
                    for (int i = 0; i < n; i++) check(inPlace[5 + i], add(p[2 + i], q[5 + i]), what + " in place", i, p[2 + i], q[5 + i]);
                    checked += n;
                }
            }
        }
        System.out.println("F32GruCellLanesTest: " + checked + " sums bit-identical");
    }

    @Test
    void candidateMatchesMulThenAddBitForBit() {
        Random random = new Random(9_202L);
        for (int round = 0; round < 8; round++) {
            for (int n = 1; n <= 70; n++) {
                float[] xh = values(random, n + 1);
                float[] r = values(random, n + 3);
                float[] rh = values(random, n + 2);
                for (int k = 0; k < CANDIDATES.length; k++) {
                    float[] out = ActivationValues.guarded(GUARD, n);
                    CANDIDATES[k].run(xh, 1, r, 3, rh, 2, out, GUARD, n);
                    String what = NAMES[k] + " candidate n " + n;
                    for (int i = 0; i < n; i++) {
                        check(out[GUARD + i], add(xh[1 + i], mul(r[3 + i], rh[2 + i])), what, i, xh[1 + i], r[3 + i], rh[2 + i]);
                    }
                    assertGuards(out, n, what);
                }
            }
        }
    }

    @Test
    void updateMatchesTheStateOpsBitForBit() {
        Random random = new Random(9_203L);
        for (int round = 0; round < 8; round++) {
            for (int n = 1; n <= 70; n++) {
                float[] z = values(random, n + 1);
                float[] h = values(random, n + 4);
                float[] hh = values(random, n + 2);
                for (float one : new float[] {1f, 0.5f, 1e-40f, MAX}) {
                    for (int k = 0; k < UPDATES.length; k++) {
                        float[] out = ActivationValues.guarded(GUARD, n);
                        UPDATES[k].run(z, 1, h, 4, hh, 2, one, out, GUARD, n);
                        String what = NAMES[k] + " update n " + n + " one " + one;
                        for (int i = 0; i < n; i++) {
                            check(out[GUARD + i], state(z[1 + i], h[4 + i], hh[2 + i], one), what, i, z[1 + i], h[4 + i], hh[2 + i]);
                        }
                        assertGuards(out, n, what);
                        float[] inPlace = h.clone(); // out = h, as Gru.step calls it
                        UPDATES[k].run(z, 1, inPlace, 4, hh, 2, one, inPlace, 4, n);
                        for (int i = 0; i < n; i++) {
                            check(inPlace[4 + i], state(z[1 + i], h[4 + i], hh[2 + i], one), what + " in place", i,
                                    z[1 + i], h[4 + i], hh[2 + i]);
                        }
                    }
                }
            }
        }
    }

    /** Activation-like values and specials, with some near FLT_MAX so that sums and products overflow to the clamp. */
    private static float[] values(Random random, int n) {
        float[] v = ActivationValues.array(random, n);
        for (int i = 0; i < n; i++) {
            if (random.nextInt(12) == 0) v[i] = (random.nextBoolean() ? 1 : -1) * MAX * (0.5f + random.nextFloat() / 2);
        }
        return v;
    }

    /** TFLite's ADD, SUB and MUL with fused activation NONE under FTZ/DAZ, written out independently of the kernels. */
    private static float add(float p, float q) {
        return clamp(ActivationValues.flushed(ActivationValues.flushed(p) + ActivationValues.flushed(q)));
    }

    private static float sub(float p, float q) {
        return clamp(ActivationValues.flushed(ActivationValues.flushed(p) - ActivationValues.flushed(q)));
    }

    private static float mul(float p, float q) {
        return clamp(ActivationValues.flushed(ActivationValues.flushed(p) * ActivationValues.flushed(q)));
    }

    private static float clamp(float v) {
        float m = v < -MAX ? -MAX : v;   // std::max(v, lo): NaN passes
        return MAX < m ? MAX : m;        // std::min(m, hi)
    }

    private static float state(float z, float h, float hh, float one) {
        return add(mul(z, h), mul(sub(one, z), hh));
    }

    private static void check(float actual, float expected, String what, int i, float... inputs) {
        int nans = 0;
        for (float v : inputs) if (Float.isNaN(v)) nans++;
        if (nans >= 2 && Float.isNaN(actual) && Float.isNaN(expected)) return;
        if (Float.floatToRawIntBits(actual) != Float.floatToRawIntBits(expected)) {
            StringBuilder in = new StringBuilder();
            for (float v : inputs) in.append(' ').append(ActivationValues.show(v));
            fail(what + ": unit " + i + " is " + ActivationValues.show(actual) + ", expected "
                    + ActivationValues.show(expected) + " (inputs" + in + ")");
        }
    }

    private static void assertGuards(float[] y, int n, String what) {
        for (int g = 0; g < GUARD; g++) {
            if (Float.floatToRawIntBits(y[g]) != GUARD_BITS || Float.floatToRawIntBits(y[GUARD + n + g]) != GUARD_BITS) {
                fail(what + ": wrote outside its range");
            }
        }
    }
}
