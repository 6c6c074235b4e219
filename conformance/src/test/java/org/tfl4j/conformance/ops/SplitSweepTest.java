package org.tfl4j.conformance.ops;

import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.SplitOptionsT;
import org.tfl4j.conformance.OpCase;
import org.tfl4j.models.TfliteWriter;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.TensorType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * SPLIT against TFLite: ranks 1 to 5, every axis given as a positive and a negative index (as a scalar and as a
 * one-element vector), 1 to 6 pieces including pieces of size 1 and the whole tensor, float32 (with ±0,
 * subnormals, ±Inf, NaN: copies keep bits) and int32; the GRU's split of a [1, 3U] projection into z, r, h.
 */
class SplitSweepTest {

    static List<OpCase> cases() {
        Random random = new Random(59);
        List<OpCase> cases = new ArrayList<>();
        int[][] shapes = {{6}, {1, 12}, {4, 6}, {2, 3, 4}, {3, 2, 6, 1}, {2, 2, 3, 2, 4}, {1, 39}, {1, 3}};
        for (int[] shape : shapes) {
            for (int axis = 0; axis < shape.length; axis++) {
                for (int pieces = 1; pieces <= Math.min(6, shape[axis]); pieces++) {
                    if (shape[axis] % pieces != 0) continue;
                    boolean negative = random.nextBoolean();
                    boolean vectorAxis = random.nextInt(3) == 0;
                    TensorType type = random.nextInt(3) == 0 ? TensorType.INT32 : TensorType.FLOAT32;
                    cases.add(split(random, shape, negative ? axis - shape.length : axis, vectorAxis, pieces, type));
                }
            }
        }
        return cases;
    }

    static OpCase split(Random random, int[] shape, int axis, boolean vectorAxis, int pieces, TensorType type) {
        int n = SweepValues.count(shape);
        int positive = axis < 0 ? axis + shape.length : axis;
        int[] pieceShape = shape.clone();
        pieceShape[positive] /= pieces;
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int axisTensor = g.constant("axis", vectorAxis ? new int[] {1} : new int[0], new int[] {axis});
        int in = g.tensor("x", type, shape);
        int[] outs = new int[pieces];
        for (int k = 0; k < pieces; k++) outs[k] = g.tensor("y" + k, type, pieceShape);
        SplitOptionsT options = new SplitOptionsT();
        options.setNumSplits(pieces);
        g.op(BuiltinOp.SPLIT, options, new int[] {axisTensor, in}, outs);
        g.inputs(in).outputs(outs);
        Object values = type == TensorType.INT32 ? SweepValues.intsWithSpecials(random, n) : SweepValues.withSpecials(random, n, 8f);
        return new OpCase(type + " " + Arrays.toString(shape) + " axis " + axis + (vectorAxis ? " (vector)" : "") + " into "
                + pieces, w.toBytes(), new Object[] {values});
    }

    @Test
    void bitExactAgainstTflite() {
        OpSweepAssert.assertBitExact("SPLIT", cases());
    }
}
