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
 * LOGISTIC against TFLite: Eigen's rational approximation over its whole range, on vector bodies and scalar
 * tails (sizes 1..67), around the saturation thresholds, on subnormals, ±0, ±Inf and NaN.
 */
class LogisticSweepTest {

    static List<OpCase> cases() {
        Random random = new Random(41);
        List<OpCase> cases = new ArrayList<>();
        for (int n : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 67}) {
            cases.add(logistic("uniform ±20, n=" + n, SweepValues.uniform(random, n, 20f)));
            cases.add(logistic("specials, n=" + n, SweepValues.withSpecials(random, n, 8f)));
        }
        float[] edges = new float[64];
        for (int i = 0; i < edges.length; i++) edges[i] = -20f + i * 0.625f + (i % 3) * 1e-6f;
        cases.add(logistic("grid -20..20", edges));
        // Around where Eigen clamps its argument (±18) and where the result rounds to 0 or 1.
        cases.add(logistic("clamp neighbourhood", new float[] {-18.0001f, -18f, -17.9999f, 17.9999f, 18f, 18.0001f,
                -9f, 9f, -16.6355f, 16.6355f, -88f, 88f, -104f, 104f, -1e-7f, 1e-7f}));
        cases.add(logistic("non-finite", new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
                0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE}));
        return cases;
    }

    static OpCase logistic(String name, float[] x) {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int in = g.tensor("x", TensorType.FLOAT32, x.length);
        int out = g.tensor("y", TensorType.FLOAT32, x.length);
        g.op(BuiltinOp.LOGISTIC, null, new int[] {in}, new int[] {out});
        g.inputs(in).outputs(out);
        return new OpCase(name, w.toBytes(), new Object[] {x});
    }

    @Test
    void bitExactAgainstTflite() {
        OpSweepAssert.assertBitExact("LOGISTIC", cases());
    }
}
