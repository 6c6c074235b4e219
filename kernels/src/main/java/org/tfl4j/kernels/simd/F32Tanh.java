package org.tfl4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.tfl4j.kernels.TfliteMath;

import static org.tfl4j.kernels.TfliteMath.TANH_CLAMP;
import static org.tfl4j.kernels.TfliteMath.TANH_P11;
import static org.tfl4j.kernels.TfliteMath.TANH_P13;
import static org.tfl4j.kernels.TfliteMath.TANH_P7;
import static org.tfl4j.kernels.TfliteMath.TANH_P9;
import static org.tfl4j.kernels.TfliteMath.TANH_Q0;
import static org.tfl4j.kernels.TfliteMath.TANH_Q2;
import static org.tfl4j.kernels.TfliteMath.TANH_Q4;
import static org.tfl4j.kernels.TfliteMath.TANH_Q6;

import static org.tfl4j.kernels.simd.VectorWidth.FLOAT_VECTOR;

/**
 * Eigen's float tanh ({@link TfliteMath#tanh}) over an array: {@code y[i] = tanh(x[i])}, bit for bit. Eigen's
 * packet and scalar paths compute the same thing, so unlike the logistic no element is special.
 *
 * <p>Each lane does the scalar formula's operations in its order, a multiply then an add (no FMA): the DAZ flush of
 * the input (a subnormal becomes a zero of its sign), the clamp to ±{@link TfliteMath#TANH_CLAMP} with C++'s
 * {@code std::min}/{@code std::max} comparisons (compare and blend, so a NaN passes as in the scalar code), the
 * odd and even polynomials, one division.
 */
public final class F32Tanh {
    private F32Tanh() {}

    private static final VectorSpecies<Float> FLOATS = VectorWidth.FLOATS;
    private static final int LANES = FLOATS.length();

    // The constants as vectors, made once (fewer nodes for C2's per-method budget than a broadcast at every use, see
    // evalVector).
    private static final FloatVector CLAMP = FloatVector.broadcast(FLOATS, TANH_CLAMP);
    private static final FloatVector MINUS_CLAMP = FloatVector.broadcast(FLOATS, -TANH_CLAMP);
    private static final FloatVector SMALLEST_NORMAL = FloatVector.broadcast(FLOATS, Float.MIN_NORMAL);
    private static final FloatVector ZERO = FloatVector.zero(FLOATS);
    private static final FloatVector ONE = FloatVector.broadcast(FLOATS, 1.0f);
    private static final FloatVector P13 = FloatVector.broadcast(FLOATS, TANH_P13);
    private static final FloatVector P11 = FloatVector.broadcast(FLOATS, TANH_P11);
    private static final FloatVector P9 = FloatVector.broadcast(FLOATS, TANH_P9);
    private static final FloatVector P7 = FloatVector.broadcast(FLOATS, TANH_P7);
    private static final FloatVector Q6 = FloatVector.broadcast(FLOATS, TANH_Q6);
    private static final FloatVector Q4 = FloatVector.broadcast(FLOATS, TANH_Q4);
    private static final FloatVector Q2 = FloatVector.broadcast(FLOATS, TANH_Q2);
    private static final FloatVector Q0 = FloatVector.broadcast(FLOATS, TANH_Q0);

    /**
     * {@code y[yOff + i] = tanh(x[xOff + i])} for {@code i < n}: the vector kernel or, with {@link VectorWidth#SCALAR},
     * its scalar twin. In place ({@code x == y}, same offsets) is allowed.
     */
    public static void eval(float[] x, int xOff, float[] y, int yOff, int n) {
        if (VectorWidth.SCALAR) {
            evalScalar(x, xOff, y, yOff, n);
        } else {
            evalVector(x, xOff, y, yOff, n);
        }
    }

    /**
     * The vector kernel: whole vectors, two per step, then the last {@code n mod L} elements by the scalar formula.
     *
     * <p>Two vectors per step keep two divisions in flight. The formula is written out here, for both, on purpose:
     * the bytecode is then above C2's limit for inlining a hot callee (FreqInlineSize, 325 bytes), so this method is
     * always compiled on its own. Inlined into a large caller (the LSTM step), the Vector API's many IR nodes can use
     * up C2's node budget there; C2 then stops inlining part way through, and the vectors crossing the resulting
     * calls are allocated as objects (seen with the logistic, {@link F32Logistic#evalVector}).
     */
    public static void evalVector(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (; i + LANES <= n; i += 2 * LANES) {
            // With one whole vector left, the second is a copy of the end of the row, computed and not stored (its
            // lanes are not written yet, so in place it still reads inputs).
            boolean two = i + 2 * LANES <= n;
            FloatVector a = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, x, xOff + i));
            FloatVector b = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, x, xOff + (two ? i + LANES : n - LANES)));
            a = a.blend(a.mul(ZERO), a.abs().compare(VectorOperators.LT, SMALLEST_NORMAL)); // DAZ: ±0 of x's sign
            b = b.blend(b.mul(ZERO), b.abs().compare(VectorOperators.LT, SMALLEST_NORMAL));
            a = a.blend(CLAMP, a.compare(VectorOperators.GT, CLAMP));                        // std::min
            b = b.blend(CLAMP, b.compare(VectorOperators.GT, CLAMP));
            a = a.blend(MINUS_CLAMP, a.compare(VectorOperators.LT, MINUS_CLAMP));            // std::max
            b = b.blend(MINUS_CLAMP, b.compare(VectorOperators.LT, MINUS_CLAMP));
            FloatVector a2 = a.mul(a), b2 = b.mul(b);
            FloatVector a3 = a.mul(a2), b3 = b.mul(b2);
            FloatVector pa = a2.mul(P13).add(P11), pb = b2.mul(P13).add(P11);
            pa = pa.mul(a2).add(P9);
            pb = pb.mul(b2).add(P9);
            pa = pa.mul(a2).add(P7);
            pb = pb.mul(b2).add(P7);
            pa = pa.mul(a3).add(a);
            pb = pb.mul(b3).add(b);
            FloatVector qa = a2.mul(Q6).add(Q4), qb = b2.mul(Q6).add(Q4);
            qa = qa.mul(a2).add(Q2);
            qb = qb.mul(b2).add(Q2);
            qa = qa.mul(a2).add(Q0);
            qb = qb.mul(b2).add(Q0);
            qa = qa.mul(a2).add(ONE);
            qb = qb.mul(b2).add(ONE);
            // The quotients cast to their exact class (VectorWidth.FLOAT_VECTOR): without a type profile C2 inlines
            // the long chains above late, and the stores, parsed first, would not know the class (boxed, allocating).
            FLOAT_VECTOR.cast(FLOAT_VECTOR.cast(pa).div(FLOAT_VECTOR.cast(qa))).intoArray(y, yOff + i);
            if (two) FLOAT_VECTOR.cast(FLOAT_VECTOR.cast(pb).div(FLOAT_VECTOR.cast(qb))).intoArray(y, yOff + i + LANES);
        }
        i = n - n % LANES;
        for (; i < n; i++) y[yOff + i] = TfliteMath.tanh(x[xOff + i]);
    }

    /** The scalar twin: {@link TfliteMath#tanh} per element. */
    public static void evalScalar(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = TfliteMath.tanh(x[xOff + i]);
    }

}
