package org.tfl4j.engine.ops;

/**
 * Where each tensor's elements live for one interpreter: an array and an offset into it.
 * Float tensors live in {@code float[]}, INT32 in {@code int[]}, INT64 in {@code long[]}, BOOL in
 * {@code boolean[]}. Activations share per-type arenas planned at load; constants have arrays of
 * their own (offset 0) that are shared read-only by every interpreter of a model: never write them.
 */
public interface TensorBuffers {
    float[] floats(TensorSpec t);

    int[] ints(TensorSpec t);

    long[] longs(TensorSpec t);

    boolean[] bools(TensorSpec t);

    /** The backing array whatever its type (for data movement with {@link System#arraycopy}). */
    Object array(TensorSpec t);

    /** Offset of the tensor's first element in its array. */
    int offset(TensorSpec t);
}
