package org.tfl4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.tfl4j.kernels.ReduceMax;

import static org.tfl4j.kernels.simd.VectorWidth.FLOAT_VECTOR;

/**
 * Float32 REDUCE_MAX for outputs whose inputs start at consecutive positions (the reduced axes are not the innermost,
 * as in the CNN models' max over the convolution's positions): {@code out[o] = max over r of x[start + o + reduced[r]]}
 * with {@link ReduceMax}'s semantics (a running maximum from the first element, a later element replacing the
 * maximum unless it is smaller, both read under DAZ; a single reduced element copied untouched).
 *
 * <p>Lanes run across outputs, so each lane does the scalar steps in the scalar order: the bits, ties (-0 against +0)
 * and NaN are {@link ReduceMax}'s. The outputs past the last whole vector run the scalar twin's code.
 */
public final class F32ReduceMaxLanes {
    private F32ReduceMaxLanes() {}

    private static final VectorSpecies<Float> FLOATS = VectorWidth.FLOATS;
    private static final int LANES = FLOATS.length();

    /**
     * {@code out[outOffset + o] = max_r x[start + o + reducedOffsets[r]]} for {@code o < count}, the vector kernel or,
     * with {@link VectorWidth#SCALAR}, its scalar twin. {@code reducedOffsets} is not empty.
     */
    public static void eval(float[] x, int start, int count, int[] reducedOffsets, float[] out, int outOffset) {
        if (VectorWidth.SCALAR) {
            evalScalar(x, start, count, reducedOffsets, out, outOffset);
        } else {
            evalVector(x, start, count, reducedOffsets, out, outOffset);
        }
    }

    /** The vector kernel. */
    public static void evalVector(float[] x, int start, int count, int[] reducedOffsets, float[] out, int outOffset) {
        int o = 0;
        for (; o <= count - LANES; o += LANES) {
            int base = start + o;
            FloatVector max = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, x, base + reducedOffsets[0]));
            for (int r = 1; r < reducedOffsets.length; r++) {
                // Written out rather than through a vector-taking helper: out of line it would allocate. The running
                // maximum is loop-carried, so cast to its exact class (VectorWidth.FLOAT_VECTOR).
                FloatVector running = FLOAT_VECTOR.cast(max);
                FloatVector current = running.blend(running.mul(0f), running.abs().lt(Float.MIN_NORMAL)); // DAZ
                FloatVector v = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, x, base + reducedOffsets[r]));
                v = v.blend(v.mul(0f), v.abs().lt(Float.MIN_NORMAL));
                max = v.blend(current, current.compare(VectorOperators.GT, v));              // current > v ? current : v
            }
            FLOAT_VECTOR.cast(max).intoArray(out, outOffset + o);
        }
        for (; o < count; o++) out[outOffset + o] = ReduceMax.float32At(x, start + o, reducedOffsets);
    }

    /** The scalar twin: {@link ReduceMax}'s running maximum, output by output. */
    public static void evalScalar(float[] x, int start, int count, int[] reducedOffsets, float[] out, int outOffset) {
        for (int o = 0; o < count; o++) out[outOffset + o] = ReduceMax.float32At(x, start + o, reducedOffsets);
    }
}
