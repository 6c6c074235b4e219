package org.tfl4j.kernels.simd;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link F32LstmCellLanes}: the vector kernels, their scalar twins and the dispatching methods against the cell
 * update and output gating written out here (TFLite's lstm_eval steps under FTZ, {@code std::min}/{@code std::max}
 * for the clip), bit for bit, for 1 to 70 cells, with and without CIFG and cell clip, on values mixing gate-like
 * activations with NaN, ±inf, ±0 and subnormals; outputs pre-filled with NaN between guards. Where two NaN inputs
 * meet, which payload survives depends on the operand order the JIT chose (as between TFLite and tfl4j, see
 * docs/conformance.md), so there any NaN is accepted; everywhere else the bits must match.
 */
class F32LstmCellLanesTest {
    private static final int GUARD = 3;
    private static final int GUARD_BITS = ActivationValues.GUARD_BITS;

    @FunctionalInterface
    interface CellUpdate {
        void run(float[] gates, int forget, int input, int cell, boolean cifg, float[] c, int cOff, int n, float cellClip);
    }

    @FunctionalInterface
    interface GateOutput {
        void run(float[] gates, int output, float[] t, int tOff, float[] h, int hOff, int n);
    }

    private static final String[] NAMES = {"dispatch", "vector", "scalar"};
    private static final CellUpdate[] UPDATES = {F32LstmCellLanes::updateCell, F32LstmCellLanes::updateCellVector,
            F32LstmCellLanes::updateCellScalar};
    private static final GateOutput[] OUTPUTS = {F32LstmCellLanes::gateOutput, F32LstmCellLanes::gateOutputVector,
            F32LstmCellLanes::gateOutputScalar};

    @Test
    void cellUpdateMatchesTheScalarStepsBitForBit() {
        System.out.println("F32LstmCellLanesTest: " + VectorWidth.describe());
        Random random = new Random(9_101L);
        int checked = 0;
        for (int round = 0; round < 8; round++) {
            for (int n = 1; n <= 70; n++) {
                for (boolean cifg : new boolean[] {false, true}) {
                    for (float cellClip : new float[] {0f, 3f, 1e-39f}) {
                        int forget = 1, input = 1 + n, cell = 1 + 2 * n; // slices of one gate buffer, as in Lstm
                        float[] gates = ActivationValues.array(random, 1 + 3 * n + 2);
                        float[] c0 = ActivationValues.array(random, GUARD + n + GUARD);
                        float[] expected = new float[n];
                        for (int i = 0; i < n; i++) {
                            expected[i] = cell(gates[forget + i], gates[input + i], gates[cell + i], cifg, c0[GUARD + i], cellClip);
                        }
                        for (int k = 0; k < UPDATES.length; k++) {
                            float[] c = c0.clone();
                            Arrays.fill(c, 0, GUARD, Float.intBitsToFloat(GUARD_BITS));
                            Arrays.fill(c, GUARD + n, c.length, Float.intBitsToFloat(GUARD_BITS));
                            UPDATES[k].run(gates, forget, input, cell, cifg, c, GUARD, n, cellClip);
                            String what = NAMES[k] + " updateCell n " + n + (cifg ? " CIFG" : "") + " clip " + cellClip;
                            for (int i = 0; i < n; i++) {
                                int nans = nans(gates[forget + i], cifg ? 0f : gates[input + i], gates[cell + i], c0[GUARD + i]);
                                if (!same(c[GUARD + i], expected[i], nans)) {
                                    fail(what + ": cell " + i + " is " + ActivationValues.show(c[GUARD + i]) + ", expected "
                                            + ActivationValues.show(expected[i]) + " (f " + ActivationValues.show(gates[forget + i])
                                            + ", i " + ActivationValues.show(gates[input + i]) + ", g "
                                            + ActivationValues.show(gates[cell + i]) + ", c " + ActivationValues.show(c0[GUARD + i]) + ")");
                                }
                            }
                            assertGuards(c, n, what);
                            checked += n;
                        }
                    }
                }
            }
        }
        System.out.println("F32LstmCellLanesTest: " + checked + " cells bit-identical");
    }

    @Test
    void outputGatingMatchesTheScalarStepsBitForBit() {
        Random random = new Random(9_102L);
        for (int round = 0; round < 8; round++) {
            for (int n = 1; n <= 70; n++) {
                float[] gates = ActivationValues.array(random, 2 + n);
                float[] t = ActivationValues.array(random, n + 1);
                for (int k = 0; k < OUTPUTS.length; k++) {
                    float[] h = ActivationValues.guarded(GUARD, n);
                    OUTPUTS[k].run(gates, 2, t, 1, h, GUARD, n);
                    String what = NAMES[k] + " gateOutput n " + n;
                    for (int i = 0; i < n; i++) {
                        float expected = ActivationValues.flushed(gates[2 + i] * t[1 + i]);
                        if (!same(h[GUARD + i], expected, nans(gates[2 + i], t[1 + i]))) {
                            fail(what + ": h " + i + " is " + ActivationValues.show(h[GUARD + i]) + ", expected "
                                    + ActivationValues.show(expected));
                        }
                    }
                    assertGuards(h, n, what);
                    float[] inPlace = t.clone(); // h = t, as Lstm calls it
                    OUTPUTS[k].run(gates, 2, inPlace, 1, inPlace, 1, n);
                    for (int i = 0; i < n; i++) {
                        if (!same(inPlace[1 + i], ActivationValues.flushed(gates[2 + i] * t[1 + i]), nans(gates[2 + i], t[1 + i]))) {
                            fail(what + " in place: h " + i);
                        }
                    }
                }
            }
        }
    }

    /** Equal bits, or both NaN when two or more NaN inputs met. */
    private static boolean same(float actual, float expected, int nanInputs) {
        if (nanInputs >= 2 && Float.isNaN(actual) && Float.isNaN(expected)) return true;
        return Float.floatToRawIntBits(actual) == Float.floatToRawIntBits(expected);
    }

    private static int nans(float... inputs) {
        int n = 0;
        for (float v : inputs) if (Float.isNaN(v)) n++;
        return n;
    }

    /** TFLite's cell update, written out independently of the kernels. */
    private static float cell(float f, float in, float g, boolean cifg, float c, float cellClip) {
        float kept = ActivationValues.flushed(f * c);
        float scale = cifg ? ActivationValues.flushed(1.0f - f) : in;
        float next = ActivationValues.flushed(kept + ActivationValues.flushed(g * scale));
        if (cellClip > 0) {
            float m = next < cellClip ? next : cellClip;   // std::min(limit, v): NaN gives the limit
            next = m < -cellClip ? -cellClip : m;          // std::max(m, -limit)
        }
        return next;
    }

    private static void assertGuards(float[] y, int n, String what) {
        for (int g = 0; g < GUARD; g++) {
            if (Float.floatToRawIntBits(y[g]) != GUARD_BITS || Float.floatToRawIntBits(y[GUARD + n + g]) != GUARD_BITS) {
                fail(what + ": wrote outside its range");
            }
        }
    }
}
