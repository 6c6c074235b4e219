package org.tfl4j.engine.ops;

import org.tfl4j.kernels.Logistic;
import org.tfl4j.parser.TensorType;

/** LOGISTIC, float32: Eigen's logistic element-wise, output shaped like the input (see {@link Logistic}). */
final class LogisticOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        ctx.requireArity(1, 1, 1);
        TensorSpec input = ctx.requireInput(0);
        TensorSpec output = ctx.output(0);
        ctx.requireType(input, TensorType.FLOAT32); // quantized logistic is not supported
        ctx.requireType(output, TensorType.FLOAT32);
        ctx.requireOutputShape(0, input.shape());
        int n = input.elementCount();
        return buffers -> {
            float[] x = buffers.floats(input);
            float[] y = buffers.floats(output);
            int xOff = buffers.offset(input), yOff = buffers.offset(output);
            return () -> Logistic.eval(x, xOff, y, yOff, n);
        };
    }
}
