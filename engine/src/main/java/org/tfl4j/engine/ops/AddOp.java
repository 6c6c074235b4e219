package org.tfl4j.engine.ops;

import org.tfl4j.kernels.Add;

/** ADD of two float32 or int32 tensors with numpy broadcasting and a fused activation (see {@link Add}). */
final class AddOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        return BroadcastArithmetic.prepare(ctx, Add::float32, Add::int32);
    }
}
