package org.tfl4j.engine.ops;

import org.tfl4j.parser.TensorType;

/**
 * The prepare stage LOGISTIC and TANH share: one float32 input (quantized ones are not supported), an output of the
 * same shape, and the kernel applied element by element ({@code org.tfl4j.kernels.Logistic}, {@code Tanh}).
 */
final class FloatActivation {
    private FloatActivation() {}

    /** A kernel's {@code y[yOff + i] = f(x[xOff + i])} for {@code i < n}. */
    interface Kernel {
        void eval(float[] x, int xOff, float[] y, int yOff, int n);
    }

    static OpKernel.Prepared prepare(OpContext ctx, Kernel kernel) {
        ctx.requireArity(1, 1, 1);
        TensorSpec input = ctx.requireInput(0);
        TensorSpec output = ctx.output(0);
        ctx.requireType(input, TensorType.FLOAT32);
        ctx.requireType(output, TensorType.FLOAT32);
        ctx.requireOutputShape(0, input.shape());
        int n = input.elementCount();
        return buffers -> {
            float[] x = buffers.floats(input);
            float[] y = buffers.floats(output);
            int xOff = buffers.offset(input), yOff = buffers.offset(output);
            return () -> kernel.eval(x, xOff, y, yOff, n);
        };
    }
}
