package org.tfl4j.engine;

import org.tfl4j.parser.TensorType;

import java.util.Arrays;

/**
 * Metadata of a model input or output, as TFLite's Java {@code Tensor} reports it.
 *
 * @param index tensor index in the subgraph
 * @param name  tensor name
 * @param dataType element type
 * @param shape static shape
 */
public record TensorInfo(int index, String name, TensorType dataType, int[] shape) {
    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int numDimensions() {
        return shape.length;
    }

    public int numElements() {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    public int numBytes() {
        return numElements() * dataType.byteSize;
    }

    @Override
    public String toString() {
        return "'" + name + "' " + dataType + Arrays.toString(shape);
    }
}
