package org.tfl4j.conformance.ops;

import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.UnidirectionalSequenceLSTMOptionsT;
import org.tfl4j.conformance.OpCase;
import org.tfl4j.models.TfliteWriter;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.TensorType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM against TFLite, from zero state (TFLite's variable tensors reset per case):
 * batch-major and time-major, batches 1..4, 1..7 steps, input sizes 1..24, cell counts on and off multiples of 4
 * (packet and scalar logistic paths), every cell activation tfl4j accepts, cell clip and projection clip, CIFG,
 * peepholes, projection with and without bias, layer norm, diagonal recurrent weights, all-zero input steps (TFLite skips their input products), weights
 * large enough to saturate the gates, and scales that push products and sums into the subnormal range (FTZ/DAZ).
 * Not swept: NaN or infinite inputs, where a NaN produced inside (inf - inf) meets an input NaN and TFLite's choice
 * of payload is not modelled.
 * Inputs 0..23 as TFLite numbers them; 18 and 19 (output and cell state) are variable tensors.
 */
class LstmSweepTest {

    private static final byte[] ACTIVATIONS = {ActivationFunctionType.TANH, ActivationFunctionType.RELU,
            ActivationFunctionType.RELU_N1_TO_1, ActivationFunctionType.RELU6};

    /** One LSTM configuration. {@code outputSize} differs from {@code cells} only with projection. */
    record Config(int batches, int steps, int inputSize, int cells, int outputSize, boolean timeMajor, boolean cifg,
                  boolean peephole, boolean projection, boolean projectionBias, byte activation, float cellClip,
                  float projClip, float weightScale, float inputScale, boolean zeroSteps, boolean layerNorm) {

        /** Without layer norm. */
        Config(int batches, int steps, int inputSize, int cells, int outputSize, boolean timeMajor, boolean cifg,
               boolean peephole, boolean projection, boolean projectionBias, byte activation, float cellClip,
               float projClip, float weightScale, float inputScale, boolean zeroSteps) {
            this(batches, steps, inputSize, cells, outputSize, timeMajor, cifg, peephole, projection, projectionBias,
                    activation, cellClip, projClip, weightScale, inputScale, zeroSteps, false);
        }

        @Override
        public String toString() {
            return String.format("batch %d steps %d in %d cells %d out %d%s%s%s%s%s%s act %d clip %s/%s weights ±%s inputs ±%s%s",
                    batches, steps, inputSize, cells, outputSize, timeMajor ? " time-major" : "", cifg ? " cifg" : "",
                    peephole ? " peephole" : "", projection ? " projection" : "", projectionBias ? "+bias" : "",
                    layerNorm ? " layer-norm" : "", activation, cellClip, projClip, weightScale, inputScale,
                    zeroSteps ? " zero steps" : "");
        }
    }

    static List<OpCase> cases() {
        Random random = new Random(53);
        List<OpCase> cases = new ArrayList<>();
        // The RNN model's configuration: batch-major [1, 10, 16], 16 cells, TANH, cell clip 10, zero-padded tail.
        cases.add(lstm(random, new Config(1, 10, 16, 16, 16, false, false, false, false, false, ActivationFunctionType.TANH,
                10f, 0f, 0.5f, 1f, true)));
        cases.add(lstm(random, new Config(1, 10, 16, 16, 16, false, false, false, false, false, ActivationFunctionType.TANH,
                10f, 0f, 2f, 3f, false)));
        // Sizes: cells off multiples of 4 move gate buffers off the packet alignment; batches and layouts.
        for (int cells : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 32}) {
            for (boolean timeMajor : new boolean[] {false, true}) {
                int batches = 1 + random.nextInt(3);
                cases.add(lstm(random, new Config(batches, 1 + random.nextInt(5), 1 + random.nextInt(20), cells, cells, timeMajor,
                        false, false, false, false, ActivationFunctionType.TANH, 0f, 0f, 0.6f, 1f, false)));
            }
        }
        for (int inputSize : new int[] {1, 2, 3, 4, 5, 8, 9, 15, 16, 17, 24}) {
            cases.add(lstm(random, new Config(2, 3, inputSize, 6, 6, random.nextBoolean(), false, false, false, false,
                    ActivationFunctionType.TANH, 0f, 0f, 0.6f, 1f, false)));
        }
        for (int batches = 1; batches <= 4; batches++) {
            for (int steps = 1; steps <= 7; steps += 2) {
                cases.add(lstm(random, new Config(batches, steps, 5, 7, 7, steps % 4 == 3, false, false, false, false,
                        ActivationFunctionType.TANH, 3f, 0f, 0.8f, 1.5f, true)));
            }
        }
        // Options: every activation x variant (plain, CIFG, peephole, projection), each in both layouts, clipped or not.
        for (byte act : ACTIVATIONS) {
            for (int variant = 0; variant < 6; variant++) {
                for (boolean timeMajor : new boolean[] {false, true}) {
                    boolean cifg = variant == 1 || variant == 5;
                    boolean peephole = variant == 2 || variant == 5;
                    boolean projection = variant >= 3;
                    int cells = 3 + random.nextInt(10);
                    int outputSize = projection ? 2 + random.nextInt(9) : cells;
                    float cellClip = random.nextBoolean() ? 0f : 0.5f + random.nextInt(4);
                    float projClip = projection && random.nextBoolean() ? 0.25f + random.nextInt(3) : 0f;
                    cases.add(lstm(random, new Config(1 + random.nextInt(3), 1 + random.nextInt(6), 1 + random.nextInt(12),
                            cells, outputSize, timeMajor, cifg, peephole, projection, variant == 4, act, cellClip, projClip,
                            0.3f + random.nextInt(3) * 0.7f, 1f + random.nextInt(3), random.nextBoolean())));
                }
            }
        }
        // One cell (and a projection to one output): Eigen's single-output inner product for the gate products.
        for (int inputSize : new int[] {12, 17, 33}) {
            cases.add(lstm(random, new Config(1, 4, inputSize, 1, 1, false, false, false, false, false,
                    ActivationFunctionType.TANH, 0f, 0f, 0.6f, 1f, false)));
        }
        cases.add(lstm(random, new Config(2, 3, 13, 20, 1, true, false, false, true, true, ActivationFunctionType.TANH,
                0f, 0f, 0.5f, 1f, false)));
        cases.add(lstm(random, new Config(1, 3, 13, 20, 1, false, false, true, true, false, ActivationFunctionType.TANH,
                0f, 0.5f, 0.5f, 1f, false)));
        // Saturating weights and inputs: gates at 0/1, cell states growing, products toward FLT_MIN.
        for (int i = 0; i < 12; i++) {
            boolean projection = i % 3 == 2;
            int cells = 4 + random.nextInt(9);
            cases.add(lstm(random, new Config(1 + random.nextInt(3), 2 + random.nextInt(5), 3 + random.nextInt(8), cells,
                    projection ? 5 : cells, i % 2 == 0, i % 4 == 1, i % 5 == 0, projection, projection, ACTIVATIONS[i % 4],
                    i % 3 == 0 ? 0f : 1.5f, projection ? 2f : 0f, 3f, 4f, true)));
        }
        // Layer norm (the gate sums normalized per row, then scaled and biased), with every variant and layout.
        for (int i = 0; i < 16; i++) {
            boolean projection = i % 4 == 3;
            int cells = 1 + random.nextInt(12);
            cases.add(lstm(random, new Config(1 + random.nextInt(3), 1 + random.nextInt(5), 1 + random.nextInt(12), cells,
                    projection ? 2 + random.nextInt(6) : cells, i % 2 == 1, i % 4 == 1, i % 3 == 0, projection, projection && i % 8 == 3,
                    ACTIVATIONS[i % 4], i % 5 == 0 ? 2f : 0f, 0f, 0.3f + random.nextInt(4) * 0.5f, 1f + random.nextInt(3),
                    random.nextBoolean(), true)));
        }
        // The operator written with 20 inputs (no layer-norm slots), as older converters did.
        cases.add(lstm(random, new Config(2, 3, 5, 6, 6, false, false, false, false, false, ActivationFunctionType.TANH,
                0f, 0f, 0.6f, 1f, false), 20));
        // Diagonal recurrent weights ([cells], elementwise with h), with the other options.
        for (int i = 0; i < 8; i++) {
            int cells = 1 + random.nextInt(12);
            cases.add(lstm(random, new Config(1 + random.nextInt(3), 1 + random.nextInt(5), 1 + random.nextInt(10), cells, cells,
                    i % 2 == 1, i % 4 == 2, i % 3 == 0, false, false, ACTIVATIONS[i % 4], i % 3 == 1 ? 1.5f : 0f, 0f,
                    0.4f + random.nextInt(3) * 0.8f, 1f + random.nextInt(2), random.nextBoolean(), i % 4 == 3), 24, true));
        }
        // Extreme scales: products and gate sums underflowing (FTZ/DAZ, inputs down to the subnormal range) and
        // inputs far beyond saturation.
        float[][] scales = {{1e-20f, 1e-12f}, {1e-10f, 1e-25f}, {1e-19f, 1e-19f}, {20f, 1e20f}, {0.5f, 1e30f}};
        for (int i = 0; i < scales.length * 2; i++) {
            float[] scale = scales[i % scales.length];
            boolean projection = i % 3 == 1;
            int cells = 2 + random.nextInt(10);
            cases.add(lstm(random, new Config(1 + random.nextInt(3), 2 + random.nextInt(4), 3 + random.nextInt(12), cells,
                    projection ? 3 : cells, i % 2 == 1, i % 4 == 2, i % 3 == 0, projection, projection, ACTIVATIONS[i % 4],
                    i % 2 == 0 ? 0f : 2f, 0f, scale[0], scale[1], true)));
        }
        return cases;
    }

    /** Random weights of ±{@code weightScale}, inputs ±{@code inputScale} (some steps all zero if asked). */
    static OpCase lstm(Random random, Config c) {
        return lstm(random, c, 24);
    }

    /** Like {@link #lstm(Random, Config)} with the operator's input list cut to {@code inputCount} (20: no layer-norm slots). */
    static OpCase lstm(Random random, Config c, int inputCount) {
        return lstm(random, c, inputCount, false);
    }

    /** With {@code diagonal}, recurrent weights are diagonals {@code [cells]} (diagonal_recurrent_tensors). */
    static OpCase lstm(Random random, Config c, int inputCount, boolean diagonal) {
        int rows = c.batches() * c.steps();
        float[] x = SweepValues.uniform(random, rows * c.inputSize(), c.inputScale());
        if (c.zeroSteps()) {
            for (int r = 0; r < rows; r++) {
                if (random.nextInt(3) == 0) Arrays.fill(x, r * c.inputSize(), (r + 1) * c.inputSize(), 0f);
            }
        }
        TfliteWriter writer = new TfliteWriter();
        TfliteWriter.Graph g = writer.graph("main");
        int[] inputShape = c.timeMajor() ? new int[] {c.steps(), c.batches(), c.inputSize()}
                : new int[] {c.batches(), c.steps(), c.inputSize()};
        int[] outputShape = inputShape.clone();
        outputShape[2] = c.outputSize();
        int[] in = new int[24];
        Arrays.fill(in, -1);
        in[0] = g.tensor("input", TensorType.FLOAT32, inputShape);
        String[] gates = {"input", "forget", "cell", "output"};
        for (int gate = c.cifg() ? 1 : 0; gate < 4; gate++) {
            in[1 + gate] = weights(g, random, gates[gate] + "_w", c.weightScale(), c.cells(), c.inputSize());
            in[5 + gate] = diagonal ? weights(g, random, gates[gate] + "_r_diagonal", c.weightScale(), c.cells())
                    : weights(g, random, gates[gate] + "_r", c.weightScale(), c.cells(), c.outputSize());
            in[12 + gate] = weights(g, random, gates[gate] + "_b", c.weightScale(), c.cells());
        }
        if (c.peephole()) {
            if (!c.cifg()) in[9] = weights(g, random, "input_peephole", c.weightScale(), c.cells());
            in[10] = weights(g, random, "forget_peephole", c.weightScale(), c.cells());
            in[11] = weights(g, random, "output_peephole", c.weightScale(), c.cells());
        }
        if (c.layerNorm()) {
            for (int gate = c.cifg() ? 1 : 0; gate < 4; gate++) {
                in[20 + gate] = weights(g, random, gates[gate] + "_layer_norm", 1.5f, c.cells());
            }
        }
        if (c.projection()) {
            in[16] = weights(g, random, "projection_w", c.weightScale(), c.outputSize(), c.cells());
            if (c.projectionBias()) in[17] = weights(g, random, "projection_b", c.weightScale(), c.outputSize());
        }
        in[18] = g.variable("output_state", TensorType.FLOAT32, c.batches(), c.outputSize());
        in[19] = g.variable("cell_state", TensorType.FLOAT32, c.batches(), c.cells());
        int out = g.tensor("output", TensorType.FLOAT32, outputShape);
        UnidirectionalSequenceLSTMOptionsT options = new UnidirectionalSequenceLSTMOptionsT();
        options.setFusedActivationFunction(c.activation());
        options.setCellClip(c.cellClip());
        options.setProjClip(c.projClip());
        options.setTimeMajor(c.timeMajor());
        options.setDiagonalRecurrentTensors(diagonal);
        g.op(BuiltinOp.UNIDIRECTIONAL_SEQUENCE_LSTM, options, Arrays.copyOf(in, inputCount), new int[] {out});
        g.inputs(in[0]).outputs(out);
        return new OpCase(c + (inputCount == 24 ? "" : ", " + inputCount + " inputs") + (diagonal ? ", diagonal recurrent" : ""),
                writer.toBytes(), new Object[] {x});
    }

    private static int weights(TfliteWriter.Graph g, Random random, String name, float scale, int... shape) {
        return g.constant(name, shape, SweepValues.uniform(random, SweepValues.count(shape), scale));
    }

    @Test
    void bitExactAgainstTflite() {
        OpSweepAssert.assertBitExact("UNIDIRECTIONAL_SEQUENCE_LSTM", cases());
    }
}
