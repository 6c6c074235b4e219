package org.tfl4j.engine.ops;

import org.tfl4j.kernels.Gru;
import org.tfl4j.parser.Activation;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.Operator;
import org.tfl4j.parser.Subgraph;
import org.tfl4j.parser.TensorType;

import java.util.Arrays;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One Keras GRU step found in a subgraph, traced back from the tensor {@code h'} it computes: the ops of {@link Gru}'s
 * formula, each in exactly that form (constant FULLY_CONNECTED weights and biases, activation NONE everywhere, the
 * operands in that order, every {@code [1,U]} tensor of {@code h}'s shape so nothing broadcasts but SUB's scalar
 * {@code one}), the gate blocks cut from the two products by SPLIT or STRIDED_SLICE. The recurrent blocks may instead
 * be three constants: the converter folds the first step of an unrolled GRU, whose state is a constant zero.
 *
 * <p>Where the slicing ops put the blocks is probed rather than assumed: each one's prepared node runs once, here, on
 * its product filled with element indices, and must hand out a contiguous block of {@code U}. Used by
 * {@link GruWhileFusion} (the body of a WHILE) and {@link GruCellFusion} (an unrolled sequence of steps).
 */
final class GruCell {

    /** What the matcher reads of a subgraph. */
    interface View {
        Subgraph graph();

        /** The tensor, or null when no op uses it. */
        TensorSpec spec(int tensor);

        boolean runsBuiltin(Operator op);

        /** The op's prepared form (to probe a slicing op). */
        OpKernel.Prepared prepared(int op);
    }

    /** Control flow of the matchers: any mismatch ends the match (load time only). */
    static final class NotGru extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotGru() {
            super(null, null, false, false);
        }
    }

    static NotGru no() {
        return new NotGru();
    }

    static void require(boolean condition) {
        if (!condition) throw no();
    }

    final int hNext;          // h' [1,U]
    final int hIn;            // h
    final int x;              // x [1,C] (any shape of C elements)
    final int units;
    final int channels;
    final BitSet ops = new BitSet(); // the step's ops
    final int first;          // its first and last op in run order
    final int last;
    final float[] kernelT;
    final float[] inputBias;
    final float[] recurrentT;         // null with constant recurrent blocks
    final float[] recurrentBias;
    final float[] constantRecurrent;  // [3U]: the three constant blocks, or null
    final int[] inputOffsets;
    final int[] recurrentOffsets;
    final float one;

    private final View view;
    private final int[] producer;

    /** Traces the step computing {@code hNext}; {@code producer} maps each tensor to the op writing it, or -1. */
    GruCell(View view, int[] producer, int hNext) {
        this.view = view;
        this.producer = producer;
        this.hNext = hNext;
        int[] sum = arithmetic(hNext, BuiltinOp.ADD);
        int[] keep = arithmetic(sum[0], BuiltinOp.MUL);
        int z = keep[0];
        this.hIn = keep[1];
        TensorSpec hSpec = spec(hIn);
        this.units = hSpec.elementCount();
        require(units > 0 && hSpec.type() == TensorType.FLOAT32);
        int[] fresh = arithmetic(sum[1], BuiltinOp.MUL);
        int[] update = arithmetic(fresh[0], BuiltinOp.SUB);
        TensorSpec oneSpec = spec(update[0]);
        require(update[1] == z && oneSpec.isConstant() && oneSpec.type() == TensorType.FLOAT32
                && oneSpec.elementCount() == 1 && oneSpec.rank() <= hSpec.rank());
        this.one = oneSpec.constFloats()[0];
        int hh = fresh[1];
        int pre = activation(hh, BuiltinOp.TANH);
        int[] preSum = arithmetic(pre, BuiltinOp.ADD);
        int xh = preSum[0];
        int[] gated = arithmetic(preSum[1], BuiltinOp.MUL);
        int r = gated[0];
        int rh = gated[1];
        int az = activation(z, BuiltinOp.LOGISTIC);
        int ar = activation(r, BuiltinOp.LOGISTIC);
        int[] zSum = arithmetic(az, BuiltinOp.ADD);
        int[] rSum = arithmetic(ar, BuiltinOp.ADD);
        int xz = zSum[0], rz = zSum[1], xr = rSum[0], rr = rSum[1];
        for (int t : new int[] {hNext, sum[0], sum[1], z, fresh[0], hh, pre, xh, preSum[1], r, rh, xz, rz, xr, rr, az, ar}) {
            require(Arrays.equals(spec(t).shape(), hSpec.shape()) && spec(t).type() == TensorType.FLOAT32);
        }

        int mx = productOf(xz);
        int[] input = fullyConnected(mx, -1, 3 * units);
        this.x = input[0];
        this.channels = spec(x).elementCount();
        this.kernelT = spec(input[1]).constFloats();
        this.inputBias = input[2] < 0 ? null : spec(input[2]).constFloats();
        this.inputOffsets = blockOffsets(mx, new int[] {xz, xr, xh});

        if (spec(rz).isConstant()) { // the folded first step: three constant blocks
            require(spec(rr).isConstant() && spec(rh).isConstant());
            float[] blocks = new float[3 * units];
            System.arraycopy(spec(rz).constFloats(), 0, blocks, 0, units);
            System.arraycopy(spec(rr).constFloats(), 0, blocks, units, units);
            System.arraycopy(spec(rh).constFloats(), 0, blocks, 2 * units, units);
            this.constantRecurrent = blocks;
            this.recurrentT = null;
            this.recurrentBias = null;
            this.recurrentOffsets = new int[] {0, units, 2 * units};
        } else {
            int mh = productOf(rz);
            int[] recurrent = fullyConnected(mh, units, 3 * units);
            require(recurrent[0] == hIn);
            this.constantRecurrent = null;
            this.recurrentT = spec(recurrent[1]).constFloats();
            this.recurrentBias = recurrent[2] < 0 ? null : spec(recurrent[2]).constFloats();
            this.recurrentOffsets = blockOffsets(mh, new int[] {rz, rr, rh});
        }
        this.first = ops.nextSetBit(0);
        this.last = ops.length() - 1;
    }

    /** The step's weights, packed (call once, at load: the result is shared by every interpreter's {@link Gru}). */
    Gru.Weights weights() {
        return new Gru.Weights(channels, units, kernelT, inputBias, recurrentT, recurrentBias, constantRecurrent,
                inputOffsets, recurrentOffsets, one);
    }

    /** The tensors the step's ops write, h' among them. */
    int[] written() {
        return ops.stream().flatMap(i -> Arrays.stream(view.graph().operators().get(i).outputs())).toArray();
    }

    // ---- tracing ----

    TensorSpec spec(int t) {
        TensorSpec s = t < 0 ? null : view.spec(t);
        require(s != null);
        return s;
    }

    private int producerOf(int t) {
        require(t >= 0 && t < producer.length && producer[t] >= 0);
        return producer[t];
    }

    /** The op producing {@code t}, which must have code {@code opcode}, run tfl4j's kernel and write only {@code t}. */
    private Operator producedBy(int t, int opcode) {
        Operator o = view.graph().operators().get(producerOf(t));
        require(o.opcode() == opcode && view.runsBuiltin(o) && o.outputCount() == 1);
        ops.set(o.index());
        return o;
    }

    /** ADD, SUB or MUL of float32 tensors with activation NONE writing {@code t}: {input 0, input 1}. */
    private int[] arithmetic(int t, int opcode) {
        Operator o = producedBy(t, opcode);
        require(o.inputCount() == 2 && o.options() instanceof OpOptions.Arithmetic a && a.activation() == Activation.NONE);
        require(spec(t).type() == TensorType.FLOAT32 && o.input(0) >= 0 && o.input(1) >= 0);
        return new int[] {o.input(0), o.input(1)};
    }

    /** The input of the LOGISTIC or TANH writing {@code t}. */
    private int activation(int t, int opcode) {
        Operator o = producedBy(t, opcode);
        require(o.inputCount() == 1);
        return o.input(0);
    }

    /**
     * FULLY_CONNECTED writing {@code t} (inputSize -1: any): {input, weights, bias or -1}, with constant float32
     * weights {@code [outputs, inputSize]} and bias.
     */
    private int[] fullyConnected(int t, int inputSize, int outputs) {
        Operator o = producedBy(t, BuiltinOp.FULLY_CONNECTED);
        require(o.options() instanceof OpOptions.FullyConnected f && f.activation() == Activation.NONE
                && f.weightsFormat() == 0 && o.inputCount() >= 2);
        TensorSpec in = spec(o.input(0));
        TensorSpec weights = spec(o.input(1));
        int size = inputSize < 0 ? in.elementCount() : inputSize;
        require(weights.isConstant() && weights.type() == TensorType.FLOAT32 && weights.rank() == 2
                && weights.dim(0) == outputs && weights.dim(1) == size && size > 0);
        require(in.type() == TensorType.FLOAT32 && in.elementCount() == size && spec(t).elementCount() == outputs);
        int bias = o.input(2);
        if (bias >= 0) {
            require(spec(bias).isConstant() && spec(bias).type() == TensorType.FLOAT32 && spec(bias).elementCount() == outputs);
        }
        return new int[] {o.input(0), o.input(1), bias};
    }

    /** The product a gate block is cut from: the block producer's one non-constant input. */
    private int productOf(int block) {
        Operator o = view.graph().operators().get(producerOf(block));
        int product = -1;
        for (int in : o.inputs()) {
            if (in >= 0 && !spec(in).isConstant()) {
                require(product < 0);
                product = in;
            }
        }
        require(product >= 0);
        return product;
    }

    /** Where the three blocks sit in {@code product}: each block's producer probed on the product's indices. */
    private int[] blockOffsets(int product, int[] blocks) {
        int[] offsets = new int[3];
        for (int g = 0; g < 3; g++) {
            Operator o = view.graph().operators().get(producerOf(blocks[g]));
            require((o.opcode() == BuiltinOp.SPLIT || o.opcode() == BuiltinOp.STRIDED_SLICE) && view.runsBuiltin(o));
            ops.set(o.index());
            int[] source = probe(o, product, blocks[g]);
            require(source.length == units);
            for (int j = 0; j < units; j++) require(source[j] == source[0] + j);
            offsets[g] = source[0];
        }
        return offsets;
    }

    /** Runs op {@code o} once on {@code input} filled with 0, 1, 2, ... and returns what lands in {@code output}. */
    private int[] probe(Operator o, int input, int output) {
        TensorSpec in = spec(input);
        TensorSpec out = spec(output);
        require(in.type() == TensorType.FLOAT32 && out.type() == TensorType.FLOAT32 && in.elementCount() < (1 << 24));
        for (int t : o.inputs()) require(t == input || (t >= 0 && spec(t).isConstant()));
        ProbeBuffers buffers = new ProbeBuffers();
        float[] values = buffers.floats(in);
        for (int i = 0; i < values.length; i++) values[i] = i;
        view.prepared(o.index()).bind(buffers).run();
        float[] result = buffers.floats(out);
        int[] source = new int[out.elementCount()];
        for (int i = 0; i < source.length; i++) {
            require(result[i] >= 0 && result[i] < in.elementCount() && result[i] == (int) result[i]);
            source[i] = (int) result[i];
        }
        return source;
    }

    /** Storage for probing one op at load: an array per tensor, constants their own. */
    private static final class ProbeBuffers implements TensorBuffers {
        private final Map<TensorSpec, Object> arrays = new IdentityHashMap<>();

        @Override
        public float[] floats(TensorSpec t) {
            return (float[]) array(t);
        }

        @Override
        public int[] ints(TensorSpec t) {
            return (int[]) array(t);
        }

        @Override
        public long[] longs(TensorSpec t) {
            return (long[]) array(t);
        }

        @Override
        public boolean[] bools(TensorSpec t) {
            return (boolean[]) array(t);
        }

        @Override
        public Object array(TensorSpec t) {
            if (t.isConstant()) return t.constant();
            return arrays.computeIfAbsent(t, s -> {
                int count = Math.max(1, s.elementCount());
                switch (s.type()) {
                    case FLOAT32: return new float[count];
                    case INT32: return new int[count];
                    case INT64: return new long[count];
                    case BOOL: return new boolean[count];
                    default: throw no();
                }
            });
        }

        @Override
        public int offset(TensorSpec t) {
            return 0;
        }
    }
}
