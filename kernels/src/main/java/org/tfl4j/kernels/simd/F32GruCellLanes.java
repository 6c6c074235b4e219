package org.tfl4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.tfl4j.kernels.TfliteMath;

import static org.tfl4j.kernels.simd.VectorWidth.FLOAT_VECTOR;

/**
 * The GRU step's elementwise ops around its gate activations ({@link org.tfl4j.kernels.Gru}), lanes across units:
 * the gates' pre-activations {@code x_z + r_z} and {@code x_r + r_r} ({@link #sum}), the candidate's
 * {@code x_h + r * r_h} ({@link #candidate}), and the new state {@code z * h + (one - z) * hh} ({@link #update}).
 * Each ADD, SUB and MUL is TFLite's builtin op with fused activation NONE under FTZ/DAZ: the operands flushed, one
 * float32 operation (no FMA), the result flushed, then clamped to {@code [-FLT_MAX, FLT_MAX]} with {@code std::max}
 * then {@code std::min} (an infinity becomes ±FLT_MAX, NaN passes), the operands in the order above.
 *
 * <p>Each lane does the scalar ops in their order; the flush is {@link TfliteMath#ftz} per lane (a subnormal becomes
 * a zero of its sign). An op's result is flushed and clamped, never subnormal, so the vector kernels do not flush it
 * again where the next op takes it as an operand. In {@link #updateVector} each op's result is also cast to its exact
 * class ({@link VectorWidth#FLOAT_VECTOR}) before the next op: without those casts, under
 * {@code -XX:TypeProfileWidth=0}, C2 compiled the final store out of line and allocated 128 bytes per call. The steps
 * are written out in each kernel rather than through vector-taking helpers, which C2 may leave out of line and then
 * allocate their vectors.
 */
public final class F32GruCellLanes {
    private F32GruCellLanes() {}

    private static final VectorSpecies<Float> FLOATS = VectorWidth.FLOATS;
    private static final int LANES = FLOATS.length();
    private static final float LO = -TfliteMath.FLT_MAX;
    private static final float HI = TfliteMath.FLT_MAX;

    /**
     * {@code out[outOff + i] = p[pOff + i] + q[qOff + i]} (the ADD op) for {@code i < n}: the vector kernel or, with
     * {@link VectorWidth#SCALAR}, its scalar twin. {@code out} may be either input (same offsets).
     */
    public static void sum(float[] p, int pOff, float[] q, int qOff, float[] out, int outOff, int n) {
        if (VectorWidth.SCALAR) {
            sumScalar(p, pOff, q, qOff, out, outOff, n);
        } else {
            sumVector(p, pOff, q, qOff, out, outOff, n);
        }
    }

    /** The vector kernel of {@link #sum}. */
    public static void sumVector(float[] p, int pOff, float[] q, int qOff, float[] out, int outOff, int n) {
        FloatVector lo = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, LO));
        FloatVector hi = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, HI));
        int i = 0;
        for (; i <= n - LANES; i += LANES) {
            FloatVector a = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, p, pOff + i));
            FloatVector b = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, q, qOff + i));
            a = a.blend(a.mul(0f), a.abs().lt(Float.MIN_NORMAL));
            b = b.blend(b.mul(0f), b.abs().lt(Float.MIN_NORMAL));
            FloatVector s = a.add(b);
            s = s.blend(s.mul(0f), s.abs().lt(Float.MIN_NORMAL));
            s = s.blend(lo, s.compare(VectorOperators.LT, lo));           // std::max(v, lo)
            s.blend(hi, s.compare(VectorOperators.GT, hi)).intoArray(out, outOff + i); // std::min(v, hi)
        }
        for (; i < n; i++) out[outOff + i] = add(p[pOff + i], q[qOff + i]);
    }

    /** The scalar twin of {@link #sum}. */
    public static void sumScalar(float[] p, int pOff, float[] q, int qOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = add(p[pOff + i], q[qOff + i]);
    }

    /**
     * {@code out[outOff + i] = xh[xhOff + i] + r[rOff + i] * rh[rhOff + i]} (a MUL, then an ADD taking the MUL's
     * result second) for {@code i < n}: the vector kernel or, with {@link VectorWidth#SCALAR}, its scalar twin.
     * {@code out} may be any input (same offsets).
     */
    public static void candidate(float[] xh, int xhOff, float[] r, int rOff, float[] rh, int rhOff, float[] out,
                                 int outOff, int n) {
        if (VectorWidth.SCALAR) {
            candidateScalar(xh, xhOff, r, rOff, rh, rhOff, out, outOff, n);
        } else {
            candidateVector(xh, xhOff, r, rOff, rh, rhOff, out, outOff, n);
        }
    }

    /** The vector kernel of {@link #candidate}. */
    public static void candidateVector(float[] xh, int xhOff, float[] r, int rOff, float[] rh, int rhOff, float[] out,
                                       int outOff, int n) {
        FloatVector lo = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, LO));
        FloatVector hi = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, HI));
        int i = 0;
        for (; i <= n - LANES; i += LANES) {
            FloatVector gate = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, r, rOff + i));
            FloatVector recurrent = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, rh, rhOff + i));
            gate = gate.blend(gate.mul(0f), gate.abs().lt(Float.MIN_NORMAL));
            recurrent = recurrent.blend(recurrent.mul(0f), recurrent.abs().lt(Float.MIN_NORMAL));
            FloatVector product = gate.mul(recurrent);
            product = product.blend(product.mul(0f), product.abs().lt(Float.MIN_NORMAL));
            product = product.blend(lo, product.compare(VectorOperators.LT, lo));
            product = product.blend(hi, product.compare(VectorOperators.GT, hi)); // MUL's result: ADD's DAZ leaves it
            FloatVector input = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, xh, xhOff + i));
            input = input.blend(input.mul(0f), input.abs().lt(Float.MIN_NORMAL));
            FloatVector s = input.add(product);
            s = s.blend(s.mul(0f), s.abs().lt(Float.MIN_NORMAL));
            s = s.blend(lo, s.compare(VectorOperators.LT, lo));
            s.blend(hi, s.compare(VectorOperators.GT, hi)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) out[outOff + i] = add(xh[xhOff + i], mul(r[rOff + i], rh[rhOff + i]));
    }

    /** The scalar twin of {@link #candidate}. */
    public static void candidateScalar(float[] xh, int xhOff, float[] r, int rOff, float[] rh, int rhOff, float[] out,
                                       int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = add(xh[xhOff + i], mul(r[rOff + i], rh[rhOff + i]));
    }

    /**
     * {@code out[outOff + i] = z[zOff + i] * h[hOff + i] + (one - z[zOff + i]) * hh[hhOff + i]} (MUL, SUB, MUL, then
     * ADD of the two products in that order) for {@code i < n}: the vector kernel or, with {@link VectorWidth#SCALAR},
     * its scalar twin. {@code out} may be {@code h} (same offset): each lane reads its {@code h} before writing.
     */
    public static void update(float[] z, int zOff, float[] h, int hOff, float[] hh, int hhOff, float one, float[] out,
                              int outOff, int n) {
        if (VectorWidth.SCALAR) {
            updateScalar(z, zOff, h, hOff, hh, hhOff, one, out, outOff, n);
        } else {
            updateVector(z, zOff, h, hOff, hh, hhOff, one, out, outOff, n);
        }
    }

    /** The vector kernel of {@link #update}. */
    public static void updateVector(float[] z, int zOff, float[] h, int hOff, float[] hh, int hhOff, float one,
                                    float[] out, int outOff, int n) {
        FloatVector lo = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, LO));
        FloatVector hi = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, HI));
        FloatVector ones = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, TfliteMath.ftz(one)));
        int i = 0;
        for (; i <= n - LANES; i += LANES) {
            FloatVector gate = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, z, zOff + i));
            gate = gate.blend(gate.mul(0f), gate.abs().lt(Float.MIN_NORMAL));
            FloatVector state = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, h, hOff + i));
            state = state.blend(state.mul(0f), state.abs().lt(Float.MIN_NORMAL));
            FloatVector keep = gate.mul(state);                                        // MUL(z, h)
            keep = keep.blend(keep.mul(0f), keep.abs().lt(Float.MIN_NORMAL));
            keep = keep.blend(lo, keep.compare(VectorOperators.LT, lo));
            keep = FLOAT_VECTOR.cast(keep.blend(hi, keep.compare(VectorOperators.GT, hi)));
            FloatVector rest = ones.sub(gate);                                         // SUB(one, z); flushed operands
            rest = rest.blend(rest.mul(0f), rest.abs().lt(Float.MIN_NORMAL));
            rest = rest.blend(lo, rest.compare(VectorOperators.LT, lo));
            rest = FLOAT_VECTOR.cast(rest.blend(hi, rest.compare(VectorOperators.GT, hi)));
            FloatVector candidate = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, hh, hhOff + i));
            candidate = candidate.blend(candidate.mul(0f), candidate.abs().lt(Float.MIN_NORMAL));
            FloatVector fresh = rest.mul(candidate);                                   // MUL(one - z, hh)
            fresh = fresh.blend(fresh.mul(0f), fresh.abs().lt(Float.MIN_NORMAL));
            fresh = fresh.blend(lo, fresh.compare(VectorOperators.LT, lo));
            fresh = FLOAT_VECTOR.cast(fresh.blend(hi, fresh.compare(VectorOperators.GT, hi)));
            FloatVector s = keep.add(fresh);                                           // ADD(keep, fresh)
            s = s.blend(s.mul(0f), s.abs().lt(Float.MIN_NORMAL));
            s = s.blend(lo, s.compare(VectorOperators.LT, lo));
            FLOAT_VECTOR.cast(s.blend(hi, s.compare(VectorOperators.GT, hi))).intoArray(out, outOff + i);
        }
        for (; i < n; i++) out[outOff + i] = unitUpdate(z[zOff + i], h[hOff + i], hh[hhOff + i], one);
    }

    /** The scalar twin of {@link #update}. */
    public static void updateScalar(float[] z, int zOff, float[] h, int hOff, float[] hh, int hhOff, float one,
                                    float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = unitUpdate(z[zOff + i], h[hOff + i], hh[hhOff + i], one);
    }

    private static float unitUpdate(float z, float h, float hh, float one) {
        return add(mul(z, h), mul(sub(one, z), hh));
    }

    private static float add(float p, float q) {
        return TfliteMath.activation(TfliteMath.ftz(TfliteMath.ftz(p) + TfliteMath.ftz(q)), LO, HI);
    }

    private static float sub(float p, float q) {
        return TfliteMath.activation(TfliteMath.ftz(TfliteMath.ftz(p) - TfliteMath.ftz(q)), LO, HI);
    }

    private static float mul(float p, float q) {
        return TfliteMath.activation(TfliteMath.ftz(TfliteMath.ftz(p) * TfliteMath.ftz(q)), LO, HI);
    }
}
