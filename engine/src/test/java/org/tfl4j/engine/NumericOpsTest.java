package org.tfl4j.engine;

import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.Padding;
import org.tensorflow.lite.schema.TensorType;
import org.tensorflow.lite.schema.UnidirectionalSequenceLSTMOptionsT;
import org.tfl4j.parser.BuiltinOp;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * FULLY_CONNECTED, CONV_2D, LOGISTIC and UNIDIRECTIONAL_SEQUENCE_LSTM through the interpreter: prepare's
 * checks, bind's wiring (offsets into the arenas, variable tensors) and hand-computed results.
 */
class NumericOpsTest {
    private static final byte F32 = TensorType.FLOAT32;

    private static void assertBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(what + ": expected " + Arrays.toString(expected) + " but got " + Arrays.toString(actual)
                        + " (first difference at " + i + ")");
            }
        }
    }

    private static void assertRejected(ByteBuffer model, String messagePart) {
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> new Interpreter(model).close());
        assertTrue(e.getMessage().contains(messagePart), "message '" + e.getMessage() + "' should mention " + messagePart);
    }

    // --- FULLY_CONNECTED ---------------------------------------------------------------------------

    private static ByteBuffer fc(byte activation, boolean keepNumDims, int[] inShape, int[] outShape) {
        TinyModel m = new TinyModel();
        int x = m.tensor("x", F32, inShape);
        int w = m.constFloats("w", new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
        int b = m.constFloats("b", new int[] {2}, 0.5f, -1f);
        int y = m.tensor("y", F32, outShape);
        FullyConnectedOptionsT o = new FullyConnectedOptionsT();
        o.setFusedActivationFunction(activation);
        o.setKeepNumDims(keepNumDims);
        m.op(BuiltinOp.FULLY_CONNECTED, BuiltinOptions.FullyConnectedOptions, o, new int[] {x, w, b}, new int[] {y});
        return m.build(new int[] {x}, new int[] {y});
    }

    @Test
    void fullyConnectedByHand() {
        try (Interpreter interp = new Interpreter(fc(ActivationFunctionType.RELU, false, new int[] {2, 3}, new int[] {2, 2}))) {
            float[] y = new float[4];
            interp.run(new float[] {1, 2, 3, -1, -1, -1}, y);
            assertBits(new float[] {14.5f, 31f, 0f, 0f}, y, "relu(W x + b) for two rows");
        }
        try (Interpreter interp = new Interpreter(fc(ActivationFunctionType.NONE, true, new int[] {2, 1, 3}, new int[] {2, 1, 2}))) {
            float[] y = new float[4];
            interp.run(new float[] {1, 2, 3, -1, -1, -1}, y);
            assertBits(new float[] {14.5f, 31f, -5.5f, -16f}, y, "keep_num_dims, no activation");
        }
    }

    @Test
    void fullyConnectedRejectsWhatItCannotRun() {
        assertRejected(fc(ActivationFunctionType.TANH, false, new int[] {1, 3}, new int[] {1, 2}), "TANH");
        assertRejected(fc(ActivationFunctionType.NONE, false, new int[] {1, 4}, new int[] {1, 2}), "does not split");
        assertRejected(fc(ActivationFunctionType.NONE, false, new int[] {1, 3}, new int[] {2, 1}), "computed shape");
    }

    // --- CONV_2D -----------------------------------------------------------------------------------

    private static ByteBuffer conv(int[] inShape, int[] filterShape, float[] filter, float[] bias, int stride,
                                   byte padding, int[] outShape) {
        TinyModel m = new TinyModel();
        int x = m.tensor("x", F32, inShape);
        int f = m.constFloats("f", filterShape, filter);
        int b = bias == null ? -1 : m.constFloats("b", new int[] {bias.length}, bias);
        int y = m.tensor("y", F32, outShape);
        Conv2DOptionsT o = new Conv2DOptionsT();
        o.setPadding(padding);
        o.setStrideW(stride);
        o.setStrideH(1);
        o.setDilationWFactor(1);
        o.setDilationHFactor(1);
        m.op(BuiltinOp.CONV_2D, BuiltinOptions.Conv2DOptions, o, new int[] {x, f, b}, new int[] {y});
        return m.build(new int[] {x}, new int[] {y});
    }

    @Test
    void conv2dSamePaddingByHand() {
        // W=10, kernel 4, stride 4, SAME: one zero column before and after.
        ByteBuffer model = conv(new int[] {1, 1, 10, 1}, new int[] {1, 1, 4, 1}, new float[] {1000, 100, 10, 1},
                new float[] {0.5f}, 4, Padding.SAME, new int[] {1, 1, 3, 1});
        try (Interpreter interp = new Interpreter(model)) {
            float[] y = new float[3];
            interp.run(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, y);
            assertBits(new float[] {123.5f, 4567.5f, 9000.5f}, y, "SAME convolution");
        }
    }

    @Test
    void conv2dWithOneOutputPositionFollowsTheThreadSetting() {
        // K = 128: dot4 on one TFLite thread (2^24 + 96), blocks of 16 otherwise (2^24 + 112).
        float[] filter = new float[256];
        Arrays.fill(filter, 1f);
        ByteBuffer model = conv(new int[] {1, 1, 4, 32}, new int[] {2, 1, 4, 32}, filter, new float[] {0, 0}, 1,
                Padding.VALID, new int[] {1, 1, 1, 2});
        float[] x = new float[128];
        Arrays.fill(x, 1f);
        x[0] = 16777216f;
        float[] y = new float[2];
        try (Interpreter interp = new Interpreter(model, new Interpreter.Options().setTfliteThreads(1))) {
            interp.run(x, y);
            assertBits(new float[] {16777312f, 16777312f}, y, "threads = 1");
        }
        try (Interpreter interp = new Interpreter(model, new Interpreter.Options().setTfliteThreads(-1))) {
            interp.run(x, y);
            assertBits(new float[] {16777328f, 16777328f}, y, "threads = -1");
        }
    }

    @Test
    void conv2dRejectsWhatItCannotRun() {
        assertRejected(conv(new int[] {1, 1, 4, 1}, new int[] {1, 1, 2, 1}, new float[] {1, 1}, null, 1,
                Padding.VALID, new int[] {1, 1, 3, 1}), "bias");
        assertRejected(conv(new int[] {1, 1, 4, 2}, new int[] {1, 1, 2, 1}, new float[] {1, 1}, new float[] {0}, 1,
                Padding.VALID, new int[] {1, 1, 3, 1}), "grouped");
        assertRejected(conv(new int[] {1, 1, 2, 1}, new int[] {1, 1, 4, 1}, new float[] {1, 1, 1, 1}, new float[] {0}, 1,
                Padding.VALID, new int[] {1, 1, 1, 1}), "output");
    }

    // --- LOGISTIC ----------------------------------------------------------------------------------

    @Test
    void logisticKnownValues() {
        TinyModel m = new TinyModel();
        int x = m.tensor("x", F32, 5);
        int y = m.tensor("y", F32, 5);
        m.op(BuiltinOp.LOGISTIC, (byte) 0, null, new int[] {x}, new int[] {y});
        try (Interpreter interp = new Interpreter(m.build(new int[] {x}, new int[] {y}))) {
            float[] out = new float[5];
            interp.run(new float[] {0, -200, 200, 0, 0}, out);
            assertBits(new float[] {0.5f, 0f, 1f, 0.5f, 0.5f}, out, "logistic");
        }
    }

    // --- UNIDIRECTIONAL_SEQUENCE_LSTM --------------------------------------------------------------

    /**
     * One cell, one input, three steps; zero weights, gate biases 0 (gates exactly 0.5) and cell bias 3 with
     * a RELU cell activation: c = 0.5 c + 1.5 and h = 0.5 c, all exact.
     */
    private static ByteBuffer lstm(byte activation, boolean layerNorm) {
        TinyModel m = new TinyModel();
        int x = m.tensor("x", F32, 1, 3, 1);
        int[] in = new int[24];
        Arrays.fill(in, -1);
        in[0] = x;
        for (int g = 0; g < 4; g++) {
            in[1 + g] = m.constFloats("w" + g, new int[] {1, 1}, 0f);
            in[5 + g] = m.constFloats("r" + g, new int[] {1, 1}, 0f);
            in[12 + g] = m.constFloats("b" + g, new int[] {1}, g == 2 ? 3f : 0f);
        }
        in[18] = m.variable("h", F32, 1, 1);
        in[19] = m.variable("c", F32, 1, 1);
        if (layerNorm) in[21] = m.constFloats("ln", new int[] {1}, 1f);
        int y = m.tensor("y", F32, 1, 3, 1);
        UnidirectionalSequenceLSTMOptionsT o = new UnidirectionalSequenceLSTMOptionsT();
        o.setFusedActivationFunction(activation);
        m.op(BuiltinOp.UNIDIRECTIONAL_SEQUENCE_LSTM, BuiltinOptions.UnidirectionalSequenceLSTMOptions, o, in, new int[] {y});
        return m.build(new int[] {x}, new int[] {y});
    }

    @Test
    void lstmStatesResetOrCarryBetweenRuns() {
        ByteBuffer model = lstm(ActivationFunctionType.RELU, false);
        float[] first = {0.75f, 1.125f, 1.3125f};
        float[] y = new float[3];
        try (Interpreter interp = new Interpreter(model)) {
            interp.run(new float[] {5, 6, 7}, y);
            assertBits(first, y, "first run");
            interp.run(new float[] {5, 6, 7}, y);
            assertBits(first, y, "second run starts from zero state again");
        }
        try (Interpreter interp = new Interpreter(model, new Interpreter.Options().setCarryVariableTensors(true))) {
            interp.run(new float[] {5, 6, 7}, y);
            assertBits(first, y, "first run");
            interp.run(new float[] {5, 6, 7}, y);
            // c continues from 2.625: 2.8125, 2.90625, 2.953125.
            assertBits(new float[] {1.40625f, 1.453125f, 1.4765625f}, y, "second run carries c");
        }
    }

    @Test
    void lstmRejectsWhatItCannotRun() {
        assertRejected(lstm(ActivationFunctionType.NONE, false), "NONE");
        assertRejected(lstm(ActivationFunctionType.TANH, true), "layer-norm");
    }
}
