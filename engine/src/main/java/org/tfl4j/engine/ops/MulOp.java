package org.tfl4j.engine.ops;

import org.tfl4j.kernels.Mul;

/** MUL of two float32 or int32 tensors with numpy broadcasting and a fused activation (see {@link Mul}). */
final class MulOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        return BroadcastArithmetic.prepare(ctx, Mul::float32, Mul::int32);
    }
}
