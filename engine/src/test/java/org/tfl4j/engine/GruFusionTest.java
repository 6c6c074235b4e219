package org.tfl4j.engine;

import org.junit.jupiter.api.Test;
import org.tfl4j.engine.ops.OpRegistry;
import org.tfl4j.models.GruEncoderWriter;
import org.tfl4j.models.GruForm;
import org.tfl4j.models.TfliteWriter;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.TensorType;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GRU fusions on graphs written by {@link GruEncoderWriter}: the pass recognises the WHILE loop (one fused loop)
 * and the unrolled steps (one fused step each, the first with its folded recurrent part), and the fused runs give
 * the bits of the op-by-op runs (fusion off) for every size tried, including units not a multiple of 4 (logistic
 * scalar tails), saturating and tiny weights, zero inputs and subnormal values. The comparison with TFLite itself is
 * conformance's GruFusionConformanceTest.
 */
class GruFusionTest {

    /** {T, C, units}. */
    private static final int[][] SIZES = {{1, 1, 1}, {2, 3, 4}, {3, 2, 5}, {7, 5, 13}, {6, 1, 17}, {10, 16, 16}, {12, 8, 7}};

    static byte[] gru(Random random, int t, int c, int u, float scale, GruForm form) {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int input = g.tensor("input", TensorType.FLOAT32, 1, t, c);
        int out = GruEncoderWriter.write(w, g, "gru", input, t, c, u, uniform(random, c * 3 * u, scale),
                uniform(random, u * 3 * u, scale), uniform(random, 6 * u, scale), form);
        g.inputs(input).outputs(out);
        return w.toBytes();
    }

    static float[] uniform(Random random, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (random.nextFloat() * 2 - 1) * scale;
        return v;
    }

    @Test
    void fusedLoopGivesTheBitsOfTheSubgraphs() {
        fusedGivesTheBitsOfTheOps(GruForm.WHILE);
    }

    @Test
    void fusedStepsGiveTheBitsOfTheUnrolledOps() {
        fusedGivesTheBitsOfTheOps(GruForm.UNROLLED);
    }

    private static void fusedGivesTheBitsOfTheOps(GruForm form) {
        Random random = new Random(5);
        int runs = 0;
        for (int[] size : SIZES) {
            for (float scale : new float[] {0.6f, 4f, 1e-19f}) {
                byte[] model = gru(random, size[0], size[1], size[2], scale, form);
                Model fused = Model.load(ByteBuffer.wrap(model), new Interpreter.Options());
                Model plain = Model.load(ByteBuffer.wrap(model), new Interpreter.Options().setFusion(false));
                List<String> lines = fused.fusions();
                if (form == GruForm.WHILE) {
                    // The body's step is fused where it stands too (used when the loop itself is not).
                    assertEquals(2, lines.size(), lines.toString());
                    assertTrue(lines.get(0).contains("op 1: WHILE (cond subgraph 1, body subgraph 2, " + size[0]
                            + " steps) as one GRU loop"), lines.toString());
                    assertTrue(lines.get(1).startsWith("subgraph 2: ops ") && lines.get(1).contains("a GRU step"), lines.toString());
                } else {
                    assertEquals(size[0], lines.size(), lines.toString());
                    assertTrue(lines.get(0).contains("(13): a GRU step as one kernel (Gru, " + size[2] + " units, recurrent part folded)"),
                            lines.toString());
                    for (int t = 1; t < size[0]; t++) assertTrue(lines.get(t).contains("(17): a GRU step"), lines.toString());
                }
                assertEquals(List.of(), plain.fusions());
                try (Interpreter a = new Interpreter(fused, new Interpreter.Options());
                     Interpreter b = new Interpreter(plain, new Interpreter.Options())) {
                    for (int run = 0; run < 6; run++) {
                        float[] x = uniform(random, size[0] * size[1], run % 3 == 2 ? 6f : 1.5f);
                        if (run == 3) java.util.Arrays.fill(x, 0f);
                        if (run == 4) for (int i = 0; i < x.length; i += 2) x[i] = Float.MIN_VALUE * (i % 3 - 1);
                        float[] ya = new float[size[2]];
                        float[] yb = new float[size[2]];
                        a.run(x, ya);
                        b.run(x, yb);
                        for (int j = 0; j < ya.length; j++) {
                            assertEquals(Float.floatToRawIntBits(yb[j]), Float.floatToRawIntBits(ya[j]),
                                    "T" + size[0] + " C" + size[1] + " U" + size[2] + " w" + scale + " run " + run + " unit " + j);
                        }
                        runs++;
                    }
                }
            }
        }
        assertEquals(SIZES.length * 3 * 6, runs);
    }

    /** A registry that swaps in another ADD kernel (here: the same one, but not tfl4j's own) keeps the loop unfused. */
    @Test
    void aSwappedKernelInTheBodyKeepsTheLoop() {
        byte[] model = gru(new Random(1), 3, 2, 4, 0.6f, GruForm.WHILE);
        OpRegistry builtins = OpRegistry.builtins();
        var add = builtins.kernel(BuiltinOp.ADD);
        OpRegistry swapped = builtins.withKernel(BuiltinOp.ADD, ctx -> add.prepare(ctx));
        Model m = Model.load(ByteBuffer.wrap(model), new Interpreter.Options().setOpRegistry(swapped));
        assertEquals(List.of(), m.fusions());
        byte[] unrolled = gru(new Random(1), 3, 2, 4, 0.6f, GruForm.UNROLLED);
        assertEquals(List.of(), Model.load(ByteBuffer.wrap(unrolled), new Interpreter.Options().setOpRegistry(swapped)).fusions());
    }

    /** An iteration limit below the loop's step count keeps the loop (and its RunAbortedException). */
    @Test
    void theIterationLimitIsKept() {
        byte[] model = gru(new Random(3), 5, 2, 3, 0.6f, GruForm.WHILE);
        Model m = Model.load(ByteBuffer.wrap(model), new Interpreter.Options().setMaxWhileIterations(4));
        assertEquals(1, m.fusions().size(), m.fusions().toString()); // the body's step only
        assertTrue(m.fusions().get(0).startsWith("subgraph 2: "), m.fusions().toString());
        try (Interpreter interp = new Interpreter(m, new Interpreter.Options())) {
            org.junit.jupiter.api.Assertions.assertThrows(RunAbortedException.class,
                    () -> interp.run(new float[10], new float[3]));
        }
    }
}
