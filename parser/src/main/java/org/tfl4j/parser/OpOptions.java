package org.tfl4j.parser;

/**
 * Decoded builtin options of an operator. Absent fields take the schema's defaults; an operator
 * whose file carries no options table gets the defaults of its op's options type, or {@link None}
 * when the op has no options. Options of ops that tfl4j does not decode arrive as {@link Undecoded}.
 */
public sealed interface OpOptions {

    /** The op has no options (LOGISTIC, NOT_EQUAL, SELECT, TOPK_V2, ...). */
    record None() implements OpOptions {}

    /** Options of a type the parser does not decode; {@code optionsType} is the schema's BuiltinOptions code. */
    record Undecoded(int optionsType) implements OpOptions {}

    record Conv2D(Padding padding, int strideW, int strideH, Activation activation,
                  int dilationW, int dilationH) implements OpOptions {}

    record FullyConnected(Activation activation, int weightsFormat, boolean keepNumDims,
                          boolean asymmetricQuantizeInputs) implements OpOptions {}

    /** RESHAPE; {@code newShape} is null when the options carry none (the shape comes from input 1). */
    record Reshape(int[] newShape) implements OpOptions {
        public Reshape {
            newShape = newShape == null ? null : newShape.clone();
        }

        @Override
        public int[] newShape() {
            return newShape == null ? null : newShape.clone();
        }
    }

    /** ADD, SUB, MUL, DIV: the fused activation. */
    record Arithmetic(Activation activation) implements OpOptions {}

    /** SUM, MEAN, REDUCE_MAX, REDUCE_MIN, REDUCE_PROD, ... */
    record Reducer(boolean keepDims) implements OpOptions {}

    record Concatenation(int axis, Activation activation) implements OpOptions {}

    record UnidirectionalSequenceLstm(Activation activation, float cellClip, float projClip, boolean timeMajor,
                                      boolean asymmetricQuantizeInputs, boolean diagonalRecurrentTensors)
            implements OpOptions {}

    record StridedSlice(int beginMask, int endMask, int ellipsisMask, int newAxisMask, int shrinkAxisMask,
                        boolean offset) implements OpOptions {}

    record Gather(int axis, int batchDims) implements OpOptions {}

    /** CAST; the types are null when the file does not state them (the tensors' types decide). */
    record Cast(TensorType inType, TensorType outType) implements OpOptions {}

    record Split(int numSplits) implements OpOptions {}

    /** UNPACK: the number of outputs and the axis unpacked (negative counts from the end). */
    record Unpack(int num, int axis) implements OpOptions {}

    record Softmax(float beta) implements OpOptions {}

    record While(int condSubgraphIndex, int bodySubgraphIndex) implements OpOptions {}
}
