package org.tfl4j.conformance.ops;

import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tfl4j.conformance.Comparison;
import org.tfl4j.conformance.ConformanceReport;
import org.tfl4j.conformance.OpCase;
import org.tfl4j.conformance.OpConformance;
import org.tfl4j.engine.Interpreter;
import org.tfl4j.models.TfliteWriter;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.Padding;
import org.tfl4j.parser.TensorType;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CONV_2D (NHWC) against TFLite: height 1 (the models' Conv1D) and more, kernels 1..5 wide and high including
 * even widths (SAME padding's odd extra pad goes after the data), strides 1..3, dilations, SAME and VALID,
 * every fused activation, batches, output channels off the GEMM's 8/4-row blocks, output width 1 (GEMV) and
 * the CNN models' six layers; specials (signed zeros, subnormals, overflow, NaN). A second sweep compares
 * TFLite on 2 threads (its multithreaded Eigen-contraction kernel) with tfl4j's {@code setTfliteThreads(2)}.
 */
class Conv2DSweepTest {

    private static final byte[] ACTIVATIONS = {ActivationFunctionType.NONE, ActivationFunctionType.RELU,
            ActivationFunctionType.RELU_N1_TO_1, ActivationFunctionType.RELU6};
    private static final String TWO_THREADS = "builtin, 2 threads";

    /** One convolution's shape and options. */
    record Shape(int batches, int height, int width, int channels, int outChannels, int kernelH, int kernelW,
                 int strideH, int strideW, int dilationH, int dilationW, Padding padding, byte activation) {

        int outHeight() {
            return outSize(height, kernelH, strideH, dilationH);
        }

        int outWidth() {
            return outSize(width, kernelW, strideW, dilationW);
        }

        private int outSize(int in, int kernel, int stride, int dilation) {
            int effective = (kernel - 1) * dilation + 1;
            return padding == Padding.SAME ? (in + stride - 1) / stride : (in - effective + stride) / stride;
        }

        @Override
        public String toString() {
            return String.format("in [%d,%d,%d,%d] filter [%d,%d,%d,%d] stride %dx%d dilation %dx%d %s act %d -> [%d,%d]",
                    batches, height, width, channels, outChannels, kernelH, kernelW, channels, strideH, strideW,
                    dilationH, dilationW, padding, activation, outHeight(), outWidth());
        }
    }

    static List<OpCase> cases() {
        Random random = new Random(23);
        List<OpCase> cases = new ArrayList<>();
        // The CNN models' layers (Conv1D as [1, 1, W, C], kernel = stride = 4, SAME, RELU).
        for (int[] layer : MODEL_LAYERS) {
            cases.add(wide(random, "model layer", conv1d(layer[0], layer[1], layer[2])));
        }
        // Height 1: every kernel width 1..5 with strides 1..3, SAME (odd total padding for even widths) and VALID.
        for (int kernelW = 1; kernelW <= 5; kernelW++) {
            for (int stride = 1; stride <= 3; stride++) {
                for (Padding padding : Padding.values()) {
                    int width = 5 + random.nextInt(9);
                    cases.add(wide(random, "conv1d", new Shape(1, 1, width, 1 + random.nextInt(6), 1 + random.nextInt(12),
                            1, kernelW, 1, stride, 1, 1, padding, ActivationFunctionType.NONE)));
                }
            }
        }
        // 2-D kernels 1..5 x 1..5, SAME and VALID, strides 1..3 (even kernels: padding split with the extra after).
        for (int kernelH = 1; kernelH <= 5; kernelH++) {
            for (int kernelW = 1; kernelW <= 5; kernelW++) {
                for (Padding padding : Padding.values()) {
                    int strideH = 1 + random.nextInt(3), strideW = 1 + random.nextInt(3);
                    cases.add(wide(random, "conv2d", new Shape(1, kernelH + random.nextInt(5), kernelW + random.nextInt(6),
                            1 + random.nextInt(5), 1 + random.nextInt(10), kernelH, kernelW, strideH, strideW, 1, 1,
                            padding, ActivationFunctionType.NONE)));
                }
            }
        }
        // Dilation (TFLite then always runs its im2col kernel).
        for (int dilationH = 1; dilationH <= 3; dilationH++) {
            for (int dilationW = 1; dilationW <= 3; dilationW++) {
                for (Padding padding : Padding.values()) {
                    int kernelH = 1 + random.nextInt(3), kernelW = 2 + random.nextInt(3);
                    cases.add(wide(random, "dilated", new Shape(1 + random.nextInt(2), (kernelH - 1) * dilationH + 1 + random.nextInt(4),
                            (kernelW - 1) * dilationW + 1 + random.nextInt(5), 1 + random.nextInt(4), 1 + random.nextInt(9),
                            kernelH, kernelW, 1 + random.nextInt(2), 1 + random.nextInt(3), dilationH, dilationW, padding,
                            ActivationFunctionType.NONE)));
                }
            }
        }
        // GEMM shape classes: output channels in and off the 8/4-row register blocks, positions in and off the
        // 4-column blocks (incl. 1 position = GEMV), depths with odd tails and up to ~400.
        for (int outChannels : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 16, 17, 20, 31, 32}) {
            for (int width : new int[] {1, 2, 3, 4, 5, 8, 9}) {
                int channels = 1 + random.nextInt(24);
                cases.add(wide(random, "gemm blocks", new Shape(1, 1, width, channels, outChannels, 1, Math.min(width, 3),
                        1, 1, 1, 1, Padding.VALID, ActivationFunctionType.NONE)));
            }
        }
        for (int depth : new int[] {1, 3, 7, 8, 15, 16, 17, 63, 64, 65, 127, 128, 129, 200, 256, 257, 384, 400}) {
            cases.add(wide(random, "depth " + depth + " width 1", new Shape(1, 1, 1, depth, 6 + random.nextInt(20), 1, 1, 1, 1,
                    1, 1, Padding.VALID, ActivationFunctionType.NONE)));
            cases.add(wide(random, "depth " + depth + " width 6", new Shape(1, 2, 3, depth, 6 + random.nextInt(20), 1, 1, 1, 1,
                    1, 1, Padding.VALID, ActivationFunctionType.NONE)));
        }
        // A single output (one channel, one position): Eigen's inner product on one thread.
        for (int depth : new int[] {5, 12, 16, 27, 64, 100}) {
            cases.add(wide(random, "single output depth " + depth, new Shape(1, 1, 1, depth, 1, 1, 1, 1, 1, 1, 1, Padding.VALID,
                    ActivationFunctionType.NONE)));
        }
        cases.add(wide(random, "single output 3x3 kernel", new Shape(1, 3, 3, 5, 1, 3, 3, 1, 1, 1, 1, Padding.VALID,
                ActivationFunctionType.RELU)));
        // Tiny products (Eigen's coefficient-based path when depth + rows + cols < 20).
        for (int depth = 1; depth <= 8; depth++) {
            cases.add(wide(random, "tiny depth " + depth, new Shape(1, 1, 3, depth, 3, 1, 1, 1, 1, 1, 1, Padding.VALID,
                    ActivationFunctionType.NONE)));
        }
        // Batches, activations, random geometry.
        for (int i = 0; i < 60; i++) {
            cases.add(centred(random, "random", randomShape(random, ACTIVATIONS[i % 4])));
        }
        // Specials.
        for (int i = 0; i < 16; i++) {
            Shape s = randomShape(random, ACTIVATIONS[i % 4]);
            cases.add(conv("specials " + s, s, SweepValues.withSpecials(random, inputCount(s), 4f),
                    SweepValues.withSpecials(random, filterCount(s), 2f), SweepValues.withSpecials(random, s.outChannels(), 1f)));
        }
        for (int i = 0; i < 4; i++) {
            Shape s = randomShape(random, ActivationFunctionType.NONE);
            cases.add(conv("subnormal input " + s, s, SweepValues.subnormals(random, inputCount(s)),
                    SweepValues.uniform(random, filterCount(s), 1e30f), SweepValues.uniform(random, s.outChannels(), 1f)));
            cases.add(conv("signed zeros " + s, s, zeros(random, inputCount(s)), SweepValues.uniform(random, filterCount(s), 1f),
                    zeros(random, s.outChannels())));
            cases.add(conv("overflow " + s, s, SweepValues.uniform(random, inputCount(s), 3e38f),
                    SweepValues.uniform(random, filterCount(s), 4f), SweepValues.uniform(random, s.outChannels(), 1f)));
            cases.add(conv("NaN input " + s, s, FullyConnectedSweepTest.sprinkle(random, SweepValues.uniform(random, inputCount(s), 4f),
                    Float.NaN), SweepValues.uniform(random, filterCount(s), 1f), SweepValues.uniform(random, s.outChannels(), 1f)));
        }
        // A runtime (non-constant) filter.
        Shape s = new Shape(2, 3, 5, 3, 5, 2, 2, 1, 2, 1, 1, Padding.SAME, ActivationFunctionType.RELU);
        cases.add(runtimeFilter(random, s));
        return cases;
    }

    /**
     * Cases for TFLite on 2 threads against tfl4j's {@code setTfliteThreads(2)}: without dilation and with a
     * constant filter TFLite then runs its Eigen-contraction kernel, whose order differs for output width 1.
     */
    static List<OpCase> twoThreadCases() {
        Random random = new Random(24);
        List<OpCase> cases = new ArrayList<>();
        for (int[] layer : MODEL_LAYERS) cases.add(wide(random, "model layer", conv1d(layer[0], layer[1], layer[2])));
        for (int depth : new int[] {3, 16, 64, 127, 128, 129, 200, 256, 300, 400}) {
            cases.add(wide(random, "width 1 depth " + depth, new Shape(1, 1, 1, depth, 1 + random.nextInt(40), 1, 1, 1, 1,
                    1, 1, Padding.VALID, ActivationFunctionType.NONE)));
            cases.add(wide(random, "width 1 (SAME kernel 4) depth " + depth, new Shape(1, 1, 3, (depth + 3) / 4,
                    3 + random.nextInt(30), 1, 4, 1, 4, 1, 1, Padding.SAME, ActivationFunctionType.RELU)));
        }
        for (int i = 0; i < 20; i++) {
            Shape r = randomShape(random, ACTIVATIONS[i % 4]);
            cases.add(centred(random, "random", new Shape(r.batches(), r.height(), r.width(), r.channels(), r.outChannels(),
                    r.kernelH(), r.kernelW(), r.strideH(), r.strideW(), 1, 1, r.padding(), r.activation())));
        }
        for (int depth : new int[] {12, 64, 130}) {
            cases.add(wide(random, "single output depth " + depth, new Shape(1, 1, 1, depth, 1, 1, 1, 1, 1, 1, 1, Padding.VALID,
                    ActivationFunctionType.NONE)));
        }
        for (int i = 0; i < 6; i++) {
            Shape r = randomShape(random, ACTIVATIONS[i % 4]);
            Shape s = new Shape(r.batches(), r.height(), r.width(), r.channels(), r.outChannels(), r.kernelH(), r.kernelW(),
                    r.strideH(), r.strideW(), 1, 1, r.padding(), r.activation());
            cases.add(conv("specials " + s, s, SweepValues.withSpecials(random, inputCount(s), 4f),
                    SweepValues.withSpecials(random, filterCount(s), 2f), SweepValues.withSpecials(random, s.outChannels(), 1f)));
        }
        Shape w1 = new Shape(1, 1, 3, 40, 7, 1, 4, 1, 4, 1, 1, Padding.SAME, ActivationFunctionType.NONE);
        cases.add(conv("subnormal input, width 1 " + w1, w1, SweepValues.subnormals(random, inputCount(w1)),
                SweepValues.uniform(random, filterCount(w1), 1e30f), SweepValues.uniform(random, w1.outChannels(), 1f)));
        // Dilation: TFLite falls back to the im2col kernel on any thread count.
        cases.add(wide(random, "dilated", new Shape(1, 1, 9, 16, 10, 1, 3, 1, 1, 1, 3, Padding.VALID, ActivationFunctionType.NONE)));
        return cases;
    }

    /** {width, channels, outChannels} of the CNN models' convolutions (kernel 4, stride 4, SAME, RELU). */
    private static final int[][] MODEL_LAYERS = {{10, 16, 32}, {3, 32, 64}, {32, 8, 64}, {8, 64, 128}, {10, 32, 64}, {3, 64, 128}};

    private static Shape conv1d(int width, int channels, int outChannels) {
        return new Shape(1, 1, width, channels, outChannels, 1, 4, 1, 4, 1, 1, Padding.SAME, ActivationFunctionType.RELU);
    }

    private static Shape randomShape(Random random, byte activation) {
        while (true) {
            int kernelH = 1 + random.nextInt(5), kernelW = 1 + random.nextInt(5);
            Shape s = new Shape(1 + random.nextInt(3), 1 + random.nextInt(7), 1 + random.nextInt(9), 1 + random.nextInt(9),
                    1 + random.nextInt(17), kernelH, kernelW, 1 + random.nextInt(3), 1 + random.nextInt(3),
                    random.nextInt(4) == 0 ? 2 : 1, random.nextInt(4) == 0 ? 2 : 1,
                    random.nextBoolean() ? Padding.SAME : Padding.VALID, activation);
            if (s.outHeight() > 0 && s.outWidth() > 0) return s;
        }
    }

    private static int inputCount(Shape s) {
        return s.batches() * s.height() * s.width() * s.channels();
    }

    private static int filterCount(Shape s) {
        return s.outChannels() * s.kernelH() * s.kernelW() * s.channels();
    }

    /** Wide-range values: a summation order other than TFLite's changes bits. */
    private static OpCase wide(Random random, String name, Shape s) {
        return conv(name + " " + s, s, SweepValues.wideRange(random, inputCount(s)), SweepValues.wideRange(random, filterCount(s)),
                SweepValues.wideRange(random, s.outChannels()));
    }

    /** Values around zero, so that the fused activations clamp both ways. */
    private static OpCase centred(Random random, String name, Shape s) {
        return conv(name + " " + s, s, SweepValues.uniform(random, inputCount(s), 2f), SweepValues.uniform(random, filterCount(s), 1f),
                SweepValues.uniform(random, s.outChannels(), 1f));
    }

    static OpCase conv(String name, Shape s, float[] x, float[] filter, float[] bias) {
        TfliteWriter writer = new TfliteWriter();
        TfliteWriter.Graph g = writer.graph("main");
        int in = g.tensor("x", TensorType.FLOAT32, s.batches(), s.height(), s.width(), s.channels());
        int f = g.constant("filter", new int[] {s.outChannels(), s.kernelH(), s.kernelW(), s.channels()}, filter);
        int b = g.constant("bias", new int[] {s.outChannels()}, bias);
        int out = g.tensor("y", TensorType.FLOAT32, s.batches(), s.outHeight(), s.outWidth(), s.outChannels());
        g.op(BuiltinOp.CONV_2D, options(s), new int[] {in, f, b}, new int[] {out});
        g.inputs(in).outputs(out);
        return new OpCase(name, writer.toBytes(), new Object[] {x});
    }

    private static OpCase runtimeFilter(Random random, Shape s) {
        TfliteWriter writer = new TfliteWriter();
        TfliteWriter.Graph g = writer.graph("main");
        int in = g.tensor("x", TensorType.FLOAT32, s.batches(), s.height(), s.width(), s.channels());
        int f = g.tensor("filter", TensorType.FLOAT32, s.outChannels(), s.kernelH(), s.kernelW(), s.channels());
        int b = g.constant("bias", new int[] {s.outChannels()}, SweepValues.wideRange(random, s.outChannels()));
        int out = g.tensor("y", TensorType.FLOAT32, s.batches(), s.outHeight(), s.outWidth(), s.outChannels());
        g.op(BuiltinOp.CONV_2D, options(s), new int[] {in, f, b}, new int[] {out});
        g.inputs(in, f).outputs(out);
        return new OpCase("runtime filter " + s, writer.toBytes(),
                new Object[] {SweepValues.wideRange(random, inputCount(s)), SweepValues.wideRange(random, filterCount(s))});
    }

    private static Conv2DOptionsT options(Shape s) {
        Conv2DOptionsT o = new Conv2DOptionsT();
        o.setPadding((byte) (s.padding() == Padding.SAME ? org.tensorflow.lite.schema.Padding.SAME : org.tensorflow.lite.schema.Padding.VALID));
        o.setStrideH(s.strideH());
        o.setStrideW(s.strideW());
        o.setDilationHFactor(s.dilationH());
        o.setDilationWFactor(s.dilationW());
        o.setFusedActivationFunction(s.activation());
        return o;
    }

    private static float[] zeros(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = random.nextBoolean() ? 0f : -0f;
        return v;
    }

    @Test
    void bitExactAgainstTflite() {
        OpSweepAssert.assertBitExact("CONV_2D", cases());
    }

    @Test
    void bitExactAgainstTfliteOnTwoThreads() {
        OpSweepAssert.assumeReference();
        List<OpCase> cases = twoThreadCases();
        Comparison c = new Comparison("CONV_2D", "op", TWO_THREADS, 0);
        Interpreter.Options options = new Interpreter.Options().setTfliteThreads(2);
        for (OpCase oc : cases) OpConformance.compare(c, oc, options, 2);
        ConformanceReport.global().record(c);
        System.out.println(c.line());
        assertTrue(c.cases() == cases.size() && c.cases() > 0, "CONV_2D on 2 threads: no cases ran");
        assertTrue(c.conformant(), () -> c.describeFailures(25));
    }
}
