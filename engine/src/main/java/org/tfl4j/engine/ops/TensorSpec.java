package org.tfl4j.engine.ops;

import org.tfl4j.parser.TensorType;

import java.util.Arrays;

/**
 * A tensor as an op sees it at prepare time: identity, type, static shape and, for constants,
 * the decoded values. Immutable.
 */
public final class TensorSpec {
    private final int index;
    private final String name;
    private final TensorType type;
    private final int[] shape;
    private final int elementCount;
    private final Object constant; // float[], int[], long[] or boolean[]; null for activations
    private final boolean variable;

    public TensorSpec(int index, String name, TensorType type, int[] shape, Object constant, boolean variable) {
        this.index = index;
        this.name = name;
        this.type = type;
        this.shape = shape.clone();
        long n = 1;
        for (int d : shape) n *= d;
        this.elementCount = (int) n;
        this.constant = constant;
        this.variable = variable;
    }

    public int index() {
        return index;
    }

    public String name() {
        return name;
    }

    public TensorType type() {
        return type;
    }

    /** The static shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Dimension {@code i}; negative {@code i} counts from the end. */
    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    public int elementCount() {
        return elementCount;
    }

    public boolean isConstant() {
        return constant != null;
    }

    public boolean isVariable() {
        return variable;
    }

    /** Constant values of a FLOAT32 constant (shared; never write). */
    public float[] constFloats() {
        return (float[]) constant;
    }

    /** Constant values of an INT32 constant (shared; never write). */
    public int[] constInts() {
        return (int[]) constant;
    }

    /** Constant values of an INT64 constant (shared; never write). */
    public long[] constLongs() {
        return (long[]) constant;
    }

    /** Constant values of a BOOL constant (shared; never write). */
    public boolean[] constBools() {
        return (boolean[]) constant;
    }

    /** The constant array whatever its type, or null for a non-constant tensor. */
    public Object constant() {
        return constant;
    }

    /** "tensor 12 'name' FLOAT32[1, 10, 16]" — for messages. */
    @Override
    public String toString() {
        return "tensor " + index + " '" + name + "' " + type + Arrays.toString(shape);
    }
}
