package org.tfl4j.kernels;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.fail;
import static org.tfl4j.kernels.TfliteMathTest.assertBits;

/** Which elements of a vector take Eigen's packet path and which the scalar path (spec G6, 3.12). */
class LogisticTest {

    /** An input where the two paths give different bits, so the path taken is visible in the output. */
    private static float telltale() {
        for (int i = 0; i < 100_000; i++) {
            float x = -10f + i * 1e-4f;
            if (TfliteMath.logisticPacket(x) != TfliteMath.logisticScalar(x)) return x;
        }
        throw new AssertionError("packet and scalar logistic agree everywhere in [-10, 0)");
    }

    /** Runs Logistic on n copies of the telltale input and returns "P"/"S" per element. */
    private static String paths(int n, int phase) {
        float x = telltale();
        float[] in = new float[n + 1];
        Arrays.fill(in, x);
        float[] out = new float[n + 2];
        Logistic.eval(in, 1, out, 1, n, phase); // offsets 1: the phase is an argument, not the array index
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            float y = out[i];
            if (y == TfliteMath.logisticPacket(x)) sb.append('P');
            else if (y == TfliteMath.logisticScalar(x)) sb.append('S');
            else fail("element " + (i - 1) + " of " + n + " is neither path's value: " + y);
        }
        if (out[0] != 0f || out[n + 1] != 0f) fail("wrote outside the output");
        return sb.toString();
    }

    private static void expectPaths(String expected, int n, int phase) {
        String got = paths(n, phase);
        if (!expected.equals(got)) fail("n = " + n + ", phase " + phase + ": expected " + expected + " but got " + got);
    }

    @Test
    void alignedVectorsUsePacketsExceptTheLastNMod4() {
        expectPaths("S", 1, 0);
        expectPaths("SSS", 3, 0);
        expectPaths("PPPP", 4, 0);
        expectPaths("PPPPS", 5, 0);
        expectPaths("PPPPPPPPSSS", 11, 0);
    }

    @Test
    void misalignedDestinationsStartWithScalarsUpToTheBoundary() {
        expectPaths("SSSPPPPS", 8, 1);
        expectPaths("SSPPPP", 6, 2);
        expectPaths("SPPPPSS", 7, 3);
        expectPaths("SS", 2, 1);
        expectPaths("PPPPS", 5, 4); // phase 4 = aligned
    }

    @Test
    void knownValues() {
        float[] x = {0, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -200, 0, 0, 0};
        float[] y = new float[7];
        Logistic.eval(x, 0, y, 0, 7);
        float[] expected = {0.5f, 0f, 1f, 0f, 0.5f, 0.5f, 0.5f};
        for (int i = 0; i < 7; i++) assertBits(expected[i], y[i], "logistic(" + x[i] + ") at " + i);
    }

    @Test
    void tanhVectorKnownValues() {
        float[] x = {0, -0f, 10, -10, 1e-40f};
        float[] y = new float[5];
        Tanh.eval(x, 0, y, 0, 5);
        float[] expected = {0f, -0f, 1f, -1f, 0f};
        for (int i = 0; i < 5; i++) assertBits(expected[i], y[i], "tanh(" + x[i] + ")");
    }
}
