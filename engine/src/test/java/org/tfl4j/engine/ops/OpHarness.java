package org.tfl4j.engine.ops;

import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.Operator;
import org.tfl4j.parser.TensorType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs one op through prepare and bind, as the interpreter does, on tensors the test describes.
 * Every non-constant tensor lives in an array of its own at offset 3, with NaN (or a marker)
 * around and inside it, so unwritten output elements and offset mistakes show.
 */
final class OpHarness {
    private static final int PAD = 3;
    private final List<TensorSpec> specs = new ArrayList<>();
    private final List<Object> arrays = new ArrayList<>();

    /** An activation tensor holding {@code values} (a float[], int[], long[] or boolean[]). */
    int input(TensorType type, int[] shape, Object values) {
        int t = add(type, shape, null);
        System.arraycopy(values, 0, arrays.get(t), PAD, java.lang.reflect.Array.getLength(values));
        return t;
    }

    int constant(TensorType type, int[] shape, Object values) {
        return add(type, shape, values);
    }

    int output(TensorType type, int... shape) {
        return add(type, shape, null);
    }

    TensorSpec spec(int t) {
        return specs.get(t);
    }

    private int add(TensorType type, int[] shape, Object constant) {
        int t = specs.size();
        specs.add(new TensorSpec(t, "t" + t, type, shape, constant, false));
        int n = IndexTables.elementCount(shape) + 2 * PAD;
        Object array;
        switch (type) {
            case FLOAT32: { float[] a = new float[n]; Arrays.fill(a, Float.NaN); array = a; break; }
            case INT32: { int[] a = new int[n]; Arrays.fill(a, 0x5a5a5a5a); array = a; break; }
            case INT64: { long[] a = new long[n]; Arrays.fill(a, 0x5a5a5a5a5a5a5a5aL); array = a; break; }
            case BOOL: { boolean[] a = new boolean[n]; Arrays.fill(a, true); array = a; break; }
            default: throw new IllegalArgumentException(type.toString());
        }
        arrays.add(constant != null ? constant : array);
        return t;
    }

    /** The op's context as the model loader builds it. */
    OpContext context(int opcode, OpOptions options, int[] inputs, int... outputs) {
        Operator op = new Operator(7, opcode, 1, null, inputs, outputs, new int[0], options);
        TensorSpec[] in = new TensorSpec[inputs.length];
        for (int i = 0; i < inputs.length; i++) in[i] = inputs[i] < 0 ? null : specs.get(inputs[i]);
        TensorSpec[] out = new TensorSpec[outputs.length];
        for (int i = 0; i < outputs.length; i++) out[i] = specs.get(outputs[i]);
        return new OpContext(op, in, out, 1);
    }

    /** Prepares and binds the op; run the returned node to evaluate it. */
    Node node(int opcode, OpOptions options, int[] inputs, int... outputs) {
        OpContext ctx = context(opcode, options, inputs, outputs);
        return OpRegistry.builtins().kernel(opcode).prepare(ctx).bind(buffers());
    }

    /** Prepare only (to check what it refuses). */
    void prepare(int opcode, OpOptions options, int[] inputs, int... outputs) {
        OpRegistry.builtins().kernel(opcode).prepare(context(opcode, options, inputs, outputs));
    }

    float[] floats(int t) {
        return Arrays.copyOfRange((float[]) arrays.get(t), PAD, PAD + specs.get(t).elementCount());
    }

    int[] ints(int t) {
        return Arrays.copyOfRange((int[]) arrays.get(t), PAD, PAD + specs.get(t).elementCount());
    }

    long[] longs(int t) {
        return Arrays.copyOfRange((long[]) arrays.get(t), PAD, PAD + specs.get(t).elementCount());
    }

    boolean[] bools(int t) {
        return Arrays.copyOfRange((boolean[]) arrays.get(t), PAD, PAD + specs.get(t).elementCount());
    }

    /** True when the padding around every activation array still holds its marker. */
    boolean paddingIntact() {
        for (int t = 0; t < specs.size(); t++) {
            if (specs.get(t).isConstant()) continue;
            Object a = arrays.get(t);
            int n = java.lang.reflect.Array.getLength(a);
            for (int i = 0; i < n; i++) {
                if (i >= PAD && i < n - PAD) continue;
                Object v = java.lang.reflect.Array.get(a, i);
                boolean ok = v instanceof Float f ? Float.isNaN(f) : v instanceof Integer x ? x == 0x5a5a5a5a
                        : v instanceof Long x ? x == 0x5a5a5a5a5a5a5a5aL : (Boolean) v;
                if (!ok) return false;
            }
        }
        return true;
    }

    private TensorBuffers buffers() {
        return new TensorBuffers() {
            @Override public float[] floats(TensorSpec t) { return (float[]) array(t); }
            @Override public int[] ints(TensorSpec t) { return (int[]) array(t); }
            @Override public long[] longs(TensorSpec t) { return (long[]) array(t); }
            @Override public boolean[] bools(TensorSpec t) { return (boolean[]) array(t); }
            @Override public Object array(TensorSpec t) { return arrays.get(t.index()); }
            @Override public int offset(TensorSpec t) { return t.isConstant() ? 0 : PAD; }
        };
    }

    // ---- helpers for tests ------------------------------------------------------------------

    static int count(int[] shape) {
        return IndexTables.elementCount(shape);
    }

    /** Row-major multi-index of a flat position. */
    static int[] unravel(int position, int[] shape) {
        int[] index = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = position % shape[d];
            position /= shape[d];
        }
        return index;
    }

    /** Flat position of a multi-index. */
    static int ravel(int[] index, int[] shape) {
        int p = 0;
        for (int d = 0; d < shape.length; d++) p = p * shape[d] + index[d];
        return p;
    }

    static String bits(float v) {
        return v == 0 ? (Float.floatToRawIntBits(v) < 0 ? "-0.0" : "+0.0") : Float.isNaN(v)
                ? "NaN(0x" + Integer.toHexString(Float.floatToRawIntBits(v)) + ")" : Float.toString(v);
    }
}
