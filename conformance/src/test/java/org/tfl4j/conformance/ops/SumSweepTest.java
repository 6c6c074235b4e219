package org.tfl4j.conformance.ops;

import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.ReducerOptionsT;
import org.tfl4j.conformance.OpCase;
import org.tfl4j.models.TfliteWriter;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.TensorType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * SUM against TFLite, float32 and int32: ranks 1..4 with odd sizes, single, multiple, negative, repeated, empty
 * and all axes, keep_dims true and false; wide-range values (any other order of the additions changes bits),
 * signed zeros (a sum of only -0 is -0), subnormals (DAZ/FTZ), overflow to ±inf, inf - inf and NaN meeting
 * numbers; int32 wrap-around; a reduced dimension of size 0.
 */
class SumSweepTest {

    /** Input shapes covering ranks 1..4 (each with every axis list, keep_dims alternating). */
    static final int[][] SHAPES = {{1}, {7}, {17}, {3, 5}, {5, 3}, {1, 9}, {9, 1}, {2, 3, 7}, {3, 1, 5}, {1, 10, 16},
            {1, 32, 8}, {2, 3, 4, 5}, {3, 2, 1, 7}, {1, 3, 5, 2}};

    static List<OpCase> cases() {
        Random random = new Random(43);
        List<OpCase> cases = new ArrayList<>();
        addCommonCases(cases, random, BuiltinOp.SUM);
        // Additions where the order and the zero seed show: only -0, ±0 mixed, cancellations, overflow.
        cases.add(reduce(BuiltinOp.SUM, "only -0", new int[] {3, 4}, new int[] {1}, false,
                new float[] {-0f, -0f, -0f, -0f, -0f, 0f, -0f, -0f, 0f, 0f, 0f, 0f}));
        cases.add(reduce(BuiltinOp.SUM, "only -0 axis 0", new int[] {3, 4}, new int[] {0}, false,
                new float[] {-0f, -0f, -0f, -0f, -0f, 0f, -0f, -0f, -0f, 0f, 0f, -0f}));
        cases.add(reduce(BuiltinOp.SUM, "cancellation", new int[] {2, 6}, new int[] {1}, true,
                new float[] {1e8f, 1f, -1e8f, 1f, 0.5f, -2f, 1f, 1e8f, 1f, -1e8f, 3f, -0f}));
        cases.add(reduce(BuiltinOp.SUM, "overflow and inf - inf", new int[] {4, 3}, new int[] {1}, false,
                new float[] {3e38f, 3e38f, -3e38f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f,
                        -3e38f, -3e38f, 1e38f, Float.MAX_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE}));
        cases.add(reduce(BuiltinOp.SUM, "cancelling into subnormals", new int[] {4, 4}, new int[] {1}, false,
                new float[] {0x1.8p-126f, -0x1p-126f, 0x1p-125f, -0x1p-125f, 0x1p-126f, -0x1.000002p-126f, 1f, -1f,
                        0x1p-124f, -0x1.fffffcp-125f, -0x1p-125f, 0f, 0x1p-126f, Float.MIN_VALUE, 0x1p-126f, -0x1p-126f}));
        return cases;
    }

    /** The cases SUM and REDUCE_MAX share: axis patterns over ranks 1..4, keep_dims, types, specials. */
    static void addCommonCases(List<OpCase> cases, Random random, int op) {
        int index = 0;
        for (int[] shape : SHAPES) {
            for (int[] axes : axisLists(shape.length)) {
                boolean keepDims = index++ % 2 == 1;
                cases.add(reduce(op, "wide", shape, axes, keepDims, SweepValues.wideRange(random, SweepValues.count(shape))));
            }
        }
        // Specials (subnormals, ±0, huge values) and ties, int32, on a subset of the axis patterns.
        for (int[] shape : new int[][] {{17}, {3, 5}, {2, 3, 7}, {2, 3, 4, 5}}) {
            for (int[] axes : axisLists(shape.length)) {
                boolean keepDims = random.nextBoolean();
                int n = SweepValues.count(shape);
                cases.add(reduce(op, "specials", shape, axes, keepDims, SweepValues.withSpecials(random, n, 4f)));
                cases.add(reduce(op, "ties and signed zeros", shape, axes, keepDims, tiesAndZeros(random, n)));
                cases.add(reduce(op, "int32", shape, axes, keepDims, SweepValues.intsWithSpecials(random, n)));
            }
        }
        int[] shape = {3, 8};
        cases.add(reduce(op, "subnormals", shape, new int[] {1}, false, SweepValues.subnormals(random, 24)));
        cases.add(reduce(op, "subnormals and normals", shape, new int[] {0}, false, mixSubnormals(random, 24)));
        cases.add(reduce(op, "infinities", shape, new int[] {1}, false,
                FullyConnectedSweepTest.sprinkle(random, SweepValues.uniform(random, 24, 4f), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY)));
        // NaN meeting numbers only (no infinities, so no second NaN pattern arises).
        cases.add(reduce(op, "NaN", shape, new int[] {1}, true,
                FullyConnectedSweepTest.sprinkle(random, SweepValues.uniform(random, 24, 4f), Float.NaN)));
        cases.add(reduce(op, "NaN first and last", new int[] {4, 3}, new int[] {1}, false,
                new float[] {Float.NaN, 1f, 2f, 1f, 2f, Float.NaN, Float.NaN, -0f, Float.NaN, 5f, Float.NaN, -1f}));
        // Axis given as a scalar tensor; a dimension of size 0 reduced (empty sum/max) and kept.
        cases.add(reduceScalarAxis(op, random));
        cases.add(reduce(op, "empty reduced dimension", new int[] {2, 0, 3}, new int[] {1}, false, new float[0]));
        cases.add(reduce(op, "empty reduced dimension keep_dims", new int[] {2, 0, 3}, new int[] {1}, true, new float[0]));
        cases.add(reduce(op, "empty int32 reduction", new int[] {0, 4}, new int[] {0}, false, new int[0]));
        cases.add(reduce(op, "empty kept dimension", new int[] {0, 4}, new int[] {1}, false, new float[0]));
    }

    /** Single axes (positive and negative), pairs, repeats, all axes and the empty list, for a rank. */
    static List<int[]> axisLists(int rank) {
        List<int[]> lists = new ArrayList<>();
        for (int a = 0; a < rank; a++) lists.add(new int[] {a});
        lists.add(new int[] {-1});
        if (rank >= 2) {
            lists.add(new int[] {-rank});
            lists.add(new int[] {0, rank - 1});
            lists.add(new int[] {rank - 1, 0}); // order of the list does not matter
            lists.add(new int[] {1, -1, 1});    // repeats
        }
        if (rank >= 3) {
            lists.add(new int[] {0, 1});
            lists.add(new int[] {1, 2});
            lists.add(new int[] {-3, -1});
        }
        if (rank >= 4) {
            lists.add(new int[] {1, 3});
            lists.add(new int[] {0, 2, 3});
        }
        int[] all = new int[rank];
        for (int a = 0; a < rank; a++) all[a] = a;
        lists.add(all);
        lists.add(new int[0]);
        return lists;
    }

    private static float[] tiesAndZeros(Random random, int n) {
        float[] pool = {-0f, 0f, -0f, 0f, 1f, -1f, 2.5f};
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = pool[random.nextInt(pool.length)];
        return v;
    }

    private static float[] mixSubnormals(Random random, int n) {
        float[] sub = SweepValues.subnormals(random, n);
        for (int i = 0; i < n; i++) if (random.nextBoolean()) sub[i] = Math.scalb(random.nextFloat() - 0.5f, -120);
        return sub;
    }

    /** A reduction with constant int32 axes {@code [axes.length]}; {@code values} a float[] or int[]. */
    static OpCase reduce(int op, String name, int[] shape, int[] axes, boolean keepDims, Object values) {
        TensorType type = values instanceof int[] ? TensorType.INT32 : TensorType.FLOAT32;
        TfliteWriter writer = new TfliteWriter();
        TfliteWriter.Graph g = writer.graph("main");
        int in = g.tensor("x", type, shape);
        int axis = g.constant("axes", new int[] {axes.length}, axes);
        int out = g.tensor("y", type, outputShape(shape, axes, keepDims));
        ReducerOptionsT options = new ReducerOptionsT();
        options.setKeepDims(keepDims);
        g.op(op, options, new int[] {in, axis}, new int[] {out});
        g.inputs(in).outputs(out);
        return new OpCase(name + " " + Arrays.toString(shape) + " axes " + Arrays.toString(axes) + (keepDims ? " keep_dims" : ""),
                writer.toBytes(), new Object[] {values});
    }

    private static OpCase reduceScalarAxis(int op, Random random) {
        int[] shape = {4, 5, 3};
        TfliteWriter writer = new TfliteWriter();
        TfliteWriter.Graph g = writer.graph("main");
        int in = g.tensor("x", TensorType.FLOAT32, shape);
        int axis = g.constant("axis", new int[] {}, new int[] {-2});
        int out = g.tensor("y", TensorType.FLOAT32, 4, 3);
        g.op(op, new ReducerOptionsT(), new int[] {in, axis}, new int[] {out});
        g.inputs(in).outputs(out);
        return new OpCase("scalar axis -2 [4, 5, 3]", writer.toBytes(), new Object[] {SweepValues.wideRange(random, 60)});
    }

    static int[] outputShape(int[] shape, int[] axes, boolean keepDims) {
        boolean[] reduced = new boolean[shape.length];
        for (int a : axes) reduced[a < 0 ? a + shape.length : a] = true;
        List<Integer> out = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) {
            if (!reduced[d]) out.add(shape[d]);
            else if (keepDims) out.add(1);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void bitExactAgainstTflite() {
        OpSweepAssert.assertBitExact("SUM", cases());
    }
}
