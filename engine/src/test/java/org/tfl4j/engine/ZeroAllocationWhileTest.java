package org.tfl4j.engine;

import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.GatherOptionsT;
import org.tensorflow.lite.schema.MulOptionsT;
import org.tensorflow.lite.schema.WhileOptionsT;
import org.tfl4j.models.TfliteWriter;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.TensorType;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A model with a WHILE loop (16 iterations of GATHER of the time step, FULLY_CONNECTED, LOGISTIC, MUL and LESS in its
 * cond and body) allocates nothing per inference once warm: cond and body are bound once per interpreter, and the
 * loop only copies and runs nodes. Runs in a JVM of its own (the engine's surefire forks one per test class).
 */
class ZeroAllocationWhileTest {

    /** Loop values (t, xs [16, 8], h [1, 8]): h = LOGISTIC(FC(h * xs[t])), t = next[t], while t < 16. */
    static byte[] model() {
        java.util.Random random = new java.util.Random(7);
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        TfliteWriter.Graph cond = w.graph("cond");
        int ct = cond.tensor("t", TensorType.INT32);
        int cxs = cond.tensor("xs", TensorType.FLOAT32, 16, 8);
        int ch = cond.tensor("h", TensorType.FLOAT32, 1, 8);
        int steps = cond.constant("steps", new int[0], new int[] {16});
        int go = cond.tensor("go", TensorType.BOOL);
        cond.op(BuiltinOp.LESS, null, new int[] {ct, steps}, new int[] {go});
        cond.inputs(ct, cxs, ch).outputs(go);
        TfliteWriter.Graph body = w.graph("body");
        int bt = body.tensor("t", TensorType.INT32);
        int bxs = body.tensor("xs", TensorType.FLOAT32, 16, 8);
        int bh = body.tensor("h", TensorType.FLOAT32, 1, 8);
        int x = body.tensor("x", TensorType.FLOAT32, 8);
        body.op(BuiltinOp.GATHER, new GatherOptionsT(), new int[] {bxs, bt}, new int[] {x});
        int scaled = body.tensor("scaled", TensorType.FLOAT32, 1, 8);
        body.op(BuiltinOp.MUL, new MulOptionsT(), new int[] {bh, x}, new int[] {scaled});
        float[] weights = new float[64];
        for (int i = 0; i < weights.length; i++) weights[i] = random.nextFloat() - 0.5f;
        int wt = body.constant("w", new int[] {8, 8}, weights);
        int b = body.constant("b", new int[] {8}, new float[8]);
        int fc = body.tensor("fc", TensorType.FLOAT32, 1, 8);
        body.op(BuiltinOp.FULLY_CONNECTED, new FullyConnectedOptionsT(), new int[] {scaled, wt, b}, new int[] {fc});
        int h2 = body.tensor("h2", TensorType.FLOAT32, 1, 8);
        body.op(BuiltinOp.LOGISTIC, null, new int[] {fc}, new int[] {h2});
        int[] next = new int[17];
        for (int i = 0; i < next.length; i++) next[i] = i + 1;
        int table = body.constant("next", new int[] {17}, next);
        int t2 = body.tensor("t2", TensorType.INT32);
        body.op(BuiltinOp.GATHER, new GatherOptionsT(), new int[] {table, bt}, new int[] {t2});
        body.inputs(bt, bxs, bh).outputs(t2, bxs, h2);
        int t0 = g.constant("t0", new int[0], new int[] {0});
        int xs = g.tensor("xs", TensorType.FLOAT32, 16, 8);
        int h = g.tensor("h", TensorType.FLOAT32, 1, 8);
        int[] out = {g.tensor("t_out", TensorType.INT32), g.tensor("xs_out", TensorType.FLOAT32, 16, 8),
            g.tensor("h_out", TensorType.FLOAT32, 1, 8)};
        WhileOptionsT o = new WhileOptionsT();
        o.setCondSubgraphIndex(cond.index());
        o.setBodySubgraphIndex(body.index());
        g.op(BuiltinOp.WHILE, o, new int[] {t0, xs, h}, out);
        g.inputs(xs, h).outputs(out[2], out[0]);
        return w.toBytes();
    }

    @Test
    void whileInferenceAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "this JVM does not count allocated bytes");
        try (Interpreter interp = new Interpreter(ByteBuffer.wrap(model()))) {
            float[] xs = new float[128];
            for (int i = 0; i < xs.length; i++) xs[i] = (i % 7) * 0.25f - 0.5f;
            float[] h = {1, 1, 1, 1, 1, 1, 1, 1};
            float[] out = new float[8];
            int[] steps = new int[1];
            Runnable inference = () -> {
                interp.setInput(0, xs);
                interp.setInput(1, h);
                interp.invoke();
                interp.getOutput(0, out);
                interp.getOutput(1, steps);
            };
            for (int i = 0; i < 5_000; i++) inference.run();
            assertEquals(16, steps[0]);
            assertAllocatesNothing(threads, inference, "a WHILE model");
        }
    }

    /** The best of at least 5 rounds of 500 runs (going on up to 30 s while any allocation is seen) is 0 bytes. */
    static void assertAllocatesNothing(com.sun.management.ThreadMXBean threads, Runnable inference, String what) {
        long best = Long.MAX_VALUE;
        long deadline = System.nanoTime() + 30_000_000_000L;
        int round = 0;
        for (; best != 0 && (round < 5 || System.nanoTime() < deadline); round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 500; i++) inference.run();
            best = Math.min(best, threads.getCurrentThreadAllocatedBytes() - before);
        }
        assertEquals(0, best, "bytes allocated by 500 inferences of " + what + " (best of " + round + " rounds)");
    }
}
