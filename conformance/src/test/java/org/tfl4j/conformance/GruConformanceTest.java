package org.tfl4j.conformance;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tfl4j.engine.EngineException;
import org.tfl4j.engine.Interpreter;
import org.tfl4j.models.GruEncoderWriter;
import org.tfl4j.models.GruForm;
import org.tfl4j.models.TfliteWriter;
import org.tfl4j.parser.ModelFormatException;
import org.tfl4j.parser.TensorType;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Keras GRU graphs written by {@link GruEncoderWriter} ({@code [1, T, C]} float input → GRU → last output
 * {@code [1, units]}), with seeded weights and inputs over sizes including odd ones (units not a multiple of 4
 * put the LOGISTIC / TANH scalar tails to work), small and large weights (saturated gates, subnormal products).
 * The UNROLLED form runs bit-exact on tfl4j against TFLite 2.21 (builtin kernels, 1 thread). The WHILE form must
 * load and run on TFLite and give the unrolled form's bits (the two lowerings do the same float operations);
 * on tfl4j it is compared once the engine runs WHILE, and skipped (saying so) while it does not. The tfl4j rows
 * go into the conformance report ("GRU unrolled", "GRU WHILE").
 */
class GruConformanceTest {

    /** {T, C, units}. */
    private static final int[][] SIZES = {
            {1, 1, 1}, {2, 3, 4}, {3, 2, 5}, {5, 3, 4}, {4, 9, 3}, {7, 5, 13}, {6, 1, 17}, {10, 16, 16}, {12, 8, 7}, {3, 33, 2}};
    /** Weight scales: ordinary, large (saturating sigmoid and tanh), tiny (products near FLT_MIN). */
    private static final float[] WEIGHT_SCALES = {0.6f, 4f, 1e-19f};
    private static final int RUNS = 8;

    @BeforeEach
    void assumeReference() {
        ReferenceAssumptions.assumeAvailable();
    }

    @Test
    void unrolledIsBitExactAgainstTflite() {
        Comparison c = new Comparison("GRU unrolled", "model", OpConformance.BUILTIN_1_THREAD, 0);
        for (Case gru : cases()) {
            byte[] model = gru.model(GruForm.UNROLLED);
            try (TfliteReference reference = TfliteReference.open(gru.name(), model, 1, false);
                 Interpreter tfl4j = new Interpreter(ByteBuffer.wrap(model), new Interpreter.Options())) {
                for (float[] input : gru.inputs) {
                    Object[] expected = reference.run((Object) input);
                    Object[] actual = Tfl4jRunner.run(tfl4j, new Object[] {input});
                    c.addCase(gru.name(), Comparison.describeInputs(new Object[] {input}), expected, actual);
                }
            }
        }
        ConformanceReport.global().record(c);
        System.out.println(c.line());
        assertEquals(cases().size() * RUNS, c.cases());
        assertTrue(c.conformant(), () -> c.describeFailures(20));
    }

    /**
     * TFLite runs the WHILE lowering, and its output has the bits of its own run of the unrolled lowering: GATHER
     * and UNPACK copy the same step, the folded step 0 of the unrolled form equals FC(0) + bias, the rest is the
     * same op sequence on [1, U] tensors.
     */
    @Test
    void whileRunsOnTfliteWithTheUnrolledBits() {
        Comparison c = new Comparison("GRU WHILE vs unrolled (both TFLite)", "model", OpConformance.BUILTIN_1_THREAD, 0);
        for (Case gru : cases()) {
            try (TfliteReference loop = TfliteReference.open(gru.name() + " WHILE", gru.model(GruForm.WHILE), 1, false);
                 TfliteReference unrolled = TfliteReference.open(gru.name(), gru.model(GruForm.UNROLLED), 1, false)) {
                assertEquals(1, loop.outputCount());
                for (float[] input : gru.inputs) {
                    c.addCase(gru.name(), Comparison.describeInputs(new Object[] {input}), unrolled.run((Object) input),
                            loop.run((Object) input));
                }
            }
        }
        System.out.println(c.line());
        assertTrue(c.conformant(), () -> c.describeFailures(20));
    }

    @Test
    void whileOnTfl4jIsBitExactAgainstTflite() {
        Comparison c = new Comparison("GRU WHILE", "model", OpConformance.BUILTIN_1_THREAD, 0);
        for (Case gru : cases()) {
            byte[] model = gru.model(GruForm.WHILE);
            Interpreter tfl4j;
            try {
                tfl4j = new Interpreter(ByteBuffer.wrap(model), new Interpreter.Options());
            } catch (EngineException | ModelFormatException e) {
                assumeTrue(!String.valueOf(e.getMessage()).contains("is not supported by tfl4j"),
                        () -> "tfl4j does not run the WHILE form yet, skipping: " + e.getMessage());
                throw e;
            }
            try (TfliteReference reference = TfliteReference.open(gru.name(), model, 1, false); tfl4j) {
                for (float[] input : gru.inputs) {
                    c.addCase(gru.name(), Comparison.describeInputs(new Object[] {input}), reference.run((Object) input),
                            Tfl4jRunner.run(tfl4j, new Object[] {input}));
                }
            }
        }
        ConformanceReport.global().record(c);
        System.out.println(c.line());
        assertTrue(c.conformant(), () -> c.describeFailures(20));
    }

    /** One GRU configuration: sizes, Keras-layout weights and the inputs to run. */
    private record Case(String name, int timeSteps, int channels, int units, float[] kernel, float[] recurrentKernel,
                        float[] bias, List<float[]> inputs) {
        byte[] model(GruForm form) {
            TfliteWriter w = new TfliteWriter();
            TfliteWriter.Graph g = w.graph("main");
            int input = g.tensor("input", TensorType.FLOAT32, 1, timeSteps, channels);
            int out = GruEncoderWriter.write(w, g, "gru", input, timeSteps, channels, units, kernel, recurrentKernel, bias, form);
            g.inputs(input).outputs(out);
            return w.toBytes();
        }
    }

    private static List<Case> cases() {
        Random random = new Random(2026);
        List<Case> cases = new ArrayList<>();
        for (int[] size : SIZES) {
            for (float scale : WEIGHT_SCALES) {
                int t = size[0], ch = size[1], u = size[2];
                float[] kernel = uniform(random, ch * 3 * u, scale);
                float[] recurrent = uniform(random, u * 3 * u, scale);
                float[] bias = uniform(random, 6 * u, scale == 1e-19f ? 0.5f : scale);
                if (u > 1) {
                    bias[1] = -0f; // a signed-zero input bias and recurrent bias
                    bias[3 * u + 1] = -0f;
                }
                List<float[]> inputs = new ArrayList<>();
                for (int run = 0; run < RUNS; run++) {
                    float[] x = uniform(random, t * ch, run % 3 == 2 ? 6f : 1.5f);
                    if (run % 4 == 3) java.util.Arrays.fill(x, (t / 2) * ch, t * ch, 0f); // zero padding at the end
                    inputs.add(x);
                }
                cases.add(new Case("GRU T" + t + " C" + ch + " U" + u + " w" + scale, t, ch, u, kernel, recurrent, bias, inputs));
            }
        }
        return cases;
    }

    private static float[] uniform(Random random, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (random.nextFloat() * 2f - 1f) * scale;
        return v;
    }
}
