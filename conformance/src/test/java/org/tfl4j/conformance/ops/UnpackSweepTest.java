package org.tfl4j.conformance.ops;

import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.UnpackOptionsT;
import org.tfl4j.conformance.OpCase;
import org.tfl4j.models.TfliteWriter;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.TensorType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * UNPACK against TFLite: ranks 1 to 5, every axis as a positive and a negative index, axes of size 1 to 12,
 * float32 (±0, subnormals, ±Inf, NaN: copies keep bits) and int32; the unrolled GRU's unstack of a
 * time-major [T, 1, C] sequence into T steps [1, C].
 */
class UnpackSweepTest {

    static List<OpCase> cases() {
        Random random = new Random(61);
        List<OpCase> cases = new ArrayList<>();
        int[][] shapes = {{5}, {1}, {3, 4}, {10, 1, 16}, {7, 1, 5}, {2, 3, 4}, {12, 1, 8}, {2, 1, 3, 2}, {2, 2, 1, 3, 2}};
        for (int[] shape : shapes) {
            for (int axis = 0; axis < shape.length; axis++) {
                TensorType type = random.nextInt(3) == 0 ? TensorType.INT32 : TensorType.FLOAT32;
                cases.add(unpack(random, shape, axis, type));
                cases.add(unpack(random, shape, axis - shape.length, TensorType.FLOAT32));
            }
        }
        return cases;
    }

    static OpCase unpack(Random random, int[] shape, int axis, TensorType type) {
        int n = SweepValues.count(shape);
        int positive = axis < 0 ? axis + shape.length : axis;
        int num = shape[positive];
        int[] sliceShape = new int[shape.length - 1];
        for (int d = 0, k = 0; d < shape.length; d++) if (d != positive) sliceShape[k++] = shape[d];
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int in = g.tensor("x", type, shape);
        int[] outs = new int[num];
        for (int k = 0; k < num; k++) outs[k] = g.tensor("y" + k, type, sliceShape);
        UnpackOptionsT options = new UnpackOptionsT();
        options.setNum(num);
        options.setAxis(axis);
        g.op(BuiltinOp.UNPACK, options, new int[] {in}, outs);
        g.inputs(in).outputs(outs);
        Object values = type == TensorType.INT32 ? SweepValues.intsWithSpecials(random, n) : SweepValues.withSpecials(random, n, 8f);
        return new OpCase(type + " " + Arrays.toString(shape) + " axis " + axis, w.toBytes(), new Object[] {values});
    }

    @Test
    void bitExactAgainstTflite() {
        OpSweepAssert.assertBitExact("UNPACK", cases());
    }
}
