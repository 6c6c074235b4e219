package org.tfl4j.engine.ops;

import org.tfl4j.parser.BuiltinOp;

import java.util.Map;
import java.util.TreeMap;

/** Maps each builtin operator code tfl4j supports to its kernel. */
public final class OpRegistry {
    private static final Map<Integer, OpKernel> KERNELS = new TreeMap<>(Map.ofEntries(
            Map.entry(BuiltinOp.CAST, new CastOp()),
            Map.entry(BuiltinOp.CONCATENATION, new ConcatenationOp()),
            Map.entry(BuiltinOp.CONV_2D, new Conv2DOp()),
            Map.entry(BuiltinOp.DIV, new DivOp()),
            Map.entry(BuiltinOp.FULLY_CONNECTED, new FullyConnectedOp()),
            Map.entry(BuiltinOp.GATHER, new GatherOp()),
            Map.entry(BuiltinOp.LOGISTIC, new LogisticOp()),
            Map.entry(BuiltinOp.MUL, new MulOp()),
            Map.entry(BuiltinOp.NOT_EQUAL, new NotEqualOp()),
            Map.entry(BuiltinOp.REDUCE_MAX, new ReduceMaxOp()),
            Map.entry(BuiltinOp.RESHAPE, new ReshapeOp()),
            Map.entry(BuiltinOp.SELECT, new SelectOp()),
            Map.entry(BuiltinOp.STRIDED_SLICE, new StridedSliceOp()),
            Map.entry(BuiltinOp.SUM, new SumOp()),
            Map.entry(BuiltinOp.TOPK_V2, new TopKV2Op()),
            Map.entry(BuiltinOp.UNIDIRECTIONAL_SEQUENCE_LSTM, new UnidirectionalSequenceLstmOp())));

    private OpRegistry() {}

    /** The kernel for a builtin code, or null when tfl4j does not support the op. */
    public static OpKernel kernel(int builtinCode) {
        return KERNELS.get(builtinCode);
    }

    /** Names of the supported ops, sorted by code. */
    public static String supportedOps() {
        StringBuilder sb = new StringBuilder();
        for (int code : KERNELS.keySet()) sb.append(sb.length() == 0 ? "" : ", ").append(BuiltinOp.name(code));
        return sb.toString();
    }
}
