package org.tfl4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one vector width every SIMD kernel uses, fixed for the life of the JVM so that each kernel can hold its
 * species in a {@code static final} field (a species the JIT cannot see as a constant makes the Vector API fall
 * back to slow, allocating code).
 *
 * <p>Chosen by the system property {@code tfl4j.vectorBits}: {@code 0} runs the scalar twins instead of the SIMD
 * kernels; {@code 128}, {@code 256} or {@code 512} pick that width (a width the CPU lacks still computes the same
 * bits, only slowly: the tests use that to run every width on any machine); absent or {@code preferred}, the
 * CPU's preferred width ({@link VectorShape#preferredShape()}).
 */
public final class VectorWidth {
    private VectorWidth() {}

    /** The system property that picks the width. */
    public static final String PROPERTY = "tfl4j.vectorBits";

    /** The chosen width in bits; 0 means the scalar twins. */
    public static final int BITS = parse(System.getProperty(PROPERTY));

    /** True when the kernels run their scalar twins ({@code -Dtfl4j.vectorBits=0}). */
    public static final boolean SCALAR = BITS == 0;

    /** Float lanes of the chosen width (128 bits when {@link #SCALAR}, unused then). */
    public static final VectorSpecies<Float> FLOATS = VectorSpecies.of(float.class, VectorShape.forBitSize(SCALAR ? 128 : BITS));

    /** Int lanes of the chosen width (128 bits when {@link #SCALAR}, unused then). */
    public static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, VectorShape.forBitSize(SCALAR ? 128 : BITS));

    /**
     * The class of {@link #FLOATS}' vectors. Kernels write {@code FLOAT_VECTOR.cast(v)} where C2 cannot see a
     * vector's class from the code alone: a loop-carried accumulator, a value merged after a branch, the result of
     * {@code FloatVector.broadcast} or {@code zero}. Such a value's static type is the abstract {@code FloatVector},
     * and the Vector API calls on it are virtual: C2 then inlines them (and keeps the vector out of the heap) only
     * when its type profile names one vector class, so a JVM without that profile, or whose profile also saw another
     * width, compiled the kernels into code that allocates every vector (measured: 0.9 to 4.6 MB per inference).
     * The cast gives C2 the exact class; its check folds away, so it costs nothing.
     */
    public static final Class<FloatVector> FLOAT_VECTOR = exactClass(FloatVector.zero(FLOATS));

    /** The class of {@link #INTS}' vectors, for the same casts as {@link #FLOAT_VECTOR}. */
    public static final Class<IntVector> INT_VECTOR = exactClass(IntVector.zero(INTS));

    @SuppressWarnings("unchecked")
    private static <T> Class<T> exactClass(T instance) {
        return (Class<T>) instance.getClass();
    }

    /** A one-line description for reports, such as {@code "256-bit vectors (8 float lanes)"}. */
    public static String describe() {
        return SCALAR ? "scalar twins (-D" + PROPERTY + "=0)"
                : BITS + "-bit vectors (" + FLOATS.length() + " float lanes)";
    }

    static int parse(String value) {
        if (value == null || value.isBlank() || value.equals("preferred")) {
            return VectorShape.preferredShape().vectorBitSize();
        }
        switch (value.trim()) {
            case "0": return 0;
            case "128": return 128;
            case "256": return 256;
            case "512": return 512;
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + value
                        + ": expected 0 (scalar), 128, 256, 512 or preferred");
        }
    }
}
