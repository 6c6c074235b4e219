package org.tfl4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.tfl4j.kernels.TfliteMath;

import static org.tfl4j.kernels.TfliteMath.EXP_P2;
import static org.tfl4j.kernels.TfliteMath.EXP_P3;
import static org.tfl4j.kernels.TfliteMath.EXP_P4;
import static org.tfl4j.kernels.TfliteMath.EXP_P5;
import static org.tfl4j.kernels.TfliteMath.LN2_HI;
import static org.tfl4j.kernels.TfliteMath.LN2_LO;
import static org.tfl4j.kernels.TfliteMath.LOG2E;
import static org.tfl4j.kernels.TfliteMath.LOGISTIC_CUTOFF;
import static org.tfl4j.kernels.TfliteMath.LOGISTIC_PACKET_LOW;

import static org.tfl4j.kernels.simd.VectorWidth.FLOAT_VECTOR;
import static org.tfl4j.kernels.simd.VectorWidth.INT_VECTOR;

/**
 * Eigen's packet logistic ({@link TfliteMath#logisticPacket}) over a run of elements that all take the packet
 * path: {@code y[i] = logisticPacket(x[i])}, bit for bit. Which elements take the packet path, and which Eigen's
 * scalar path, is {@link org.tfl4j.kernels.Logistic}'s business; it hands the packet run to this kernel.
 *
 * <p>Each lane does the scalar formula's operations in its order, a multiply then an add (no FMA). The parts that
 * are not plain arithmetic are rebuilt from compares, blends and conversions present in JDK 17 and 25:
 * <ul>
 *   <li>{@code std::min(x, cutoff)}: blend to the cutoff where {@code x > cutoff} (a NaN stays; the Vector API's
 *       MIN orders NaN differently, so it is not used);</li>
 *   <li>{@code floor(t)}: {@code t} rounded to an integer by adding and subtracting 1.5 * 2^23 (the sum's ulp is
 *       1), minus one where that is above {@code t}. Exact because {@code t} lies in [-74.5, 12.5] for every lane
 *       whose result is kept (x below -104 is replaced by +0 at the end, +Inf was clamped to the cutoff, and a NaN
 *       stays NaN);</li>
 *   <li>{@code 2^m}: the biased exponent {@code m + 127} (read from the bits of {@code m + 2^23 + 127}, an integer
 *       whose ulp is 1) clamped to [0, 255] and shifted into the float's exponent field, as Eigen's pldexp does.
 *       The clamp keeps 2^m a number (at most +Inf) for the lanes the result ignores, so NaN results carry x's
 *       payload only.</li>
 *   <li>the flush of {@code e * e}: the square is never negative, so a value below the smallest normal becomes
 *       +0 (the sign ftz would keep).</li>
 * </ul>
 * A NaN input gives a NaN carrying the input's payload on both paths: every NaN in the computation comes from x.
 */
public final class F32Logistic {
    private F32Logistic() {}

    private static final VectorSpecies<Float> FLOATS = VectorWidth.FLOATS;
    private static final VectorSpecies<Integer> INTS = VectorWidth.INTS;
    private static final int LANES = FLOATS.length();
    /** 1.5 * 2^23: adding and subtracting it rounds a float below 2^22 in magnitude to an integer. */
    private static final float ROUNDING_SHIFT = 12582912f;
    /** 2^23 + 127: added to an integral m, the low mantissa bits of the sum are m + 127. */
    private static final float BIASED_EXPONENT_SHIFT = 8388735f;
    /** The bits of 2^23. */
    private static final int TWO_POW_23_BITS = 0x4b00_0000;

    // The constants as vectors, made once: a scalar operand would be broadcast at every use, and those nodes count
    // against C2's per-method node budget (see evalVector).
    private static final FloatVector LOW = FloatVector.broadcast(FLOATS, LOGISTIC_PACKET_LOW);
    private static final FloatVector CUTOFF = FloatVector.broadcast(FLOATS, LOGISTIC_CUTOFF);
    private static final FloatVector HALF = FloatVector.broadcast(FLOATS, 0.5f);
    private static final FloatVector ONE = FloatVector.broadcast(FLOATS, 1.0f);
    private static final FloatVector ZERO = FloatVector.zero(FLOATS);
    private static final FloatVector SMALLEST_NORMAL = FloatVector.broadcast(FLOATS, Float.MIN_NORMAL);
    private static final FloatVector LOG2E_V = FloatVector.broadcast(FLOATS, LOG2E);
    private static final FloatVector ROUNDING = FloatVector.broadcast(FLOATS, ROUNDING_SHIFT);
    private static final FloatVector LN2_HI_V = FloatVector.broadcast(FLOATS, LN2_HI);
    private static final FloatVector LN2_LO_V = FloatVector.broadcast(FLOATS, LN2_LO);
    private static final FloatVector P5 = FloatVector.broadcast(FLOATS, EXP_P5);
    private static final FloatVector P3 = FloatVector.broadcast(FLOATS, EXP_P3);
    private static final FloatVector P4 = FloatVector.broadcast(FLOATS, EXP_P4);
    private static final FloatVector P2 = FloatVector.broadcast(FLOATS, EXP_P2);
    private static final FloatVector BIASED = FloatVector.broadcast(FLOATS, BIASED_EXPONENT_SHIFT);
    private static final IntVector TWO_POW_23 = IntVector.broadcast(INTS, TWO_POW_23_BITS);
    private static final IntVector EXPONENT_MIN = IntVector.zero(INTS);
    private static final IntVector EXPONENT_MAX = IntVector.broadcast(INTS, 255);

    /**
     * {@code y[yOff + i] = logisticPacket(x[xOff + i])} for {@code i < n}: the vector kernel or, with
     * {@link VectorWidth#SCALAR}, its scalar twin. In place ({@code x == y}, same offsets) is allowed.
     */
    public static void eval(float[] x, int xOff, float[] y, int yOff, int n) {
        if (VectorWidth.SCALAR) {
            evalScalar(x, xOff, y, yOff, n);
        } else {
            evalVector(x, xOff, y, yOff, n);
        }
    }

    /**
     * The vector kernel: whole vectors, the last of them ending at {@code n} (it then overlaps the one before it,
     * recomputing a few elements with the same bits: the formula is element-wise), or, in place or for fewer than
     * {@code L} elements, whole vectors and then the last {@code n mod L} elements by the scalar formula (in place,
     * the overlapping elements already hold outputs). The models' 100 scores: seven vectors at 16 lanes instead of six
     * and four scalar elements.
     *
     * <p>The formula is written out in this one method on purpose: its bytecode is then above C2's limit for
     * inlining a hot callee (FreqInlineSize, 325 bytes), so it is always compiled on its own. Inlined into a large
     * caller (the LSTM step), the Vector API's many IR nodes used up C2's node budget there, C2 stopped inlining
     * part way through the formula, and the vectors crossing the resulting calls were allocated as objects.
     */
    public static void evalVector(float[] x, int xOff, float[] y, int yOff, int n) {
        boolean apart = x != y || xOff + n <= yOff || yOff + n <= xOff;
        int vectorEnd = apart && n >= LANES ? n : n - n % LANES; // the elements the vectors cover
        for (int start = 0; start < vectorEnd; start += LANES) {
            int i = Math.min(start, vectorEnd - LANES);
            FloatVector v = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, x, xOff + i));
            VectorMask<Float> belowRange = v.compare(VectorOperators.LT, LOW);
            FloatVector xh = v.blend(CUTOFF, v.compare(VectorOperators.GT, CUTOFF)).mul(HALF);
            FloatVector t = xh.mul(LOG2E_V).add(HALF);
            FloatVector nearest = t.add(ROUNDING).sub(ROUNDING);
            FloatVector m = nearest.blend(nearest.sub(ONE), nearest.compare(VectorOperators.GT, t)); // floor(t)
            FloatVector r = m.mul(LN2_HI_V).add(xh);
            r = r.add(m.mul(LN2_LO_V));
            FloatVector r2 = r.mul(r);
            FloatVector pOdd = r2.mul(P5).add(P3);
            FloatVector pEven = r2.mul(P4).add(P2);
            FloatVector p = r.mul(pOdd).add(pEven);
            p = p.mul(r2).add(r.add(ONE));
            // 2^m: m + 2^23 + 127 is an integer in [2^23, 2^24), where the float's low mantissa bits hold m + 127;
            // clamped to [0, 255] and shifted into the exponent field. The bits are viewed through the constant
            // species (reinterpretAsInts() finds its species at run time, which C2 does not always fold).
            // reinterpretShape returns a Vector: cast to the exact classes (VectorWidth.FLOAT_VECTOR), not to the
            // abstract IntVector and FloatVector, so that C2 needs no type profile to compile the calls on them.
            IntVector biased = INT_VECTOR.cast(m.add(BIASED).reinterpretShape(INTS, 0)).sub(TWO_POW_23);
            biased = biased.max(EXPONENT_MIN).min(EXPONENT_MAX);
            FloatVector pow2 = FLOAT_VECTOR.cast(biased.lanewise(VectorOperators.LSHL, 23).reinterpretShape(FLOATS, 0));
            FloatVector e = p.mul(pow2);
            e = e.mul(e);
            e = e.blend(ZERO, e.compare(VectorOperators.LT, SMALLEST_NORMAL)); // flush: the square is +0 or positive
            e.div(e.add(ONE)).blend(ZERO, belowRange).intoArray(y, yOff + i);
        }
        for (int i = vectorEnd; i < n; i++) y[yOff + i] = TfliteMath.logisticPacket(x[xOff + i]);
    }

    /** The scalar twin: {@link TfliteMath#logisticPacket} per element. */
    public static void evalScalar(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = TfliteMath.logisticPacket(x[xOff + i]);
    }
}
