package org.tfl4j.engine;

import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.TensorType;
import org.tensorflow.lite.schema.TopKV2OptionsT;
import org.tfl4j.engine.ops.OpRegistry;
import org.tfl4j.kernels.TopKV2;
import org.tfl4j.parser.BuiltinOp;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The scoring fusion ({@code FULLY_CONNECTED + RESHAPE + TOPK_V2} as {@code F32GemvTopK}) on small built models: the
 * fused model gives the unfused model's bits (ids and scores) on ordinary input rows and on every way the fused
 * kernel declines (a row that needs TFLite's flushing arithmetic, infinite and NaN inputs, sums past FLT_MAX, tied
 * scores that overflow the sample's limit), and those are also checked against TopKV2's replay of the
 * FULLY_CONNECTED output; the chain is left alone when an op has a bias or an activation, when the scores are also
 * an output, at a depth that is not a multiple of 4, or when one of its ops runs a swapped-in kernel. (The four
 * MovieLens models, fused against unfused, are in EmbeddingFusionTest.)
 */
class ScoringFusionTest {
    private static final String KIND = "FULLY_CONNECTED + RESHAPE + TOPK_V2";

    /** {@code x [1, depth] -> FULLY_CONNECTED(table [units, depth]) -> RESHAPE([units]) -> TOPK_V2(k)}, with variations. */
    private static final class Chain {
        int units = 1000, depth = 16, k = 50;
        float[] table;
        byte activation = ActivationFunctionType.NONE;
        boolean bias;
        boolean scoresAreOutput;

        Chain(Random random) {
            table(random);
        }

        Chain table(Random random) {
            table = new float[units * depth];
            for (int i = 0; i < table.length; i++) table[i] = (float) (random.nextGaussian() * 0.5);
            return this;
        }

        ByteBuffer build() {
            TinyModel m = new TinyModel();
            int x = m.tensor("x", TensorType.FLOAT32, 1, depth);
            int w = m.constFloats("table", new int[] {units, depth}, table);
            int y = m.tensor("scores", TensorType.FLOAT32, 1, units);
            FullyConnectedOptionsT fc = new FullyConnectedOptionsT();
            fc.setFusedActivationFunction(activation);
            int[] fcInputs = {x, w};
            if (bias) {
                float[] b = new float[units];
                Arrays.fill(b, 0.125f);
                fcInputs = new int[] {x, w, m.constFloats("bias", new int[] {units}, b)};
            }
            m.op(BuiltinOp.FULLY_CONNECTED, BuiltinOptions.FullyConnectedOptions, fc, fcInputs, new int[] {y});
            int row = m.tensor("row", TensorType.FLOAT32, units);
            ReshapeOptionsT reshape = new ReshapeOptionsT();
            reshape.setNewShape(new int[] {units});
            m.op(BuiltinOp.RESHAPE, BuiltinOptions.ReshapeOptions, reshape,
                    new int[] {y, m.constInts("shape", new int[] {1}, units)}, new int[] {row});
            int values = m.tensor("values", TensorType.FLOAT32, k);
            int indices = m.tensor("indices", TensorType.INT32, k);
            m.op(BuiltinOp.TOPK_V2, BuiltinOptions.TopKV2Options, new TopKV2OptionsT(),
                    new int[] {row, m.constInts("k", new int[0], k)}, new int[] {values, indices});
            return m.build(new int[] {x}, scoresAreOutput ? new int[] {values, indices, y} : new int[] {values, indices});
        }
    }

    @Test
    void fusedGivesTheUnfusedBitsOnOrdinaryAndDeclinedRows() {
        Random random = new Random(20261205L);
        int rows = 0;
        for (int depth : new int[] {16, 24, 32}) {
            for (int units : new int[] {1000, 1601, 3953}) {
                Chain c = new Chain(random);
                c.depth = depth;
                c.units = units;
                c.k = units == 3953 ? 100 : 50;
                c.table(random);
                ByteBuffer model = c.build();
                Model fused = Model.load(model.duplicate(), new Interpreter.Options());
                Model unfused = Model.load(model.duplicate(), new Interpreter.Options().setFusion(false));
                assertEquals(List.of(KIND), EmbeddingFusionTest.kinds(fused), "depth " + depth + " units " + units);
                try (Interpreter a = new Interpreter(fused, new Interpreter.Options());
                     Interpreter b = new Interpreter(unfused, new Interpreter.Options())) {
                    for (int r = 0; r < 12; r++) {
                        float[] x = row(random, depth, r);
                        String what = "depth " + depth + " units " + units + " row " + r + " " + Arrays.toString(x);
                        List<Object> expected = run(b, x);
                        assertSame(expected, run(a, x), what);
                        assertSame(replayOfScores(c, x), expected, what + " (the unfused model against the replay)");
                        rows++;
                    }
                }
            }
        }
        System.out.println("ScoringFusionTest: " + rows + " rows bit-identical fused and unfused");
    }

    /**
     * The fused node moves its table's panels to the origin it times fastest after 2,000 runs ({@code PanelOrigin},
     * whose own test covers the later tunings): the bits stay the unfused model's on every kind of row before and
     * after, the runs around the tuning (one origin per run, from about run 2,330 to 2,350: the flushing rows are not
     * counted) checked one by one.
     */
    @Test
    void keepsTheUnfusedBitsThroughTheOriginTunings() {
        Random random = new Random(62_000L);
        Chain c = new Chain(random);
        c.depth = 32;
        c.units = 3953;
        c.k = 100;
        c.table(random);
        ByteBuffer model = c.build();
        float[][] rows = new float[7][];
        List<List<Object>> expected = new java.util.ArrayList<>();
        try (Interpreter unfused = new Interpreter(Model.load(model.duplicate(),
                new Interpreter.Options().setFusion(false)), new Interpreter.Options())) {
            for (int r = 0; r < rows.length; r++) {
                rows[r] = row(random, c.depth, r);
                expected.add(run(unfused, rows[r]));
            }
        }
        try (Interpreter fused = new Interpreter(Model.load(model.duplicate(), new Interpreter.Options()),
                new Interpreter.Options())) {
            for (int run = 0; run < 2_600; run++) { // the flushing row (1 in 7) takes another path and is not counted
                int r = run % rows.length;
                List<Object> got = run(fused, rows[r]);
                if (run % 97 == 0 || run >= 1_900) {
                    assertSame(expected.get(r), got, "run " + run + ", row " + r);
                }
            }
        }
    }

    @Test
    void tiedScoresPastTheSampleLimitGiveTheUnfusedBits() {
        Chain c = new Chain(new Random(1));
        for (int o = 0; o < c.units; o++) {
            for (int d = 0; d < c.depth; d++) c.table[o * c.depth + d] = o % 3 == 0 ? 0.5f : 0.25f; // two exact levels
        }
        ByteBuffer model = c.build();
        Model fused = Model.load(model.duplicate(), new Interpreter.Options());
        assertEquals(List.of(KIND), EmbeddingFusionTest.kinds(fused));
        float[] x = row(new Random(2), c.depth, 0);
        List<Object> expected = run(Model.load(model.duplicate(), new Interpreter.Options().setFusion(false)), x);
        assertSame(expected, run(fused, x), "two levels of tied scores");
        int[] ids = (int[]) expected.get(1);
        for (int j = 0; j < c.k; j++) assertEquals(3 * j, ids[j], "ties go to the smaller index");
    }

    @Test
    void chainsTheFusionCannotTakeAreLeftAlone() {
        Random random = new Random(3);
        Chain withBias = new Chain(random);
        withBias.bias = true;
        assertLeftAlone(withBias, random);
        Chain relu = new Chain(random);
        relu.activation = ActivationFunctionType.RELU;
        assertLeftAlone(relu, random);
        Chain scoresOut = new Chain(random);
        scoresOut.scoresAreOutput = true;
        assertLeftAlone(scoresOut, random);
        Chain depth18 = new Chain(random);
        depth18.depth = 18;
        depth18.table(random);
        assertLeftAlone(depth18, random);
        Chain smallK = new Chain(random);
        smallK.k = 10;
        assertLeftAlone(smallK, random);
    }

    @Test
    void aSwappedKernelInTheChainIsNotFusedAway() {
        Random random = new Random(4);
        Chain c = new Chain(random);
        ByteBuffer model = c.build();
        float[] x = row(random, c.depth, 0);
        List<Object> expected = run(Model.load(model.duplicate(), new Interpreter.Options().setFusion(false)), x);
        for (int code : new int[] {BuiltinOp.FULLY_CONNECTED, BuiltinOp.RESHAPE, BuiltinOp.TOPK_V2}) {
            OpRegistry registry = OpRegistry.builtins().withKernel(code, ctx -> OpRegistry.builtins().kernel(code).prepare(ctx));
            Model m = Model.load(model.duplicate(), new Interpreter.Options().setOpRegistry(registry));
            assertEquals(List.of(), EmbeddingFusionTest.kinds(m), BuiltinOp.name(code) + " swapped");
            assertSame(expected, run(m, x), BuiltinOp.name(code) + " swapped");
        }
    }

    private static void assertLeftAlone(Chain c, Random random) {
        ByteBuffer model = c.build();
        Model m = Model.load(model.duplicate(), new Interpreter.Options());
        assertEquals(List.of(), EmbeddingFusionTest.kinds(m), "bias " + c.bias + " activation " + c.activation + " depth " + c.depth + " k " + c.k);
        float[] x = row(random, c.depth, 0);
        assertSame(run(Model.load(model.duplicate(), new Interpreter.Options().setFusion(false)), x), run(m, x), "left alone");
    }

    /**
     * Input rows: ordinary ones (ReLU-like, with zeros), and the rows the fused kernel declines: magnitudes whose
     * products could be subnormal (TFLite's flushing arithmetic), an infinity, a NaN, and one whose sums pass
     * FLT_MAX.
     */
    private static float[] row(Random random, int depth, int r) {
        float[] x = new float[depth];
        for (int d = 0; d < depth; d++) x[d] = Math.max(0f, (float) random.nextGaussian());
        switch (r) {
            case 1 -> {                                          // subnormal products: TFLite's flushing arithmetic
                for (int d = 0; d < depth; d++) x[d] = (float) ((2 + random.nextDouble()) * 1e-38);
            }
            case 2 -> x[3] = Float.POSITIVE_INFINITY;
            case 3 -> x[5] = Float.NaN;
            case 4 -> x[0] = 3e38f;                              // sums clamped to FLT_MAX
            case 5 -> Arrays.fill(x, 0f);                        // every score +0: ties everywhere
            default -> { }
        }
        return x;
    }

    /** FULLY_CONNECTED's output by the unfused model's first op alone, then TopKV2's replay of TFLite's heap. */
    private static List<Object> replayOfScores(Chain c, float[] x) {
        float[] scores = new float[c.units];
        boolean saved = c.scoresAreOutput;
        c.scoresAreOutput = true;
        try (Interpreter interp = new Interpreter(Model.load(c.build(), new Interpreter.Options().setFusion(false)),
                new Interpreter.Options())) {
            interp.setInput(0, x);
            interp.invoke();
            interp.getOutput(2, scores);
        } finally {
            c.scoresAreOutput = saved;
        }
        float[] values = new float[c.k];
        int[] indices = new int[c.k];
        TopKV2.float32(scores, 0, 1, c.units, c.k, values, 0, indices, 0, new int[c.k + 1]);
        return List.of(values, indices);
    }

    private static List<Object> run(Model m, float[] x) {
        try (Interpreter interp = new Interpreter(m, new Interpreter.Options())) {
            return run(interp, x);
        }
    }

    /** The values and indices outputs. */
    private static List<Object> run(Interpreter interp, float[] x) {
        interp.setInput(0, x);
        interp.invoke();
        float[] values = new float[interp.getOutputTensor(0).numElements()];
        int[] indices = new int[interp.getOutputTensor(1).numElements()];
        interp.getOutput(0, values);
        interp.getOutput(1, indices);
        return List.of(values, indices);
    }

    /** Same ids, same value bits (NaN values too: the replay copies the input's bits). */
    private static void assertSame(List<Object> expected, List<Object> actual, String what) {
        int[] ei = (int[]) expected.get(1), ai = (int[]) actual.get(1);
        if (!Arrays.equals(ei, ai)) fail(what + ": ids " + Arrays.toString(ai) + ", expected " + Arrays.toString(ei));
        float[] ev = (float[]) expected.get(0), av = (float[]) actual.get(0);
        for (int j = 0; j < ev.length; j++) {
            if (Float.floatToRawIntBits(ev[j]) != Float.floatToRawIntBits(av[j])) {
                fail(what + ": value " + j + " is " + av[j] + ", expected " + ev[j]);
            }
        }
        assertTrue(ev.length > 0);
    }
}
