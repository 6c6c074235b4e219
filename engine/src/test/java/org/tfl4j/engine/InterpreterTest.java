package org.tfl4j.engine;

import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.MulOptionsT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.TensorType;
import org.tfl4j.parser.BuiltinOp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InterpreterTest {

    /** y = (x * [1, 2, 4]) * [0.5, 0.5, 0.5] * [3, 3, 3]: x float[2,3], three chained MULs. */
    private static ByteBuffer chainOfMuls() {
        TinyModel m = new TinyModel();
        int x = m.tensor("x", TensorType.FLOAT32, 2, 3);
        int c1 = m.constFloats("c1", new int[] {3}, 1, 2, 4);
        int c2 = m.constFloats("c2", new int[] {3}, 0.5f, 0.5f, 0.5f);
        int c3 = m.constFloats("c3", new int[] {3}, 3, 3, 3);
        int a = m.tensor("a", TensorType.FLOAT32, 2, 3);
        int b = m.tensor("b", TensorType.FLOAT32, 2, 3);
        int y = m.tensor("y", TensorType.FLOAT32, 2, 3);
        MulOptionsT none = new MulOptionsT();
        m.op(BuiltinOp.MUL, BuiltinOptions.MulOptions, none, new int[] {x, c1}, new int[] {a});
        m.op(BuiltinOp.MUL, BuiltinOptions.MulOptions, none, new int[] {a, c2}, new int[] {b});
        m.op(BuiltinOp.MUL, BuiltinOptions.MulOptions, none, new int[] {b, c3}, new int[] {y});
        m.signature("serving_default", new String[] {"features"}, new int[] {x}, new String[] {"scaled"}, new int[] {y});
        return m.build(new int[] {x}, new int[] {y});
    }

    // Hand-computed: x * 1.5 * {1, 2, 4}, all exact in float.
    private static final float[] X = {1, 2, 3, -4, 0.5f, -0f};
    private static final float[] Y = {1.5f, 6, 18, -6, 1.5f, -0f};

    @Test
    void invokeProfiledChargesEachOpWhatTheMeterGrewWhileItRan() {
        try (Interpreter interp = new Interpreter(chainOfMuls())) {
            interp.setInput(0, X);
            // A meter that grows by 1, 10, 100 at the reads that follow ops 0, 1, 2: the profile must give each op its own step.
            long[] steps = {0, 1, 10, 100};
            int[] reads = {0};
            long[] byOp = new long[3];
            for (int run = 0; run < 2; run++) {
                long base = run * 111L;
                reads[0] = 0;
                interp.invokeProfiled(byOp, () -> {
                    long sum = base;
                    for (int i = 0; i <= reads[0]; i++) sum += steps[i];
                    reads[0]++;
                    return sum;
                });
                assertEquals(4, reads[0], "one read before the ops and one after each");
            }
            assertArrayEquals(new long[] {2, 20, 200}, byOp);
            float[] out = new float[6];
            interp.getOutput(0, out);
            assertBitsEqual(Y, out);
            assertThrows(IllegalArgumentException.class, () -> interp.invokeProfiled(new long[2], System::nanoTime));
        }
    }

    @Test
    void runsWithFlatNestedAndBufferInputs() {
        try (Interpreter interp = new Interpreter(chainOfMuls())) {
            float[] out = new float[6];
            interp.run(X, out);
            assertBitsEqual(Y, out);

            float[][] nestedOut = new float[2][3];
            interp.run(new float[][] {{1, 2, 3}, {-4, 0.5f, -0f}}, nestedOut);
            assertBitsEqual(new float[] {1.5f, 6, 18}, nestedOut[0]);
            assertBitsEqual(new float[] {-6, 1.5f, -0f}, nestedOut[1]);

            ByteBuffer in = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : X) in.putFloat(v);
            in.flip();
            FloatBuffer fout = FloatBuffer.allocate(6);
            interp.run(in, fout);
            assertBitsEqual(Y, fout.array());
        }
    }

    @Test
    void zeroAllocationPathAndMetadata() {
        try (Interpreter interp = new Interpreter(chainOfMuls())) {
            assertEquals(1, interp.getInputTensorCount());
            assertEquals(1, interp.getOutputTensorCount());
            TensorInfo in = interp.getInputTensor(0);
            assertEquals("x", in.name());
            assertEquals(org.tfl4j.parser.TensorType.FLOAT32, in.dataType());
            assertArrayEquals(new int[] {2, 3}, in.shape());
            assertEquals(24, in.numBytes());
            assertEquals(0, interp.getInputIndex("x"));
            assertEquals(0, interp.getOutputIndex("y"));
            float[] out = new float[6];
            interp.setInput(0, X);
            interp.invoke();
            interp.getOutput(0, out);
            assertBitsEqual(Y, out);
            assertTrue(interp.model().arenaBytes() > 0);
        }
    }

    @Test
    void runsBySignature() {
        try (Interpreter interp = new Interpreter(chainOfMuls())) {
            assertArrayEquals(new String[] {"serving_default"}, interp.getSignatureKeys());
            assertArrayEquals(new String[] {"features"}, interp.getSignatureInputs("serving_default"));
            assertArrayEquals(new String[] {"scaled"}, interp.getSignatureOutputs("serving_default"));
            float[] out = new float[6];
            interp.runSignature(Map.of("features", X), Map.of("scaled", out), "serving_default");
            assertBitsEqual(Y, out);
            Map<String, Object> outs = new HashMap<>();
            outs.put("scaled", new float[6]);
            interp.runSignature(Map.of("features", X), outs);
            assertBitsEqual(Y, (float[]) outs.get("scaled"));

            assertMessage(assertThrows(InvalidInputException.class,
                    () -> interp.runSignature(Map.of("feature", X), Map.of(), "serving_default")), "'features' not given");
            assertMessage(assertThrows(InvalidInputException.class,
                    () -> interp.runSignature(Map.of("features", X), Map.of(), "serve")), "no signature 'serve'");
        }
    }

    @Test
    void wrongInputsGetSpecificErrors() {
        try (Interpreter interp = new Interpreter(chainOfMuls())) {
            float[] out = new float[6];
            assertMessage(assertThrows(InvalidInputException.class, () -> interp.run(new int[6], out)),
                    "input 0 'x' FLOAT32[2, 3] cannot take a int[]");
            assertMessage(assertThrows(InvalidInputException.class, () -> interp.run(new float[5], out)),
                    "cannot take float[5]");
            assertMessage(assertThrows(InvalidInputException.class, () -> interp.run(new float[3][2], out)),
                    "length 3 in dimension 0");
            assertMessage(assertThrows(InvalidInputException.class, () -> interp.run(null, out)), "null");
            assertMessage(assertThrows(InvalidInputException.class, () -> interp.run(X, new float[7])),
                    "output 0 'y'");
            assertMessage(assertThrows(InvalidInputException.class, () -> interp.getOutput(1, out)),
                    "output index 1 out of range");
            assertMessage(assertThrows(InvalidInputException.class,
                    () -> interp.runForMultipleInputsOutputs(new Object[] {X, X}, Map.of(0, out))), "got 2 inputs");
            assertMessage(assertThrows(InvalidInputException.class, () -> interp.getInputIndex("z")), "'x'");
            // The interpreter still works after rejected inputs.
            interp.run(X, out);
            assertBitsEqual(Y, out);
        }
    }

    @Test
    void unsupportedOpIsNamedWithItsIndex() {
        TinyModel m = new TinyModel();
        int x = m.tensor("x", TensorType.FLOAT32, 3);
        int y = m.tensor("y", TensorType.FLOAT32, 3);
        m.op(117 /* HARD_SWISH */, (byte) 0, null, new int[] {x}, new int[] {y});
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> new Interpreter(m.build(new int[] {x}, new int[] {y})));
        assertMessage(e, "op 0 HARD_SWISH is not supported");
    }

    /** x [2, 3] -> MUL by c -> a -> RESHAPE [3, 2] -> r -> MUL by 2 -> y; and a RESHAPE of a constant. */
    private static ByteBuffer reshapeBetweenMuls() {
        TinyModel m = new TinyModel();
        int x = m.tensor("x", TensorType.FLOAT32, 2, 3);
        int c = m.constFloats("c", new int[] {3}, 1, 2, 4);
        int two = m.constFloats("two", new int[] {2, 3}, 2, 2, 2, 2, 2, 2);
        int a = m.tensor("a", TensorType.FLOAT32, 2, 3);
        int r = m.tensor("r", TensorType.FLOAT32, 3, 2);
        int y = m.tensor("y", TensorType.FLOAT32, 3, 2);
        int twoView = m.tensor("two_view", TensorType.FLOAT32, 3, 2);
        MulOptionsT none = new MulOptionsT();
        ReshapeOptionsT to3x2 = new ReshapeOptionsT();
        to3x2.setNewShape(new int[] {3, 2});
        m.op(BuiltinOp.MUL, BuiltinOptions.MulOptions, none, new int[] {x, c}, new int[] {a});
        m.op(BuiltinOp.RESHAPE, BuiltinOptions.ReshapeOptions, to3x2, new int[] {a}, new int[] {r});
        m.op(BuiltinOp.RESHAPE, BuiltinOptions.ReshapeOptions, to3x2, new int[] {two}, new int[] {twoView});
        m.op(BuiltinOp.MUL, BuiltinOptions.MulOptions, none, new int[] {r, twoView}, new int[] {y});
        return m.build(new int[] {x}, new int[] {y, r});
    }

    @Test
    void reshapeOfAnActivationSharesItsBufferAndAConstantIsCopied() {
        Model model = Model.load(reshapeBetweenMuls(), new Interpreter.Options());
        MemoryPlan plan = model.plan(org.tfl4j.parser.TensorType.FLOAT32);
        int tensorA = 3, tensorR = 4, tensorTwoView = 6; // indices in the order reshapeBetweenMuls creates them
        assertEquals(plan.offset(tensorA), plan.offset(tensorR), "the RESHAPE of an activation shares its buffer");
        assertTrue(plan.offset(tensorTwoView) >= 0, "the RESHAPE of a constant gets a buffer of its own");
        try (Interpreter interp = new Interpreter(model, new Interpreter.Options())) {
            float[] y = new float[6];
            float[] r = new float[6];
            interp.runForMultipleInputsOutputs(new Object[] {X}, Map.of(0, y, 1, r));
            // Hand-computed: a = x * {1, 2, 4} by rows of 3; r is a in the same order; y = r * 2.
            assertBitsEqual(new float[] {1, 4, 12, -4, 1, -0f}, r);
            assertBitsEqual(new float[] {2, 8, 24, -8, 2, -0f}, y);
        }
    }

    @Test
    void interpretersOfOneModelAreIndependent() {
        Model model = Model.load(chainOfMuls(), new Interpreter.Options());
        try (Interpreter a = new Interpreter(model, new Interpreter.Options());
             Interpreter b = new Interpreter(model, new Interpreter.Options())) {
            a.setInput(0, X);
            b.setInput(0, new float[6]);
            a.invoke();
            b.invoke();
            float[] out = new float[6];
            a.getOutput(0, out);
            assertBitsEqual(Y, out);
            b.getOutput(0, out);
            assertBitsEqual(new float[6], out);
        }
    }

    private static void assertMessage(Exception e, String part) {
        assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
    }

    private static void assertBitsEqual(float[] want, float[] got) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                    "element " + i + ": want " + want[i] + ", got " + got[i]);
        }
    }
}
