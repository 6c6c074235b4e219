package org.tfl4j.engine.ops;

import org.tfl4j.kernels.Logistic;

/** LOGISTIC, float32: Eigen's logistic element-wise, output shaped like the input (see {@link Logistic}). */
final class LogisticOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        return FloatActivation.prepare(ctx, Logistic::eval);
    }
}
