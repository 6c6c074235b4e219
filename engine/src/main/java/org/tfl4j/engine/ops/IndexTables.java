package org.tfl4j.engine.ops;

/**
 * Shape arithmetic shared by the data-movement, elementwise and reduction ops: row-major strides,
 * element counts, and tables of element offsets that let kernels walk any geometry with flat loops.
 */
final class IndexTables {
    private IndexTables() {}

    /** Product of the dimensions (1 for a scalar). Shapes were checked to fit an int when parsed. */
    static int elementCount(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** Row-major strides in elements: the last dimension is contiguous. */
    static int[] rowMajorStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int run = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = run;
            run *= shape[d];
        }
        return strides;
    }

    /**
     * The offset {@code sum(index[d] * strides[d])} of every index of a box of the given sizes, in
     * row-major order of the index (the last dimension varies fastest). Empty when a size is 0;
     * {@code [0]} when there are no dimensions.
     */
    static int[] offsets(int[] sizes, int[] strides) {
        int[] table = new int[elementCount(sizes)];
        int[] index = new int[sizes.length];
        int offset = 0;
        for (int t = 0; t < table.length; t++) {
            table[t] = offset;
            for (int d = sizes.length - 1; d >= 0; d--) { // odometer step
                offset += strides[d];
                if (++index[d] < sizes[d]) break;
                offset -= strides[d] * sizes[d];
                index[d] = 0;
            }
        }
        return table;
    }

    /**
     * The values of a constant int32 tensor that an op needs at prepare (a shape, axes, slice
     * bounds). A tensor with no elements needs no data (files store an empty buffer for it).
     */
    static int[] constantInts(OpContext ctx, TensorSpec t, String role) {
        if (t.elementCount() == 0) return new int[0];
        if (!t.isConstant()) throw ctx.fail("the " + role + " " + t + " must be a constant (tfl4j needs static shapes)");
        return t.constInts();
    }

    /** The row-major multi-index of flat position {@code position} in {@code shape}, for messages. */
    static String indexOf(int position, int[] shape) {
        int[] index = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = position % shape[d];
            position /= shape[d];
        }
        return java.util.Arrays.toString(index);
    }
}
