package org.tfl4j.conformance.ops;

import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.CastOptionsT;
import org.tfl4j.conformance.OpCase;
import org.tfl4j.models.TfliteWriter;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.TensorType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * CAST against TFLite: all 16 pairs of float32, int32, int64 and bool, over ±0, subnormals (flushed before the
 * comparison with zero of a cast to bool), fractions (truncation toward zero), large magnitudes, integers that
 * round when they become floats, int64 beyond int32, and NaN and ±Inf where TFLite's result is defined.
 *
 * <p>Left out: float32 to int64 of NaN, ±Inf and anything outside [-2^63, 2^63). TFLite converts with a plain
 * {@code static_cast}, undefined behaviour in C++ for those values (x86-64 happens to give INT64_MIN). Float32 to
 * int32 is defined everywhere: TFLite saturates explicitly and sends NaN to INT32_MAX.
 */
class CastSweepTest {

    private static final TensorType[] TYPES = {TensorType.FLOAT32, TensorType.INT32, TensorType.INT64, TensorType.BOOL};

    /** Floats whose cast to every type is defined, and the fractions where truncation shows. */
    private static final float[] FRACTIONS = {
            0.4f, -0.4f, 0.5f, -0.5f, 0.9999999f, -0.9999999f, 1.5f, -1.5f, 2.5f, -2.5f, 2.9999998f, -2.9999998f,
            1e-20f, -1e-20f, 16777215.5f, -16777215.5f, 8388607.5f, 12345.678f, -98765.43f, 0x1p-126f, -0x1p-126f,
    };

    /** Floats at and around the ends of int32 (all defined for int32 thanks to TFLite's saturation). */
    private static final float[] INT32_EDGES = {
            2147483520f, 2147483648f, 2147483904f, -2147483648f, -2147483904f, -2147483520f, 1e10f, -1e10f,
            3.0e38f, -3.0e38f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.NaN, Float.intBitsToFloat(0xffc00000), Float.intBitsToFloat(0x7f800001),
    };

    /** Floats inside [-2^63, 2^63): the largest float below 2^63, -2^63 itself, and other large values. */
    private static final float[] INT64_EDGES = {
            9223371487098961920f, -9223372036854775808f, -9223371487098961920f, 4.5e18f, -4.5e18f, 1e15f, -1e15f,
            2147483648f, -2147483904f, 1e10f, -1e10f, 1.2345678e12f,
    };

    static List<OpCase> cases() {
        Random random = new Random(53);
        List<OpCase> cases = new ArrayList<>();
        for (TensorType from : TYPES) {
            for (TensorType to : TYPES) {
                String pair = from + "->" + to;
                for (int n : new int[] {1, 3, 4, 7, 8, 16, 17, 33}) {
                    cases.add(cast(pair + ", random, n=" + n, from, to, values(random, from, to, n), n));
                }
                cases.add(cast(pair + ", 2x3x4", from, to, values(random, from, to, 24), 2, 3, 4));
                cases.add(cast(pair + ", 1x2x2x5", from, to, values(random, from, to, 20), 1, 2, 2, 5));
                cases.add(cast(pair + ", scalar", from, to, values(random, from, to, 1)));
                cases.addAll(specials(pair, from, to));
            }
        }
        // TFLite ignores CastOptions (the tensors' types decide): a model without them, and one whose options lie.
        float[] x = {1.5f, -2.5f, 0f, -0f, Float.NaN, 1e-40f, 7f};
        cases.add(cast("float32->int32 without options", TensorType.FLOAT32, TensorType.INT32, x, false, null, x.length));
        CastOptionsT lying = new CastOptionsT();
        lying.setInDataType((byte) TensorType.BOOL.code);
        lying.setOutDataType((byte) TensorType.INT64.code);
        cases.add(cast("float32->bool with options saying bool->int64", TensorType.FLOAT32, TensorType.BOOL, x, true, lying,
                x.length));
        return cases;
    }

    /** The hand-picked values of the source type, each pair's full list in one case. */
    private static List<OpCase> specials(String pair, TensorType from, TensorType to) {
        List<OpCase> cases = new ArrayList<>();
        switch (from) {
            case FLOAT32: {
                float[] common = concat(SweepValues.SPECIAL, FRACTIONS);
                if (to == TensorType.INT64) {
                    cases.add(cast(pair + ", specials", from, to, defined(common), common.length));
                    cases.add(cast(pair + ", large magnitudes", from, to, INT64_EDGES, INT64_EDGES.length));
                } else {
                    float[] all = concat(common, INT32_EDGES);
                    cases.add(cast(pair + ", specials", from, to, all, all.length));
                }
                if (to == TensorType.BOOL || to == TensorType.FLOAT32) {
                    float[] subnormals = {Float.MIN_VALUE, -Float.MIN_VALUE, 0x1.fffffcp-127f, -0x1.fffffcp-127f,
                            1e-40f, -1e-40f, 0x1p-127f, 0f, -0f, Float.MIN_NORMAL, -Float.MIN_NORMAL, Float.NaN};
                    cases.add(cast(pair + ", subnormals", from, to, subnormals, subnormals.length));
                }
                break;
            }
            case INT32:
                cases.add(cast(pair + ", specials", from, to, SweepValues.SPECIAL_INTS, SweepValues.SPECIAL_INTS.length));
                break;
            case INT64:
                cases.add(cast(pair + ", specials", from, to, SweepValues.SPECIAL_LONGS, SweepValues.SPECIAL_LONGS.length));
                break;
            default:
                boolean[] b = {true, false, false, true, true};
                cases.add(cast(pair + ", both values", from, to, b, b.length));
        }
        return cases;
    }

    /** Random values of type {@code from} for a cast to {@code to}, floats limited to where the cast is defined. */
    private static Object values(Random random, TensorType from, TensorType to, int n) {
        if (from != TensorType.FLOAT32) return SweepValues.ofType(random, from, n);
        float[] v = (float[]) SweepValues.ofType(random, from, n);
        // Fractions and magnitudes across the whole float range, where integers stop being exact.
        for (int i = 0; i < n; i++) if (random.nextInt(3) == 0) v[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(12)));
        return to == TensorType.INT64 ? defined(v) : v;
    }

    /** The values with every one outside [-2^63, 2^63), NaN included, replaced: their int64 cast is undefined. */
    private static float[] defined(float[] v) {
        float[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            if (!(out[i] >= -0x1p63f && out[i] < 0x1p63f)) out[i] = i % 2 == 0 ? 0x1p62f : -12.75f;
        }
        return out;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static OpCase cast(String name, TensorType from, TensorType to, Object x, int... shape) {
        CastOptionsT options = new CastOptionsT();
        options.setInDataType((byte) from.code);
        options.setOutDataType((byte) to.code);
        return cast(name, from, to, x, true, options, shape);
    }

    private static OpCase cast(String name, TensorType from, TensorType to, Object x, boolean withOptions,
                               CastOptionsT options, int... shape) {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int in = g.tensor("x", from, shape);
        int out = g.tensor("y", to, shape);
        g.op(BuiltinOp.CAST, withOptions ? options : null, new int[] {in}, new int[] {out});
        g.inputs(in).outputs(out);
        return new OpCase(name, w.toBytes(), new Object[] {x});
    }

    @Test
    void bitExactAgainstTflite() {
        OpSweepAssert.assertBitExact("CAST", cases());
    }
}
