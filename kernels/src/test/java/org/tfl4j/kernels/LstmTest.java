package org.tfl4j.kernels;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.fail;
import static org.tfl4j.kernels.TfliteMathTest.assertBits;

/**
 * Exact hand-computed cases (with logistic(0) = 0.5 exactly and a RELU cell activation every value is a
 * short binary fraction) and a comparison with a double-precision LSTM on seeded random weights.
 */
class LstmTest {

    /** The LSTM's tensors as plain arrays; gate order i, f, c, o; null = absent. */
    static final class Net {
        final int in, cells, out;
        final float[][] w = new float[4][], r = new float[4][], peep = new float[4][], bias = new float[4][];
        float[] proj, projBias;

        Net(int in, int cells, int out) {
            this.in = in;
            this.cells = cells;
            this.out = out;
            for (int g = 0; g < 4; g++) {
                w[g] = new float[cells * in];
                r[g] = new float[cells * out];
                bias[g] = new float[cells];
            }
        }

        Net cifg() {
            w[0] = r[0] = bias[0] = peep[0] = null;
            return this;
        }

        Lstm build(Lstm.Config cfg) {
            Lstm.Gate[] gates = new Lstm.Gate[4];
            for (int g = 0; g < 4; g++) {
                if (w[g] == null) continue;
                // Shift every tensor by one element so offsets are exercised.
                gates[g] = new Lstm.Gate(shifted(w[g]), 1, shifted(r[g]), 1,
                        peep[g] == null ? null : shifted(peep[g]), 1, shifted(bias[g]), 1);
            }
            Lstm.Projection p = proj == null ? null
                    : new Lstm.Projection(shifted(proj), 1, projBias == null ? null : shifted(projBias), 1);
            return new Lstm(cfg, gates[0], gates[1], gates[2], gates[3], p);
        }

        private static float[] shifted(float[] a) {
            float[] s = new float[a.length + 1];
            s[0] = Float.NaN;
            System.arraycopy(a, 0, s, 1, a.length);
            return s;
        }
    }

    /** Result of one run: output sequence and final state. */
    record Run(float[] y, float[] h, float[] c) {}

    static Run run(Net net, Lstm.Config cfg, float[] x, float[] h0, float[] c0) {
        float[] h = h0.clone();
        float[] c = c0.clone();
        float[] y = new float[cfg.batches() * cfg.steps() * net.out];
        net.build(cfg).eval(x, 0, h, 0, c, 0, y, 0);
        return new Run(y, h, c);
    }

    private static Lstm.Config config(int batches, int steps, Net net, boolean timeMajor, Lstm.Activation act,
                                      float cellClip, float projClip) {
        return new Lstm.Config(batches, steps, net.in, net.cells, net.out, timeMajor, act, cellClip, projClip);
    }

    private static void expect(float[] expected, float[] actual, String what) {
        if (expected.length != actual.length) fail(what + ": length " + actual.length + ", expected " + expected.length);
        for (int i = 0; i < expected.length; i++) assertBits(expected[i], actual[i], what + "[" + i + "]");
    }

    /** One cell, zero weights, biases i = f = o = 0 (gates exactly 0.5) and cell bias 3 with RELU. */
    private static Net halfGates(boolean cifg) {
        Net net = new Net(1, 1, 1);
        net.bias[2][0] = 3f;
        return cifg ? net.cifg() : net;
    }

    @Test
    void stepsByHandWithReluCellActivation() {
        // c = 0.5 c + 0.5 relu(3); h = 0.5 relu(c): c = 1.5, 2.25, 2.625 and h = 0.75, 1.125, 1.3125.
        for (boolean cifg : new boolean[] {false, true}) { // CIFG: i = 1 - f = 0.5 as well
            Net net = halfGates(cifg);
            Run r = run(net, config(1, 3, net, false, Lstm.Activation.RELU, 0, 0),
                    new float[] {5, 6, 7}, new float[1], new float[1]);
            expect(new float[] {0.75f, 1.125f, 1.3125f}, r.y(), "output, cifg " + cifg);
            expect(new float[] {1.3125f}, r.h(), "final h, cifg " + cifg);
            expect(new float[] {2.625f}, r.c(), "final c, cifg " + cifg);
        }
    }

    @Test
    void initialStateIsReadFromTheStateArrays() {
        Net net = halfGates(false);
        net.r[2][0] = 1f; // cell gate: relu(3 + 1 * h0)
        Run r = run(net, config(1, 1, net, false, Lstm.Activation.RELU, 0, 0), new float[] {0}, new float[] {2}, new float[] {4});
        // g = relu(3 + 2) = 5; c = 0.5 * 4 + 0.5 * 5 = 4.5; h = 0.5 * 4.5.
        expect(new float[] {2.25f}, r.y(), "output");
        expect(new float[] {4.5f}, r.c(), "final c");
    }

    @Test
    void cellClipIsExact() {
        Net net = halfGates(false);
        net.bias[2][0] = 30f;
        Run r = run(net, config(1, 2, net, false, Lstm.Activation.RELU, 10f, 0), new float[2], new float[1], new float[1]);
        // c = 0 + 15 -> clipped to 10, h = 5; then c = 5 + 15 = 20 -> 10 again.
        expect(new float[] {5f, 5f}, r.y(), "output");
        expect(new float[] {10f}, r.c(), "final c");
        Net negative = halfGates(false);
        negative.bias[2][0] = -30f;
        Run n = run(negative, config(1, 1, negative, false, Lstm.Activation.RELU_N1_TO_1, 0.25f, 0),
                new float[1], new float[1], new float[1]);
        // g = relu1(-30) = -1; c = -0.5 -> clipped to -0.25; h = 0.5 * relu1(-0.25).
        expect(new float[] {-0.25f}, n.c(), "negative clip");
        expect(new float[] {-0.125f}, n.y(), "negative clip output");
    }

    @Test
    void projectionIsExact() {
        Net net = new Net(1, 1, 2);
        net.bias[2][0] = 3f;
        net.proj = new float[] {2f, -1f};      // [2, 1]
        net.projBias = new float[] {0.25f, 0f};
        Run r = run(net, config(1, 2, net, false, Lstm.Activation.RELU, 0, 1f), new float[2], new float[2], new float[1]);
        // hidden = 0.75, then 1.125: h = clip(2 hidden + 0.25, 1), clip(-hidden, 1).
        expect(new float[] {1f, -0.75f, 1f, -1f}, r.y(), "projected output");
        expect(new float[] {1f, -1f}, r.h(), "final h");
        expect(new float[] {2.25f}, r.c(), "final c");
    }

    @Test
    void subnormalInputCountsAsAllZeros() {
        // TFLite skips the input product for an all-zero step; under DAZ a subnormal compares equal to 0.
        Net net = halfGates(false);
        net.bias[2][0] = 0f;
        for (int g = 0; g < 4; g++) net.w[g][0] = 1e30f; // 1e30 * 1.4e-45 = 1.4e-15 if the product ran
        Run subnormal = run(net, config(1, 2, net, false, Lstm.Activation.RELU, 0, 0),
                new float[] {Float.MIN_VALUE, -1e-40f}, new float[1], new float[1]);
        expect(new float[] {0f, 0f}, subnormal.y(), "output");
        expect(new float[] {0f}, subnormal.c(), "final c");
    }

    @Test
    void batchMajorRunsEachBatchAsItsOwnSequence() {
        // 4 cells: every gate buffer of TFLite's scratch starts 16-byte aligned whatever the batch count,
        // so each batch takes the same logistic paths as when run alone, and the bits must agree.
        SplittableRandom rnd = new SplittableRandom(17);
        Net net = randomNet(rnd, 3, 4, 4, false, true, false);
        int steps = 4;
        float[] x = MatMulTest.randoms(rnd, 2 * steps * 3);
        float[] h0 = MatMulTest.randoms(rnd, 2 * 4);
        float[] c0 = MatMulTest.randoms(rnd, 2 * 4);
        Run both = run(net, config(2, steps, net, false, Lstm.Activation.TANH, 3f, 0), x, h0, c0);
        for (int b = 0; b < 2; b++) {
            Run alone = run(net, config(1, steps, net, false, Lstm.Activation.TANH, 3f, 0),
                    Arrays.copyOfRange(x, b * steps * 3, (b + 1) * steps * 3),
                    Arrays.copyOfRange(h0, b * 4, b * 4 + 4), Arrays.copyOfRange(c0, b * 4, b * 4 + 4));
            expect(alone.y(), Arrays.copyOfRange(both.y(), b * steps * 4, (b + 1) * steps * 4), "batch " + b + " output");
            expect(alone.h(), Arrays.copyOfRange(both.h(), b * 4, b * 4 + 4), "batch " + b + " final h");
            expect(alone.c(), Arrays.copyOfRange(both.c(), b * 4, b * 4 + 4), "batch " + b + " final c");
        }
        // Time-major with one batch is the same computation as batch-major with one batch.
        float[] x0 = Arrays.copyOfRange(x, 0, steps * 3);
        Run batchMajor = run(net, config(1, steps, net, false, Lstm.Activation.TANH, 3f, 0), x0, h0, c0);
        Run timeMajor = run(net, config(1, steps, net, true, Lstm.Activation.TANH, 3f, 0), x0, h0, c0);
        expect(batchMajor.y(), timeMajor.y(), "time-major vs batch-major output");
    }

    @Test
    void randomNetworksAgreeWithDoubleMath() {
        // Tolerance: each gate sum of <= 12 terms of size <= ~3 rounds to within 12 * 3 * 2^-24 ~ 2e-6, the
        // Eigen logistic/tanh add <= 8 ulps (< 5e-7), the cell update three roundings; the sigmoid-gated
        // recurrence carries this over <= 6 steps with little growth. 3e-5 keeps a margin; a swapped gate,
        // a missing term or the wrong c in a peephole moves outputs by more than 1e-2.
        SplittableRandom rnd = new SplittableRandom(23);
        double worst = 0;
        // {batches, steps, in, cells, out, timeMajor, cifg, peephole, projection, activation}
        int[][] cases = {
            {1, 6, 4, 4, 4, 0, 0, 0, 0, 0}, {2, 5, 3, 3, 3, 0, 0, 1, 0, 0}, {3, 4, 5, 4, 4, 1, 0, 0, 0, 0},
            {2, 3, 3, 5, 2, 1, 1, 1, 1, 0}, {1, 6, 16, 16, 16, 0, 0, 0, 0, 0}, {2, 4, 2, 3, 3, 0, 1, 0, 0, 1},
            {4, 3, 7, 6, 6, 1, 0, 1, 0, 2}, {1, 5, 3, 6, 4, 0, 0, 1, 1, 3},
        };
        Lstm.Activation[] acts = Lstm.Activation.values();
        for (int[] k : cases) {
            int batches = k[0], steps = k[1];
            boolean timeMajor = k[5] == 1, projection = k[8] == 1;
            Net net = randomNet(rnd, k[2], k[3], k[4], k[6] == 1, k[7] == 1, projection);
            Lstm.Config cfg = config(batches, steps, net, timeMajor, acts[k[9]], 1.5f, projection ? 0.8f : 0);
            float[] x = MatMulTest.randoms(rnd, batches * steps * net.in);
            for (int i = x.length - net.in; i < x.length; i++) x[i] = 0f; // a zero step at the end
            float[] h0 = MatMulTest.randoms(rnd, batches * net.out);
            float[] c0 = MatMulTest.randoms(rnd, batches * net.cells);
            Run got = run(net, cfg, x, h0, c0);
            double[][] want = reference(net, cfg, x, h0, c0);
            String what = Arrays.toString(k);
            worst = Math.max(worst, compare(want[0], got.y(), what + " output"));
            worst = Math.max(worst, compare(want[1], got.h(), what + " final h"));
            worst = Math.max(worst, compare(want[2], got.c(), what + " final c"));
        }
        System.out.printf("LSTM worst deviation from double: %.3g%n", worst);
    }

    private static double compare(double[] want, float[] got, String what) {
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            double d = Math.abs(got[i] - want[i]);
            if (!(d <= 3e-5)) fail(what + "[" + i + "] = " + got[i] + ", double reference " + want[i]);
            worst = Math.max(worst, d);
        }
        return worst;
    }

    private static Net randomNet(SplittableRandom rnd, int in, int cells, int out, boolean cifg, boolean peephole,
                                 boolean projection) {
        Net net = new Net(in, cells, out);
        for (int g = 0; g < 4; g++) {
            fill(rnd, net.w[g], 0.5);
            fill(rnd, net.r[g], 0.5);
            fill(rnd, net.bias[g], 0.5);
            if (peephole && g != 2) fill(rnd, net.peep[g] = new float[cells], 0.5);
        }
        if (projection) {
            fill(rnd, net.proj = new float[out * cells], 0.5);
            fill(rnd, net.projBias = new float[out], 0.5);
        }
        return cifg ? net.cifg() : net;
    }

    private static void fill(SplittableRandom rnd, float[] a, double scale) {
        for (int i = 0; i < a.length; i++) a[i] = (float) (rnd.nextGaussian() * scale);
    }

    /** Textbook LSTM in double: returns {output sequence, final h, final c}. */
    private static double[][] reference(Net net, Lstm.Config cfg, float[] x, float[] h0, float[] c0) {
        int in = net.in, cells = net.cells, out = net.out, batches = cfg.batches(), steps = cfg.steps();
        double[] h = new double[batches * out], c = new double[batches * cells];
        for (int i = 0; i < h.length; i++) h[i] = h0[i];
        for (int i = 0; i < c.length; i++) c[i] = c0[i];
        double[] y = new double[batches * steps * out];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batches; b++) {
                int row = cfg.timeMajor() ? t * batches + b : b * steps + t;
                double[] gates = new double[4 * cells];
                for (int g = 0; g < 4; g++) {
                    if (net.w[g] == null) continue;
                    for (int j = 0; j < cells; j++) {
                        double s = net.bias[g][j];
                        for (int k = 0; k < in; k++) s += (double) net.w[g][j * in + k] * x[row * in + k];
                        for (int k = 0; k < out; k++) s += (double) net.r[g][j * out + k] * h[b * out + k];
                        gates[g * cells + j] = s;
                    }
                }
                double[] hidden = new double[cells];
                for (int j = 0; j < cells; j++) {
                    double cOld = c[b * cells + j];
                    double f = sigmoid(gates[cells + j] + (net.peep[1] == null ? 0 : net.peep[1][j] * cOld));
                    double i = net.w[0] == null ? 1 - f
                            : sigmoid(gates[j] + (net.peep[0] == null ? 0 : net.peep[0][j] * cOld));
                    double cNew = f * cOld + i * act(cfg.activation(), gates[2 * cells + j]);
                    if (cfg.cellClip() > 0) cNew = Math.max(-cfg.cellClip(), Math.min(cfg.cellClip(), cNew));
                    double o = sigmoid(gates[3 * cells + j] + (net.peep[3] == null ? 0 : net.peep[3][j] * cNew));
                    c[b * cells + j] = cNew;
                    hidden[j] = o * act(cfg.activation(), cNew);
                }
                for (int k = 0; k < out; k++) {
                    double v = hidden.length == out && net.proj == null ? hidden[k] : 0;
                    if (net.proj != null) {
                        v = net.projBias == null ? 0 : net.projBias[k];
                        for (int j = 0; j < cells; j++) v += (double) net.proj[k * cells + j] * hidden[j];
                        if (cfg.projClip() > 0) v = Math.max(-cfg.projClip(), Math.min(cfg.projClip(), v));
                    }
                    h[b * out + k] = v;
                    y[row * out + k] = v;
                }
            }
        }
        return new double[][] {y, h, c};
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    private static double act(Lstm.Activation a, double v) {
        switch (a) {
            case TANH: return Math.tanh(v);
            case RELU: return Math.max(0, v);
            case RELU_N1_TO_1: return Math.max(-1, Math.min(1, v));
            case RELU6: return Math.max(0, Math.min(6, v));
            default: throw new AssertionError(a);
        }
    }
}
