package org.tfl4j.engine.ops;

import org.tfl4j.kernels.Conv2D;
import org.tfl4j.kernels.simd.PanelOrigins;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.Padding;
import org.tfl4j.parser.TensorType;

/**
 * CONV_2D, float32 NHWC (see {@link Conv2D}): input {@code [N, H, W, C]}, filter {@code [O, KH, KW, C]},
 * bias {@code [O]}, SAME or VALID padding, strides, dilations, fused NONE / RELU / RELU_N1_TO_1 / RELU6.
 * Not supported: grouped convolution (filter channels a proper divisor of C) and a missing bias, which
 * TFLite 2.21 rejects as well ("Tensor at index 2 was optional but was expected").
 *
 * <p>Which TFLite kernel's arithmetic runs follows conv.cc's Prepare: the multithreaded (Eigen tensor
 * contraction) kernel when the TFLite thread count is not 1, there is no dilation and the filter is a
 * constant; otherwise the single-thread im2col + GEMM kernel.
 */
final class Conv2DOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        ctx.requireArity(2, 3, 1);
        OpOptions.Conv2D options = ctx.options(OpOptions.Conv2D.class);
        TensorSpec input = ctx.requireInput(0);
        TensorSpec filter = ctx.requireInput(1);
        TensorSpec bias = ctx.input(2);
        if (bias == null) throw ctx.fail("has no bias (input 2); TFLite's CONV_2D requires one");
        TensorSpec output = ctx.output(0);
        ctx.requireType(input, TensorType.FLOAT32);
        ctx.requireType(filter, TensorType.FLOAT32); // quantized (hybrid) filters are not supported
        ctx.requireType(output, TensorType.FLOAT32);
        ctx.requireRank(input, 4);
        ctx.requireRank(filter, 4);
        int outChannels = filter.dim(0);
        int channels = input.dim(3);
        if (filter.dim(3) != channels) {
            throw ctx.fail("filter " + filter + " has " + filter.dim(3) + " input channels but input " + input
                    + " has " + channels + (filter.dim(3) > 0 && channels % filter.dim(3) == 0
                    ? " (grouped convolution is not supported)" : ""));
        }
        ctx.requireType(bias, TensorType.FLOAT32);
        if (bias.elementCount() != outChannels) {
            throw ctx.fail("bias " + bias + " has " + bias.elementCount() + " elements, expected " + outChannels);
        }
        if (options.strideH() <= 0 || options.strideW() <= 0) {
            throw ctx.fail("strides " + options.strideH() + "x" + options.strideW() + " must be positive");
        }
        if (options.dilationH() <= 0 || options.dilationW() <= 0) {
            throw ctx.fail("dilations " + options.dilationH() + "x" + options.dilationW() + " must be positive");
        }
        if (options.padding() == null) throw ctx.fail("has an unknown padding code");
        float[] range = ActivationRange.floatRange(ctx, options.activation());
        float lo = range[0], hi = range[1];

        Conv2D.Geometry g = Conv2D.Geometry.of(input.dim(0), input.dim(1), input.dim(2), channels, outChannels,
                filter.dim(1), filter.dim(2), options.strideH(), options.strideW(),
                options.dilationH(), options.dilationW(), options.padding() == Padding.SAME);
        if (g.outHeight() <= 0 || g.outWidth() <= 0) {
            throw ctx.fail("the " + options.padding() + " output of input " + input + " and filter " + filter
                    + " would be " + g.outHeight() + "x" + g.outWidth());
        }
        ctx.requireOutputShape(0, new int[] {g.batches(), g.outHeight(), g.outWidth(), outChannels});
        boolean multithreadedKernel = ctx.tfliteThreads() != 1
                && options.dilationH() == 1 && options.dilationW() == 1 && filter.isConstant();

        // A constant filter is packed for the vector kernels once here; each interpreter binds a copy of its own, whose
        // PanelOrigin moves the data to the origin that times fastest (see PanelOrigins).
        float[] packedFilter = filter.isConstant() ? Conv2D.packFilter(g, filter.constFloats(), 0) : null;

        return buffers -> {
            float[] x = buffers.floats(input);
            float[] f = buffers.floats(filter);
            float[] b = buffers.floats(bias);
            float[] y = buffers.floats(output);
            int xOff = buffers.offset(input), fOff = buffers.offset(filter), yOff = buffers.offset(output);
            int bOff = buffers.offset(bias);
            Conv2D conv = filter.isConstant()
                    ? new Conv2D(g, lo, hi, multithreadedKernel, f, fOff)
                    : new Conv2D(g, lo, hi, multithreadedKernel);
            if (filter.isConstant()) {
                float smallestFilterValue = conv.smallestFilterValue(f, fOff);
                PanelOrigin placement = new PanelOrigin(packedFilter, packedFilter.length - (PanelOrigins.COUNT - 1),
                        (packed, origin) -> conv.eval(x, xOff, f, fOff, smallestFilterValue, packed, origin, b, bOff, y,
                                yOff));
                float[] packed = placement.packed();
                return () -> conv.eval(x, xOff, f, fOff, smallestFilterValue, packed, placement.originForRun(), b, bOff,
                        y, yOff);
            }
            return () -> conv.eval(x, xOff, f, fOff, b, bOff, y, yOff);
        };
    }
}
