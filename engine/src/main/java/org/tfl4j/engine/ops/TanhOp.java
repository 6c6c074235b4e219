package org.tfl4j.engine.ops;

import org.tfl4j.kernels.Tanh;
import org.tfl4j.parser.TensorType;

/** TANH, float32: Eigen's tanh element-wise, output shaped like the input (see {@link Tanh}). */
final class TanhOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        ctx.requireArity(1, 1, 1);
        TensorSpec input = ctx.requireInput(0);
        TensorSpec output = ctx.output(0);
        ctx.requireType(input, TensorType.FLOAT32); // quantized tanh is not supported
        ctx.requireType(output, TensorType.FLOAT32);
        ctx.requireOutputShape(0, input.shape());
        int n = input.elementCount();
        return buffers -> {
            float[] x = buffers.floats(input);
            float[] y = buffers.floats(output);
            int xOff = buffers.offset(input), yOff = buffers.offset(output);
            return () -> Tanh.eval(x, xOff, y, yOff, n);
        };
    }
}
