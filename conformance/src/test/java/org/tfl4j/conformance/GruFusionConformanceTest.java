package org.tfl4j.conformance;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tfl4j.engine.Interpreter;
import org.tfl4j.models.GruEncoderWriter;
import org.tfl4j.models.GruForm;
import org.tfl4j.models.TfliteWriter;
import org.tfl4j.parser.TensorType;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two GRU forms ({@link GruEncoderWriter}) on tfl4j with the GRU fusions (the default: the WHILE loop as one
 * fused loop, each unrolled step as one fused step) and without fusion (every op on its own, cond and body as
 * subgraphs), all bit for bit against TFLite 2.21 (builtin kernels, 1 thread): sizes with units not a multiple of 4,
 * ordinary, saturating and tiny weights, zero and wide-range inputs. Rows "GRU WHILE fused", "GRU WHILE unfused",
 * "GRU unrolled fused", "GRU unrolled unfused" in the conformance report.
 */
class GruFusionConformanceTest {

    /** {T, C, units}. */
    private static final int[][] SIZES = {{1, 1, 1}, {2, 3, 4}, {3, 2, 5}, {5, 3, 4}, {4, 9, 3}, {7, 5, 13}, {6, 1, 17},
        {10, 16, 16}, {12, 8, 7}, {3, 33, 2}};
    private static final float[] SCALES = {0.6f, 4f, 1e-19f};

    @BeforeEach
    void assumeReference() {
        ReferenceAssumptions.assumeAvailable();
    }

    @Test
    void whileFusedAndUnfusedAreBitExactAgainstTflite() {
        compare(GruForm.WHILE, "GRU WHILE");
    }

    @Test
    void unrolledFusedAndUnfusedAreBitExactAgainstTflite() {
        compare(GruForm.UNROLLED, "GRU unrolled");
    }

    private static void compare(GruForm form, String subject) {
        Comparison fused = new Comparison(subject + " fused", "model", OpConformance.BUILTIN_1_THREAD, 0);
        Comparison unfused = new Comparison(subject + " unfused", "model", OpConformance.BUILTIN_1_THREAD, 0);
        Random random = new Random(3405);
        for (int[] size : SIZES) {
            for (float scale : SCALES) {
                int t = size[0], c = size[1], u = size[2];
                String name = subject + " T" + t + " C" + c + " U" + u + " w" + scale;
                TfliteWriter w = new TfliteWriter();
                TfliteWriter.Graph g = w.graph("main");
                int input = g.tensor("input", TensorType.FLOAT32, 1, t, c);
                int out = GruEncoderWriter.write(w, g, "gru", input, t, c, u, uniform(random, c * 3 * u, scale),
                        uniform(random, u * 3 * u, scale), uniform(random, 6 * u, scale == 1e-19f ? 0.5f : scale), form);
                g.inputs(input).outputs(out);
                byte[] model = w.toBytes();
                try (TfliteReference reference = TfliteReference.open(name, model, 1, false);
                     Interpreter a = new Interpreter(ByteBuffer.wrap(model), new Interpreter.Options());
                     Interpreter b = new Interpreter(ByteBuffer.wrap(model), new Interpreter.Options().setFusion(false))) {
                    for (int run = 0; run < 6; run++) {
                        float[] x = uniform(random, t * c, run % 3 == 2 ? 6f : 1.5f);
                        if (run == 3) java.util.Arrays.fill(x, (t / 2) * c, t * c, 0f);
                        if (run == 4) for (int i = 0; i < x.length; i++) x[i] = (float) Math.scalb(x[i], random.nextInt(40) - 20);
                        Object[] inputs = {x};
                        Object[] expected = reference.run(inputs);
                        fused.addCase(name, Comparison.describeInputs(inputs), expected, Tfl4jRunner.run(a, inputs));
                        unfused.addCase(name, Comparison.describeInputs(inputs), expected, Tfl4jRunner.run(b, inputs));
                    }
                }
            }
        }
        for (Comparison c : new Comparison[] {fused, unfused}) {
            ConformanceReport.global().record(c);
            System.out.println(c.line());
        }
        assertTrue(fused.conformant(), () -> fused.describeFailures(20));
        assertTrue(unfused.conformant(), () -> unfused.describeFailures(20));
    }

    private static float[] uniform(Random random, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (random.nextFloat() * 2 - 1) * scale;
        return v;
    }
}
