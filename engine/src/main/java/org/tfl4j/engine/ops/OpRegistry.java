package org.tfl4j.engine.ops;

import org.tfl4j.parser.BuiltinOp;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Maps builtin operator codes to kernels: tfl4j's op resolver. {@link #builtins()} holds tfl4j's own
 * kernels; {@link #withKernel} gives a copy with one code mapped to another kernel (a custom op, or a
 * replacement), the way TFLite's {@code MutableOpResolver::AddBuiltin} does. Immutable.
 */
public final class OpRegistry {
    private static final OpRegistry BUILTINS = new OpRegistry(new TreeMap<>(Map.ofEntries(
            Map.entry(BuiltinOp.ADD, new AddOp()),
            Map.entry(BuiltinOp.CAST, new CastOp()),
            Map.entry(BuiltinOp.CONCATENATION, new ConcatenationOp()),
            Map.entry(BuiltinOp.CONV_2D, new Conv2DOp()),
            Map.entry(BuiltinOp.DIV, new DivOp()),
            Map.entry(BuiltinOp.FULLY_CONNECTED, new FullyConnectedOp()),
            Map.entry(BuiltinOp.GATHER, new GatherOp()),
            Map.entry(BuiltinOp.LESS, new LessOp()),
            Map.entry(BuiltinOp.LOGICAL_AND, new LogicalAndOp()),
            Map.entry(BuiltinOp.LOGISTIC, new LogisticOp()),
            Map.entry(BuiltinOp.MUL, new MulOp()),
            Map.entry(BuiltinOp.NOT_EQUAL, new NotEqualOp()),
            Map.entry(BuiltinOp.REDUCE_MAX, new ReduceMaxOp()),
            Map.entry(BuiltinOp.RESHAPE, new ReshapeOp()),
            Map.entry(BuiltinOp.SELECT, new SelectOp()),
            Map.entry(BuiltinOp.SPLIT, new SplitOp()),
            Map.entry(BuiltinOp.STRIDED_SLICE, new StridedSliceOp()),
            Map.entry(BuiltinOp.SUB, new SubOp()),
            Map.entry(BuiltinOp.SUM, new SumOp()),
            Map.entry(BuiltinOp.TANH, new TanhOp()),
            Map.entry(BuiltinOp.TOPK_V2, new TopKV2Op()),
            Map.entry(BuiltinOp.UNIDIRECTIONAL_SEQUENCE_LSTM, new UnidirectionalSequenceLstmOp()),
            Map.entry(BuiltinOp.UNPACK, new UnpackOp()),
            Map.entry(BuiltinOp.WHILE, new WhileOp()))));

    private final TreeMap<Integer, OpKernel> kernels;

    private OpRegistry(TreeMap<Integer, OpKernel> kernels) {
        this.kernels = kernels;
    }

    /** tfl4j's own kernels, one per supported builtin op. */
    public static OpRegistry builtins() {
        return BUILTINS;
    }

    /** A copy of this registry in which {@code builtinCode} runs {@code kernel}. */
    public OpRegistry withKernel(int builtinCode, OpKernel kernel) {
        Objects.requireNonNull(kernel, "kernel");
        if (builtinCode < 0) throw new IllegalArgumentException("builtin code must be >= 0: " + builtinCode);
        TreeMap<Integer, OpKernel> copy = new TreeMap<>(kernels);
        copy.put(builtinCode, kernel);
        return new OpRegistry(copy);
    }

    /** The kernel for a builtin code, or null when this registry has none. */
    public OpKernel kernel(int builtinCode) {
        return kernels.get(builtinCode);
    }

    /** Names of the ops this registry runs, sorted by code. */
    public String supportedOps() {
        StringBuilder sb = new StringBuilder();
        for (int code : kernels.keySet()) sb.append(sb.length() == 0 ? "" : ", ").append(BuiltinOp.name(code));
        return sb.toString();
    }
}
