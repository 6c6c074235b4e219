package org.tfl4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import org.tfl4j.kernels.TfliteMath;

/**
 * TfliteMath's scalar rules per lane, for the embedding kernels: each a few compares and blends, small enough for C2
 * to inline into the loop that calls it (an out-of-line Vector API call would allocate).
 */
final class FloatLanes {
    private FloatLanes() {}

    /** {@link TfliteMath#ftz} per lane: a subnormal becomes a zero of its sign ({@code v * 0}); NaN and inf pass. */
    static FloatVector ftz(FloatVector v) {
        VectorMask<Float> subnormal = v.abs().lt(Float.MIN_NORMAL);
        return v.blend(v.mul(0f), subnormal);
    }

    /**
     * {@link TfliteMath#activation} per lane, {@code std::min(std::max(v, lo), hi)} with C++'s comparisons (a NaN
     * passes, ties keep v); the Vector API's min/max order NaN and -0 differently, so compare and blend.
     */
    static FloatVector clamp(FloatVector v, FloatVector lo, FloatVector hi) {
        FloatVector atLeastLo = v.blend(lo, v.compare(VectorOperators.LT, lo));
        return atLeastLo.blend(hi, atLeastLo.compare(VectorOperators.GT, hi));
    }
}
