package org.tfl4j.conformance.ops;

import org.tfl4j.engine.Interpreter;
import org.tfl4j.engine.ops.OpContext;
import org.tfl4j.engine.ops.OpKernel;
import org.tfl4j.engine.ops.OpRegistry;
import org.tfl4j.engine.ops.TensorSpec;
import org.tfl4j.kernels.Conv2D;
import org.tfl4j.parser.Activation;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.Padding;
import org.tfl4j.parser.TensorType;

import java.util.Arrays;

/**
 * Deliberately wrong engines, each one plausible bug away from tfl4j: the suite must catch every one of them.
 * Each replaces one kernel through {@link OpRegistry#withKernel}, keeps the real kernel's checks (its prepare
 * runs first) and gets exactly one thing wrong.
 */
public final class Mutants {

    private Mutants() {
    }

    /** TOPK_V2 breaking exact ties toward the larger index (TFLite: the smaller index first). */
    public static Interpreter.Options tiesBrokenTheOtherWay() {
        return options(BuiltinOp.TOPK_V2, Mutants::topKLargerIndexFirst);
    }

    /** CONV_2D with SAME padding's odd extra pad before the data (TFLite: after). */
    public static Interpreter.Options paddingOnTheWrongSide() {
        return options(BuiltinOp.CONV_2D, Mutants::convPaddingBefore);
    }

    /** FULLY_CONNECTED summing each dot product left to right (TFLite: four partial sums, then combined). */
    public static Interpreter.Options oneAccumulationReordered() {
        return options(BuiltinOp.FULLY_CONNECTED, Mutants::fullyConnectedSequentialSum);
    }

    private static Interpreter.Options options(int op, OpKernel mutant) {
        OpKernel real = OpRegistry.builtins().kernel(op);
        OpKernel checked = ctx -> {
            real.prepare(ctx); // the real checks: a mutant differs only in its arithmetic
            return mutant.prepare(ctx);
        };
        return new Interpreter.Options().setOpRegistry(OpRegistry.builtins().withKernel(op, checked));
    }

    private static OpKernel.Prepared topKLargerIndexFirst(OpContext ctx) {
        TensorSpec in = ctx.requireInput(0);
        int k = ctx.requireInput(1).constInts()[0];
        int rowSize = in.dim(-1);
        int rows = in.elementCount() / rowSize;
        boolean floats = in.type() == TensorType.FLOAT32;
        TensorSpec values = ctx.output(0);
        TensorSpec indices = ctx.output(1);
        return buffers -> () -> {
            int xo = buffers.offset(in), vo = buffers.offset(values), io = buffers.offset(indices);
            for (int r = 0; r < rows; r++) {
                Integer[] order = new Integer[rowSize];
                double[] key = new double[rowSize];
                for (int i = 0; i < rowSize; i++) {
                    order[i] = i;
                    key[i] = floats ? buffers.floats(in)[xo + r * rowSize + i] : buffers.ints(in)[xo + r * rowSize + i];
                }
                Arrays.sort(order, (a, b) -> key[a] != key[b] ? Double.compare(key[b], key[a]) : Integer.compare(b, a));
                for (int j = 0; j < k; j++) {
                    int i = order[j];
                    buffers.ints(indices)[io + r * k + j] = i;
                    if (floats) buffers.floats(values)[vo + r * k + j] = buffers.floats(in)[xo + r * rowSize + i];
                    else buffers.ints(values)[vo + r * k + j] = buffers.ints(in)[xo + r * rowSize + i];
                }
            }
        };
    }

    private static OpKernel.Prepared convPaddingBefore(OpContext ctx) {
        OpOptions.Conv2D o = ctx.options(OpOptions.Conv2D.class);
        TensorSpec input = ctx.requireInput(0);
        TensorSpec filter = ctx.requireInput(1);
        TensorSpec bias = ctx.requireInput(2);
        TensorSpec output = ctx.output(0);
        Conv2D.Geometry g = Conv2D.Geometry.of(input.dim(0), input.dim(1), input.dim(2), input.dim(3), filter.dim(0),
                filter.dim(1), filter.dim(2), o.strideH(), o.strideW(), o.dilationH(), o.dilationW(), o.padding() == Padding.SAME);
        int padTop = totalPadding(g.inHeight(), g.filterHeight(), g.strideHeight(), g.dilationHeight(), g.outHeight()) - g.padTop();
        int padLeft = totalPadding(g.inWidth(), g.filterWidth(), g.strideWidth(), g.dilationWidth(), g.outWidth()) - g.padLeft();
        Conv2D.Geometry wrong = new Conv2D.Geometry(g.batches(), g.inHeight(), g.inWidth(), g.inChannels(), g.outChannels(),
                g.filterHeight(), g.filterWidth(), g.strideHeight(), g.strideWidth(), g.dilationHeight(), g.dilationWidth(),
                padTop, padLeft, g.outHeight(), g.outWidth());
        float[] range = range(o.activation());
        boolean multithreaded = ctx.tfliteThreads() != 1 && o.dilationH() == 1 && o.dilationW() == 1 && filter.isConstant();
        return buffers -> {
            Conv2D conv = new Conv2D(wrong, range[0], range[1], multithreaded);
            return () -> conv.eval(buffers.floats(input), buffers.offset(input), buffers.floats(filter), buffers.offset(filter),
                    buffers.floats(bias), buffers.offset(bias), buffers.floats(output), buffers.offset(output));
        };
    }

    private static int totalPadding(int in, int filter, int stride, int dilation, int out) {
        return Math.max((out - 1) * stride + (filter - 1) * dilation + 1 - in, 0);
    }

    private static OpKernel.Prepared fullyConnectedSequentialSum(OpContext ctx) {
        OpOptions.FullyConnected o = ctx.options(OpOptions.FullyConnected.class);
        TensorSpec input = ctx.requireInput(0);
        TensorSpec weights = ctx.requireInput(1);
        TensorSpec bias = ctx.input(2);
        TensorSpec output = ctx.output(0);
        int units = weights.dim(0);
        int depth = weights.dim(1);
        int rows = input.elementCount() / depth;
        float[] range = range(o.activation());
        return buffers -> () -> {
            float[] x = buffers.floats(input), w = buffers.floats(weights), y = buffers.floats(output);
            int xo = buffers.offset(input), wo = buffers.offset(weights), yo = buffers.offset(output);
            for (int r = 0; r < rows; r++) {
                for (int u = 0; u < units; u++) {
                    float acc = 0f;
                    for (int i = 0; i < depth; i++) acc += x[xo + r * depth + i] * w[wo + u * depth + i];
                    if (bias != null) acc += buffers.floats(bias)[buffers.offset(bias) + u];
                    y[yo + r * units + u] = Math.min(Math.max(acc, range[0]), range[1]);
                }
            }
        };
    }

    private static float[] range(Activation activation) {
        switch (activation) {
            case RELU: return new float[] {0f, Float.POSITIVE_INFINITY};
            case RELU_N1_TO_1: return new float[] {-1f, 1f};
            case RELU6: return new float[] {0f, 6f};
            default: return new float[] {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        }
    }
}
