package org.tfl4j.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.CastOptionsT;
import org.tensorflow.lite.schema.GatherOptionsT;
import org.tensorflow.lite.schema.MulOptionsT;
import org.tensorflow.lite.schema.ReducerOptionsT;
import org.tensorflow.lite.schema.TensorType;
import org.tfl4j.engine.ops.Node;
import org.tfl4j.engine.ops.OpKernel;
import org.tfl4j.engine.ops.OpRegistry;
import org.tfl4j.engine.ops.TensorSpec;
import org.tfl4j.parser.BuiltinOp;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fusion pass ({@link org.tfl4j.engine.ops.GraphFusion}) and its masked-embedding fusion: a model loaded with
 * fusion on computes the same bits as with it off (every op's own kernel), on the four MovieLens models over seeded
 * histories and on small GATHER + MUL + SUM chains with special values; a bad id fails with the same exception and
 * message; a kernel swapped into the registry is never fused away; an intermediate something else reads is never
 * left unwritten; and the memory plan keeps what the fused node reads alive until it runs. Outputs compare by bits,
 * except that where the inputs hold NaNs of several payloads two NaNs compare equal (which one survives when two meet
 * is not reproduced, see {@link org.tfl4j.kernels.Mul}).
 */
class EmbeddingFusionTest {
    private static final int MOVIES = 3953;  // rows of the movie embedding tables (id 0 pads)
    private static final int GENRES = 19;    // rows of the genre embedding table

    // ---- the MovieLens models ----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"model_history10_top100.tflite", "recommendation_cnn_i10o100.tflite",
            "recommendation_rnn_i10o100.tflite", "recommendation_cnn_i10i32o100.tflite"})
    void fusedAndUnfusedGiveTheSameBitsOnTheMovieLensModels(String file) {
        Path path = model(file);
        Model fused = Model.load(path, new Interpreter.Options());
        Model unfused = Model.load(path, new Interpreter.Options().setFusion(false));
        System.out.println("EmbeddingFusionTest " + file + ": " + fused.fusions());
        String scoring = "FULLY_CONNECTED + RESHAPE + TOPK_V2";
        assertEquals(file.startsWith("model_history") ? List.of("GATHER + MUL + SUM", scoring)
                        : file.contains("i32") ? List.of("GATHER + MUL", "GATHER + MUL", scoring)
                        : List.of("GATHER + MUL", scoring),
                kinds(fused), file);
        assertEquals(List.of(), unfused.fusions());
        Random random = new Random(20240613L);
        int histories = 300;
        try (Interpreter a = new Interpreter(fused, new Interpreter.Options());
             Interpreter b = new Interpreter(unfused, new Interpreter.Options())) {
            for (int h = 0; h < histories; h++) {
                Object[] inputs = new Object[fused.inputCount()];
                for (int k = 0; k < inputs.length; k++) {
                    int count = fused.input(k).numElements();
                    inputs[k] = history(random, h, count, count == 32 ? GENRES : MOVIES);
                }
                assertSameOutputs(run(b, inputs), run(a, inputs), file + " history " + h + " " + Arrays.deepToString(inputs));
            }
        }
        System.out.println("EmbeddingFusionTest " + file + ": " + histories + " histories bit-identical fused and unfused");
    }

    /** A history of {@code count} ids below {@code rows}: padding (0), repeats, extremes, and some all-alike ones. */
    private static int[] history(Random random, int h, int count, int rows) {
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            switch (h % 10 == 0 ? h / 10 % 3 : 3) {
                case 0: ids[i] = 0; break;                      // all padding: the sum of only masked rows
                case 1: ids[i] = rows - 1; break;               // the last row, repeated
                case 2: ids[i] = i % 2 == 0 ? 1 : rows - 1; break;
                default: {
                    int pick = random.nextInt(10);
                    ids[i] = pick < 2 ? 0 : pick < 4 && i > 0 ? ids[random.nextInt(i)] : 1 + random.nextInt(rows - 1);
                }
            }
        }
        return ids;
    }

    @Test
    void aBadIdFailsTheSameWayFusedOrNotInTheBagOfWordsModel() {
        Path path = model("model_history10_top100.tflite");
        try (Interpreter fused = new Interpreter(path, new Interpreter.Options());
             Interpreter unfused = new Interpreter(path, new Interpreter.Options().setFusion(false))) {
            int[] good = {2858, 260, 1196, 1210, 480, 2028, 589, 2571, 1270, 593};
            for (int bad : new int[] {MOVIES, -1, Integer.MIN_VALUE}) {
                int[] ids = good.clone();
                ids[3] = bad;
                String expected = assertThrows(InvalidInputException.class, () -> run(unfused, new Object[] {ids})).getMessage();
                String actual = assertThrows(InvalidInputException.class, () -> run(fused, new Object[] {ids})).getMessage();
                assertEquals(expected, actual);
                // The ids are a graph input: the vocabulary check before the run refuses them, fused or not.
                assertTrue(actual.startsWith("input 0 'context_input_placeholder' INT32[10]: id " + bad + " at [3] is outside"), actual);
            }
            assertSameOutputs(run(unfused, new Object[] {good}), run(fused, new Object[] {good}), "after the failures");
        }
    }

    @Test
    void aSwappedKernelInTheBagOfWordsModelStillRuns() {
        Path path = model("model_history10_top100.tflite");
        int[] ids = {2858, 260, 0, 1210, 480, 2028, 0, 2571, 1270, 593};
        List<Object> reference = runOnce(Model.load(path, new Interpreter.Options().setFusion(false)), new Object[] {ids});
        // SUM swapped: GATHER + MUL still fuse (their product is written for the swapped SUM), and both SUMs run it.
        String scoring = "FULLY_CONNECTED + RESHAPE + TOPK_V2";
        assertSwappedKernelRuns(path, BuiltinOp.SUM, 2, List.of("GATHER + MUL", scoring), new Object[] {ids}, reference);
        assertSwappedKernelRuns(path, BuiltinOp.MUL, 2, List.of(scoring), new Object[] {ids}, reference);
        assertSwappedKernelRuns(path, BuiltinOp.GATHER, 1, List.of(scoring), new Object[] {ids}, reference);
    }

    private static void assertSwappedKernelRuns(Path path, int code, int nodesOfCode, List<String> kinds, Object[] inputs,
                                                List<Object> reference) {
        AtomicLong runs = new AtomicLong();
        OpRegistry registry = OpRegistry.builtins().withKernel(code, counting(OpRegistry.builtins().kernel(code), runs));
        Model m = Model.load(path, new Interpreter.Options().setOpRegistry(registry));
        String what = BuiltinOp.name(code) + " swapped in " + path.getFileName();
        assertEquals(kinds, kinds(m), what);
        assertSameOutputs(reference, runOnce(m, inputs), what);
        assertEquals(nodesOfCode, runs.get(), what + ": runs of the swapped kernel in one inference");
    }

    // ---- small chains --------------------------------------------------------------------------------------------

    /**
     * {@code ids int32[groups, n]} and a mask {@code [groups, n, 1]} (float32, or int32 through a CAST) in;
     * {@code GATHER(const table [rows, dim], ids) -> MUL(gathered, mask) -> SUM(axes)} out, with variations.
     */
    private static final class Chain {
        int rows = 7, dim = 5, groups = 2, n = 4;
        float[] table;
        byte activation = ActivationFunctionType.NONE;
        boolean keepDims;
        int[] sumAxes = {1};          // null: no SUM, the product is the output
        boolean maskFromInts;         // the mask is CAST(int32 input): an intermediate whose life ends at the MUL
        boolean maskFirst;            // MUL(mask, gathered)
        boolean gatheredIsOutput;
        boolean productIsOutput;

        int idsTensor, maskTensor, gatheredTensor, productTensor, outTensor;

        Chain table(Random random) {
            table = new float[rows * dim];
            for (int k = 0; k < table.length; k++) table[k] = (float) random.nextGaussian();
            return this;
        }

        ByteBuffer build() {
            TinyModel m = new TinyModel();
            idsTensor = m.tensor("ids", TensorType.INT32, groups, n);
            int maskIn = m.tensor("mask_in", maskFromInts ? TensorType.INT32 : TensorType.FLOAT32, groups, n, 1);
            int tableTensor = m.constFloats("table", new int[] {rows, dim}, table);
            if (maskFromInts) {
                maskTensor = m.tensor("mask", TensorType.FLOAT32, groups, n, 1);
                CastOptionsT cast = new CastOptionsT();
                cast.setInDataType(TensorType.INT32);
                cast.setOutDataType(TensorType.FLOAT32);
                m.op(BuiltinOp.CAST, BuiltinOptions.CastOptions, cast, new int[] {maskIn}, new int[] {maskTensor});
            } else {
                maskTensor = maskIn;
            }
            gatheredTensor = m.tensor("gathered", TensorType.FLOAT32, groups, n, dim);
            GatherOptionsT gather = new GatherOptionsT();
            m.op(BuiltinOp.GATHER, BuiltinOptions.GatherOptions, gather, new int[] {tableTensor, idsTensor}, new int[] {gatheredTensor});
            productTensor = m.tensor("product", TensorType.FLOAT32, groups, n, dim);
            MulOptionsT mul = new MulOptionsT();
            mul.setFusedActivationFunction(activation);
            m.op(BuiltinOp.MUL, BuiltinOptions.MulOptions, mul,
                    maskFirst ? new int[] {maskTensor, gatheredTensor} : new int[] {gatheredTensor, maskTensor},
                    new int[] {productTensor});
            List<Integer> outputs = new ArrayList<>();
            if (sumAxes != null) {
                outTensor = m.tensor("pooled", TensorType.FLOAT32, reducedShape(new int[] {groups, n, dim}, sumAxes, keepDims));
                int axes = m.constInts("axes", new int[] {sumAxes.length}, sumAxes);
                ReducerOptionsT sum = new ReducerOptionsT();
                sum.setKeepDims(keepDims);
                m.op(BuiltinOp.SUM, BuiltinOptions.ReducerOptions, sum, new int[] {productTensor, axes}, new int[] {outTensor});
                outputs.add(outTensor);
                if (productIsOutput) outputs.add(productTensor);
            } else {
                outTensor = productTensor;
                outputs.add(productTensor);
            }
            if (gatheredIsOutput) outputs.add(gatheredTensor);
            return m.build(new int[] {idsTensor, maskIn}, outputs.stream().mapToInt(Integer::intValue).toArray());
        }

        private static int[] reducedShape(int[] shape, int[] axes, boolean keepDims) {
            boolean[] reduced = new boolean[shape.length];
            for (int a : axes) reduced[a < 0 ? a + shape.length : a] = true;
            List<Integer> out = new ArrayList<>();
            for (int d = 0; d < shape.length; d++) {
                if (!reduced[d]) out.add(shape[d]);
                else if (keepDims) out.add(1);
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }

        Object[] inputs(Random random, float[] maskValues) {
            int[] ids = new int[groups * n];
            for (int i = 0; i < ids.length; i++) ids[i] = random.nextInt(3) == 0 ? 0 : random.nextInt(rows);
            if (maskFromInts) {
                int[] mask = new int[groups * n];
                for (int i = 0; i < mask.length; i++) mask[i] = random.nextInt(4) == 0 ? 0 : random.nextInt(3) == 0 ? -2 : 1;
                return new Object[] {ids, mask};
            }
            float[] mask = new float[groups * n];
            for (int i = 0; i < mask.length; i++) mask[i] = maskValues[random.nextInt(maskValues.length)];
            return new Object[] {ids, mask};
        }
    }

    private static final float[] SPECIALS = {
        0f, -0f, Float.MIN_VALUE, -1e-40f, Float.MIN_NORMAL, -Float.MIN_NORMAL, 1e-20f, -1e-20f, 1e20f, 3e38f,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        Float.intBitsToFloat(0x7fc0_0abc), 1f, -1f, 0.5f, 6f, 7f, -3f,
    };
    /** {@link #SPECIALS} with x86's default NaN (what {@code inf * 0} makes) as the only NaN: every NaN has its bits. */
    private static final float[] SPECIALS_ONE_NAN = SPECIALS.clone();

    static {
        for (int i = 0; i < SPECIALS_ONE_NAN.length; i++) {
            if (Float.isNaN(SPECIALS_ONE_NAN[i])) SPECIALS_ONE_NAN[i] = Float.intBitsToFloat(0xffc0_0000);
        }
    }

    @Test
    void chainsWithSpecialValuesGiveTheSameBitsFusedOrNot() {
        Random random = new Random(20240614L);
        byte[] activations = {ActivationFunctionType.NONE, ActivationFunctionType.RELU, ActivationFunctionType.RELU6,
                ActivationFunctionType.RELU_N1_TO_1};
        int[][] axesVariants = {{1}, {-2}, {1, 1}};
        int chains = 0;
        for (int dim : new int[] {1, 3, 8, 16, 19, 33}) {
            for (int n : new int[] {1, 2, 10}) {
                for (byte activation : activations) {
                    for (int variant = 0; variant < 4; variant++) {
                        Chain c = new Chain();
                        c.dim = dim;
                        c.n = n;
                        c.groups = 1 + variant % 3;
                        c.activation = activation;
                        c.keepDims = variant % 2 == 1;
                        c.sumAxes = variant == 3 ? null : axesVariants[variant];
                        c.table(random);
                        boolean strict = chains % 2 == 0; // then the only NaN is the default NaN
                        float[] specials = strict ? SPECIALS_ONE_NAN : SPECIALS;
                        for (int k = 0; k < c.table.length; k++) {
                            if (random.nextInt(4) == 0) c.table[k] = specials[random.nextInt(specials.length)];
                        }
                        String what = "dim " + dim + " n " + n + " groups " + c.groups + " activation " + activation
                                + " keepDims " + c.keepDims + " axes " + Arrays.toString(c.sumAxes)
                                + (strict ? " one NaN" : " several NaNs");
                        ByteBuffer model = c.build();
                        Model fused = Model.load(model.duplicate(), new Interpreter.Options());
                        Model unfused = Model.load(model.duplicate(), new Interpreter.Options().setFusion(false));
                        assertEquals(c.sumAxes == null ? List.of("GATHER + MUL") : List.of("GATHER + MUL + SUM"), kinds(fused), what);
                        for (int run = 0; run < 20; run++) {
                            Object[] inputs = c.inputs(random, run % 2 == 0 ? specials : new float[] {0f, 1f});
                            assertSameOutputs(runOnce(unfused, inputs), runOnce(fused, inputs), what + " inputs "
                                    + Arrays.deepToString(inputs) + " table " + Arrays.toString(c.table), strict);
                        }
                        chains++;
                    }
                }
            }
        }
        System.out.println("EmbeddingFusionTest: " + chains + " small chains bit-identical fused and unfused");
    }

    /** An intermediate that something else reads (or that is a graph output) is always written: no fusion skips it. */
    @Test
    void intermediatesSeenElsewhereAreNotFusedAway() {
        Random random = new Random(7);
        Chain gatheredOut = new Chain().table(random);
        gatheredOut.gatheredIsOutput = true;
        assertFusedAs(gatheredOut, List.of(), random);

        Chain productOut = new Chain().table(random);
        productOut.productIsOutput = true;
        assertFusedAs(productOut, List.of("GATHER + MUL"), random);

        Chain maskFirst = new Chain().table(random);
        maskFirst.maskFirst = true;
        assertFusedAs(maskFirst, List.of(), random);

        Chain overEmbedding = new Chain().table(random);
        overEmbedding.sumAxes = new int[] {2}; // a sum over each embedding, not over the ids
        assertFusedAs(overEmbedding, List.of("GATHER + MUL"), random);

        Chain overAll = new Chain().table(random);
        overAll.sumAxes = new int[] {0, 1};    // a different order of additions than the fused sum's
        overAll.groups = 2;
        assertFusedAs(overAll, List.of("GATHER + MUL"), random);
    }

    private static void assertFusedAs(Chain c, List<String> kinds, Random random) {
        ByteBuffer model = c.build();
        Model fused = Model.load(model.duplicate(), new Interpreter.Options());
        assertEquals(kinds, kinds(fused));
        Model unfused = Model.load(model.duplicate(), new Interpreter.Options().setFusion(false));
        for (int run = 0; run < 10; run++) {
            Object[] inputs = c.inputs(random, SPECIALS);
            assertSameOutputs(runOnce(unfused, inputs), runOnce(fused, inputs), kinds + " " + Arrays.deepToString(inputs), false);
        }
    }

    @Test
    void aBadIdFailsTheSameWayFusedOrNotInAChain() {
        Chain c = new Chain().table(new Random(3));
        ByteBuffer model = c.build();
        for (int[] bad : new int[][] {{0, 1, 2, 3, 4, 5, 6, 7}, {0, 1, 2, 3, 4, 5, -1, 7}}) { // 7 rows: 7 is out
            Object[] inputs = {bad, new float[] {1, 1, 1, 1, 1, 1, 1, 1}};
            String expected = assertThrows(InvalidInputException.class,
                    () -> runOnce(Model.load(model.duplicate(), new Interpreter.Options().setFusion(false)), inputs)).getMessage();
            String actual = assertThrows(InvalidInputException.class,
                    () -> runOnce(Model.load(model.duplicate(), new Interpreter.Options()), inputs)).getMessage();
            assertEquals(expected, actual);
            assertTrue(actual.startsWith("input 0 'ids' INT32[2, 4]: id " + (bad[6] == -1 ? "-1 at [1, 2]" : "7 at [1, 3]")), actual);
        }
    }

    @Test
    void aSwappedKernelInAChainStillRuns() {
        Chain c = new Chain().table(new Random(5));
        ByteBuffer model = c.build();
        Object[] inputs = c.inputs(new Random(6), SPECIALS);
        List<Object> reference = runOnce(Model.load(model.duplicate(), new Interpreter.Options().setFusion(false)), inputs);
        for (int code : new int[] {BuiltinOp.GATHER, BuiltinOp.MUL, BuiltinOp.SUM}) {
            AtomicLong runs = new AtomicLong();
            OpRegistry registry = OpRegistry.builtins().withKernel(code, counting(OpRegistry.builtins().kernel(code), runs));
            Model m = Model.load(model.duplicate(), new Interpreter.Options().setOpRegistry(registry));
            assertEquals(code == BuiltinOp.SUM ? List.of("GATHER + MUL") : List.of(), kinds(m), BuiltinOp.name(code));
            assertSameOutputs(reference, runOnce(m, inputs), BuiltinOp.name(code) + " swapped", false);
            assertEquals(1, runs.get(), BuiltinOp.name(code) + " swapped: its kernel ran");
        }
    }

    /**
     * The fused sum reads the mask at the SUM's place in the run, after the mask's last use in the graph (the MUL).
     * In this chain the plan without fusion puts the pooled output where the mask was (the mask is dead by then);
     * with fusion the mask must stay alive, and apart from the output, until the fused node has read it.
     */
    @Test
    void theMaskStaysAliveUntilTheFusedSumReadsIt() {
        Chain c = new Chain().table(new Random(11));
        c.dim = 1;             // the mask, the gathered rows and the products are the same size: the mask is placed first
        c.n = 4;
        c.groups = 3;
        c.maskFromInts = true; // the mask is an intermediate (CAST), not an input kept for the whole run
        c.table(new Random(11));
        ByteBuffer model = c.build();
        Model unfused = Model.load(model.duplicate(), new Interpreter.Options().setFusion(false));
        Model fused = Model.load(model.duplicate(), new Interpreter.Options());
        assertEquals(List.of("GATHER + MUL + SUM"), kinds(fused));
        assertTrue(overlap(unfused, c.maskTensor, c.outTensor),
                "precondition: without fusion the plan reuses the mask's buffer for the sum (else this tests nothing)");
        assertFalse(overlap(fused, c.maskTensor, c.outTensor), "the fused sum would overwrite the mask it reads");
        Random random = new Random(12);
        for (int run = 0; run < 20; run++) {
            Object[] inputs = c.inputs(random, SPECIALS);
            assertSameOutputs(runOnce(unfused, inputs), runOnce(fused, inputs), Arrays.deepToString(inputs), false);
        }
    }

    private static boolean overlap(Model m, int a, int b) {
        TensorSpec sa = m.spec(a), sb = m.spec(b);
        MemoryPlan plan = m.plan(org.tfl4j.parser.TensorType.FLOAT32);
        int oa = plan.offset(a), ob = plan.offset(b);
        return oa < ob + sb.elementCount() && ob < oa + sa.elementCount();
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static Path model(String file) {
        String dir = System.getProperty("tfl4j.models");
        if (dir == null) dir = System.getenv("TFL4J_MODELS");
        Path path = dir == null ? null : Path.of(dir).resolve(file);
        assumeTrue(path != null && Files.isRegularFile(path), "MovieLens model " + file + " not found (set -Dtfl4j.models)");
        return path;
    }

    /** "GATHER + MUL + SUM" per applied fusion, from Model.fusions()' lines ("ops 5, 6, 7: GATHER + MUL + SUM as ..."). */
    static List<String> kinds(Model m) {
        List<String> kinds = new ArrayList<>();
        for (String line : m.fusions()) kinds.add(line.substring(line.indexOf(": ") + 2, line.indexOf(" as ")));
        return kinds;
    }

    /** A kernel that runs {@code inner} and counts its nodes' runs. */
    private static OpKernel counting(OpKernel inner, AtomicLong runs) {
        return ctx -> {
            OpKernel.Prepared prepared = inner.prepare(ctx);
            return buffers -> {
                Node node = prepared.bind(buffers);
                return () -> {
                    runs.incrementAndGet();
                    node.run();
                };
            };
        };
    }

    private static List<Object> runOnce(Model m, Object[] inputs) {
        try (Interpreter interp = new Interpreter(m, new Interpreter.Options())) {
            return run(interp, inputs);
        }
    }

    /** Sets the inputs, invokes, and returns every output as a flat array of its type. */
    private static List<Object> run(Interpreter interp, Object[] inputs) {
        for (int k = 0; k < inputs.length; k++) interp.setInput(k, inputs[k]);
        interp.invoke();
        List<Object> outputs = new ArrayList<>();
        for (int k = 0; k < interp.getOutputTensorCount(); k++) {
            TensorInfo info = interp.getOutputTensor(k);
            Object out = info.dataType() == org.tfl4j.parser.TensorType.FLOAT32 ? new float[info.numElements()] : new int[info.numElements()];
            interp.getOutput(k, out);
            outputs.add(out);
        }
        return outputs;
    }

    private static void assertSameOutputs(List<Object> expected, List<Object> actual, String what) {
        assertSameOutputs(expected, actual, what, true);
    }

    /** Same outputs, by bits; unless {@code strict}, two NaNs count as equal. */
    private static void assertSameOutputs(List<Object> expected, List<Object> actual, String what, boolean strict) {
        assertEquals(expected.size(), actual.size(), what);
        for (int k = 0; k < expected.size(); k++) {
            Object e = expected.get(k), a = actual.get(k);
            if (e instanceof int[]) {
                if (!Arrays.equals((int[]) e, (int[]) a)) fail(what + ": output " + k + " differs: " + Arrays.toString((int[]) e) + " vs " + Arrays.toString((int[]) a));
                continue;
            }
            float[] ef = (float[]) e, af = (float[]) a;
            for (int i = 0; i < ef.length; i++) {
                boolean bothNan = !strict && Float.isNaN(ef[i]) && Float.isNaN(af[i]);
                if (!bothNan && Float.floatToRawIntBits(ef[i]) != Float.floatToRawIntBits(af[i])) {
                    fail(what + ": output " + k + " element " + i + " unfused " + ef[i] + " (0x"
                            + Integer.toHexString(Float.floatToRawIntBits(ef[i])) + ") fused " + af[i] + " (0x"
                            + Integer.toHexString(Float.floatToRawIntBits(af[i])) + ")");
                }
            }
        }
    }
}
