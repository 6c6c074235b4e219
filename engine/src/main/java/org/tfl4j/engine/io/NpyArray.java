package org.tfl4j.engine.io;

import org.tfl4j.parser.TensorType;

import java.util.Arrays;

/**
 * An n-dimensional array as stored in a {@code .npy} file: element type, shape and the elements in
 * C (row-major) order in a flat primitive array ({@code int[]} for INT32, {@code float[]} for
 * FLOAT32, {@code long[]} for INT64, {@code boolean[]} for BOOL).
 *
 * @param type  element type
 * @param shape dimensions (empty for a scalar)
 * @param data  the flat elements; its length is the product of the shape
 */
public record NpyArray(TensorType type, int[] shape, Object data) {
    public NpyArray {
        shape = shape.clone();
        for (int d : shape) if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
        long n = elementCount(shape);
        int length;
        switch (type) {
            case INT32: length = ((int[]) data).length; break;
            case FLOAT32: length = ((float[]) data).length; break;
            case INT64: length = ((long[]) data).length; break;
            case BOOL: length = ((boolean[]) data).length; break;
            default: throw new IllegalArgumentException("type " + type + " is not one of INT32, FLOAT32, INT64, BOOL");
        }
        if (length != n) throw new IllegalArgumentException(length + " elements for shape " + Arrays.toString(shape));
    }

    public static NpyArray ofInts(int[] shape, int... data) {
        return new NpyArray(TensorType.INT32, shape, data);
    }

    public static NpyArray ofFloats(int[] shape, float... data) {
        return new NpyArray(TensorType.FLOAT32, shape, data);
    }

    /** A new, zero-filled array of this type and shape. */
    public static NpyArray zeros(TensorType type, int[] shape) {
        long n = elementCount(shape);
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " is too large");
        switch (type) {
            case INT32: return new NpyArray(type, shape, new int[(int) n]);
            case FLOAT32: return new NpyArray(type, shape, new float[(int) n]);
            case INT64: return new NpyArray(type, shape, new long[(int) n]);
            case BOOL: return new NpyArray(type, shape, new boolean[(int) n]);
            default: throw new IllegalArgumentException("type " + type + " is not one of INT32, FLOAT32, INT64, BOOL");
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int elementCount() {
        return (int) elementCount(shape);
    }

    static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    public int[] ints() {
        return (int[]) data;
    }

    public float[] floats() {
        return (float[]) data;
    }

    public long[] longs() {
        return (long[]) data;
    }

    public boolean[] bools() {
        return (boolean[]) data;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NpyArray)) return false;
        NpyArray a = (NpyArray) o;
        if (type != a.type || !Arrays.equals(shape, a.shape)) return false;
        switch (type) {
            case INT32: return Arrays.equals(ints(), a.ints());
            case FLOAT32: return Arrays.equals(floats(), a.floats()); // bitwise: NaN == NaN, 0 != -0
            case INT64: return Arrays.equals(longs(), a.longs());
            default: return Arrays.equals(bools(), a.bools());
        }
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return Npy.descr(type) + Arrays.toString(shape);
    }
}
