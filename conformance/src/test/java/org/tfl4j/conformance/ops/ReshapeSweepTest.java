package org.tfl4j.conformance.ops;

import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tfl4j.conformance.OpCase;
import org.tfl4j.models.TfliteWriter;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.TensorType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * RESHAPE against TFLite: the new shape from the options alone, from a constant int32 shape vector alone, and
 * from both (the vector wins); one -1 inferred anywhere; to and from scalars (an empty shape); ranks 0 to 5;
 * all four types, float specials and NaN payloads kept bit for bit.
 *
 * <p>Not covered: a shape tensor that is a model input (TFLite then sizes the output at run time; tfl4j needs
 * static shapes and refuses it at load); and the options' legacy {@code [0]} for a scalar, which TFLite 2.21
 * no longer honours (it refuses a one-element input with "num_input_elements != num_output_elements (1 != 0)")
 * while tfl4j still reads it as a scalar, as older TFLite did.
 */
class ReshapeSweepTest {

    private static final TensorType[] TYPES = {TensorType.FLOAT32, TensorType.INT32, TensorType.INT64, TensorType.BOOL};

    /** How the new shape reaches the op. */
    enum Source { OPTIONS, SHAPE_TENSOR, BOTH }

    static List<OpCase> cases() {
        Random random = new Random(22);
        List<OpCase> cases = new ArrayList<>();
        int[][][] reshapes = {
                {{6}, {2, 3}}, {{2, 3}, {6}}, {{2, 3}, {3, 2}}, {{2, 3, 4}, {4, 6}}, {{2, 3, 4}, {2, 12}},
                {{2, 3, 4}, {24}}, {{24}, {2, 3, 4}}, {{1, 10, 16}, {10, 16}}, {{10, 16}, {1, 160}}, {{2, 2, 3, 2}, {4, 3, 2}},
                {{1}, {1, 1, 1}}, {{1, 1, 1, 1}, {1}}, {{2, 3, 1, 2, 2}, {6, 4}}, {{3, 4}, {1, 2, 1, 6, 1}}, {{5}, {5}},
                {{2, 3, 4}, {-1}}, {{2, 3, 4}, {-1, 4}}, {{2, 3, 4}, {2, -1}}, {{2, 3, 4}, {3, -1, 2}}, {{24}, {-1, 2, 3}},
                {{1, 10, 16}, {-1, 16}}, {{7}, {1, -1}}, {{1, 3953}, {-1}}, {{4, 1}, {1, 1, -1}},
        };
        for (int[][] r : reshapes) {
            for (Source source : Source.values()) {
                TensorType type = TYPES[random.nextInt(TYPES.length)];
                cases.add(reshape(random, type, r[0], r[1], source));
            }
        }
        for (TensorType type : TYPES) {
            cases.add(reshape(random, type, new int[] {3, 5}, new int[] {5, -1}, Source.SHAPE_TENSOR));
            cases.add(reshape(random, type, new int[] {2, 4, 2}, new int[] {-1, 2, 2}, Source.OPTIONS));
            cases.add(reshape(random, type, new int[] {1}, new int[] {}, Source.SHAPE_TENSOR));
            cases.add(reshape(random, type, new int[] {}, new int[] {1, 1}, Source.OPTIONS));
            cases.add(reshape(random, type, new int[] {}, new int[] {-1}, Source.SHAPE_TENSOR));
        }
        // A scalar through the options: an empty new_shape.
        cases.add(reshapeOf("options [] means a scalar", TensorType.INT32, new int[] {1}, new int[] {},
                new int[] {Integer.MIN_VALUE}, new int[] {}, null));
        // The shape tensor wins over options that disagree with it.
        cases.add(reshapeOf("shape tensor overrides options", TensorType.FLOAT32, new int[] {2, 6}, new int[] {12},
                SweepValues.ofType(random, TensorType.FLOAT32, 12), new int[] {12}, new int[] {3, -1}));
        // A shape input that is not an int32 vector is ignored in favour of the options.
        cases.add(reshapeWithMatrixShape(random));
        float[] specials = {Float.NaN, Float.intBitsToFloat(0x7fc12345), Float.intBitsToFloat(0xff800001), -0f, 0f,
                Float.MIN_VALUE, -Float.MIN_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE,
                0x1.fffffcp-127f, 1f};
        cases.add(reshapeOf("float specials and NaN payloads", TensorType.FLOAT32, new int[] {12}, new int[] {3, 2, 2},
                specials, null, new int[] {3, 2, -1}));
        return cases;
    }

    private static OpCase reshape(Random random, TensorType type, int[] from, int[] requested, Source source) {
        Object x = SweepValues.ofType(random, type, SweepValues.count(from));
        int[] to = resolved(from, requested);
        String name = type + " " + Arrays.toString(from) + " -> " + Arrays.toString(requested) + " via " + source;
        int[] options = source == Source.SHAPE_TENSOR ? null : requested;
        int[] tensor = source == Source.OPTIONS ? null : requested;
        return reshapeOf(name, type, from, to, x, tensor, options);
    }

    /** The requested shape with its -1 worked out. */
    private static int[] resolved(int[] from, int[] requested) {
        int[] to = requested.clone();
        int known = 1;
        for (int d : to) if (d != -1) known *= d;
        for (int i = 0; i < to.length; i++) if (to[i] == -1) to[i] = SweepValues.count(from) / known;
        return to;
    }

    /** {@code shapeTensor} null: no second input; {@code options} null: no ReshapeOptions. */
    static OpCase reshapeOf(String name, TensorType type, int[] from, int[] to, Object x, int[] shapeTensor, int[] options) {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int in = g.tensor("x", type, from);
        int out = g.tensor("y", type, to);
        int[] inputs = shapeTensor == null ? new int[] {in}
                : new int[] {in, g.constant("shape", new int[] {shapeTensor.length}, shapeTensor)};
        ReshapeOptionsT o = null;
        if (options != null) {
            o = new ReshapeOptionsT();
            o.setNewShape(options);
        }
        g.op(BuiltinOp.RESHAPE, o, inputs, new int[] {out});
        g.inputs(in).outputs(out);
        return new OpCase(name, w.toBytes(), new Object[] {x});
    }

    private static OpCase reshapeWithMatrixShape(Random random) {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int in = g.tensor("x", TensorType.INT64, 2, 3);
        int out = g.tensor("y", TensorType.INT64, 3, 2);
        int shape = g.constant("shape", new int[] {1, 2}, new int[] {6, 1});
        ReshapeOptionsT o = new ReshapeOptionsT();
        o.setNewShape(new int[] {3, 2});
        g.op(BuiltinOp.RESHAPE, o, new int[] {in, shape}, new int[] {out});
        g.inputs(in).outputs(out);
        return new OpCase("int64 [2, 3]: a [1, 2] shape tensor is ignored, options [3, 2]", w.toBytes(),
                new Object[] {SweepValues.ofType(random, TensorType.INT64, 6)});
    }

    @Test
    void bitExactAgainstTflite() {
        OpSweepAssert.assertBitExact("RESHAPE", cases());
    }
}
