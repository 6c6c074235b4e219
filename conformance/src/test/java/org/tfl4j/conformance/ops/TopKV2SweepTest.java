package org.tfl4j.conformance.ops;

import org.junit.jupiter.api.Test;
import org.tfl4j.conformance.OpCase;
import org.tfl4j.models.TfliteWriter;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.TensorType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * TOPK_V2 against TFLite, values and indices: float32 and int32; k = 1, small, the row length - 1 and the row
 * length; one row and several (rank 1 to 3), row lengths with odd tails; exact ties everywhere (TFLite puts the
 * smaller index first), +0 against -0 and subnormals (equal to zero under TFLite's DAZ), ±Inf, the extremes of
 * both types, and the models' shape (3953 logits, k = 100) with tie-heavy values.
 *
 * <p>NaN: TFLite's comparison has no order with NaN in it, so the result is whatever its sequence of heap moves
 * (k below the row length) or its {@code std::sort} (k equal to the row length) makes of it; tfl4j replays both
 * (before it replayed std::sort, every k = row length case with NaN here differed).
 */
class TopKV2SweepTest {

    static List<OpCase> cases() {
        Random random = new Random(48);
        List<OpCase> cases = new ArrayList<>();
        for (int n : new int[] {1, 2, 3, 5, 7, 8, 16, 17, 31, 64, 100, 257}) {
            for (int k : distinct(1, 2, Math.min(5, n), n / 2, n - 1, n)) {
                if (k > n) continue;
                cases.add(floats("uniform, n=" + n + ", k=" + k, SweepValues.uniform(random, 3 * n, 10f), k, 3, n));
                cases.add(floats("ties, n=" + n + ", k=" + k, SweepValues.ties(random, 2 * n), k, 2, n));
                cases.add(floats("specials, n=" + n + ", k=" + k, specials(random, n), k, n));
                cases.add(ints("ints, n=" + n + ", k=" + k, SweepValues.intsWithSpecials(random, 2 * n), k, 2, n));
                cases.add(ints("int ties, n=" + n + ", k=" + k, SweepValues.ints(random, 2 * n, -2, 3), k, 2, n));
            }
        }
        // All equal: the indices must come out in order, whatever k.
        for (int k : new int[] {1, 4, 9, 10}) {
            cases.add(floats("all +0 and -0, k=" + k, new float[] {0f, -0f, -0f, 0f, 1e-40f, -0f, 0f, -1e-45f, 0f, -0f}, k, 10));
            cases.add(floats("all -Inf, k=" + k, filled(10, Float.NEGATIVE_INFINITY), k, 10));
            cases.add(ints("all MIN_VALUE, k=" + k, filledInts(10, Integer.MIN_VALUE), k, 10));
        }
        // Rank 3: every leading index is a row.
        cases.add(floats("rank 3, ties", SweepValues.ties(random, 2 * 3 * 9), 4, 2, 3, 9));
        cases.add(ints("rank 3, int ties", SweepValues.ints(random, 2 * 3 * 9, 0, 3), 9, 2, 3, 9));
        // The models' shape: 3953 logits, k = 100.
        for (int r = 0; r < 4; r++) cases.add(floats("models' shape, ties, #" + r, SweepValues.ties(random, 3953), 100, 1, 3953));
        cases.add(floats("models' shape, uniform", SweepValues.uniform(random, 3953, 30f), 100, 1, 3953));
        cases.add(floats("models' shape, specials", specials(random, 3953), 100, 1, 3953));
        float[] coarse = new float[3953];
        for (int i = 0; i < coarse.length; i++) coarse[i] = Math.round(random.nextGaussian() * 4) / 4f;
        cases.add(floats("models' shape, quarter steps", coarse, 100, 1, 3953));
        cases.add(floats("models' shape, all equal", filled(3953, 0.5f), 100, 1, 3953));
        cases.add(ints("models' shape, int ties", SweepValues.ints(random, 3953, 0, 50), 100, 1, 3953));
        cases.addAll(withNaN(random));
        return cases;
    }

    /** NaN in rows with and without other specials, k below and equal to the row length. */
    private static List<OpCase> withNaN(Random random) {
        List<OpCase> cases = new ArrayList<>();
        for (int n : new int[] {2, 3, 5, 8, 16, 17, 20, 40, 100}) {
            for (int k : distinct(1, 3, n / 2, n - 1, n)) {
                if (k < 1 || k > n) continue;
                float[] x = SweepValues.ties(random, n);
                for (int i = 0; i < n; i++) if (random.nextInt(4) == 0) x[i] = Float.NaN;
                cases.add(floats("NaN among ties, n=" + n + ", k=" + k, x, k, n));
                float[] y = specials(random, n);
                y[random.nextInt(n)] = Float.NaN;
                cases.add(floats("one NaN among specials, n=" + n + ", k=" + k, y, k, n));
            }
        }
        float[] big = SweepValues.ties(random, 3953);
        for (int i = 0; i < 40; i++) big[random.nextInt(big.length)] = Float.NaN;
        cases.add(floats("models' shape, 40 NaN among ties", big, 100, 1, 3953));
        return cases;
    }

    /** {@code n} floats, about half of them from specials: ±0, subnormals, ±Inf, ±MAX, ±1e20; no NaN. */
    private static float[] specials(Random random, int n) {
        float[] pool = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 0x1.fffffcp-127f, Float.MIN_NORMAL, -Float.MIN_NORMAL,
                Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE, 1e20f, -1e20f, 1f, -1f, 0.5f};
        float[] v = SweepValues.uniform(random, n, 4f);
        for (int i = 0; i < n; i++) if (random.nextBoolean()) v[i] = pool[random.nextInt(pool.length)];
        return v;
    }

    private static int[] distinct(int... ks) {
        return Arrays.stream(ks).filter(k -> k >= 1).distinct().toArray();
    }

    private static float[] filled(int n, float value) {
        float[] v = new float[n];
        Arrays.fill(v, value);
        return v;
    }

    private static int[] filledInts(int n, int value) {
        int[] v = new int[n];
        Arrays.fill(v, value);
        return v;
    }

    private static OpCase floats(String name, float[] x, int k, int... shape) {
        return topK("float32 " + name, TensorType.FLOAT32, x, k, shape);
    }

    private static OpCase ints(String name, int[] x, int k, int... shape) {
        return topK("int32 " + name, TensorType.INT32, x, k, shape);
    }

    static OpCase topK(String name, TensorType type, Object x, int k, int... shape) {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int in = g.tensor("x", type, shape);
        int kTensor = g.constant("k", new int[] {}, new int[] {k});
        int[] outShape = shape.clone();
        outShape[outShape.length - 1] = k;
        int values = g.tensor("values", type, outShape);
        int indices = g.tensor("indices", TensorType.INT32, outShape);
        g.op(BuiltinOp.TOPK_V2, null, new int[] {in, kTensor}, new int[] {values, indices});
        g.inputs(in).outputs(values, indices);
        return new OpCase(name, w.toBytes(), new Object[] {x});
    }

    @Test
    void bitExactAgainstTflite() {
        OpSweepAssert.assertBitExact("TOPK_V2", cases());
    }
}
