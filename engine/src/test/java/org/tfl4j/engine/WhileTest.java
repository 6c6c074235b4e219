package org.tfl4j.engine;

import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.MulOptionsT;
import org.tensorflow.lite.schema.WhileOptionsT;
import org.tfl4j.models.TfliteWriter;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.ModelFormatException;
import org.tfl4j.parser.TensorType;

import java.nio.ByteBuffer;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WHILE through load and run, with hand-computed results (the bit-for-bit comparison with TFLite is
 * conformance's WhileSweepTest): counting, zero iterations, TFLite's copy order for a body returning an input at
 * another position, the iteration limit and thread interrupts for endless loops, and the load-time refusals
 * (variables or input-writing ops in a called subgraph, ops tfl4j lacks there, nesting too deep).
 */
class WhileTest {

    private static WhileOptionsT options(TfliteWriter.Graph cond, TfliteWriter.Graph body) {
        WhileOptionsT o = new WhileOptionsT();
        o.setCondSubgraphIndex(cond.index());
        o.setBodySubgraphIndex(body.index());
        return o;
    }

    /**
     * Loop values (i int32 [], x float [2]): while i < limit (cond), i = i * 2 and x = x * 1.5 (body). With
     * {@code constantTrue} the cond returns a constant true instead: it never ends.
     */
    static byte[] counter(int limit, boolean constantTrue) {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        TfliteWriter.Graph cond = w.graph("cond");
        int ci = cond.tensor("i", TensorType.INT32);
        int cx = cond.tensor("x", TensorType.FLOAT32, 2);
        int go;
        if (constantTrue) {
            go = cond.constant("yes", new int[0], new boolean[] {true});
        } else {
            int c = cond.constant("limit", new int[0], new int[] {limit});
            go = cond.tensor("go", TensorType.BOOL);
            cond.op(BuiltinOp.LESS, null, new int[] {ci, c}, new int[] {go});
        }
        cond.inputs(ci, cx).outputs(go);
        TfliteWriter.Graph body = w.graph("body");
        int bi = body.tensor("i", TensorType.INT32);
        int bx = body.tensor("x", TensorType.FLOAT32, 2);
        int two = body.constant("two", new int[0], new int[] {2});
        int factor = body.constant("factor", new int[0], new float[] {1.5f});
        int i2 = body.tensor("i2", TensorType.INT32);
        int x2 = body.tensor("x2", TensorType.FLOAT32, 2);
        body.op(BuiltinOp.MUL, new MulOptionsT(), new int[] {bi, two}, new int[] {i2});
        body.op(BuiltinOp.MUL, new MulOptionsT(), new int[] {bx, factor}, new int[] {x2});
        body.inputs(bi, bx).outputs(i2, x2);
        int i = g.tensor("i", TensorType.INT32);
        int x = g.tensor("x", TensorType.FLOAT32, 2);
        int[] out = {g.tensor("i_out", TensorType.INT32), g.tensor("x_out", TensorType.FLOAT32, 2)};
        g.op(BuiltinOp.WHILE, options(cond, body), new int[] {i, x}, out);
        g.inputs(i, x).outputs(out);
        return w.toBytes();
    }

    private static Interpreter interpreter(byte[] model, Interpreter.Options options) {
        return new Interpreter(ByteBuffer.wrap(model), options);
    }

    @Test
    void countsAndCarriesValues() {
        try (Interpreter interp = interpreter(counter(100, false), new Interpreter.Options())) {
            int[] i = new int[1];
            float[] x = new float[2];
            // 3 -> 6 -> 12 -> 24 -> 48 -> 96 -> 192: six iterations, x * 1.5^6 = x * 11.390625 (exact)
            interp.runForMultipleInputsOutputs(new Object[] {new int[] {3}, new float[] {1f, -2f}},
                    java.util.Map.of(0, i, 1, x));
            assertEquals(192, i[0]);
            assertArrayEquals(new float[] {11.390625f, -22.78125f}, x);
            // Zero iterations: the outputs are the inputs, bit for bit.
            interp.runForMultipleInputsOutputs(new Object[] {new int[] {100}, new float[] {-0f, Float.NaN}},
                    java.util.Map.of(0, i, 1, x));
            assertEquals(100, i[0]);
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(x[0]));
            assertTrue(Float.isNaN(x[1]));
        }
    }

    @Test
    void arenasOfCalledSubgraphsAreCounted() {
        Model withLoop = Model.load(ByteBuffer.wrap(counter(100, false)), new Interpreter.Options());
        // main: 2 inputs + 2 outputs; cond and body add their own arenas.
        assertTrue(withLoop.arenaBytes() > withLoop.main().arenaBytes(), "called subgraphs' arenas count");
    }

    /** Outputs (b * 1, a) for inputs (a, b): TFLite copies b into output 0, which the body reads as a, then a into output 1. */
    @Test
    void copiesInTflitesOrder() {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        TfliteWriter.Graph cond = w.graph("cond");
        int ca = cond.tensor("a", TensorType.FLOAT32);
        int cb = cond.tensor("b", TensorType.FLOAT32);
        int ci = cond.tensor("i", TensorType.INT32);
        int limit = cond.constant("limit", new int[0], new int[] {2});
        int go = cond.tensor("go", TensorType.BOOL);
        cond.op(BuiltinOp.LESS, null, new int[] {ci, limit}, new int[] {go});
        cond.inputs(ca, cb, ci).outputs(go);
        TfliteWriter.Graph body = w.graph("body");
        int ba = body.tensor("a", TensorType.FLOAT32);
        int bb = body.tensor("b", TensorType.FLOAT32);
        int bi = body.tensor("i", TensorType.INT32);
        int one = body.constant("one", new int[0], new float[] {1f});
        int two = body.constant("two", new int[0], new int[] {2});
        int b1 = body.tensor("b1", TensorType.FLOAT32);
        int i2 = body.tensor("i2", TensorType.INT32);
        body.op(BuiltinOp.MUL, new MulOptionsT(), new int[] {bb, one}, new int[] {b1});
        body.op(BuiltinOp.MUL, new MulOptionsT(), new int[] {bi, two}, new int[] {i2});
        body.inputs(ba, bb, bi).outputs(b1, ba, i2);
        int a = g.tensor("a", TensorType.FLOAT32);
        int b = g.tensor("b", TensorType.FLOAT32);
        int i = g.tensor("i", TensorType.INT32);
        int[] out = {g.tensor("a_out", TensorType.FLOAT32), g.tensor("b_out", TensorType.FLOAT32), g.tensor("i_out", TensorType.INT32)};
        g.op(BuiltinOp.WHILE, options(cond, body), new int[] {a, b, i}, out);
        g.inputs(a, b, i).outputs(out);
        try (Interpreter interp = interpreter(w.toBytes(), new Interpreter.Options())) {
            float[] ra = new float[1];
            float[] rb = new float[1];
            interp.runForMultipleInputsOutputs(new Object[] {new float[] {1f}, new float[] {2f}, new int[] {1}},
                    java.util.Map.of(0, ra, 1, rb));
            assertEquals(2f, ra[0]);
            assertEquals(2f, rb[0], "not 1: output 0 already holds b when 'a' is copied to output 1");
        }
    }

    @Test
    void anEndlessLoopStopsAtTheLimit() {
        Interpreter.Options limited = new Interpreter.Options().setMaxWhileIterations(1000);
        try (Interpreter interp = interpreter(counter(0, true), limited)) {
            interp.setInput(0, new int[] {1});
            interp.setInput(1, new float[] {1f, 1f});
            RunAbortedException e = assertThrows(RunAbortedException.class, interp::invoke);
            assertTrue(e.getMessage().contains("op 0 WHILE (cond subgraph 1, body subgraph 2): stopped after 1000 iterations"),
                    e.getMessage());
        }
        // A limit the loop stays under changes nothing.
        try (Interpreter interp = interpreter(counter(100, false), new Interpreter.Options().setMaxWhileIterations(6))) {
            int[] i = new int[1];
            interp.runForMultipleInputsOutputs(new Object[] {new int[] {3}, new float[2]}, java.util.Map.of(0, i));
            assertEquals(192, i[0]);
        }
        try (Interpreter interp = interpreter(counter(100, false), new Interpreter.Options().setMaxWhileIterations(5))) {
            assertThrows(RunAbortedException.class,
                    () -> interp.runForMultipleInputsOutputs(new Object[] {new int[] {3}, new float[2]}, java.util.Map.of()));
        }
    }

    @Test
    void anInterruptStopsAnEndlessLoop() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (Interpreter interp = interpreter(counter(0, true), new Interpreter.Options())) {
                interp.setInput(0, new int[] {1});
                interp.setInput(1, new float[2]);
                Thread runner = Thread.currentThread();
                Thread interrupter = new Thread(() -> {
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                    runner.interrupt();
                });
                interrupter.start();
                RunAbortedException e = assertThrows(RunAbortedException.class, interp::invoke);
                assertTrue(e.getMessage().contains("thread interrupted"), e.getMessage());
                assertTrue(Thread.interrupted(), "the interrupt status stays set (cleared here)");
                interrupter.join();
            }
        });
    }

    @Test
    void aBodyCallingItselfIsRefusedByTheParser() {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        TfliteWriter.Graph cond = w.graph("cond");
        int ci = cond.tensor("i", TensorType.INT32);
        int yes = cond.constant("yes", new int[0], new boolean[] {true});
        cond.inputs(ci).outputs(yes);
        TfliteWriter.Graph body = w.graph("body");
        int bi = body.tensor("i", TensorType.INT32);
        int bo = body.tensor("o", TensorType.INT32);
        body.op(BuiltinOp.WHILE, options(cond, body), new int[] {bi}, new int[] {bo});
        body.inputs(bi).outputs(bo);
        int i = g.tensor("i", TensorType.INT32);
        int o = g.tensor("o", TensorType.INT32);
        g.op(BuiltinOp.WHILE, options(cond, body), new int[] {i}, new int[] {o});
        g.inputs(i).outputs(o);
        byte[] model = w.toBytes();
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> Model.load(ByteBuffer.wrap(model), new Interpreter.Options()));
        assertTrue(e.getMessage().contains("subgraph 2 op 0 (WHILE): body_subgraph_index 2 calls back into subgraph 2"),
                e.getMessage());
    }

    /** Main calls body 2, which calls body 3, ... : a chain deeper than Model.MAX_NESTING is refused at load. */
    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        for (int depth : new int[] {Model.MAX_NESTING - 1, Model.MAX_NESTING + 5}) {
            TfliteWriter w = new TfliteWriter();
            TfliteWriter.Graph g = w.graph("main");
            TfliteWriter.Graph cond = w.graph("cond");
            int ci = cond.tensor("i", TensorType.INT32);
            int no = cond.constant("no", new int[0], new boolean[] {false});
            cond.inputs(ci).outputs(no);
            TfliteWriter.Graph[] bodies = new TfliteWriter.Graph[depth];
            for (int k = 0; k < depth; k++) bodies[k] = w.graph("body" + k);
            for (int k = 0; k < depth; k++) {
                int bi = bodies[k].tensor("i", TensorType.INT32);
                int bo = bodies[k].tensor("o", TensorType.INT32);
                if (k + 1 < depth) {
                    bodies[k].op(BuiltinOp.WHILE, options(cond, bodies[k + 1]), new int[] {bi}, new int[] {bo});
                } else {
                    int two = bodies[k].constant("two", new int[0], new int[] {2});
                    bodies[k].op(BuiltinOp.MUL, new MulOptionsT(), new int[] {bi, two}, new int[] {bo});
                }
                bodies[k].inputs(bi).outputs(bo);
            }
            int i = g.tensor("i", TensorType.INT32);
            int o = g.tensor("o", TensorType.INT32);
            g.op(BuiltinOp.WHILE, options(cond, bodies[0]), new int[] {i}, new int[] {o});
            g.inputs(i).outputs(o);
            byte[] model = w.toBytes();
            if (depth < Model.MAX_NESTING) {
                try (Interpreter interp = interpreter(model, new Interpreter.Options())) {
                    int[] out = new int[1];
                    interp.run(new int[] {7}, out);
                    assertEquals(7, out[0]); // the cond is false: zero iterations
                }
            } else {
                InvalidModelException e = assertThrows(InvalidModelException.class,
                        () -> Model.load(ByteBuffer.wrap(model), new Interpreter.Options()));
                assertTrue(e.getMessage().contains("WHILE loops nest more than " + Model.MAX_NESTING + " deep"), e.getMessage());
            }
        }
    }

    /** A called subgraph with an op tfl4j lacks, a variable, or an op writing its input: refused at load, naming it. */
    @Test
    void calledSubgraphsAreCheckedAtLoad() {
        byte[] withDiv = bodyWith(false, false);
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> Model.load(ByteBuffer.wrap(withDiv), new Interpreter.Options()));
        assertTrue(e.getMessage().startsWith("subgraph 2: op 0 SQUARE is not supported"), e.getMessage());
        byte[] withVariable = bodyWith(true, false);
        e = assertThrows(InvalidModelException.class, () -> Model.load(ByteBuffer.wrap(withVariable), new Interpreter.Options()));
        assertTrue(e.getMessage().contains("subgraph 2: variable tensor") && e.getMessage().contains("only in the main subgraph"),
                e.getMessage());
        byte[] writesInput = bodyWith(false, true);
        e = assertThrows(InvalidModelException.class, () -> Model.load(ByteBuffer.wrap(writesInput), new Interpreter.Options()));
        assertTrue(e.getMessage().contains("subgraph 2: op 0 MUL writes the subgraph's input"), e.getMessage());
    }

    /** A loop over x float [2] whose body runs SQUARE (not in tfl4j), or MUL with a variable, or MUL into its input. */
    private static byte[] bodyWith(boolean variable, boolean writeInput) {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        TfliteWriter.Graph cond = w.graph("cond");
        int cx = cond.tensor("x", TensorType.FLOAT32, 2);
        int no = cond.constant("no", new int[0], new boolean[] {false});
        cond.inputs(cx).outputs(no);
        TfliteWriter.Graph body = w.graph("body");
        int bx = body.tensor("x", TensorType.FLOAT32, 2);
        int by = body.tensor("y", TensorType.FLOAT32, 2);
        if (variable) {
            int state = body.variable("state", TensorType.FLOAT32, 2);
            body.op(BuiltinOp.MUL, new MulOptionsT(), new int[] {bx, state}, new int[] {by});
        } else if (writeInput) {
            body.op(BuiltinOp.MUL, new MulOptionsT(), new int[] {by, by}, new int[] {bx});
        } else {
            body.op(92 /* SQUARE */, null, new int[] {bx}, new int[] {by});
        }
        body.inputs(bx).outputs(writeInput ? bx : by);
        int x = g.tensor("x", TensorType.FLOAT32, 2);
        int y = g.tensor("y", TensorType.FLOAT32, 2);
        g.op(BuiltinOp.WHILE, options(cond, body), new int[] {x}, new int[] {y});
        g.inputs(x).outputs(y);
        return w.toBytes();
    }
}
