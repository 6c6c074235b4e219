package org.tfl4j.conformance;

import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.GatherOptionsT;
import org.tensorflow.lite.schema.MulOptionsT;
import org.tensorflow.lite.schema.ReducerOptionsT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tfl4j.engine.Interpreter;
import org.tfl4j.engine.OutOfVocabularyException;
import org.tfl4j.engine.OutOfVocabularyPolicy;
import org.tfl4j.models.TfliteWriter;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.TensorType;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tfl4j's handling of untrusted inputs beside the official TFLite 2.21 runtime (builtin kernels, 1 thread):
 * <ul>
 *   <li>ids outside the vocabulary: TFLite fails the invocation (its GATHER returns an error) exactly when tfl4j's
 *       default policy ({@link OutOfVocabularyPolicy#REJECT}) refuses the input; with
 *       {@link OutOfVocabularyPolicy#MAP_TO_PADDING} tfl4j's outputs are bit for bit TFLite's on the input with those
 *       ids replaced by 0. On the four MovieLens models and on a small model with an int64 id input.</li>
 *   <li>NaN and infinities in float inputs: not checked, they go through the ops; every output (NaN-ness, NaN bits,
 *       infinities, clamps to +-FLT_MAX, TOPK_V2's order around NaN) equals TFLite's bits, except the sign and payload
 *       of a NaN where two different NaNs meet (not modelled; NaN-ness and everything else still equal).</li>
 * </ul>
 */
class UntrustedInputConformanceTest {

    private static final String[] MODELS = {"model_history10_top100.tflite", "recommendation_cnn_i10o100.tflite",
        "recommendation_rnn_i10o100.tflite", "recommendation_cnn_i10i32o100.tflite"};

    @Test
    void outOfVocabularyIdsFailInTfliteExactlyWhenTfl4jRejectsThemAndMapToPaddingIsTfliteOnZeros() {
        ReferenceAssumptions.assumeAvailable();
        for (String file : MODELS) {
            Path path = MovieLensFixtures.model(file);
            Random random = new Random(file.hashCode());
            Comparison mapped = new Comparison(file + " MAP_TO_PADDING", "model", OpConformance.BUILTIN_1_THREAD, 0);
            Interpreter.Options mapping = new Interpreter.Options().setOutOfVocabularyPolicy(OutOfVocabularyPolicy.MAP_TO_PADDING);
            try (Interpreter reject = new Interpreter(path); Interpreter map = new Interpreter(path, mapping)) {
                boolean genres = reject.getInputTensorCount() == 2;
                for (int c = 0; c < 40; c++) {
                    int[][] bad = {ids(random, 10, 3953), genres ? ids(random, 32, 19) : null};
                    int[][] zeroed = {bad[0].clone(), genres ? bad[1].clone() : null};
                    int badIds = 1 + random.nextInt(3);
                    for (int b = 0; b < badIds; b++) {
                        int k = genres && random.nextBoolean() ? 1 : 0;
                        int at = random.nextInt(bad[k].length);
                        bad[k][at] = outOfRange(random, k == 0 ? 3953 : 19);
                        zeroed[k][at] = 0;
                    }
                    Object[] badInputs = genres ? new Object[] {bad[0], bad[1]} : new Object[] {bad[0]};
                    Object[] zeroInputs = genres ? new Object[] {zeroed[0], zeroed[1]} : new Object[] {zeroed[0]};
                    try (TfliteReference reference = TfliteReference.open(path)) {
                        assertThrows(RuntimeException.class, () -> reference.run(badInputs), file + ": TFLite ran out-of-range ids");
                    }
                    assertThrows(OutOfVocabularyException.class, () -> Tfl4jRunner.run(reject, badInputs));
                    Object[] expected;
                    try (TfliteReference reference = TfliteReference.open(path)) {
                        expected = reference.run(zeroInputs);
                    }
                    mapped.addCase("case " + c, Comparison.describeInputs(badInputs), expected, Tfl4jRunner.run(map, badInputs));
                }
            }
            System.out.println(mapped.line());
            assertEquals(40, mapped.cases());
            assertTrue(mapped.conformant(), () -> mapped.describeFailures(10));
        }
    }

    /**
     * ids int32[2, 3] -> RESHAPE [6] -> GATHER rows of a [5, 4] table, masked by NOT_EQUAL(ids, 0) as the models do
     * (CAST, RESHAPE [6, 1], MUL); cols int64[3] -> GATHER rows of a [3, 2] table directly.
     */
    private static byte[] smallIdModel(Random random) {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int ids = g.tensor("ids", TensorType.INT32, 2, 3);
        int cols = g.tensor("cols", TensorType.INT64, 3);
        int flat = g.tensor("flat", TensorType.INT32, 6);
        int table = g.constant("table", new int[] {5, 4}, floats(random, 20));
        int small = g.constant("small", new int[] {3, 2}, floats(random, 6));
        int zero = g.constant("zero", new int[] {}, new int[] {0});
        int rows = g.tensor("rows", TensorType.FLOAT32, 6, 4);
        int keep = g.tensor("keep", TensorType.BOOL, 6);
        int keepFloat = g.tensor("keep_float", TensorType.FLOAT32, 6);
        int mask = g.tensor("mask", TensorType.FLOAT32, 6, 1);
        int masked = g.tensor("masked", TensorType.FLOAT32, 6, 4);
        int picked = g.tensor("picked", TensorType.FLOAT32, 3, 2);
        g.op(BuiltinOp.RESHAPE, reshape(6), new int[] {ids, g.constant("s6", new int[] {1}, new int[] {6})}, new int[] {flat});
        g.op(BuiltinOp.GATHER, new GatherOptionsT(), new int[] {table, flat}, new int[] {rows});
        g.op(BuiltinOp.NOT_EQUAL, null, new int[] {flat, zero}, new int[] {keep});
        g.op(BuiltinOp.CAST, null, new int[] {keep}, new int[] {keepFloat});
        g.op(BuiltinOp.RESHAPE, reshape(6, 1), new int[] {keepFloat, g.constant("s61", new int[] {2}, new int[] {6, 1})},
                new int[] {mask});
        g.op(BuiltinOp.MUL, new MulOptionsT(), new int[] {rows, mask}, new int[] {masked});
        g.op(BuiltinOp.GATHER, new GatherOptionsT(), new int[] {small, cols}, new int[] {picked});
        g.inputs(ids, cols).outputs(masked, picked);
        return w.toBytes();
    }

    @Test
    void outOfVocabularyIdsOnASmallModelWithInt64Ids() {
        ReferenceAssumptions.assumeAvailable();
        Random random = new Random(53);
        byte[] model = smallIdModel(random);
        Comparison mapped = new Comparison("small id model MAP_TO_PADDING", "model", OpConformance.BUILTIN_1_THREAD, 0);
        Interpreter.Options mapping = new Interpreter.Options().setOutOfVocabularyPolicy(OutOfVocabularyPolicy.MAP_TO_PADDING);
        try (Interpreter reject = new Interpreter(ByteBuffer.wrap(model));
             Interpreter map = new Interpreter(ByteBuffer.wrap(model), mapping)) {
            assertEquals(5, reject.model().vocabularySize(0));
            assertEquals(3, reject.model().vocabularySize(1));
            for (int c = 0; c < 60; c++) {
                int[] ids = ids(random, 6, 5);
                long[] cols = {random.nextInt(3), random.nextInt(3), random.nextInt(3)};
                int[] idsZeroed = ids.clone();
                long[] colsZeroed = cols.clone();
                boolean anyBad = c % 6 != 0; // every sixth case all in range: both runtimes run it
                if (anyBad) {
                    if (random.nextBoolean()) {
                        int at = random.nextInt(6);
                        ids[at] = outOfRange(random, 5);
                        idsZeroed[at] = 0;
                    } else {
                        int at = random.nextInt(3);
                        cols[at] = random.nextBoolean() ? -1 - random.nextInt(1 << 20) : 3L + random.nextInt(1 << 20);
                        colsZeroed[at] = 0;
                    }
                }
                Object[] in = {ids, cols};
                try (TfliteReference reference = TfliteReference.open("small id model", model, 1, false)) {
                    if (anyBad) {
                        assertThrows(RuntimeException.class, () -> reference.run(in), "TFLite ran out-of-range ids");
                        assertThrows(OutOfVocabularyException.class, () -> Tfl4jRunner.run(reject, in));
                    } else {
                        Tfl4jRunner.run(reject, in);
                    }
                }
                try (TfliteReference reference = TfliteReference.open("small id model", model, 1, false)) {
                    mapped.addCase("case " + c, Comparison.describeInputs(in), reference.run(idsZeroed, colsZeroed),
                            Tfl4jRunner.run(map, in));
                }
            }
        }
        System.out.println(mapped.line());
        assertTrue(mapped.conformant(), () -> mapped.describeFailures(10));
    }

    /**
     * NaN, +-Inf, signed zeros and huge values in the float input of the models' tail written with float input:
     * x [1, 16] -> FULLY_CONNECTED [16 -> 16] + bias, RELU -> FULLY_CONNECTED [16 -> 40], no bias -> RESHAPE [40]
     * -> TOPK_V2 (k = 10) -> LOGISTIC of the values; and a pooling chain: x [1, 8, 4] -> MUL by a [1, 8, 1] mask
     * -> SUM over axis 1 -> REDUCE_MAX over axis 1 of the product as well (outputs: sum, max).
     */
    @Test
    void nanAndInfinityInFloatInputsGiveTflitesBits() {
        ReferenceAssumptions.assumeAvailable();
        Random random = new Random(754);
        byte[] tail = tailModel(random);
        byte[] pooling = poolingModel(random);
        List<OpCase> strict = new ArrayList<>();
        List<OpCase> mixed = new ArrayList<>();
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f, Float.MAX_VALUE,
            -Float.MAX_VALUE, Float.MIN_VALUE, Float.intBitsToFloat(0xffc00000) /* negative quiet NaN */};
        for (int c = 0; c < 120; c++) {
            float[] x = floats(random, 16);
            float[] p = floats(random, 32);
            int kind = c % 6;
            for (float[] v : new float[][] {x, p}) {
                switch (kind) {
                    case 0 -> v[random.nextInt(v.length)] = Float.NaN;                       // one NaN
                    case 1 -> v[random.nextInt(v.length)] = random.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
                    case 2 -> { for (int i = 0; i < v.length; i++) if (random.nextInt(3) == 0) v[i] = specials[random.nextInt(specials.length)]; }
                    case 3 -> java.util.Arrays.fill(v, Float.NaN);                            // all NaN
                    case 4 -> { v[0] = Float.POSITIVE_INFINITY; v[1] = Float.NEGATIVE_INFINITY; } // inf - inf = NaN
                    default -> { for (int i = 0; i < v.length; i++) v[i] = random.nextBoolean() ? 3e38f : -3e38f; } // overflow
                }
            }
            List<OpCase> list = kind == 2 ? mixed : strict;
            list.add(new OpCase("tail, kind " + kind + ", case " + c, tail, new Object[] {x}));
            list.add(new OpCase("pooling, kind " + kind + ", case " + c, pooling, new Object[] {p}));
        }
        Comparison c = new Comparison("NaN and Inf inputs", "model", OpConformance.BUILTIN_1_THREAD, 0);
        for (OpCase oc : strict) OpConformance.compare(c, oc, new Interpreter.Options());
        System.out.println(c.line());
        assertEquals(strict.size(), c.cases());
        assertTrue(c.conformant(), () -> c.describeFailures(20));

        // Mixed specials: two different NaNs can meet in one addition or max (an input NaN and the negative default
        // NaN that x86 makes of Inf - Inf or 0 * Inf). Which one survives is not modelled (docs/conformance.md): there
        // only the NaN's sign and payload may differ. Every id, every non-NaN bit and where the NaNs are must match.
        long floats = 0;
        long nanBitsDiffer = 0;
        for (OpCase oc : mixed) {
            Object[] expected;
            try (TfliteReference reference = TfliteReference.open(oc.name(), oc.model(), 1, false)) {
                expected = reference.run(oc.inputs());
            }
            Object[] actual;
            try (Interpreter tfl4j = new Interpreter(ByteBuffer.wrap(oc.model()))) {
                actual = Tfl4jRunner.run(tfl4j, oc.inputs());
            }
            for (int k = 0; k < expected.length; k++) {
                if (expected[k] instanceof int[]) {
                    assertArrayEquals((int[]) expected[k], (int[]) actual[k], oc.name() + " output " + k);
                    continue;
                }
                float[] e = (float[]) expected[k];
                float[] a = (float[]) actual[k];
                for (int i = 0; i < e.length; i++, floats++) {
                    String where = oc.name() + " output " + k + " [" + i + "]: TFLite " + Comparison.hex(e[i]) + ", tfl4j " + Comparison.hex(a[i]);
                    assertEquals(Float.isNaN(e[i]), Float.isNaN(a[i]), where);
                    if (Float.isNaN(e[i])) {
                        if (Float.floatToRawIntBits(e[i]) != Float.floatToRawIntBits(a[i])) nanBitsDiffer++;
                    } else {
                        assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), where);
                    }
                }
            }
        }
        System.out.printf("NaN and Inf inputs, mixed NaNs: %d cases, %d float values, NaN-ness and all other bits identical;"
                + " %d NaNs with another sign or payload%n", mixed.size(), floats, nanBitsDiffer);
    }

    private static byte[] tailModel(Random random) {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int x = g.tensor("x", TensorType.FLOAT32, 1, 16);
        int h = g.tensor("h", TensorType.FLOAT32, 1, 16);
        int logits = g.tensor("logits", TensorType.FLOAT32, 1, 40);
        int flat = g.tensor("flat", TensorType.FLOAT32, 40);
        int values = g.tensor("values", TensorType.FLOAT32, 10);
        int indices = g.tensor("indices", TensorType.INT32, 10);
        int scores = g.tensor("scores", TensorType.FLOAT32, 10);
        FullyConnectedOptionsT relu = new FullyConnectedOptionsT();
        relu.setFusedActivationFunction(ActivationFunctionType.RELU);
        g.op(BuiltinOp.FULLY_CONNECTED, relu, new int[] {x, g.constant("w1", new int[] {16, 16}, floats(random, 256)),
            g.constant("b1", new int[] {16}, floats(random, 16))}, new int[] {h});
        g.op(BuiltinOp.FULLY_CONNECTED, new FullyConnectedOptionsT(),
                new int[] {h, g.constant("labels", new int[] {40, 16}, floats(random, 640)), -1}, new int[] {logits});
        g.op(BuiltinOp.RESHAPE, reshape(40), new int[] {logits, g.constant("s40", new int[] {1}, new int[] {40})}, new int[] {flat});
        g.op(BuiltinOp.TOPK_V2, null, new int[] {flat, g.constant("k", new int[] {}, new int[] {10})}, new int[] {values, indices});
        g.op(BuiltinOp.LOGISTIC, null, new int[] {values}, new int[] {scores});
        g.inputs(x).outputs(indices, scores, logits);
        return w.toBytes();
    }

    private static byte[] poolingModel(Random random) {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int x = g.tensor("x", TensorType.FLOAT32, 1, 8, 4);
        float[] maskValues = new float[8];
        for (int i = 0; i < 8; i++) maskValues[i] = i < 6 ? 1 : 0;
        int mask = g.constant("mask", new int[] {1, 8, 1}, maskValues);
        int product = g.tensor("product", TensorType.FLOAT32, 1, 8, 4);
        int sum = g.tensor("sum", TensorType.FLOAT32, 1, 4);
        int max = g.tensor("max", TensorType.FLOAT32, 1, 4);
        int axis = g.constant("axis", new int[] {1}, new int[] {1});
        g.op(BuiltinOp.MUL, new MulOptionsT(), new int[] {x, mask}, new int[] {product});
        g.op(BuiltinOp.SUM, new ReducerOptionsT(), new int[] {product, axis}, new int[] {sum});
        g.op(BuiltinOp.REDUCE_MAX, new ReducerOptionsT(), new int[] {product, axis}, new int[] {max});
        g.inputs(x).outputs(sum, max);
        return w.toBytes();
    }

    private static ReshapeOptionsT reshape(int... shape) {
        ReshapeOptionsT o = new ReshapeOptionsT();
        o.setNewShape(shape);
        return o;
    }

    private static int[] ids(Random random, int n, int vocabulary) {
        int[] ids = new int[n];
        int used = random.nextInt(n + 1);
        for (int i = 0; i < used; i++) ids[i] = 1 + random.nextInt(vocabulary - 1);
        return ids;
    }

    private static int outOfRange(Random random, int vocabulary) {
        switch (random.nextInt(4)) {
            case 0: return vocabulary;
            case 1: return -1;
            case 2: return vocabulary + random.nextInt(Integer.MAX_VALUE - vocabulary);
            default: return Integer.MIN_VALUE + random.nextInt(1 << 20);
        }
    }

    private static float[] floats(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) random.nextGaussian();
        return v;
    }
}
