package org.tfl4j.conformance.ops;

import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.ConcatenationOptionsT;
import org.tfl4j.conformance.OpCase;
import org.tfl4j.conformance.TfliteReference;
import org.tfl4j.engine.EngineException;
import org.tfl4j.engine.Interpreter;
import org.tfl4j.models.TfliteWriter;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.TensorType;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CONCATENATION against TFLite: ranks 1 to 4, every axis counted from the front and from the back, 1 to 4 inputs
 * of differing lengths along the axis, float32 (specials, NaN, ±Inf), int32, int64 and bool, and
 * one constant input. TFLite accepts only the fused activation NONE; a separate test checks that tfl4j refuses
 * the others as well. Not covered: an empty input (size 0 along the axis), which the reference harness cannot feed.
 */
class ConcatenationSweepTest {

    private static final TensorType[] TYPES = {TensorType.FLOAT32, TensorType.INT32, TensorType.INT64, TensorType.BOOL};

    static List<OpCase> cases() {
        Random random = new Random(2);
        List<OpCase> cases = new ArrayList<>();
        int[][] shapes = {{5}, {3, 4}, {2, 3, 4}, {2, 3, 2, 3}, {1, 2, 1, 3}};
        for (int[] base : shapes) {
            int rank = base.length;
            for (int axis = -rank; axis < rank; axis++) {
                for (int inputs = 2; inputs <= 4; inputs++) {
                    TensorType type = TYPES[random.nextInt(TYPES.length)];
                    int[][] in = new int[inputs][];
                    for (int j = 0; j < inputs; j++) {
                        in[j] = base.clone();
                        in[j][axis < 0 ? axis + rank : axis] = 1 + random.nextInt(3);
                    }
                    cases.add(concatenation(random, type, axis, in));
                }
            }
        }
        for (TensorType type : TYPES) {
            cases.add(concatenation(random, type, 1, new int[] {2, 3, 4}, new int[] {2, 1, 4}));
            cases.add(concatenation(random, type, -1, new int[] {4, 1}, new int[] {4, 7}, new int[] {4, 2}));
            cases.add(concatenation(random, type, 0, new int[] {1, 3}, new int[] {2, 3}, new int[] {1, 3}, new int[] {3, 3}));
        }
        cases.add(concatenation(random, TensorType.FLOAT32, 0, new int[] {3}));
        // The models' shape: two [1, 10, 16] embeddings side by side.
        cases.add(concatenation(random, TensorType.FLOAT32, 2, new int[] {1, 10, 16}, new int[] {1, 10, 16}));
        float[] specials = SweepValues.SPECIAL;
        float[] more = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x7fc00001),
                Float.intBitsToFloat(0xff800001), -0f};
        cases.add(concatenationOf("float32 specials, axis 0", TensorType.FLOAT32, 0,
                new int[][] {{specials.length}, {more.length}}, new Object[] {specials, more}, -1));
        cases.add(constantSecond(random));
        return cases;
    }

    private static OpCase concatenation(Random random, TensorType type, int axis, int[]... shapes) {
        Object[] values = new Object[shapes.length];
        for (int j = 0; j < shapes.length; j++) values[j] = SweepValues.ofType(random, type, SweepValues.count(shapes[j]));
        StringBuilder name = new StringBuilder(type + ", axis " + axis + ":");
        for (int[] s : shapes) name.append(' ').append(Arrays.toString(s));
        return concatenationOf(name.toString(), type, axis, shapes, values, -1);
    }

    /** Input {@code constant} (or none when -1) is a constant tensor rather than a model input. */
    private static OpCase concatenationOf(String name, TensorType type, int axis, int[][] shapes, Object[] values,
                                          int constant) {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int rank = shapes[0].length;
        int a = axis < 0 ? axis + rank : axis;
        int[] outShape = shapes[0].clone();
        outShape[a] = 0;
        int[] in = new int[shapes.length];
        List<Integer> graphInputs = new ArrayList<>();
        List<Object> inputValues = new ArrayList<>();
        for (int j = 0; j < shapes.length; j++) {
            outShape[a] += shapes[j][a];
            if (j == constant) {
                in[j] = constant(g, "c" + j, shapes[j], values[j]);
            } else {
                in[j] = g.tensor("x" + j, type, shapes[j]);
                graphInputs.add(in[j]);
                inputValues.add(values[j]);
            }
        }
        int out = g.tensor("y", type, outShape);
        g.op(BuiltinOp.CONCATENATION, options(axis, ActivationFunctionType.NONE), in, new int[] {out});
        g.inputs(graphInputs.stream().mapToInt(Integer::intValue).toArray()).outputs(out);
        return new OpCase(name, w.toBytes(), inputValues.toArray());
    }

    private static OpCase constantSecond(Random random) {
        int[][] shapes = {{2, 3}, {2, 2}, {2, 1}};
        Object[] values = new Object[3];
        for (int j = 0; j < 3; j++) values[j] = SweepValues.ofType(random, TensorType.FLOAT32, SweepValues.count(shapes[j]));
        return concatenationOf("float32, axis 1, constant middle input", TensorType.FLOAT32, 1, shapes, values, 1);
    }

    private static int constant(TfliteWriter.Graph g, String name, int[] shape, Object values) {
        if (values instanceof float[]) return g.constant(name, shape, (float[]) values);
        if (values instanceof int[]) return g.constant(name, shape, (int[]) values);
        if (values instanceof long[]) return g.constant(name, shape, (long[]) values);
        return g.constant(name, shape, (boolean[]) values);
    }

    private static ConcatenationOptionsT options(int axis, byte activation) {
        ConcatenationOptionsT o = new ConcatenationOptionsT();
        o.setAxis(axis);
        o.setFusedActivationFunction(activation);
        return o;
    }

    @Test
    void bitExactAgainstTflite() {
        OpSweepAssert.assertBitExact("CONCATENATION", cases());
    }

    /** TFLite refuses any fused activation but NONE at prepare; so does tfl4j, saying why. */
    @Test
    void fusedActivationIsRefusedLikeTflite() {
        OpSweepAssert.assumeReference();
        for (byte activation : new byte[] {ActivationFunctionType.RELU, ActivationFunctionType.RELU6}) {
            TfliteWriter w = new TfliteWriter();
            TfliteWriter.Graph g = w.graph("main");
            int a = g.tensor("a", TensorType.FLOAT32, 2, 2);
            int b = g.tensor("b", TensorType.FLOAT32, 2, 2);
            int y = g.tensor("y", TensorType.FLOAT32, 4, 2);
            g.op(BuiltinOp.CONCATENATION, options(0, activation), new int[] {a, b}, new int[] {y});
            g.inputs(a, b).outputs(y);
            byte[] model = w.toBytes();
            assertThrows(RuntimeException.class, () -> TfliteReference.open("relu", model, 1, false).close(),
                    "TFLite accepted a fused activation");
            var e = assertThrows(EngineException.class,
                    () -> new Interpreter(ByteBuffer.wrap(model)).close());
            assertTrue(e.getMessage().contains("activation"), e::getMessage);
        }
    }
}
