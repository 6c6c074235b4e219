package org.tfl4j.parser;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor of a subgraph, as stored in the file.
 *
 * @param index          position in the subgraph's tensor list
 * @param name           tensor name ("" when absent)
 * @param type           element type
 * @param shape          static shape (empty for a scalar); every dimension ≥ 0 once parsed
 * @param shapeSignature shape with -1 for dynamic dimensions, or null when the file has none
 * @param buffer         index into the model's buffer list (0 = no data)
 * @param isVariable     a variable tensor (state such as LSTM h and c), owned by the interpreter
 * @param quantized      the file carries quantization parameters (scale/zero point) for it
 */
public record Tensor(int index, String name, TensorType type, int[] shape, int[] shapeSignature,
                     int buffer, ByteBuffer data, boolean isVariable, boolean quantized) {

    public Tensor {
        shape = shape.clone();
        shapeSignature = shapeSignature == null ? null : shapeSignature.clone();
        data = data == null ? null : data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The static shape (a copy). */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** The shape signature (a copy), or null. */
    @Override
    public int[] shapeSignature() {
        return shapeSignature == null ? null : shapeSignature.clone();
    }

    /**
     * The constant data: a read-only little-endian view of exactly {@code elementCount() * type.byteSize}
     * bytes, positioned at 0, or null when the tensor has no constant data (activations, variables).
     */
    @Override
    public ByteBuffer data() {
        return data == null ? null : data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** True when the tensor has constant data in the file. */
    public boolean isConstant() {
        return data != null;
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return shape[i];
    }

    /** Number of elements (product of the shape; 1 for a scalar). Fits in an int once parsed. */
    public int elementCount() {
        long n = 1;
        for (int d : shape) n *= d;
        return (int) n;
    }

    @Override
    public String toString() {
        return "tensor " + index + " '" + name + "' " + type + Arrays.toString(shape)
                + (isVariable ? " variable" : "") + (data != null ? " const" : "");
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
