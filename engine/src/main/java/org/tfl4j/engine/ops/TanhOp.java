package org.tfl4j.engine.ops;

import org.tfl4j.kernels.Tanh;

/** TANH, float32: Eigen's tanh element-wise, output shaped like the input (see {@link Tanh}). */
final class TanhOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        return FloatActivation.prepare(ctx, Tanh::eval);
    }
}
