package org.tfl4j.engine.ops;

import org.tfl4j.kernels.FullyConnected;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.TensorType;


/**
 * FULLY_CONNECTED, float32 (see {@link FullyConnected}): input {@code [..., in]} read as
 * {@code elementCount / in} rows, weights {@code [units, in]}, optional bias {@code [units]} (input 2
 * absent or -1), fused NONE / RELU / RELU_N1_TO_1 / RELU6, DEFAULT weights format. Output
 * {@code [rows, units]}, or the input shape with the last dimension replaced when keep_num_dims is set.
 */
final class FullyConnectedOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        ctx.requireArity(2, 3, 1);
        OpOptions.FullyConnected options = ctx.options(OpOptions.FullyConnected.class);
        TensorSpec input = ctx.requireInput(0);
        TensorSpec weights = ctx.requireInput(1);
        TensorSpec bias = ctx.input(2);
        TensorSpec output = ctx.output(0);
        ctx.requireType(input, TensorType.FLOAT32);
        ctx.requireType(weights, TensorType.FLOAT32); // quantized (hybrid) weights are not supported
        ctx.requireType(output, TensorType.FLOAT32);
        if (options.weightsFormat() != 0) {
            throw ctx.fail("weights format " + options.weightsFormat() + " is not supported (only DEFAULT = 0)");
        }
        ctx.requireRank(weights, 2);
        int units = weights.dim(0);
        int inputSize = weights.dim(1);
        if (units == 0 || inputSize == 0) throw ctx.fail("weights " + weights + " have an empty dimension");
        if (input.rank() == 0 || input.elementCount() % inputSize != 0) {
            throw ctx.fail("input " + input + " does not split into rows of " + inputSize
                    + " (the inner dimension of weights " + weights + ")");
        }
        int rows = input.elementCount() / inputSize;
        if (bias != null) {
            ctx.requireType(bias, TensorType.FLOAT32);
            if (bias.elementCount() != units) {
                throw ctx.fail("bias " + bias + " has " + bias.elementCount() + " elements, expected " + units);
            }
        }
        float[] range = ActivationRange.floatRange(ctx, options.activation());
        float lo = range[0], hi = range[1];

        int[] outShape;
        if (options.keepNumDims()) {
            if (input.dim(-1) != inputSize) {
                throw ctx.fail("keep_num_dims needs the input's last dimension " + input + " to equal " + inputSize);
            }
            outShape = input.shape();
            outShape[outShape.length - 1] = units;
        } else {
            outShape = new int[] {rows, units};
        }
        ctx.requireOutputShape(0, outShape);

        // Constant weights: measured and packed once here, shared by every interpreter (constants sit at offset 0).
        float[] constantWeights = weights.isConstant() ? weights.constFloats() : null;
        float smallestWeight = constantWeights == null ? 0f : FullyConnected.smallestWeight(constantWeights, 0, units, inputSize);
        float[] packedWeights = constantWeights == null ? null
                : FullyConnected.packForOneRow(constantWeights, 0, units, inputSize, rows);

        return buffers -> {
            float[] x = buffers.floats(input);
            float[] w = buffers.floats(weights);
            float[] b = bias == null ? null : buffers.floats(bias);
            float[] y = buffers.floats(output);
            int xOff = buffers.offset(input), wOff = buffers.offset(weights), yOff = buffers.offset(output);
            int bOff = bias == null ? 0 : buffers.offset(bias);
            if (constantWeights != null && packedWeights != null) {
                // This interpreter's copy of the packed weights, moved to the origin that times fastest (PanelOrigin):
                // the feature model's 256 x 32 layer took 0.20 µs with its data 64-byte aligned against 0.26-0.29 at
                // the other origins, weights in L1 (JDK 17, AVX-512).
                float[] gemvScratch = new float[FullyConnected.gemvScratchNeeded(inputSize)];
                PanelOrigin placement = new PanelOrigin(packedWeights, FullyConnected.packedDataSize(units, inputSize),
                        (packed, origin) -> FullyConnected.eval(x, xOff, rows, inputSize, w, wOff, units, smallestWeight,
                                packed, origin, gemvScratch, b, bOff, lo, hi, y, yOff));
                float[] packed = placement.packed();
                return () -> FullyConnected.eval(x, xOff, rows, inputSize, w, wOff, units, smallestWeight, packed,
                        placement.originForRun(), gemvScratch, b, bOff, lo, hi, y, yOff);
            }
            if (constantWeights != null) {
                return () -> FullyConnected.eval(x, xOff, rows, inputSize, w, wOff, units, smallestWeight, null, null,
                        b, bOff, lo, hi, y, yOff);
            }
            return () -> FullyConnected.eval(x, xOff, rows, inputSize, w, wOff, units, b, bOff, lo, hi, y, yOff);
        };
    }
}
