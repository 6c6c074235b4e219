package org.tfl4j.engine.ops;

import org.tfl4j.kernels.Less;

/**
 * LESS of two tensors of one type (float32, int32, int64) with numpy broadcasting; bool output (see {@link Less}).
 * A WHILE cond's usual test: {@code time < steps}.
 */
final class LessOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        return BroadcastComparison.prepare(ctx, Less::float32, Less::int32, Less::int64, null);
    }
}
