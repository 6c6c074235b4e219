package org.tfl4j.conformance.ops;

import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.GatherOptionsT;
import org.tensorflow.lite.schema.MulOptionsT;
import org.tensorflow.lite.schema.WhileOptionsT;
import org.tfl4j.conformance.OpCase;
import org.tfl4j.models.TfliteWriter;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.TensorType;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * WHILE against TFLite: loops written with TfliteWriter as a main subgraph, a cond and a body, over loop values of
 * every type. Counters (doubling, so that MUL suffices), float accumulations through FULLY_CONNECTED and LOGISTIC
 * with loop-invariant values passed through, zero iterations (a cond false from the start: the WHILE's outputs are
 * its inputs), a cond that returns its input and one that returns a constant, a {@code [1]}-shaped cond joined by
 * LOGICAL_AND, GATHER of the time step with a scalar index, a nested loop, the same cond and body called by two WHILE
 * ops, and bodies that return an input at another position ({@code (b, a)}, {@code (b * 1, a)}, {@code (b, a * 1)}):
 * in TFLite 2.21 the body reads the WHILE's outputs in place and its outputs are copied onto them one after the other,
 * so such a value can be overwritten before it is copied, and tfl4j must give the same values.
 */
class WhileSweepTest {

    static List<OpCase> cases() {
        Random random = new Random(119);
        List<OpCase> cases = new ArrayList<>();
        for (int start : new int[] {1, 3, 7, 499, 500, 1000}) {
            cases.add(new OpCase("doubling counter from " + start + " while < 500", doublingCounter(500),
                    new Object[] {new int[] {start}}));
        }
        for (int n : new int[] {0, 1, 2, 5, 64, 1000}) {
            cases.add(new OpCase("FC + LOGISTIC accumulation, counter to " + n, accumulation(random),
                    new Object[] {new int[] {1}, new int[] {n}, SweepValues.uniform(random, 4, 2f), SweepValues.wideRange(random, 4)}));
        }
        for (boolean go : new boolean[] {true, false}) {
            cases.add(new OpCase("cond returns its bool input, starting " + go, flagLoop(),
                    new Object[] {new boolean[] {go}, new float[] {0.5f, 1e-3f, -2f}}));
        }
        cases.add(new OpCase("cond returns a constant false", constantFalse(),
                new Object[] {new float[] {1f, -0f, Float.NaN}, new long[] {Long.MIN_VALUE, 7L}}));
        for (int[] start : new int[][] {{1, 1}, {1, 30}, {9, 1}, {100, 100}}) {
            cases.add(new OpCase("cond of shape [1] with LOGICAL_AND from " + start[0] + ", " + start[1], andCond(),
                    new Object[] {new int[] {start[0]}, new int[] {start[1]}}));
        }
        String[] swaps = {"(b, a)", "(b * 1, a)", "(b, a * 1)", "(a * 1, a)"};
        for (int form = 0; form < swaps.length; form++) {
            for (int start : new int[] {1, 2, 4, 8}) {
                cases.add(new OpCase("body returning " + swaps[form] + " for (a, b), counter from " + start, swap(form),
                        new Object[] {new float[] {1f, 2f}, new float[] {-3f, -4f}, new int[] {start}}));
            }
        }
        for (int t0 : new int[] {0, 2, 5}) {
            cases.add(new OpCase("GATHER of time step, values of four types, from " + t0, gatherSteps(),
                    new Object[] {new int[] {t0}, SweepValues.wideRange(random, 15), SweepValues.uniform(random, 3, 1f),
                        new long[] {Long.MAX_VALUE, -5L}, new boolean[] {true, false, false, true}}));
        }
        for (int i0 : new int[] {1, 3, 8}) {
            cases.add(new OpCase("nested loop, outer counter from " + i0, nested(),
                    new Object[] {new int[] {i0}, SweepValues.uniform(random, 2, 3f)}));
        }
        cases.add(new OpCase("two WHILE ops sharing cond and body", twoLoops(), new Object[] {new int[] {3}}));
        return cases;
    }

    // ---- builders ----

    private static WhileOptionsT whileOptions(TfliteWriter.Graph cond, TfliteWriter.Graph body) {
        WhileOptionsT o = new WhileOptionsT();
        o.setCondSubgraphIndex(cond.index());
        o.setBodySubgraphIndex(body.index());
        return o;
    }

    private static int mul(TfliteWriter.Graph g, String name, TensorType type, int a, int b, int... shape) {
        int out = g.tensor(name, type, shape);
        g.op(BuiltinOp.MUL, new MulOptionsT(), new int[] {a, b}, new int[] {out});
        return out;
    }

    private static int less(TfliteWriter.Graph g, String name, int a, int b, int... shape) {
        int out = g.tensor(name, TensorType.BOOL, shape);
        g.op(BuiltinOp.LESS, null, new int[] {a, b}, new int[] {out});
        return out;
    }

    /** A cond over one int32 [] counter and any other values: counter < limit. */
    private static TfliteWriter.Graph counterCond(TfliteWriter w, int limit, Object[][] others) {
        TfliteWriter.Graph cond = w.graph("cond");
        int i = cond.tensor("i", TensorType.INT32);
        int[] in = new int[1 + others.length];
        in[0] = i;
        for (int k = 0; k < others.length; k++) in[k + 1] = cond.tensor("v" + k, (TensorType) others[k][0], (int[]) others[k][1]);
        int c = cond.constant("limit", new int[0], new int[] {limit});
        cond.inputs(in).outputs(less(cond, "go", i, c));
        return cond;
    }

    /** i int32 [] doubles while below the limit. */
    static byte[] doublingCounter(int limit) {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        TfliteWriter.Graph cond = counterCond(w, limit, new Object[0][]);
        TfliteWriter.Graph body = w.graph("body");
        int bi = body.tensor("i", TensorType.INT32);
        int two = body.constant("two", new int[0], new int[] {2});
        body.inputs(bi).outputs(mul(body, "next", TensorType.INT32, bi, two));
        int i = g.tensor("i", TensorType.INT32);
        int out = g.tensor("out", TensorType.INT32);
        g.op(BuiltinOp.WHILE, whileOptions(cond, body), new int[] {i}, new int[] {out});
        g.inputs(i).outputs(out);
        return w.toBytes();
    }

    /**
     * Loop values (i, n, acc [1,4], x [1,4]): while i < n, i doubles and acc becomes LOGISTIC(FC(acc * x)); n and x
     * pass through. The main graph scales acc before the loop and applies LOGISTIC after it.
     */
    static byte[] accumulation(Random random) {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        TfliteWriter.Graph cond = w.graph("cond");
        int ci = cond.tensor("i", TensorType.INT32);
        int cn = cond.tensor("n", TensorType.INT32);
        int ca = cond.tensor("acc", TensorType.FLOAT32, 1, 4);
        int cx = cond.tensor("x", TensorType.FLOAT32, 1, 4);
        cond.inputs(ci, cn, ca, cx).outputs(less(cond, "go", ci, cn));

        TfliteWriter.Graph body = w.graph("body");
        int bi = body.tensor("i", TensorType.INT32);
        int bn = body.tensor("n", TensorType.INT32);
        int ba = body.tensor("acc", TensorType.FLOAT32, 1, 4);
        int bx = body.tensor("x", TensorType.FLOAT32, 1, 4);
        int two = body.constant("two", new int[0], new int[] {2});
        int weights = body.constant("w", new int[] {4, 4}, SweepValues.uniform(random, 16, 1.5f));
        int bias = body.constant("b", new int[] {4}, SweepValues.uniform(random, 4, 0.5f));
        int scaled = mul(body, "scaled", TensorType.FLOAT32, ba, bx, 1, 4);
        int fc = body.tensor("fc", TensorType.FLOAT32, 1, 4);
        body.op(BuiltinOp.FULLY_CONNECTED, new FullyConnectedOptionsT(), new int[] {scaled, weights, bias}, new int[] {fc});
        int next = body.tensor("next", TensorType.FLOAT32, 1, 4);
        body.op(BuiltinOp.LOGISTIC, null, new int[] {fc}, new int[] {next});
        body.inputs(bi, bn, ba, bx).outputs(mul(body, "i2", TensorType.INT32, bi, two), bn, next, bx);

        int i = g.tensor("i", TensorType.INT32);
        int n = g.tensor("n", TensorType.INT32);
        int acc = g.tensor("acc", TensorType.FLOAT32, 1, 4);
        int x = g.tensor("x", TensorType.FLOAT32, 1, 4);
        int half = g.constant("half", new int[0], new float[] {0.5f});
        int acc0 = mul(g, "acc0", TensorType.FLOAT32, acc, half, 1, 4);
        int[] out = {g.tensor("i_out", TensorType.INT32), g.tensor("n_out", TensorType.INT32),
            g.tensor("acc_out", TensorType.FLOAT32, 1, 4), g.tensor("x_out", TensorType.FLOAT32, 1, 4)};
        g.op(BuiltinOp.WHILE, whileOptions(cond, body), new int[] {i, n, acc0, x}, out);
        int y = g.tensor("y", TensorType.FLOAT32, 1, 4);
        g.op(BuiltinOp.LOGISTIC, null, new int[] {out[2]}, new int[] {y});
        g.inputs(i, n, acc, x).outputs(y, out[0], out[2]);
        return w.toBytes();
    }

    /** Loop values (go bool [], x [3]): cond returns go itself; body scales x by 1.5 and sets go = x'[0] < 40. */
    static byte[] flagLoop() {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        TfliteWriter.Graph cond = w.graph("cond");
        int cg = cond.tensor("go", TensorType.BOOL);
        int cx = cond.tensor("x", TensorType.FLOAT32, 3);
        cond.inputs(cg, cx).outputs(cg);
        TfliteWriter.Graph body = w.graph("body");
        int bg = body.tensor("go", TensorType.BOOL);
        int bx = body.tensor("x", TensorType.FLOAT32, 3);
        int factor = body.constant("factor", new int[0], new float[] {1.5f});
        int next = mul(body, "x2", TensorType.FLOAT32, bx, factor, 3);
        int zero = body.constant("zero", new int[0], new int[] {0});
        int first = body.tensor("first", TensorType.FLOAT32);
        body.op(BuiltinOp.GATHER, new GatherOptionsT(), new int[] {next, zero}, new int[] {first});
        int limit = body.constant("limit", new int[0], new float[] {40f});
        body.inputs(bg, bx).outputs(less(body, "go2", first, limit), next);
        int go = g.tensor("go", TensorType.BOOL);
        int x = g.tensor("x", TensorType.FLOAT32, 3);
        int[] out = {g.tensor("go_out", TensorType.BOOL), g.tensor("x_out", TensorType.FLOAT32, 3)};
        g.op(BuiltinOp.WHILE, whileOptions(cond, body), new int[] {go, x}, out);
        g.inputs(go, x).outputs(out);
        return w.toBytes();
    }

    /** A cond whose output is a constant false: zero iterations, the outputs are the inputs. */
    static byte[] constantFalse() {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        TfliteWriter.Graph cond = w.graph("cond");
        int cf = cond.tensor("f", TensorType.FLOAT32, 3);
        int cl = cond.tensor("l", TensorType.INT64, 2);
        int no = cond.constant("no", new int[0], new boolean[] {false});
        cond.inputs(cf, cl).outputs(no);
        TfliteWriter.Graph body = w.graph("body");
        int bf = body.tensor("f", TensorType.FLOAT32, 3);
        int bl = body.tensor("l", TensorType.INT64, 2);
        int two = body.constant("two", new int[0], new float[] {2f});
        body.inputs(bf, bl).outputs(mul(body, "f2", TensorType.FLOAT32, bf, two, 3), bl);
        int f = g.tensor("f", TensorType.FLOAT32, 3);
        int l = g.tensor("l", TensorType.INT64, 2);
        int[] out = {g.tensor("f_out", TensorType.FLOAT32, 3), g.tensor("l_out", TensorType.INT64, 2)};
        g.op(BuiltinOp.WHILE, whileOptions(cond, body), new int[] {f, l}, out);
        g.inputs(f, l).outputs(out);
        return w.toBytes();
    }

    /** Loop values (i [1], j [1]): while i < 10 and j < 50, i doubles and j triples; the cond's output has shape [1]. */
    static byte[] andCond() {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        TfliteWriter.Graph cond = w.graph("cond");
        int ci = cond.tensor("i", TensorType.INT32, 1);
        int cj = cond.tensor("j", TensorType.INT32, 1);
        int ten = cond.constant("ten", new int[0], new int[] {10});
        int fifty = cond.constant("fifty", new int[] {1}, new int[] {50});
        int go = cond.tensor("go", TensorType.BOOL, 1);
        cond.op(BuiltinOp.LOGICAL_AND, null, new int[] {less(cond, "a", ci, ten, 1), less(cond, "b", cj, fifty, 1)},
                new int[] {go});
        cond.inputs(ci, cj).outputs(go);
        TfliteWriter.Graph body = w.graph("body");
        int bi = body.tensor("i", TensorType.INT32, 1);
        int bj = body.tensor("j", TensorType.INT32, 1);
        int two = body.constant("two", new int[0], new int[] {2});
        int three = body.constant("three", new int[] {1}, new int[] {3});
        body.inputs(bi, bj).outputs(mul(body, "i2", TensorType.INT32, bi, two, 1), mul(body, "j3", TensorType.INT32, bj, three, 1));
        int i = g.tensor("i", TensorType.INT32, 1);
        int j = g.tensor("j", TensorType.INT32, 1);
        int[] out = {g.tensor("i_out", TensorType.INT32, 1), g.tensor("j_out", TensorType.INT32, 1)};
        g.op(BuiltinOp.WHILE, whileOptions(cond, body), new int[] {i, j}, out);
        g.inputs(i, j).outputs(out);
        return w.toBytes();
    }

    /**
     * Loop values (a [2], b [2], i), i doubling while below 8; the body returns, by {@code form}: 0 {@code (b, a)}
     * (its own input tensors), 1 {@code (b * 1, a)}, 2 {@code (b, a * 1)}, 3 {@code (a * 1, a)}.
     */
    static byte[] swap(int form) {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        TfliteWriter.Graph cond = w.graph("cond"); // the counter comes last here
        int ca = cond.tensor("a", TensorType.FLOAT32, 2);
        int cb = cond.tensor("b", TensorType.FLOAT32, 2);
        int ci = cond.tensor("i", TensorType.INT32);
        int eight = cond.constant("eight", new int[0], new int[] {8});
        cond.inputs(ca, cb, ci).outputs(less(cond, "go", ci, eight));
        TfliteWriter.Graph body = w.graph("body");
        int ba = body.tensor("a", TensorType.FLOAT32, 2);
        int bb = body.tensor("b", TensorType.FLOAT32, 2);
        int bi = body.tensor("i", TensorType.INT32);
        int two = body.constant("two", new int[0], new int[] {2});
        int one = body.constant("one", new int[0], new float[] {1f});
        int i2 = mul(body, "i2", TensorType.INT32, bi, two);
        body.inputs(ba, bb, bi);
        switch (form) {
            case 0: body.outputs(bb, ba, i2); break;
            case 1: body.outputs(mul(body, "b1", TensorType.FLOAT32, bb, one, 2), ba, i2); break;
            case 2: body.outputs(bb, mul(body, "a1", TensorType.FLOAT32, ba, one, 2), i2); break;
            default: body.outputs(mul(body, "a1", TensorType.FLOAT32, ba, one, 2), ba, i2); break;
        }
        int a = g.tensor("a", TensorType.FLOAT32, 2);
        int b = g.tensor("b", TensorType.FLOAT32, 2);
        int i = g.tensor("i", TensorType.INT32);
        int[] out = {g.tensor("a_out", TensorType.FLOAT32, 2), g.tensor("b_out", TensorType.FLOAT32, 2),
            g.tensor("i_out", TensorType.INT32)};
        g.op(BuiltinOp.WHILE, whileOptions(cond, body), new int[] {a, b, i}, out);
        g.inputs(a, b, i).outputs(out);
        return w.toBytes();
    }

    /**
     * Loop values (t, xs [5,3], acc [3], l int64 [2], m bool [2,2]): while t < 5, acc = LOGISTIC(acc * xs[t]) with
     * xs[t] read by GATHER with a scalar index, t = next[t] (a GATHER from a constant table: t + 1); the rest pass through.
     */
    static byte[] gatherSteps() {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        Object[][] others = {{TensorType.FLOAT32, new int[] {5, 3}}, {TensorType.FLOAT32, new int[] {3}},
            {TensorType.INT64, new int[] {2}}, {TensorType.BOOL, new int[] {2, 2}}};
        TfliteWriter.Graph cond = counterCond(w, 5, others);
        TfliteWriter.Graph body = w.graph("body");
        int bt = body.tensor("t", TensorType.INT32);
        int bxs = body.tensor("xs", TensorType.FLOAT32, 5, 3);
        int bacc = body.tensor("acc", TensorType.FLOAT32, 3);
        int bl = body.tensor("l", TensorType.INT64, 2);
        int bm = body.tensor("m", TensorType.BOOL, 2, 2);
        int x = body.tensor("x", TensorType.FLOAT32, 3);
        body.op(BuiltinOp.GATHER, new GatherOptionsT(), new int[] {bxs, bt}, new int[] {x});
        int product = mul(body, "product", TensorType.FLOAT32, bacc, x, 3);
        int acc2 = body.tensor("acc2", TensorType.FLOAT32, 3);
        body.op(BuiltinOp.LOGISTIC, null, new int[] {product}, new int[] {acc2});
        int table = body.constant("next", new int[] {6}, new int[] {1, 2, 3, 4, 5, 6});
        int t2 = body.tensor("t2", TensorType.INT32);
        body.op(BuiltinOp.GATHER, new GatherOptionsT(), new int[] {table, bt}, new int[] {t2});
        body.inputs(bt, bxs, bacc, bl, bm).outputs(t2, bxs, acc2, bl, bm);
        int t = g.tensor("t", TensorType.INT32);
        int xs = g.tensor("xs", TensorType.FLOAT32, 5, 3);
        int acc = g.tensor("acc", TensorType.FLOAT32, 3);
        int l = g.tensor("l", TensorType.INT64, 2);
        int m = g.tensor("m", TensorType.BOOL, 2, 2);
        int[] out = {g.tensor("t_out", TensorType.INT32), g.tensor("xs_out", TensorType.FLOAT32, 5, 3),
            g.tensor("acc_out", TensorType.FLOAT32, 3), g.tensor("l_out", TensorType.INT64, 2),
            g.tensor("m_out", TensorType.BOOL, 2, 2)};
        g.op(BuiltinOp.WHILE, whileOptions(cond, body), new int[] {t, xs, acc, l, m}, out);
        g.inputs(t, xs, acc, l, m).outputs(out);
        return w.toBytes();
    }

    /**
     * Outer loop values (i, acc [2]): while i < 8, i doubles and an inner WHILE (from the constant j = 1, while j < 4,
     * j doubles) multiplies acc by 1.25 per inner iteration.
     */
    static byte[] nested() {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        Object[][] acc2 = {{TensorType.FLOAT32, new int[] {2}}};
        TfliteWriter.Graph outerCond = counterCond(w, 8, acc2);
        TfliteWriter.Graph innerCond = counterCond(w, 4, acc2);
        TfliteWriter.Graph innerBody = w.graph("inner_body");
        int ij = innerBody.tensor("j", TensorType.INT32);
        int ia = innerBody.tensor("acc", TensorType.FLOAT32, 2);
        int two = innerBody.constant("two", new int[0], new int[] {2});
        int factor = innerBody.constant("factor", new int[0], new float[] {1.25f});
        innerBody.inputs(ij, ia).outputs(mul(innerBody, "j2", TensorType.INT32, ij, two),
                mul(innerBody, "acc2", TensorType.FLOAT32, ia, factor, 2));
        TfliteWriter.Graph outerBody = w.graph("outer_body");
        int oi = outerBody.tensor("i", TensorType.INT32);
        int oa = outerBody.tensor("acc", TensorType.FLOAT32, 2);
        int j0 = outerBody.constant("j0", new int[0], new int[] {1});
        int[] innerOut = {outerBody.tensor("j_out", TensorType.INT32), outerBody.tensor("acc_out", TensorType.FLOAT32, 2)};
        outerBody.op(BuiltinOp.WHILE, whileOptions(innerCond, innerBody), new int[] {j0, oa}, innerOut);
        int otwo = outerBody.constant("two", new int[0], new int[] {2});
        outerBody.inputs(oi, oa).outputs(mul(outerBody, "i2", TensorType.INT32, oi, otwo), innerOut[1]);
        int i = g.tensor("i", TensorType.INT32);
        int acc = g.tensor("acc", TensorType.FLOAT32, 2);
        int[] out = {g.tensor("i_out", TensorType.INT32), g.tensor("acc_out", TensorType.FLOAT32, 2)};
        g.op(BuiltinOp.WHILE, whileOptions(outerCond, outerBody), new int[] {i, acc}, out);
        g.inputs(i, acc).outputs(out);
        return w.toBytes();
    }

    /** i1 = doubling loop(i), i2 = the same loop (same cond and body subgraphs) of 3 * i1. */
    static byte[] twoLoops() {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        TfliteWriter.Graph cond = counterCond(w, 100, new Object[0][]);
        TfliteWriter.Graph body = w.graph("body");
        int bi = body.tensor("i", TensorType.INT32);
        int two = body.constant("two", new int[0], new int[] {2});
        body.inputs(bi).outputs(mul(body, "next", TensorType.INT32, bi, two));
        int i = g.tensor("i", TensorType.INT32);
        int i1 = g.tensor("i1", TensorType.INT32);
        g.op(BuiltinOp.WHILE, whileOptions(cond, body), new int[] {i}, new int[] {i1});
        int three = g.constant("three", new int[0], new int[] {3});
        int tripled = mul(g, "tripled", TensorType.INT32, i1, three);
        int i2 = g.tensor("i2", TensorType.INT32);
        g.op(BuiltinOp.WHILE, whileOptions(cond, body), new int[] {tripled}, new int[] {i2});
        g.inputs(i).outputs(i1, i2);
        return w.toBytes();
    }

    @Test
    void bitExactAgainstTflite() {
        OpSweepAssert.assertBitExact("WHILE", cases());
    }
}
