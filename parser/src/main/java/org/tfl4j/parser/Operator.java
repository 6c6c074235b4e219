package org.tfl4j.parser;

import java.util.Arrays;

/**
 * One operator of a subgraph, in execution order.
 *
 * @param index         position in the subgraph's operator list
 * @param opcode        builtin operator code = max(deprecated_builtin_code, builtin_code); see {@link BuiltinOp}
 * @param version       operator version from the model's operator code table
 * @param customCode    custom op name for {@link BuiltinOp#CUSTOM}, else null
 * @param inputs        tensor indices; -1 marks an absent optional input
 * @param outputs       tensor indices
 * @param intermediates tensor indices of intermediates (empty when none)
 * @param options       decoded builtin options, with schema defaults for absent fields
 */
public record Operator(int index, int opcode, int version, String customCode, int[] inputs, int[] outputs,
                       int[] intermediates, OpOptions options) {

    public Operator {
        inputs = inputs.clone();
        outputs = outputs.clone();
        intermediates = intermediates.clone();
    }

    @Override
    public int[] inputs() {
        return inputs.clone();
    }

    @Override
    public int[] outputs() {
        return outputs.clone();
    }

    @Override
    public int[] intermediates() {
        return intermediates.clone();
    }

    public int inputCount() {
        return inputs.length;
    }

    public int outputCount() {
        return outputs.length;
    }

    /** Tensor index of input {@code i}, or -1 when that optional input is absent or beyond the list. */
    public int input(int i) {
        return i < inputs.length ? inputs[i] : -1;
    }

    public int output(int i) {
        return outputs[i];
    }

    /** The op's schema name, e.g. "CONV_2D". */
    public String opName() {
        return opcode == BuiltinOp.CUSTOM && customCode != null ? "CUSTOM(" + customCode + ")" : BuiltinOp.name(opcode);
    }

    @Override
    public String toString() {
        return "op " + index + " " + opName() + " in " + Arrays.toString(inputs) + " out " + Arrays.toString(outputs);
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
