package org.tfl4j.engine.ops;

import org.junit.jupiter.api.Test;
import org.tfl4j.engine.InvalidInputException;
import org.tfl4j.engine.InvalidModelException;
import org.tfl4j.parser.Activation;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.TensorType;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tfl4j.engine.ops.OpHarness.bits;

/** MUL, DIV, NOT_EQUAL and CAST through prepare and bind, against a numpy-style broadcasting oracle. */
class ElementwiseOpsTest {
    private static final float MAX = Float.MAX_VALUE;

    // ---- oracle ------------------------------------------------------------------------------

    /** numpy's broadcast shape of two shapes (compatible by construction in these tests). */
    private static int[] broadcastShape(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int d = 0; d < rank; d++) {
            int ad = d - (rank - a.length) < 0 ? 1 : a[d - (rank - a.length)];
            int bd = d - (rank - b.length) < 0 ? 1 : b[d - (rank - b.length)];
            out[d] = ad == 1 ? bd : ad;
        }
        return out;
    }

    /** Flat position in an operand of the output element at {@code index} (right-aligned, size-1 dims repeat). */
    private static int operandPosition(int[] index, int[] shape) {
        int offset = index.length - shape.length;
        int p = 0;
        for (int d = 0; d < shape.length; d++) p = p * shape[d] + (shape[d] == 1 ? 0 : index[d + offset]);
        return p;
    }

    private static float ftz(float v) {
        return Math.abs(v) < Float.MIN_NORMAL ? Math.copySign(0f, v) : v;
    }

    private static float clamp(float v, float lo, float hi) {
        float y = v < lo ? lo : v; // C++ std::max(v, lo)
        return hi < y ? hi : y; // C++ std::min(y, hi)
    }

    private static int[] randomShape(Random rnd, int maxRank) {
        int[] s = new int[rnd.nextInt(maxRank + 1)];
        for (int d = 0; d < s.length; d++) s[d] = 1 + rnd.nextInt(4);
        return s;
    }

    /** A shape that broadcasts with {@code full}: a suffix of it with some dimensions set to 1. */
    private static int[] broadcastable(Random rnd, int[] full) {
        int drop = full.length == 0 ? 0 : rnd.nextInt(full.length + 1);
        int[] s = Arrays.copyOfRange(full, drop, full.length);
        for (int d = 0; d < s.length; d++) if (rnd.nextInt(3) == 0) s[d] = 1;
        return s;
    }

    private static float randomFloat(Random rnd) {
        switch (rnd.nextInt(10)) {
            case 0: return 0f;
            case 1: return -0f;
            case 2: return 1e-40f;
            case 3: return Float.POSITIVE_INFINITY;
            case 4: return 3e38f;
            default: return (float) rnd.nextGaussian();
        }
    }

    // ---- MUL / DIV -----------------------------------------------------------------------------

    @Test
    void mulAndDivBroadcastLikeNumpyAtRanksUpToSix() {
        Random rnd = new Random(2024);
        Activation[] acts = {Activation.NONE, Activation.RELU, Activation.RELU6, Activation.RELU_N1_TO_1};
        float[][] ranges = {{-MAX, MAX}, {0f, MAX}, {0f, 6f}, {-1f, 1f}};
        for (int trial = 0; trial < 400; trial++) {
            int[] full = randomShape(rnd, 6);
            int[] as = broadcastable(rnd, full), bs = broadcastable(rnd, full);
            if (rnd.nextBoolean()) { int[] t = as; as = bs; bs = t; }
            int[] os = broadcastShape(as, bs);
            float[] a = new float[OpHarness.count(as)], b = new float[OpHarness.count(bs)];
            for (int i = 0; i < a.length; i++) a[i] = randomFloat(rnd);
            for (int i = 0; i < b.length; i++) b[i] = randomFloat(rnd);
            int act = rnd.nextInt(4);
            boolean div = rnd.nextBoolean();
            OpHarness h = new OpHarness();
            int ta = h.input(TensorType.FLOAT32, as, a), tb = h.input(TensorType.FLOAT32, bs, b);
            int out = h.output(TensorType.FLOAT32, os);
            h.node(div ? BuiltinOp.DIV : BuiltinOp.MUL, new OpOptions.Arithmetic(acts[act]), new int[] {ta, tb}, out).run();
            float[] y = h.floats(out);
            for (int p = 0; p < y.length; p++) {
                int[] index = OpHarness.unravel(p, os);
                float x1 = ftz(a[operandPosition(index, as)]), x2 = ftz(b[operandPosition(index, bs)]);
                float expected = clamp(ftz(div ? x1 / x2 : x1 * x2), ranges[act][0], ranges[act][1]);
                String where = (div ? "DIV " : "MUL ") + Arrays.toString(as) + " x " + Arrays.toString(bs) + " at "
                        + Arrays.toString(index) + " act " + acts[act];
                if (Float.isNaN(expected)) assertTrue(Float.isNaN(y[p]), where);
                else assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(y[p]),
                        where + ": expected " + bits(expected) + " got " + bits(y[p]));
            }
            assertTrue(h.paddingIntact(), "wrote outside its output");
        }
    }

    @Test
    void maskedEmbeddingsOfTheModels() {
        // MUL([1,3,2] embeddings, [1,3,1] mask): a 0 mask gives -0.0 under negative embeddings.
        OpHarness h = new OpHarness();
        int emb = h.input(TensorType.FLOAT32, new int[] {1, 3, 2}, new float[] {0.5f, -0.25f, -1f, 2f, 3f, -4f});
        int mask = h.input(TensorType.FLOAT32, new int[] {1, 3, 1}, new float[] {1f, 0f, 1f});
        int out = h.output(TensorType.FLOAT32, 1, 3, 2);
        h.node(BuiltinOp.MUL, new OpOptions.Arithmetic(Activation.NONE), new int[] {emb, mask}, out).run();
        float[] y = h.floats(out);
        float[] expected = {0.5f, -0.25f, -0f, 0f, 3f, -4f};
        for (int i = 0; i < 6; i++) assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(y[i]), "element " + i);
    }

    @Test
    void int32ArithmeticWithActivation() {
        OpHarness h = new OpHarness();
        int a = h.input(TensorType.INT32, new int[] {2, 1}, new int[] {7, -7});
        int b = h.input(TensorType.INT32, new int[] {3}, new int[] {2, -2, 7});
        int prod = h.output(TensorType.INT32, 2, 3);
        int quot = h.output(TensorType.INT32, 2, 3);
        h.node(BuiltinOp.MUL, new OpOptions.Arithmetic(Activation.RELU6), new int[] {a, b}, prod).run();
        h.node(BuiltinOp.DIV, new OpOptions.Arithmetic(Activation.NONE), new int[] {a, b}, quot).run();
        assertArrayEquals(new int[] {6, 0, 6, 0, 6, 0}, h.ints(prod));
        assertArrayEquals(new int[] {3, -3, 1, -3, 3, -1}, h.ints(quot));
    }

    @Test
    void int32DivisionByZeroFailsTheRunOrTheLoad() {
        OpHarness h = new OpHarness();
        int a = h.input(TensorType.INT32, new int[] {3}, new int[] {1, 2, 3});
        int b = h.input(TensorType.INT32, new int[] {1, 3}, new int[] {1, 0, 1});
        int out = h.output(TensorType.INT32, 1, 3);
        Node node = h.node(BuiltinOp.DIV, new OpOptions.Arithmetic(Activation.NONE), new int[] {a, b}, out);
        InvalidInputException e = assertThrows(InvalidInputException.class, node::run);
        assertTrue(e.getMessage().contains("op 7 DIV") && e.getMessage().contains("[0, 1]"), e.getMessage());

        OpHarness c = new OpHarness();
        int x = c.input(TensorType.INT32, new int[] {2}, new int[] {1, 2});
        int zero = c.constant(TensorType.INT32, new int[] {}, new int[] {0});
        int y = c.output(TensorType.INT32, 2);
        InvalidModelException m = assertThrows(InvalidModelException.class,
                () -> c.prepare(BuiltinOp.DIV, new OpOptions.Arithmetic(Activation.NONE), new int[] {x, zero}, y));
        assertTrue(m.getMessage().contains("divisor"), m.getMessage());
    }

    @Test
    void refusesWhatItCannotRun() {
        OpHarness h = new OpHarness();
        int a = h.input(TensorType.FLOAT32, new int[] {2, 3}, new float[6]);
        int b = h.input(TensorType.FLOAT32, new int[] {4}, new float[4]);
        int i = h.input(TensorType.INT32, new int[] {3}, new int[3]);
        int out = h.output(TensorType.FLOAT32, 2, 3);
        OpOptions none = new OpOptions.Arithmetic(Activation.NONE);
        assertThrows(InvalidModelException.class, () -> h.prepare(BuiltinOp.MUL, none, new int[] {a, b}, out), "shapes");
        assertThrows(InvalidModelException.class, () -> h.prepare(BuiltinOp.MUL, none, new int[] {a, i}, out), "types");
        assertThrows(InvalidModelException.class,
                () -> h.prepare(BuiltinOp.MUL, new OpOptions.Arithmetic(Activation.TANH), new int[] {a, a}, out), "TANH");
        int wrong = h.output(TensorType.FLOAT32, 3, 2);
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> h.prepare(BuiltinOp.DIV, none, new int[] {a, a}, wrong));
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    // ---- NOT_EQUAL -------------------------------------------------------------------------------

    @Test
    void notEqualBroadcastsForEveryType() {
        Random rnd = new Random(99);
        for (int trial = 0; trial < 200; trial++) {
            int[] full = randomShape(rnd, 5);
            int[] as = broadcastable(rnd, full), bs = broadcastable(rnd, full);
            int[] os = broadcastShape(as, bs);
            TensorType type = new TensorType[] {TensorType.FLOAT32, TensorType.INT32, TensorType.INT64, TensorType.BOOL}[trial % 4];
            Object a = values(rnd, type, OpHarness.count(as)), b = values(rnd, type, OpHarness.count(bs));
            OpHarness h = new OpHarness();
            int ta = h.input(type, as, a), tb = h.input(type, bs, b);
            int out = h.output(TensorType.BOOL, os);
            h.node(BuiltinOp.NOT_EQUAL, new OpOptions.None(), new int[] {ta, tb}, out).run();
            boolean[] y = h.bools(out);
            for (int p = 0; p < y.length; p++) {
                int[] index = OpHarness.unravel(p, os);
                int pa = operandPosition(index, as), pb = operandPosition(index, bs);
                boolean expected;
                switch (type) {
                    case FLOAT32: expected = ftz(((float[]) a)[pa]) != ftz(((float[]) b)[pb]); break;
                    case INT32: expected = ((int[]) a)[pa] != ((int[]) b)[pb]; break;
                    case INT64: expected = ((long[]) a)[pa] != ((long[]) b)[pb]; break;
                    default: expected = ((boolean[]) a)[pa] != ((boolean[]) b)[pb];
                }
                assertEquals(expected, y[p], type + " " + Arrays.toString(as) + " vs " + Arrays.toString(bs) + " at " + Arrays.toString(index));
            }
            assertTrue(h.paddingIntact());
        }
    }

    private static Object values(Random rnd, TensorType type, int n) {
        switch (type) {
            case FLOAT32: {
                float[] v = new float[n];
                float[] pool = {0f, -0f, 1f, Float.NaN, 1e-40f, 2e-40f, -1e-40f, 2f};
                for (int i = 0; i < n; i++) v[i] = pool[rnd.nextInt(pool.length)];
                return v;
            }
            case INT32: { int[] v = new int[n]; for (int i = 0; i < n; i++) v[i] = rnd.nextInt(3); return v; }
            case INT64: { long[] v = new long[n]; for (int i = 0; i < n; i++) v[i] = (rnd.nextInt(2) << 40) + rnd.nextInt(2); return v; }
            default: { boolean[] v = new boolean[n]; for (int i = 0; i < n; i++) v[i] = rnd.nextBoolean(); return v; }
        }
    }

    // ---- CAST ------------------------------------------------------------------------------------

    @Test
    void castRoutesEveryPairOfTypes() {
        // Source values 0, 1, -2 (as false, true, true for bool), and what each target type holds.
        TensorType[] types = {TensorType.FLOAT32, TensorType.INT32, TensorType.INT64, TensorType.BOOL};
        Object[] sources = {new float[] {0f, 1f, -2.5f}, new int[] {0, 1, -2}, new long[] {0, 1, -2}, new boolean[] {false, true, true}};
        Object[] asFloat = {new float[] {0f, 1f, -2.5f}, new float[] {0f, 1f, -2f}, new float[] {0f, 1f, -2f}, new float[] {0f, 1f, 1f}};
        Object[] asInt = {new int[] {0, 1, -2}, new int[] {0, 1, -2}, new int[] {0, 1, -2}, new int[] {0, 1, 1}};
        Object[] asLong = {new long[] {0, 1, -2}, new long[] {0, 1, -2}, new long[] {0, 1, -2}, new long[] {0, 1, 1}};
        boolean[] asBool = {false, true, true};
        for (int from = 0; from < 4; from++) {
            for (int to = 0; to < 4; to++) {
                OpHarness h = new OpHarness();
                int in = h.input(types[from], new int[] {3}, sources[from]);
                int out = h.output(types[to], 3);
                h.node(BuiltinOp.CAST, new OpOptions.Cast(null, null), new int[] {in}, out).run();
                String what = types[from] + " -> " + types[to];
                switch (types[to]) {
                    case FLOAT32: assertArrayEquals((float[]) asFloat[from], h.floats(out), what); break;
                    case INT32: assertArrayEquals((int[]) asInt[from], h.ints(out), what); break;
                    case INT64: assertArrayEquals((long[]) asLong[from], h.longs(out), what); break;
                    default: assertArrayEquals(asBool, h.bools(out), what);
                }
                assertTrue(h.paddingIntact(), what);
            }
        }
    }
}
