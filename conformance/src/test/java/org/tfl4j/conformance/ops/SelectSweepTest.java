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
 * SELECT (version 1) against TFLite, in the three condition forms it accepts: the shape of x and y (element by
 * element, ranks 0 to 5), a scalar (all of x or all of y) and a vector as long as x's first dimension (whole
 * rows), with x and y of all four types; float specials and NaN payloads must pass through bit for bit, and -0
 * must not turn into +0. Also single elements of shapes [], [1] and [1, 1] in every mix (TFLite runs them all),
 * and the models' use: masking [1, 10] id positions.
 */
class SelectSweepTest {

    private static final TensorType[] TYPES = {TensorType.FLOAT32, TensorType.INT32, TensorType.INT64, TensorType.BOOL};

    static List<OpCase> cases() {
        Random random = new Random(64);
        List<OpCase> cases = new ArrayList<>();
        int[][] shapes = {{1}, {7}, {16}, {33}, {2, 3}, {1, 10}, {3, 1, 4}, {2, 3, 2, 2}, {2, 1, 2, 3, 2}};
        for (int[] shape : shapes) {
            for (TensorType type : TYPES) {
                cases.add(select(random, type, shape, shape, "same shape"));
                cases.add(select(random, type, new int[] {}, shape, "scalar condition"));
                if (shape.length > 1 || shape[0] > 1) {
                    cases.add(select(random, type, new int[] {shape[0]}, shape, "row condition"));
                }
            }
        }
        for (TensorType type : TYPES) {
            cases.add(select(random, type, new int[] {}, new int[] {}, "all scalars"));
            cases.add(select(random, type, new int[] {1}, new int[] {1, 5}, "one-row condition"));
            cases.add(select(random, type, new int[] {4}, new int[] {4, 1}, "row condition, rows of one"));
        }
        // Single elements of shapes [], [1] and [1, 1] in every combination of condition, x, y and output:
        // TFLite runs them all, as element by element.
        int[][] singles = {{}, {1}, {1, 1}};
        for (int[] c : singles) {
            for (int[] xs : singles) {
                for (int[] ys : singles) {
                    for (int[] os : singles) {
                        TensorType type = TYPES[random.nextInt(TYPES.length)];
                        cases.add(selectOf(type + " single elements: condition " + Arrays.toString(c) + ", x " + Arrays.toString(xs)
                                + ", y " + Arrays.toString(ys) + ", out " + Arrays.toString(os), type, c, xs, ys, os,
                                SweepValues.bools(random, 1), SweepValues.ofType(random, type, 1), SweepValues.ofType(random, type, 1)));
                    }
                }
            }
        }
        // Every condition true, then every one false: the other operand must not leak.
        for (boolean value : new boolean[] {true, false}) {
            boolean[] c = new boolean[12];
            Arrays.fill(c, value);
            cases.add(selectOf("float32 condition all " + value, TensorType.FLOAT32, new int[] {3, 4}, new int[] {3, 4}, c,
                    SweepValues.ofType(random, TensorType.FLOAT32, 12), SweepValues.ofType(random, TensorType.FLOAT32, 12)));
        }
        float[] x = {-0f, Float.NaN, Float.intBitsToFloat(0x7fc0beef), Float.intBitsToFloat(0xff800123), Float.MIN_VALUE,
                -0x1.fffffcp-127f, Float.NEGATIVE_INFINITY, -0f};
        float[] y = {0f, -0f, Float.POSITIVE_INFINITY, Float.NaN, -Float.MIN_VALUE, Float.MAX_VALUE, -0f, Float.intBitsToFloat(0xffc00000)};
        cases.add(selectOf("float32 specials, alternating", TensorType.FLOAT32, new int[] {8}, new int[] {8},
                new boolean[] {true, false, true, false, true, false, true, false}, x, y));
        cases.add(selectOf("float32 specials, inverted", TensorType.FLOAT32, new int[] {8}, new int[] {8},
                new boolean[] {false, true, false, true, false, true, false, true}, x, y));
        return cases;
    }

    private static OpCase select(Random random, TensorType type, int[] condShape, int[] shape, String form) {
        int n = SweepValues.count(shape);
        return selectOf(type + " " + form + " " + Arrays.toString(condShape) + " on " + Arrays.toString(shape), type,
                condShape, shape, SweepValues.bools(random, SweepValues.count(condShape)),
                SweepValues.ofType(random, type, n), SweepValues.ofType(random, type, n));
    }

    static OpCase selectOf(String name, TensorType type, int[] condShape, int[] shape, boolean[] c, Object x, Object y) {
        return selectOf(name, type, condShape, shape, shape, shape, c, x, y);
    }

    private static OpCase selectOf(String name, TensorType type, int[] condShape, int[] xShape, int[] yShape,
                                   int[] outShape, boolean[] c, Object x, Object y) {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int ci = g.tensor("condition", TensorType.BOOL, condShape);
        int xi = g.tensor("x", type, xShape);
        int yi = g.tensor("y", type, yShape);
        int out = g.tensor("out", type, outShape);
        g.op(BuiltinOp.SELECT, null, new int[] {ci, xi, yi}, new int[] {out});
        g.inputs(ci, xi, yi).outputs(out);
        return new OpCase(name, w.toBytes(), new Object[] {c, x, y});
    }

    @Test
    void bitExactAgainstTflite() {
        OpSweepAssert.assertBitExact("SELECT", cases());
    }
}
