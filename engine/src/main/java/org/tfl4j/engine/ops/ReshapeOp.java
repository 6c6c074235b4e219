package org.tfl4j.engine.ops;

import org.tfl4j.kernels.Reshape;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.TensorType;

import java.util.Arrays;

/**
 * RESHAPE: the new shape comes from input 1 when it is an int32 vector (which must be a constant
 * here), else from the options' {@code new_shape} (where the legacy {@code [0]} means a scalar).
 * One dimension may be -1 and is inferred from the element count. The memory plan normally lets the
 * output share the input's buffer, and then the op does nothing; otherwise (a constant or variable input) it
 * copies the data unchanged.
 */
final class ReshapeOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        ctx.requireArity(1, 2, 1);
        TensorSpec input = ctx.requireInput(0);
        TensorSpec output = ctx.output(0);
        ctx.requireType(output, input.type());
        int[] shape = outputShape(ctx, input, requestedShape(ctx));
        ctx.requireOutputShape(0, shape);
        int count = input.elementCount();
        return new Prepared() {
            @Override
            public Node bind(TensorBuffers buffers) {
                Object src = buffers.array(input);
                int srcOffset = buffers.offset(input);
                Object dst = buffers.array(output);
                int dstOffset = buffers.offset(output);
                if (src == dst && srcOffset == dstOffset) return Node.NOTHING;
                return () -> Reshape.copy(src, srcOffset, dst, dstOffset, count);
            }

            @Override
            public boolean outputMayShareInputStorage() {
                return true;
            }
        };
    }

    private static int[] requestedShape(OpContext ctx) {
        TensorSpec shapeInput = ctx.input(1);
        // As TFLite: only an int32 vector counts as a shape input; anything else falls back to the options.
        if (shapeInput != null && shapeInput.rank() == 1 && shapeInput.type() == TensorType.INT32) {
            return IndexTables.constantInts(ctx, shapeInput, "shape input").clone();
        }
        OpOptions options = ctx.op().options();
        int[] fromOptions = options instanceof OpOptions.Reshape r ? r.newShape() : null;
        if (fromOptions == null) {
            throw ctx.fail("has no new shape: no int32 vector shape input and no new_shape option");
        }
        if (fromOptions.length == 1 && fromOptions[0] == 0) return new int[0]; // legacy spelling of a scalar
        return fromOptions;
    }

    /**
     * The requested shape with its -1 dimension inferred as TFLite does (from the products of the
     * non-zero dimensions, so zero-sized tensors reshape too), checked against the element count.
     */
    static int[] outputShape(OpContext ctx, TensorSpec input, int[] requested) {
        int[] shape = requested.clone();
        int stretch = -1;
        long known = 1;
        long knownNonZero = 1;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == -1) {
                if (stretch >= 0) throw ctx.fail("new shape " + Arrays.toString(requested) + " has more than one -1");
                stretch = d;
            } else if (shape[d] < 0) {
                throw ctx.fail("new shape " + Arrays.toString(requested) + " has a negative dimension");
            } else {
                known *= shape[d];
                if (shape[d] != 0) knownNonZero *= shape[d];
            }
        }
        long count = 1;
        long countNonZero = 1;
        for (int d : input.shape()) {
            count *= d;
            if (d != 0) countNonZero *= d;
        }
        if (stretch >= 0) {
            shape[stretch] = (int) (count == 0 && known != 0 ? 0 : countNonZero / knownNonZero);
            known *= shape[stretch];
        }
        if (known != count) {
            throw ctx.fail("new shape " + Arrays.toString(requested) + " gives " + Arrays.toString(shape) + " with "
                    + known + " elements, but " + input + " has " + count);
        }
        return shape;
    }
}
