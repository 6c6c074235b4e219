package org.tfl4j.engine.ops;

import org.tfl4j.kernels.NotEqual;

/** NOT_EQUAL of two tensors of one type (float32, int32, int64, bool) with numpy broadcasting; bool output. */
final class NotEqualOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        return BroadcastComparison.prepare(ctx, NotEqual::float32, NotEqual::int32, NotEqual::int64, NotEqual::bool);
    }
}
