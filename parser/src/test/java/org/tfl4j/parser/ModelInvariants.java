package org.tfl4j.parser;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * What every successfully parsed model promises its users (the engine relies on these without
 * re-checking). Used on models parsed from mutated bytes: a corrupt file may parse, but then it
 * must be a consistent model.
 */
final class ModelInvariants {

    private ModelInvariants() {}

    static void check(TfliteModel m) {
        require(m.version() == 3, "version " + m.version());
        require(!m.subgraphs().isEmpty(), "no subgraphs");
        require(m.description() != null, "null description");
        int subgraphCount = m.subgraphs().size();
        for (int s = 0; s < subgraphCount; s++) {
            Subgraph g = m.subgraphs().get(s);
            require(g.index() == s && g.name() != null, "subgraph " + s + " index/name");
            int n = g.tensors().size();
            for (int i = 0; i < n; i++) checkTensor(g.tensor(i), i);
            for (int k : g.inputs()) require(k >= 0 && k < n, "subgraph " + s + " input " + k);
            for (int k : g.outputs()) require(k >= 0 && k < n, "subgraph " + s + " output " + k);
            for (int j = 0; j < g.operators().size(); j++) {
                Operator op = g.operators().get(j);
                String where = "subgraph " + s + " " + op;
                require(op.index() == j, where + " index");
                for (int k : op.inputs()) require(k == -1 || (k >= 0 && k < n), where + " input " + k);
                for (int k : op.outputs()) require(k >= 0 && k < n, where + " output " + k);
                for (int k : op.intermediates()) require(k >= 0 && k < n, where + " intermediate " + k);
                checkOptions(op, subgraphCount, where);
            }
        }
        for (SignatureDef d : m.signatureDefs()) {
            require(d.subgraphIndex() >= 0 && d.subgraphIndex() < subgraphCount, "signature " + d.key());
            int n = m.subgraphs().get(d.subgraphIndex()).tensors().size();
            d.inputs().values().forEach(k -> require(k >= 0 && k < n, "signature input " + k));
            d.outputs().values().forEach(k -> require(k >= 0 && k < n, "signature output " + k));
        }
        m.metadata().forEach((k, v) -> require(k != null && v != null, "metadata entry"));
    }

    private static void checkTensor(Tensor t, int i) {
        require(t.index() == i && t.name() != null && t.type() != null, t + " index/name/type");
        long count = 1;
        for (int d : t.shape()) {
            require(d >= 0, t + " dimension " + d);
            count *= d;
            require(count <= Integer.MAX_VALUE, t + " element count");
        }
        require(count == t.elementCount(), t + " elementCount()");
        require(count * t.type().byteSize <= Integer.MAX_VALUE, t + " byte size");
        if (t.shapeSignature() != null) {
            for (int d : t.shapeSignature()) require(d >= -1, t + " signature " + Arrays.toString(t.shapeSignature()));
        }
        if (t.data() != null) {
            require(t.data().isReadOnly() && t.data().order() == ByteOrder.LITTLE_ENDIAN && t.data().position() == 0,
                    t + " data view");
            if (t.type().byteSize > 0) {
                require(t.data().remaining() == count * t.type().byteSize, t + " data length " + t.data().remaining());
            }
        }
    }

    private static void checkOptions(Operator op, int subgraphCount, String where) {
        OpOptions o = op.options();
        require(o != null, where + " null options");
        switch (op.opcode()) {
            case BuiltinOp.CONV_2D -> {
                OpOptions.Conv2D c = (OpOptions.Conv2D) o;
                require(c.padding() != null && c.activation() != null, where + " conv enums");
            }
            case BuiltinOp.FULLY_CONNECTED -> require(((OpOptions.FullyConnected) o).activation() != null, where);
            case BuiltinOp.ADD, BuiltinOp.SUB, BuiltinOp.MUL, BuiltinOp.DIV ->
                    require(((OpOptions.Arithmetic) o).activation() != null, where);
            case BuiltinOp.RESHAPE -> require(o instanceof OpOptions.Reshape, where);
            case BuiltinOp.SUM, BuiltinOp.REDUCE_MAX -> require(o instanceof OpOptions.Reducer, where);
            case BuiltinOp.CONCATENATION -> require(((OpOptions.Concatenation) o).activation() != null, where);
            case BuiltinOp.UNIDIRECTIONAL_SEQUENCE_LSTM ->
                    require(((OpOptions.UnidirectionalSequenceLstm) o).activation() != null, where);
            case BuiltinOp.STRIDED_SLICE -> require(o instanceof OpOptions.StridedSlice, where);
            case BuiltinOp.GATHER -> require(o instanceof OpOptions.Gather, where);
            case BuiltinOp.CAST -> require(o instanceof OpOptions.Cast, where);
            case BuiltinOp.SPLIT -> require(o instanceof OpOptions.Split, where);
            case BuiltinOp.UNPACK -> require(o instanceof OpOptions.Unpack, where);
            case BuiltinOp.WHILE -> {
                OpOptions.While w = (OpOptions.While) o;
                require(w.condSubgraphIndex() >= 0 && w.condSubgraphIndex() < subgraphCount
                        && w.bodySubgraphIndex() >= 0 && w.bodySubgraphIndex() < subgraphCount, where);
            }
            case BuiltinOp.LOGISTIC, BuiltinOp.TANH, BuiltinOp.NOT_EQUAL, BuiltinOp.SELECT, BuiltinOp.TOPK_V2 ->
                    require(o instanceof OpOptions.None, where);
            default -> { }
        }
    }

    private static void require(boolean ok, String what) {
        if (!ok) throw new AssertionError("parsed model breaks an invariant: " + what);
    }
}
