package org.tfl4j.engine.ops;

/** Not implemented yet (placeholder so the registry compiles). */
final class LogisticOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        throw ctx.fail("not implemented yet");
    }
}
