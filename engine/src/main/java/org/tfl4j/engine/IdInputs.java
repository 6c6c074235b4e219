package org.tfl4j.engine;

import org.tfl4j.engine.ops.OpRegistry;
import org.tfl4j.engine.ops.TensorSpec;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.Operator;
import org.tfl4j.parser.Subgraph;
import org.tfl4j.parser.TensorType;

/**
 * Finds, when a model is loaded, the graph inputs whose values are ids: int32 or int64 inputs that reach the
 * indices of a GATHER directly or through RESHAPEs (a RESHAPE keeps the elements and their order, so the id at
 * position {@code p} of the input is index {@code p} of the GATHER). An input's vocabulary is the smallest axis
 * size of the GATHERs it reaches: an id outside it fails one of them. Only tfl4j's own GATHER and RESHAPE
 * kernels are followed; a registry that swaps one in (a custom op) may mean something else by its inputs.
 */
final class IdInputs {
    private IdInputs() {}

    /** One id input: its vocabulary size and, for messages, the GATHER that fixes it. */
    record IdInput(int input, TensorSpec tensor, int vocabularySize, String lookup) {}

    /** The id inputs among {@code inputs} (subgraph input order), in that order. */
    static IdInput[] find(Subgraph graph, TensorSpec[] specs, OpRegistry registry, int[] inputs) {
        java.util.List<IdInput> found = new java.util.ArrayList<>();
        boolean builtinGather = runsBuiltin(registry, BuiltinOp.GATHER);
        boolean builtinReshape = runsBuiltin(registry, BuiltinOp.RESHAPE);
        if (!builtinGather) return new IdInput[0];
        for (int k = 0; k < inputs.length; k++) {
            TensorSpec in = specs[inputs[k]];
            if (in.type() != TensorType.INT32 && in.type() != TensorType.INT64) continue;
            boolean[] sameIds = new boolean[specs.length]; // tensors holding this input's elements in its order
            sameIds[in.index()] = true;
            int vocabulary = Integer.MAX_VALUE;
            String lookup = null;
            for (Operator op : graph.operators()) { // ops are in run order: one pass follows chains of RESHAPEs
                if (op.opcode() == BuiltinOp.RESHAPE && builtinReshape && op.inputCount() >= 1
                        && reads(sameIds, op.input(0)) && op.outputCount() == 1) {
                    sameIds[op.output(0)] = true;
                } else if (op.opcode() == BuiltinOp.GATHER && op.inputCount() == 2 && reads(sameIds, op.input(1))) {
                    TensorSpec params = specs[op.input(0)];
                    int axis = ((OpOptions.Gather) op.options()).axis();
                    if (axis < 0) axis += params.rank();
                    int size = params.dim(axis);
                    if (size < vocabulary) {
                        vocabulary = size;
                        lookup = "op " + op.index() + " GATHER along axis " + axis + " of " + params;
                    }
                }
            }
            if (lookup != null) found.add(new IdInput(k, in, vocabulary, lookup));
        }
        return found.toArray(new IdInput[0]);
    }

    private static boolean reads(boolean[] tensors, int t) {
        return t >= 0 && t < tensors.length && tensors[t];
    }

    private static boolean runsBuiltin(OpRegistry registry, int code) {
        return registry.kernel(code) != null && registry.kernel(code) == OpRegistry.builtins().kernel(code);
    }
}
