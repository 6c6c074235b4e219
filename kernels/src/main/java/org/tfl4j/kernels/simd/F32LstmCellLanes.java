package org.tfl4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.tfl4j.kernels.TfliteMath;

import static org.tfl4j.kernels.simd.VectorWidth.FLOAT_VECTOR;

/**
 * The LSTM's elementwise steps after the gate activations (TFLite's lstm_eval float path, under FTZ/DAZ), lanes
 * across cells: the cell update {@code c = clip(ftz(ftz(f * c) + ftz(g * i)))}, with {@code i = ftz(1 - f)} under
 * CIFG and the clip only for a positive cell clip, and the output gating {@code h = ftz(o * t)}.
 *
 * <p>Each lane does the scalar steps in their order, a multiply then an add (no FMA); the flush is
 * {@link TfliteMath#ftz} per lane (a subnormal becomes a zero of its sign) and the clip is {@link TfliteMath#clip}'s
 * comparisons lane by lane (a NaN becomes the limit, as in TFLite).
 */
public final class F32LstmCellLanes {
    private F32LstmCellLanes() {}

    private static final VectorSpecies<Float> FLOATS = VectorWidth.FLOATS;
    private static final int LANES = FLOATS.length();
    private static final FloatVector ONE = FloatVector.broadcast(FLOATS, 1.0f);

    /**
     * {@code c[cOff + i] = clip(ftz(ftz(f[i] * c[cOff + i]) + ftz(g[i] * in[i])))} for {@code i < n}, where
     * {@code f}, {@code in} and {@code g} are the forget, input and cell gates' activations in {@code gates} at
     * {@code forget}, {@code input} and {@code cell}; under CIFG ({@code cifg}) {@code in[i] = ftz(1 - f[i])} and
     * {@code input} is not read; {@code cellClip > 0} clips to {@code ±cellClip}. The vector kernel or, with
     * {@link VectorWidth#SCALAR}, its scalar twin.
     */
    public static void updateCell(float[] gates, int forget, int input, int cell, boolean cifg, float[] c, int cOff,
                                  int n, float cellClip) {
        if (VectorWidth.SCALAR) {
            updateCellScalar(gates, forget, input, cell, cifg, c, cOff, n, cellClip);
        } else {
            updateCellVector(gates, forget, input, cell, cifg, c, cOff, n, cellClip);
        }
    }

    /** The vector kernel of {@link #updateCell}. */
    public static void updateCellVector(float[] gates, int forget, int input, int cell, boolean cifg, float[] c,
                                        int cOff, int n, float cellClip) {
        FloatVector limit = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, cellClip));
        FloatVector minusLimit = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, -cellClip));
        boolean clip = cellClip > 0;
        int i = 0;
        for (; i <= n - LANES; i += LANES) {
            // Written out rather than through vector-taking helpers: out of line they would allocate.
            FloatVector f = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, gates, forget + i));
            FloatVector kept = f.mul(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, c, cOff + i)));
            kept = kept.blend(kept.mul(0f), kept.abs().lt(Float.MIN_NORMAL));
            FloatVector scale;
            if (cifg) {
                scale = ONE.sub(f);
                scale = scale.blend(scale.mul(0f), scale.abs().lt(Float.MIN_NORMAL));
            } else {
                scale = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, gates, input + i));
            }
            scale = FLOAT_VECTOR.cast(scale); // merged after the branch: its exact class for C2 (VectorWidth.FLOAT_VECTOR)
            FloatVector added = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, gates, cell + i)).mul(scale);
            added = added.blend(added.mul(0f), added.abs().lt(Float.MIN_NORMAL));
            FloatVector next = kept.add(added);
            next = next.blend(next.mul(0f), next.abs().lt(Float.MIN_NORMAL));
            if (clip) {
                next = limit.blend(next, next.compare(VectorOperators.LT, limit));          // std::min(limit, v)
                next = next.blend(minusLimit, next.compare(VectorOperators.LT, minusLimit)); // std::max(v, -limit)
            }
            FLOAT_VECTOR.cast(next).intoArray(c, cOff + i); // merged after the branch
        }
        for (; i < n; i++) c[cOff + i] = cellAt(gates, forget + i, input + i, cell + i, cifg, c[cOff + i], cellClip);
    }

    /** The scalar twin of {@link #updateCell}. */
    public static void updateCellScalar(float[] gates, int forget, int input, int cell, boolean cifg, float[] c,
                                        int cOff, int n, float cellClip) {
        for (int i = 0; i < n; i++) c[cOff + i] = cellAt(gates, forget + i, input + i, cell + i, cifg, c[cOff + i], cellClip);
    }

    private static float cellAt(float[] gates, int f, int in, int g, boolean cifg, float c, float cellClip) {
        float kept = TfliteMath.ftz(gates[f] * c);
        float inputScale = cifg ? TfliteMath.ftz(1.0f - gates[f]) : gates[in];
        float added = TfliteMath.ftz(gates[g] * inputScale);
        float next = TfliteMath.ftz(kept + added);
        return cellClip > 0 ? TfliteMath.clip(next, cellClip) : next;
    }

    /**
     * {@code h[hOff + i] = ftz(gates[output + i] * t[tOff + i])} for {@code i < n}: the vector kernel or, with
     * {@link VectorWidth#SCALAR}, its scalar twin. {@code h} may be {@code t} (same array and offset).
     */
    public static void gateOutput(float[] gates, int output, float[] t, int tOff, float[] h, int hOff, int n) {
        if (VectorWidth.SCALAR) {
            gateOutputScalar(gates, output, t, tOff, h, hOff, n);
        } else {
            gateOutputVector(gates, output, t, tOff, h, hOff, n);
        }
    }

    /** The vector kernel of {@link #gateOutput}. */
    public static void gateOutputVector(float[] gates, int output, float[] t, int tOff, float[] h, int hOff, int n) {
        int i = 0;
        for (; i <= n - LANES; i += LANES) {
            FloatVector gate = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, gates, output + i));
            FloatVector p = gate.mul(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, t, tOff + i)));
            p.blend(p.mul(0f), p.abs().lt(Float.MIN_NORMAL)).intoArray(h, hOff + i);
        }
        for (; i < n; i++) h[hOff + i] = TfliteMath.ftz(gates[output + i] * t[tOff + i]);
    }

    /** The scalar twin of {@link #gateOutput}. */
    public static void gateOutputScalar(float[] gates, int output, float[] t, int tOff, float[] h, int hOff, int n) {
        for (int i = 0; i < n; i++) h[hOff + i] = TfliteMath.ftz(gates[output + i] * t[tOff + i]);
    }
}
