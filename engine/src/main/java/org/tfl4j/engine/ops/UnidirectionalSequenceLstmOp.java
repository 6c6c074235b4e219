package org.tfl4j.engine.ops;

import org.tfl4j.kernels.Lstm;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.TensorType;

import java.util.Arrays;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM, float32 (see {@link Lstm}). Inputs by TFLite slot: 0 input
 * {@code [batch, time, in]} ({@code [time, batch, in]} when time_major); 1–4 input
 * weights i, f, c, o {@code [cells, in]}; 5–8 recurrent weights {@code [cells, out]} (diagonals {@code [cells]} with
 * diagonal_recurrent_tensors); 9–11 peepholes
 * {@code [cells]}; 12–15 biases {@code [cells]}; 16–17 projection {@code [out, cells]} and its bias; 18 output
 * state and 19 cell state (variable tensors, read at the start, final state written back); 20–23 layer norm.
 * Supported: CIFG (slots 1, 5, 9 and 12 absent), peepholes, projection, layer norm (slots 20-23, the input
 * gate's absent with CIFG), cell and projection clip, cell activation TANH / RELU / RELU_N1_TO_1 / RELU6. Not
 * supported: quantized weights, diagonal recurrent weights together with a projection.
 */
final class UnidirectionalSequenceLstmOp implements OpKernel {
    private static final int INPUT = 0;
    private static final int INPUT_WEIGHTS = 1;     // i, f, c, o at 1..4
    private static final int RECURRENT_WEIGHTS = 5; // i, f, c, o at 5..8
    private static final int PEEPHOLES = 9;         // i, f, o at 9..11
    private static final int BIASES = 12;           // i, f, c, o at 12..15
    private static final int PROJECTION_WEIGHTS = 16;
    private static final int PROJECTION_BIAS = 17;
    private static final int OUTPUT_STATE = 18;
    private static final int CELL_STATE = 19;
    private static final int LAYER_NORMS = 20;      // i, f, c, o at 20..23

    @Override
    public Prepared prepare(OpContext ctx) {
        ctx.requireArity(20, 24, 1);
        if (ctx.inputCount() != 20 && ctx.inputCount() != 24) {
            throw ctx.fail("has " + ctx.inputCount() + " inputs; TFLite's LSTM takes 20 or 24");
        }
        OpOptions.UnidirectionalSequenceLstm options = ctx.options(OpOptions.UnidirectionalSequenceLstm.class);
        Lstm.Activation activation = activation(ctx, options);
        boolean diagonal = options.diagonalRecurrentTensors();
        if (!(options.cellClip() >= 0) || !(options.projClip() >= 0)) {
            throw ctx.fail("cell_clip " + options.cellClip() + " and proj_clip " + options.projClip() + " must be >= 0");
        }

        TensorSpec input = ctx.requireInput(INPUT);
        TensorSpec output = ctx.output(0);
        ctx.requireType(input, TensorType.FLOAT32);
        ctx.requireType(output, TensorType.FLOAT32);
        ctx.requireRank(input, 3); // TFLite's Prepare reads dims[2]
        boolean timeMajor = options.timeMajor();
        int steps = input.dim(timeMajor ? 0 : 1);
        int batches = input.dim(timeMajor ? 1 : 0);
        int inputSize = input.dim(2);

        TensorSpec outputWeights = ctx.requireInput(INPUT_WEIGHTS + 3);
        TensorSpec outputRecurrent = ctx.requireInput(RECURRENT_WEIGHTS + 3);
        ctx.requireRank(outputWeights, 2);
        ctx.requireRank(outputRecurrent, diagonal ? 1 : 2);
        int cells = outputWeights.dim(0);
        int outputSize = diagonal ? cells : outputRecurrent.dim(1);

        boolean cifg = ctx.input(INPUT_WEIGHTS) == null;
        if (cifg != (ctx.input(RECURRENT_WEIGHTS) == null)) {
            throw ctx.fail("input-gate weights (inputs 1 and 5) must be both present or both absent (CIFG)");
        }
        if (cifg && ctx.input(BIASES) != null) throw ctx.fail("CIFG LSTM must not have an input-gate bias (input 12)");
        if (cifg && ctx.input(PEEPHOLES) != null) throw ctx.fail("CIFG LSTM must not have an input peephole (input 9)");
        boolean peephole = ctx.input(PEEPHOLES + 1) != null;
        if (peephole != (ctx.input(PEEPHOLES + 2) != null) || (!cifg && peephole != (ctx.input(PEEPHOLES) != null))) {
            throw ctx.fail("peephole weights (inputs 9-11) must be all present or all absent");
        }
        TensorSpec projectionWeights = ctx.input(PROJECTION_WEIGHTS);
        TensorSpec projectionBias = ctx.input(PROJECTION_BIAS);
        if (projectionWeights == null && projectionBias != null) {
            throw ctx.fail("projection bias (input 17) without projection weights (input 16)");
        }
        if (diagonal && projectionWeights != null) {
            throw ctx.fail("diagonal recurrent weights with a projection are not supported");
        }
        if (projectionWeights == null && outputSize != cells) {
            throw ctx.fail("without projection the output size " + outputSize + " must equal the cell count " + cells);
        }

        // Gate tensors in gate order i, f, c, o (the input gate's are null with CIFG).
        TensorSpec[] inputWeights = new TensorSpec[4];
        TensorSpec[] recurrentWeights = new TensorSpec[4];
        TensorSpec[] peepholes = new TensorSpec[4];
        TensorSpec[] biases = new TensorSpec[4];
        TensorSpec[] layerNorms = new TensorSpec[4];
        boolean layerNorm = ctx.input(LAYER_NORMS + 1) != null;
        if (cifg && ctx.input(LAYER_NORMS) != null) {
            throw ctx.fail("CIFG LSTM must not have an input-gate layer norm (input 20)");
        }
        for (int gate = cifg ? 1 : 0; gate < 4; gate++) {
            inputWeights[gate] = requireFloats(ctx, INPUT_WEIGHTS + gate, cells, inputSize);
            recurrentWeights[gate] = diagonal ? requireFloats(ctx, RECURRENT_WEIGHTS + gate, cells)
                    : requireFloats(ctx, RECURRENT_WEIGHTS + gate, cells, outputSize);
            biases[gate] = requireFloats(ctx, BIASES + gate, cells);
            if (layerNorm) {
                if (ctx.input(LAYER_NORMS + gate) == null) {
                    throw ctx.fail("layer-norm coefficients (inputs 20-23) must be present for every gate");
                }
                layerNorms[gate] = requireFloats(ctx, LAYER_NORMS + gate, cells);
            } else if (ctx.input(LAYER_NORMS + gate) != null) {
                throw ctx.fail("layer-norm coefficients (inputs 20-23) must be present for every gate");
            }
        }
        if (peephole) {
            if (!cifg) peepholes[0] = requireFloats(ctx, PEEPHOLES, cells);
            peepholes[1] = requireFloats(ctx, PEEPHOLES + 1, cells);
            peepholes[3] = requireFloats(ctx, PEEPHOLES + 2, cells);
        }
        if (projectionWeights != null) {
            requireFloats(ctx, PROJECTION_WEIGHTS, outputSize, cells);
            if (projectionBias != null) requireFloats(ctx, PROJECTION_BIAS, outputSize);
        }
        TensorSpec outputState = requireState(ctx, OUTPUT_STATE, batches * outputSize);
        TensorSpec cellState = requireState(ctx, CELL_STATE, batches * cells);

        int[] outShape = input.shape();
        outShape[outShape.length - 1] = outputSize;
        ctx.requireOutputShape(0, outShape);
        Lstm.Config config = new Lstm.Config(batches, steps, inputSize, cells, outputSize, timeMajor, activation,
                options.cellClip(), options.projClip(), diagonal);

        boolean constantWeights = allConstant(inputWeights) && allConstant(recurrentWeights)
                && (projectionWeights == null || projectionWeights.isConstant());
        // Constant weights are packed for the SIMD products once here, shared by every interpreter's Lstm.
        Lstm.PackedWeights packedWeights = constantWeights ? Lstm.packWeights(config, constFloats(inputWeights),
                constFloats(recurrentWeights), projectionWeights == null ? null : projectionWeights.constFloats()) : null;
        return buffers -> {
            Lstm.Gate[] gates = new Lstm.Gate[4];
            for (int gate = cifg ? 1 : 0; gate < 4; gate++) {
                TensorSpec p = peepholes[gate];
                TensorSpec n = layerNorms[gate];
                gates[gate] = new Lstm.Gate(
                        buffers.floats(inputWeights[gate]), buffers.offset(inputWeights[gate]),
                        buffers.floats(recurrentWeights[gate]), buffers.offset(recurrentWeights[gate]),
                        p == null ? null : buffers.floats(p), p == null ? 0 : buffers.offset(p),
                        buffers.floats(biases[gate]), buffers.offset(biases[gate]),
                        n == null ? null : buffers.floats(n), n == null ? 0 : buffers.offset(n));
            }
            Lstm.Projection projection = projectionWeights == null ? null : new Lstm.Projection(
                    buffers.floats(projectionWeights), buffers.offset(projectionWeights),
                    projectionBias == null ? null : buffers.floats(projectionBias),
                    projectionBias == null ? 0 : buffers.offset(projectionBias));
            Lstm lstm = constantWeights
                    ? new Lstm(config, gates[0], gates[1], gates[2], gates[3], projection, packedWeights)
                    : new Lstm(config, gates[0], gates[1], gates[2], gates[3], projection, false);
            float[] x = buffers.floats(input);
            float[] h = buffers.floats(outputState);
            float[] c = buffers.floats(cellState);
            float[] y = buffers.floats(output);
            int xOff = buffers.offset(input), hOff = buffers.offset(outputState);
            int cOff = buffers.offset(cellState), yOff = buffers.offset(output);
            return () -> lstm.eval(x, xOff, h, hOff, c, cOff, y, yOff);
        };
    }

    /** The constant values of each tensor (from element 0), null where the tensor is absent. */
    private static float[][] constFloats(TensorSpec[] tensors) {
        float[][] values = new float[tensors.length][];
        for (int i = 0; i < tensors.length; i++) values[i] = tensors[i] == null ? null : tensors[i].constFloats();
        return values;
    }

    private static boolean allConstant(TensorSpec[] tensors) {
        for (TensorSpec t : tensors) {
            if (t != null && !t.isConstant()) return false;
        }
        return true;
    }

    /** The cell activation; NONE is refused because TFLite's kernel then leaves some gate buffers stale. */
    private static Lstm.Activation activation(OpContext ctx, OpOptions.UnidirectionalSequenceLstm options) {
        if (options.activation() == null) throw ctx.fail("has an unknown fused activation code");
        switch (options.activation()) {
            case TANH: return Lstm.Activation.TANH;
            case RELU: return Lstm.Activation.RELU;
            case RELU_N1_TO_1: return Lstm.Activation.RELU_N1_TO_1;
            case RELU6: return Lstm.Activation.RELU6;
            default: throw ctx.fail("cell activation " + options.activation()
                    + " is not supported (TANH, RELU, RELU_N1_TO_1, RELU6)");
        }
    }

    /** Input {@code slot}, required, FLOAT32, of exactly this shape. */
    private static TensorSpec requireFloats(OpContext ctx, int slot, int... shape) {
        TensorSpec t = ctx.input(slot);
        if (t == null) throw ctx.fail("input " + slot + " is missing");
        ctx.requireType(t, TensorType.FLOAT32);
        if (!Arrays.equals(t.shape(), shape)) {
            throw ctx.fail("input " + slot + " " + t + " must have shape " + Arrays.toString(shape));
        }
        return t;
    }

    /** The output/cell state: a FLOAT32 variable tensor of {@code elements} elements. */
    private static TensorSpec requireState(OpContext ctx, int slot, int elements) {
        TensorSpec t = ctx.input(slot);
        if (t == null) throw ctx.fail("state input " + slot + " is missing");
        ctx.requireType(t, TensorType.FLOAT32);
        if (!t.isVariable()) throw ctx.fail("state input " + slot + " " + t + " must be a variable tensor");
        if (t.elementCount() != elements) {
            throw ctx.fail("state input " + slot + " " + t + " has " + t.elementCount() + " elements, expected " + elements);
        }
        return t;
    }
}
