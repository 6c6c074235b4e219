package org.tfl4j.conformance.cli;

import org.tensorflow.lite.schema.BuiltinOperator;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.Operator;
import org.tfl4j.parser.Subgraph;
import org.tfl4j.parser.Tensor;
import org.tfl4j.parser.TfliteModel;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Which model inputs hold indices into a table (an embedding lookup), and how many rows that table has, read
 * from the parsed model. TFLite fails {@code Invoke()} on an out-of-range GATHER index, so generated ids must stay
 * below the row count. An input's values are followed through ops that only move values around (RESHAPE,
 * STRIDED_SLICE, CAST, ...) until they reach the indices slot of a GATHER, GATHER_ND or EMBEDDING_LOOKUP.
 */
final class IndexBounds {

    /** An input whose values index tables: valid values are {@code [0, limit)}; {@code via} says which table. */
    record Bound(int limit, String via) {}

    private IndexBounds() {}

    /** One entry per main-subgraph input: its bound, or null when its values index no table. */
    static List<Bound> of(TfliteModel model) {
        Subgraph graph = model.mainSubgraph();
        int[] graphInputs = graph.inputs();
        int tensorCount = graph.tensors().size();
        // reaches[t]: the graph inputs whose values flow unchanged into tensor t.
        BitSet[] reaches = new BitSet[tensorCount];
        for (int k = 0; k < graphInputs.length; k++) set(reaches, graphInputs[k]).set(k);

        Bound[] bounds = new Bound[graphInputs.length];
        // TFLite stores operators in execution order, so one pass sees every producer before its consumers.
        for (Operator op : graph.operators()) {
            int[] in = op.inputs();
            for (int source : valueSources(op)) {
                if (source >= in.length || in[source] < 0 || reaches[in[source]] == null) continue;
                for (int out : op.outputs()) set(reaches, out).or(reaches[in[source]]);
            }
            IndexUse use = indexUse(op, graph);
            if (use == null || use.indices >= in.length || in[use.indices] < 0 || reaches[in[use.indices]] == null) continue;
            BitSet inputs = reaches[in[use.indices]];
            for (int k = inputs.nextSetBit(0); k >= 0; k = inputs.nextSetBit(k + 1)) {
                if (bounds[k] == null || use.limit < bounds[k].limit()) bounds[k] = new Bound(use.limit, use.via);
            }
        }
        List<Bound> result = new ArrayList<>(bounds.length);
        for (Bound b : bounds) result.add(b);
        return result;
    }

    private static BitSet set(BitSet[] reaches, int tensor) {
        if (reaches[tensor] == null) reaches[tensor] = new BitSet();
        return reaches[tensor];
    }

    /** The input slots whose values reappear, rearranged but unchanged, in the op's outputs. */
    private static int[] valueSources(Operator op) {
        int code = op.opcode();
        if (code == BuiltinOperator.RESHAPE || code == BuiltinOperator.SQUEEZE || code == BuiltinOperator.EXPAND_DIMS
                || code == BuiltinOperator.STRIDED_SLICE || code == BuiltinOperator.SLICE || code == BuiltinOperator.TRANSPOSE
                || code == BuiltinOperator.CAST || code == BuiltinOperator.TILE || code == BuiltinOperator.UNPACK
                || code == BuiltinOperator.SPLIT_V || code == BuiltinOperator.GATHER) {
            return new int[] {0};
        }
        if (code == BuiltinOperator.SPLIT) return new int[] {1}; // input 0 is the axis
        if (code == BuiltinOperator.CONCATENATION || code == BuiltinOperator.PACK) {
            int[] all = new int[op.inputCount()];
            for (int i = 0; i < all.length; i++) all[i] = i;
            return all;
        }
        return new int[0];
    }

    private record IndexUse(int indices, int limit, String via) {}

    /** The op's indices slot and the number of valid index values, or null when the op indexes nothing. */
    private static IndexUse indexUse(Operator op, Subgraph graph) {
        int code = op.opcode();
        int[] in = op.inputs();
        if (code == BuiltinOperator.GATHER && in.length >= 2 && in[0] >= 0) {
            Tensor params = graph.tensor(in[0]);
            int axis = op.options() instanceof OpOptions.Gather g ? g.axis() : 0;
            if (axis < 0) axis += params.rank();
            if (axis < 0 || axis >= params.rank()) return null;
            return new IndexUse(1, params.dim(axis), "GATHER op " + op.index() + " table " + shape(params) + ", axis " + axis);
        }
        if (code == BuiltinOperator.EMBEDDING_LOOKUP && in.length >= 2 && in[1] >= 0) {
            Tensor table = graph.tensor(in[1]);
            if (table.rank() == 0) return null;
            return new IndexUse(0, table.dim(0), "EMBEDDING_LOOKUP op " + op.index() + " table " + shape(table));
        }
        if (code == BuiltinOperator.GATHER_ND && in.length >= 2 && in[0] >= 0 && in[1] >= 0) {
            // Each index tuple addresses the leading dimensions of params; the smallest of them bounds every value.
            Tensor params = graph.tensor(in[0]);
            Tensor indices = graph.tensor(in[1]);
            if (indices.rank() == 0) return null;
            int depth = Math.min(indices.dim(indices.rank() - 1), params.rank());
            if (depth <= 0) return null;
            int limit = Integer.MAX_VALUE;
            for (int d = 0; d < depth; d++) limit = Math.min(limit, params.dim(d));
            return new IndexUse(1, limit, "GATHER_ND op " + op.index() + " params " + shape(params));
        }
        return null;
    }

    private static String shape(Tensor t) {
        return java.util.Arrays.toString(t.shape());
    }
}
