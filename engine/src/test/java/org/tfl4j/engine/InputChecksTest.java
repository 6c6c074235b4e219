package org.tfl4j.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.GatherOptionsT;
import org.tensorflow.lite.schema.MulOptionsT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.TensorType;
import org.tfl4j.engine.ops.OpRegistry;
import org.tfl4j.parser.BuiltinOp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Run-time input checks at the API boundary: wrong type, shape, length, nulls, wrong counts (an
 * {@link InvalidInputException} naming the input and what it expected), ids outside the vocabulary of the GATHER
 * they feed ({@link OutOfVocabularyException} before any op runs, or {@link OutOfVocabularyPolicy#MAP_TO_PADDING}),
 * and that a rejected request leaves the interpreter as it was. Expected values are hand-computed (gathers copy
 * table rows) or runs of the same engine on the corrected input; TFLite's side is in the conformance module.
 */
class InputChecksTest {

    // Row r of TABLE is {10r, 10r + 1}: a gathered row names its id.
    private static final float[] TABLE = {0, 1, 10, 11, 20, 21, 30, 31, 40, 41};     // [5, 2]
    private static final float[] WIDE = {0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32}; // [4, 3]
    private static final float[] SMALL = {-0f, 0.5f, 1.5f, 2.5f, 3.5f, 4.5f};          // [3, 2]

    /**
     * Four inputs: 0 {@code ids} int32[2, 3] -> RESHAPE [6] -> GATHER rows of TABLE [5, 2] (vocabulary 5);
     * 1 {@code cols} int64[3] -> GATHER along axis 1 of WIDE [4, 3] (vocabulary 3); 2 {@code x} float32[3] -> MUL by 2
     * (no ids); 3 {@code two} int32[2] -> GATHER rows of TABLE and of SMALL [3, 2] (vocabulary 3, the smaller).
     * Outputs: 0 rows [6, 2], 1 picked [4, 3], 2 y [3], 3 a [2, 2], 4 b [2, 2].
     */
    static ByteBuffer idModel() {
        TinyModel m = new TinyModel();
        int ids = m.tensor("ids", TensorType.INT32, 2, 3);
        int cols = m.tensor("cols", TensorType.INT64, 3);
        int x = m.tensor("x", TensorType.FLOAT32, 3);
        int two = m.tensor("two", TensorType.INT32, 2);
        int shape = m.constInts("shape", new int[] {1}, 6);
        int table = m.constFloats("table", new int[] {5, 2}, TABLE);
        int wide = m.constFloats("wide", new int[] {4, 3}, WIDE);
        int small = m.constFloats("small", new int[] {3, 2}, SMALL);
        int c = m.constFloats("c", new int[] {3}, 2, 2, 2);
        int flat = m.tensor("flat", TensorType.INT32, 6);
        int rows = m.tensor("rows", TensorType.FLOAT32, 6, 2);
        int picked = m.tensor("picked", TensorType.FLOAT32, 4, 3);
        int y = m.tensor("y", TensorType.FLOAT32, 3);
        int a = m.tensor("a", TensorType.FLOAT32, 2, 2);
        int b = m.tensor("b", TensorType.FLOAT32, 2, 2);
        ReshapeOptionsT to6 = new ReshapeOptionsT();
        to6.setNewShape(new int[] {6});
        m.op(BuiltinOp.RESHAPE, BuiltinOptions.ReshapeOptions, to6, new int[] {ids, shape}, new int[] {flat});
        m.op(BuiltinOp.GATHER, BuiltinOptions.GatherOptions, gather(0), new int[] {table, flat}, new int[] {rows});
        m.op(BuiltinOp.GATHER, BuiltinOptions.GatherOptions, gather(1), new int[] {wide, cols}, new int[] {picked});
        m.op(BuiltinOp.MUL, BuiltinOptions.MulOptions, new MulOptionsT(), new int[] {x, c}, new int[] {y});
        m.op(BuiltinOp.GATHER, BuiltinOptions.GatherOptions, gather(0), new int[] {table, two}, new int[] {a});
        m.op(BuiltinOp.GATHER, BuiltinOptions.GatherOptions, gather(0), new int[] {small, two}, new int[] {b});
        m.signature("serving_default", new String[] {"ids", "cols", "x", "two"}, new int[] {ids, cols, x, two},
                new String[] {"rows", "picked", "y", "a", "b"}, new int[] {rows, picked, y, a, b});
        return m.build(new int[] {ids, cols, x, two}, new int[] {rows, picked, y, a, b});
    }

    private static GatherOptionsT gather(int axis) {
        GatherOptionsT o = new GatherOptionsT();
        o.setAxis(axis);
        return o;
    }

    /** The five outputs of one run. */
    private static Object[] run(Interpreter interp, int[] ids, long[] cols, float[] x, int[] two) {
        Object[] out = {new float[12], new float[12], new float[3], new float[4], new float[4]};
        Map<Integer, Object> outputs = new HashMap<>();
        for (int k = 0; k < out.length; k++) outputs.put(k, out[k]);
        interp.runForMultipleInputsOutputs(new Object[] {ids, cols, x, two}, outputs);
        return out;
    }

    private static float[] rowsOf(float[] table, int width, int... ids) {
        float[] out = new float[ids.length * width];
        for (int i = 0; i < ids.length; i++) System.arraycopy(table, ids[i] * width, out, i * width, width);
        return out;
    }

    private static final int[] IDS = {4, 0, 3, 1, 2, 4};
    private static final long[] COLS = {2, 0, 1};
    private static final float[] X = {1, -2, 0.25f};
    private static final int[] TWO = {2, 0};

    @Test
    void vocabulariesAreFoundThroughReshapesAtLoad() {
        Model model = Model.load(idModel(), new Interpreter.Options());
        assertEquals(5, model.vocabularySize(0));
        assertEquals(3, model.vocabularySize(1));
        assertEquals(-1, model.vocabularySize(2));
        assertEquals(3, model.vocabularySize(3));
        assertMessage(assertThrows(InvalidInputException.class, () -> model.vocabularySize(4)), "input index 4 out of range");
        // A GATHER the registry swaps for another kernel may mean anything by its inputs: no vocabulary then.
        OpRegistry swapped = OpRegistry.builtins().withKernel(BuiltinOp.GATHER,
                ctx -> OpRegistry.builtins().kernel(BuiltinOp.GATHER).prepare(ctx));
        Model custom = Model.load(idModel(), new Interpreter.Options().setOpRegistry(swapped));
        assertEquals(-1, custom.vocabularySize(0));
    }

    @Test
    void validIdsRunAsHandComputed() {
        try (Interpreter interp = new Interpreter(idModel())) {
            Object[] out = run(interp, IDS, COLS, X, TWO);
            assertBitsEqual(rowsOf(TABLE, 2, IDS), (float[]) out[0]);
            assertBitsEqual(new float[] {2, 0, 1, 12, 10, 11, 22, 20, 21, 32, 30, 31}, (float[]) out[1]);
            assertBitsEqual(new float[] {2, -4, 0.5f}, (float[]) out[2]);
            assertBitsEqual(rowsOf(TABLE, 2, TWO), (float[]) out[3]);
            assertBitsEqual(rowsOf(SMALL, 2, TWO), (float[]) out[4]);
        }
    }

    @Test
    void outOfVocabularyIdsAreRejectedBeforeAnyOpRuns() {
        try (Interpreter interp = new Interpreter(idModel())) {
            Object[] good = run(interp, IDS, COLS, X, TWO);

            int[] ids = IDS.clone();
            ids[5] = 5;
            OutOfVocabularyException e = assertThrows(OutOfVocabularyException.class, () -> run(interp, ids, COLS, X, TWO));
            assertEquals("input 0 'ids' INT32[2, 3]: id 5 at [1, 2] is outside the vocabulary, valid ids are 0 to 4"
                    + " (op 1 GATHER along axis 0 of tensor 5 'table' FLOAT32[5, 2]);"
                    + " Interpreter.Options.setOutOfVocabularyPolicy(MAP_TO_PADDING) maps such ids to 0", e.getMessage());
            assertEquals(0, e.inputIndex());
            assertEquals(5, e.position());
            assertEquals(5, e.id());
            assertEquals(5, e.vocabularySize());
            // No op ran: the outputs still hold the previous run's results.
            float[] rows = new float[12];
            interp.getOutput(0, rows);
            assertBitsEqual((float[]) good[0], rows);

            for (int bad : new int[] {-1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
                int[] neg = IDS.clone();
                neg[1] = bad;
                e = assertThrows(OutOfVocabularyException.class, () -> run(interp, neg, COLS, X, TWO));
                assertMessage(e, "input 0 'ids' INT32[2, 3]: id " + bad + " at [0, 1] is outside the vocabulary");
            }
            e = assertThrows(OutOfVocabularyException.class, () -> run(interp, IDS, new long[] {0, Long.MAX_VALUE, 1}, X, TWO));
            assertMessage(e, "input 1 'cols' INT64[3]: id 9223372036854775807 at [1] is outside the vocabulary, valid ids are 0 to 2"
                    + " (op 2 GATHER along axis 1 of tensor 6 'wide' FLOAT32[4, 3])");
            assertEquals(Long.MAX_VALUE, e.id());
            // Input 3 feeds two tables: an id the larger has but the smaller has not is refused, naming the smaller.
            e = assertThrows(OutOfVocabularyException.class, () -> run(interp, IDS, COLS, X, new int[] {0, 3}));
            assertMessage(e, "input 3 'two' INT32[2]: id 3 at [1] is outside the vocabulary, valid ids are 0 to 2 (op 5 GATHER"
                    + " along axis 0 of tensor 7 'small' FLOAT32[3, 2])");
            // Every path that fills inputs is checked: setInput with buffers, runSignature.
            interp.setInput(0, IntBuffer.wrap(new int[] {0, 0, 0, 0, 0, 9}));
            assertMessage(assertThrows(OutOfVocabularyException.class, interp::invoke), "id 9 at [1, 2]");
            assertMessage(assertThrows(OutOfVocabularyException.class, () -> interp.runSignature(
                    Map.of("ids", IDS, "cols", COLS, "x", X, "two", new int[] {-7, 0}), Map.of())), "id -7 at [0]");
            assertMessage(assertThrows(OutOfVocabularyException.class, () -> interp.invokeProfiled(new long[6])), "id -7 at [0]");

            // The interpreter takes the next request as if the bad ones never came.
            Object[] again = run(interp, IDS, COLS, X, TWO);
            for (int k = 0; k < good.length; k++) assertBitsEqual((float[]) good[k], (float[]) again[k]);
        }
    }

    @Test
    void mapToPaddingEqualsARunWithThoseIdsSetToZero() {
        Model model = Model.load(idModel(), new Interpreter.Options());
        Interpreter.Options mapping = new Interpreter.Options().setOutOfVocabularyPolicy(OutOfVocabularyPolicy.MAP_TO_PADDING);
        assertEquals(OutOfVocabularyPolicy.REJECT, new Interpreter.Options().outOfVocabularyPolicy());
        try (Interpreter mapped = new Interpreter(model, mapping);
             Interpreter plain = new Interpreter(model, new Interpreter.Options())) {
            int[] ids = {1, 7, -2, 4, 5, Integer.MIN_VALUE};
            long[] cols = {3, -1, 2};
            int[] two = {2, 3};
            int[] idsCopy = ids.clone();
            Object[] got = run(mapped, ids, cols, X, two);
            Object[] want = run(plain, new int[] {1, 0, 0, 4, 0, 0}, new long[] {0, 0, 2}, X, new int[] {2, 0});
            for (int k = 0; k < want.length; k++) assertBitsEqual((float[]) want[k], (float[]) got[k]);
            assertBitsEqual(rowsOf(TABLE, 2, 1, 0, 0, 4, 0, 0), (float[]) got[0]);
            assertArrayEquals(idsCopy, ids, "the caller's array is not changed");
        }
    }

    @Test
    void wrongTypesShapesAndCountsNameTheInput() {
        try (Interpreter interp = new Interpreter(idModel())) {
            Object[] good = run(interp, IDS, COLS, X, TWO);
            assertMessage(assertThrows(InvalidInputException.class, () -> run(interp, new int[5], COLS, X, TWO)),
                    "input 0 'ids' INT32[2, 3] cannot take int[5]");
            assertMessage(assertThrows(InvalidInputException.class, () -> run(interp, IDS, new long[4], X, TWO)),
                    "input 1 'cols' INT64[3] cannot take long[4]");
            assertMessage(assertThrows(InvalidInputException.class,
                    () -> interp.runForMultipleInputsOutputs(new Object[] {IDS, new int[] {2, 0, 1}, X, TWO}, Map.of())),
                    "input 1 'cols' INT64[3] cannot take a int[]");
            assertMessage(assertThrows(InvalidInputException.class,
                    () -> interp.runForMultipleInputsOutputs(new Object[] {new long[6], COLS, X, TWO}, Map.of())),
                    "input 0 'ids' INT32[2, 3] cannot take a long[]");
            assertMessage(assertThrows(InvalidInputException.class,
                    () -> interp.runForMultipleInputsOutputs(new Object[] {new int[3][2], COLS, X, TWO}, Map.of())),
                    "input 0 'ids' INT32[2, 3] cannot take an array of length 3 in dimension 0");
            assertMessage(assertThrows(InvalidInputException.class,
                    () -> interp.runForMultipleInputsOutputs(new Object[] {new int[][][] {{{1}}}, COLS, X, TWO}, Map.of())),
                    "cannot take a int[][][] (rank 3)");
            assertMessage(assertThrows(InvalidInputException.class,
                    () -> interp.runForMultipleInputsOutputs(new Object[] {new int[][] {{1, 2, 3}, null}, COLS, X, TWO}, Map.of())),
                    "a null row at index 1 of dimension 0");
            assertMessage(assertThrows(InvalidInputException.class,
                    () -> interp.runForMultipleInputsOutputs(new Object[] {IDS, COLS, "x", TWO}, Map.of())),
                    "input 2 'x' FLOAT32[3] cannot take a String");
            assertMessage(assertThrows(InvalidInputException.class,
                    () -> interp.runForMultipleInputsOutputs(new Object[] {IDS, COLS, new Float[3], TWO}, Map.of())),
                    "cannot take a Float[]");
            assertMessage(assertThrows(InvalidInputException.class,
                    () -> interp.runForMultipleInputsOutputs(new Object[] {IDS, COLS, null, TWO}, Map.of())),
                    "input 2: null instead of 'x' FLOAT32[3]");
            assertMessage(assertThrows(InvalidInputException.class,
                    () -> interp.runForMultipleInputsOutputs(new Object[] {IDS, COLS, X}, Map.of())), "got 3 inputs, the model has 4");
            assertMessage(assertThrows(InvalidInputException.class,
                    () -> interp.runForMultipleInputsOutputs(null, Map.of())), "inputs: null");
            assertMessage(assertThrows(InvalidInputException.class,
                    () -> interp.runForMultipleInputsOutputs(new Object[] {IDS, COLS, X, TWO}, null)), "outputs: null");
            assertMessage(assertThrows(InvalidInputException.class,
                    () -> interp.runForMultipleInputsOutputs(new Object[] {IDS, COLS, X, TWO}, Map.of(5, new float[4]))),
                    "output index 5 out of range: the model has 5 outputs");
            Map<Integer, Object> nullKey = new HashMap<>();
            nullKey.put(null, new float[12]);
            assertMessage(assertThrows(InvalidInputException.class,
                    () -> interp.runForMultipleInputsOutputs(new Object[] {IDS, COLS, X, TWO}, nullKey)), "a null output index");
            // Buffers: type and size.
            assertMessage(assertThrows(InvalidInputException.class, () -> interp.setInput(2, IntBuffer.allocate(3))),
                    "input 2 'x' FLOAT32[3] cannot take a HeapIntBuffer");
            assertMessage(assertThrows(InvalidInputException.class, () -> interp.setInput(1, LongBuffer.allocate(2))),
                    "input 1 'cols' INT64[3] cannot take 2 elements in HeapLongBuffer");
            assertMessage(assertThrows(InvalidInputException.class, () -> interp.setInput(1, ByteBuffer.allocate(23))),
                    "input 1 'cols' INT64[3] cannot take 23 bytes in a ByteBuffer (needs 24)");
            assertMessage(assertThrows(InvalidInputException.class, () -> interp.setInput(4, X)), "input index 4 out of range");
            assertMessage(assertThrows(InvalidInputException.class, () -> interp.setInput(-1, X)), "input index -1 out of range");
            // Signatures: names, nulls.
            Map<String, Object> nullName = new HashMap<>(Map.of("ids", IDS, "cols", COLS, "x", X, "two", TWO));
            nullName.put(null, X);
            assertMessage(assertThrows(InvalidInputException.class,
                    () -> interp.runSignature(nullName, Map.of(), "serving_default")), "has no input 'null'");
            assertMessage(assertThrows(InvalidInputException.class,
                    () -> interp.runSignature(null, Map.of(), "serving_default")), "inputs map is null");
            assertMessage(assertThrows(InvalidInputException.class,
                    () -> interp.runSignature(Map.of("ids", IDS, "cols", COLS, "x", new float[4], "two", TWO), Map.of())),
                    "signature input 'x' 'x' FLOAT32[3] cannot take float[4]");
            // The interpreter still works.
            Object[] again = run(interp, IDS, COLS, X, TWO);
            for (int k = 0; k < good.length; k++) assertBitsEqual((float[]) good[k], (float[]) again[k]);
        }
    }

    @Test
    void aBadOutputIsRefusedBeforeAnythingIsWrittenOrRun() {
        try (Interpreter interp = new Interpreter(idModel())) {
            Object[] good = run(interp, IDS, COLS, X, TWO);
            int[] other = {0, 0, 0, 0, 0, 0};
            Map<Integer, Object> badOutput = Map.of(0, new float[12], 2, new float[4]);
            assertMessage(assertThrows(InvalidInputException.class,
                    () -> interp.runForMultipleInputsOutputs(new Object[] {other, COLS, X, TWO}, badOutput)),
                    "output 2 'y' FLOAT32[3] cannot take float[4]");
            assertMessage(assertThrows(InvalidInputException.class,
                    () -> interp.runForMultipleInputsOutputs(new Object[] {other, COLS, X, TWO},
                            Map.of(2, FloatBuffer.allocate(3).asReadOnlyBuffer()))), "output 2 'y' FLOAT32[3] cannot take a read-only");
            assertMessage(assertThrows(InvalidInputException.class,
                    () -> interp.runSignature(Map.of("ids", other, "cols", COLS, "x", X, "two", TWO), Map.of("y", new int[3]))),
                    "signature output 'y' 'y' FLOAT32[3] cannot take a int[]");
            assertMessage(assertThrows(InvalidInputException.class,
                    () -> interp.getOutput(2, ByteBuffer.allocate(12).asReadOnlyBuffer())), "cannot take a read-only");
            // Input 0 was not written and nothing ran: the outputs, and a plain invoke, give the first run's rows.
            float[] rows = new float[12];
            interp.getOutput(0, rows);
            assertBitsEqual((float[]) good[0], rows);
            interp.invoke();
            interp.getOutput(0, rows);
            assertBitsEqual((float[]) good[0], rows);
        }
    }

    @Test
    void aClosedInterpreterRefusesToRun() {
        Interpreter interp = new Interpreter(idModel());
        interp.close();
        assertThrows(IllegalStateException.class, () -> run(interp, IDS, COLS, X, TWO));
        assertThrows(IllegalStateException.class, interp::invoke);
        assertThrows(IllegalStateException.class, () -> interp.setInput(0, IDS));
    }

    // ---- the MovieLens models ----

    static Path model(String file) {
        Path dir = ZeroAllocationTest.modelsDir();
        assumeTrue(dir != null && Files.isRegularFile(dir.resolve(file)), "MovieLens models not found (set -Dtfl4j.models)");
        return dir.resolve(file);
    }

    @ParameterizedTest
    @ValueSource(strings = {"model_history10_top100.tflite", "recommendation_cnn_i10o100.tflite",
        "recommendation_rnn_i10o100.tflite", "recommendation_cnn_i10i32o100.tflite"})
    void movieLensIdsOutsideTheTablesAreRejectedOrMapped(String file) {
        Model model = Model.load(model(file));
        boolean genres = model.inputCount() == 2;
        assertEquals(3953, model.vocabularySize(0));
        if (genres) assertEquals(19, model.vocabularySize(1));
        Random random = new Random(file.hashCode());
        Interpreter.Options mapping = new Interpreter.Options().setOutOfVocabularyPolicy(OutOfVocabularyPolicy.MAP_TO_PADDING);
        try (Interpreter reject = new Interpreter(model, new Interpreter.Options());
             Interpreter map = new Interpreter(model, mapping)) {
            for (int c = 0; c < 50; c++) {
                int[] history = new int[10];
                int[] genreIds = new int[32];
                for (int i = 0; i < history.length; i++) history[i] = random.nextInt(3953);
                for (int i = 0; i < genreIds.length; i++) genreIds[i] = random.nextInt(19);
                int[] bad = c % 2 == 0 || !genres ? history : genreIds;
                int limit = bad == history ? 3953 : 19;
                int at = random.nextInt(bad.length);
                int value = switch (c % 4) {
                    case 0 -> limit;
                    case 1 -> -1;
                    case 2 -> limit + random.nextInt(1_000_000);
                    default -> Integer.MIN_VALUE + random.nextInt(1000);
                };
                int[] good = bad.clone();
                good[at] = 0;
                bad[at] = value;
                Object[] badInputs = genres ? new Object[] {history, genreIds} : new Object[] {history};
                OutOfVocabularyException e = assertThrows(OutOfVocabularyException.class,
                        () -> reject.runForMultipleInputsOutputs(badInputs, Map.of()));
                assertEquals(bad == history ? 0 : 1, e.inputIndex());
                assertEquals(at, e.position());
                assertEquals(value, e.id());
                assertMessage(e, ": id " + value + " at [" + at + "] is outside the vocabulary, valid ids are 0 to " + (limit - 1));

                Object[] mappedOut = outputs(map, badInputs);
                bad[at] = 0; // now the corrected input (the other input is shared)
                Object[] wantOut = outputs(reject, badInputs);
                for (int k = 0; k < wantOut.length; k++) assertBitsEqualObjects(wantOut[k], mappedOut[k]);
            }
        }
    }

    private static Object[] outputs(Interpreter interp, Object[] inputs) {
        Object[] out = new Object[interp.getOutputTensorCount()];
        Map<Integer, Object> map = new HashMap<>();
        for (int k = 0; k < out.length; k++) {
            out[k] = interp.getOutputTensor(k).dataType() == org.tfl4j.parser.TensorType.FLOAT32
                    ? new float[interp.getOutputTensor(k).numElements()] : new int[interp.getOutputTensor(k).numElements()];
            map.put(k, out[k]);
        }
        interp.runForMultipleInputsOutputs(inputs, map);
        return out;
    }

    /** A rejected run changes no state: with LSTM state carried from run to run, A, bad, B equals A, B. */
    @Test
    void aRejectedRunLeavesTheCarriedLstmStateAlone() {
        Model model = Model.load(model("recommendation_rnn_i10o100.tflite"));
        Interpreter.Options carry = new Interpreter.Options().setCarryVariableTensors(true);
        int[] a = {1, 364, 0, 0, 0, 0, 0, 0, 0, 0};
        int[] b = {2858, 260, 1196, 0, 0, 0, 0, 0, 0, 0};
        int[] bad = {2858, 260, 4000, 0, 0, 0, 0, 0, 0, 0};
        try (Interpreter withBad = new Interpreter(model, carry); Interpreter without = new Interpreter(model, carry)) {
            outputs(withBad, new Object[] {a});
            assertThrows(OutOfVocabularyException.class, () -> outputs(withBad, new Object[] {bad}));
            Object[] got = outputs(withBad, new Object[] {b});
            outputs(without, new Object[] {a});
            Object[] want = outputs(without, new Object[] {b});
            for (int k = 0; k < want.length; k++) assertBitsEqualObjects(want[k], got[k]);
        }
    }

    /** Inputs keep their place in the arena until the run ends (TFLite's planner keeps them too): invoke twice, same results. */
    @ParameterizedTest
    @ValueSource(strings = {"model_history10_top100.tflite", "recommendation_cnn_i10o100.tflite",
        "recommendation_rnn_i10o100.tflite", "recommendation_cnn_i10i32o100.tflite"})
    void aSecondInvokeRunsOnTheSameInputs(String file) {
        try (Interpreter interp = new Interpreter(model(file))) {
            interp.setInput(0, new int[] {2858, 260, 1196, 1210, 480, 2028, 589, 2571, 1270, 593});
            if (interp.getInputTensorCount() > 1) {
                int[] genres = new int[32];
                for (int i = 0; i < 20; i++) genres[i] = 1 + i % 18;
                interp.setInput(1, genres);
            }
            interp.invoke();
            int[] first = new int[100];
            int[] second = new int[100];
            int ids = interp.getOutputTensor(0).dataType() == org.tfl4j.parser.TensorType.INT32 ? 0 : 1;
            interp.getOutput(ids, first);
            interp.invoke();
            interp.getOutput(ids, second);
            assertArrayEquals(first, second);
        }
    }

    static void assertMessage(Exception e, String part) {
        assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
    }

    private static void assertBitsEqualObjects(Object want, Object got) {
        if (want instanceof int[]) assertArrayEquals((int[]) want, (int[]) got);
        else assertBitsEqual((float[]) want, (float[]) got);
    }

    static void assertBitsEqual(float[] want, float[] got) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                    "element " + i + ": want " + want[i] + ", got " + got[i] + " (all: " + Arrays.toString(got) + ")");
        }
    }
}
