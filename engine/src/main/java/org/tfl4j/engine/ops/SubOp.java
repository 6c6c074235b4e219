package org.tfl4j.engine.ops;

import org.tfl4j.kernels.Sub;

/** SUB of two float32 or int32 tensors with numpy broadcasting and a fused activation (see {@link Sub}). */
final class SubOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        return BroadcastArithmetic.prepare(ctx, Sub::float32, Sub::int32);
    }
}
