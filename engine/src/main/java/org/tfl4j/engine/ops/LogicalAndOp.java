package org.tfl4j.engine.ops;

import org.tfl4j.kernels.LogicalAnd;

/**
 * LOGICAL_AND of two bool tensors with numpy broadcasting (see {@link LogicalAnd}). A WHILE cond's way of joining its
 * tests: {@code counter < max_iterations && time < steps}.
 */
final class LogicalAndOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        return BroadcastComparison.prepare(ctx, null, null, null, LogicalAnd::bool);
    }
}
