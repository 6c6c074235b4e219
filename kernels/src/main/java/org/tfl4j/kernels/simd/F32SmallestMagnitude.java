package org.tfl4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import static org.tfl4j.kernels.simd.VectorWidth.FLOAT_VECTOR;
import static org.tfl4j.kernels.simd.VectorWidth.INT_VECTOR;

/**
 * The smallest magnitude among the non-zero, non-NaN values of {@code v[off, off + n)} (subnormals included), or
 * +infinity when there is none: what {@code MatMul.needsFlush} takes to decide whether TFLite's flush-to-zero could
 * act on a product. Every FULLY_CONNECTED, CONV_2D and LSTM step computes it over its input on each run, so it is a
 * kernel: a branchy scalar loop took 33 ns for the CNN model's 64-value FC input and about 250 ns for cnn-genre's
 * 512-value convolution input (AVX-512, JDK 17), several times the vector form's. A minimum is exact, so the vector
 * kernel and its scalar twin return the same float.
 */
public final class F32SmallestMagnitude {
    private F32SmallestMagnitude() {}

    private static final VectorSpecies<Float> FLOATS = VectorWidth.FLOATS;
    private static final int LANES = FLOATS.length();

    /** The vector kernel or, with {@link VectorWidth#SCALAR}, its scalar twin. */
    public static float nonZero(float[] v, int off, int n) {
        return VectorWidth.SCALAR ? nonZeroScalar(v, off, n) : nonZeroVector(v, off, n);
    }

    /**
     * The vector kernel: magnitudes that are zero or NaN become +infinity, then a running minimum per lane (two
     * accumulators, so that consecutive minima do not wait on each other), reduced once; the tail one by one. The
     * minimum is taken on the bits as ints: for +0, positive floats and +infinity their order is the floats' order,
     * and an int minimum is one instruction where Java's float minimum (NaN and -0 rules) takes several. Rows
     * shorter than two vectors take the scalar loop.
     */
    public static float nonZeroVector(float[] v, int off, int n) {
        if (n < 2 * LANES) return nonZeroScalar(v, off, n);
        FloatVector infinity = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, Float.POSITIVE_INFINITY));
        IntVector m0 = INT_VECTOR.cast(infinity.reinterpretAsInts()), m1 = m0;
        int i = 0;
        for (int pairs = n - n % (2 * LANES); i < pairs; i += 2 * LANES) {
            FloatVector a = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, v, off + i)).abs();
            FloatVector b = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, v, off + i + LANES)).abs();
            // a != a is NaN; a == 0 is either zero: neither counts, so both become +infinity before the minimum
            a = a.blend(infinity, a.compare(VectorOperators.EQ, 0f).or(a.compare(VectorOperators.NE, a)));
            b = b.blend(infinity, b.compare(VectorOperators.EQ, 0f).or(b.compare(VectorOperators.NE, b)));
            m0 = INT_VECTOR.cast(m0).min(INT_VECTOR.cast(a.reinterpretAsInts()));
            m1 = INT_VECTOR.cast(m1).min(INT_VECTOR.cast(b.reinterpretAsInts()));
        }
        float smallest = Float.intBitsToFloat(INT_VECTOR.cast(m0).min(INT_VECTOR.cast(m1)).reduceLanes(VectorOperators.MIN));
        for (; i < n; i++) {
            float a = Math.abs(v[off + i]);
            if (a < smallest && a != 0f) smallest = a;
        }
        return smallest;
    }

    /** The scalar twin: the plain loop. */
    public static float nonZeroScalar(float[] v, int off, int n) {
        float smallest = Float.POSITIVE_INFINITY;
        for (int i = off; i < off + n; i++) {
            float a = Math.abs(v[i]);
            if (a < smallest && a != 0f) smallest = a;
        }
        return smallest;
    }
}
