package org.tfl4j.parser;

import java.util.List;

/**
 * One subgraph: tensors, operators in execution order, and its input and output tensor indices.
 * Every tensor index in it has been checked to be in range (or -1 for an optional operator input).
 */
public record Subgraph(int index, String name, List<Tensor> tensors, List<Operator> operators,
                       int[] inputs, int[] outputs) {

    public Subgraph {
        tensors = List.copyOf(tensors);
        operators = List.copyOf(operators);
        inputs = inputs.clone();
        outputs = outputs.clone();
    }

    @Override
    public int[] inputs() {
        return inputs.clone();
    }

    @Override
    public int[] outputs() {
        return outputs.clone();
    }

    public Tensor tensor(int i) {
        return tensors.get(i);
    }

    public Tensor input(int k) {
        return tensors.get(inputs[k]);
    }

    public Tensor output(int k) {
        return tensors.get(outputs[k]);
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
