package org.tfl4j.engine.ops;

import org.tfl4j.engine.InvalidInputException;
import org.tfl4j.kernels.Div;
import org.tfl4j.parser.TensorType;

/**
 * DIV of two float32 or int32 tensors with numpy broadcasting and a fused activation (see {@link Div}).
 * An int32 divisor holding a 0 fails the run, as TFLite fails the invocation (or the load, when the
 * divisor is a constant).
 */
final class DivOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        ctx.requireArity(2, 2, 1);
        ctx.requireInput(0);
        TensorSpec b = ctx.requireInput(1);
        int divisors = b.elementCount();
        String where = "op " + ctx.opIndex() + " " + ctx.opName() + ": ";
        Prepared prepared = BroadcastArithmetic.prepare(ctx, Div::float32,
                (x, xo, y, yo, z, zo, aOuter, bOuter, inner, aStep, bStep, lo, hi) -> {
                    int zero = Div.firstZero(y, yo, divisors);
                    if (zero >= 0) {
                        throw new InvalidInputException(where + "integer division by zero: divisor " + b + " is 0 at "
                                + IndexTables.indexOf(zero, b.shape()));
                    }
                    Div.int32(x, xo, y, yo, z, zo, aOuter, bOuter, inner, aStep, bStep, lo, hi);
                });
        if (b.type() == TensorType.INT32 && b.isConstant() && Div.firstZero(b.constInts(), 0, divisors) >= 0) {
            throw ctx.fail("the constant divisor " + b + " holds a 0 at "
                    + IndexTables.indexOf(Div.firstZero(b.constInts(), 0, divisors), b.shape()));
        }
        return prepared;
    }
}
