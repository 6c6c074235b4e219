package org.tfl4j.conformance.ops;

import org.junit.jupiter.api.Test;
import org.tfl4j.conformance.OpCase;
import org.tfl4j.models.TfliteWriter;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.TensorType;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * TANH against TFLite: Eigen's rational approximation over its whole range, on vector bodies and scalar tails
 * (sizes 1..67, rank 2 as a GRU's [1, U] gate), around the clamp at ±7.90738964 and where the result rounds to
 * ±1, on subnormals (DAZ), ±0, ±Inf and NaN.
 */
class TanhSweepTest {

    static List<OpCase> cases() {
        Random random = new Random(53);
        List<OpCase> cases = new ArrayList<>();
        for (int n : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 13, 15, 16, 17, 31, 33, 64, 67}) {
            cases.add(tanh("uniform ±10, n=" + n, new int[] {n}, SweepValues.uniform(random, n, 10f)));
            cases.add(tanh("uniform ±1, [1, " + n + "]", new int[] {1, n}, SweepValues.uniform(random, n, 1f)));
            cases.add(tanh("specials, n=" + n, new int[] {n}, SweepValues.withSpecials(random, n, 8f)));
        }
        float[] grid = new float[64];
        for (int i = 0; i < grid.length; i++) grid[i] = -10f + i * 0.3125f + (i % 3) * 1e-6f;
        cases.add(tanh("grid -10..10", new int[] {grid.length}, grid));
        cases.add(tanh("clamp neighbourhood", new int[] {16}, new float[] {-7.9073896f, -7.90738964f, -7.9074f,
                7.9073896f, 7.90738964f, 7.9074f, -9.01f, 9.01f, 8.01773357f, -8.01773357f, 1e-4f, -1e-4f, 0.625f,
                -0.625f, 4f, -4f}));
        cases.add(tanh("subnormals", new int[] {32}, SweepValues.subnormals(random, 32)));
        cases.add(tanh("non-finite", new int[] {8}, new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.NaN, 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE}));
        return cases;
    }

    static OpCase tanh(String name, int[] shape, float[] x) {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int in = g.tensor("x", TensorType.FLOAT32, shape);
        int out = g.tensor("y", TensorType.FLOAT32, shape);
        g.op(BuiltinOp.TANH, null, new int[] {in}, new int[] {out});
        g.inputs(in).outputs(out);
        return new OpCase(name, w.toBytes(), new Object[] {x});
    }

    @Test
    void bitExactAgainstTflite() {
        OpSweepAssert.assertBitExact("TANH", cases());
    }
}
