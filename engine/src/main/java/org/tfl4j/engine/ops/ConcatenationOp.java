package org.tfl4j.engine.ops;

import org.tfl4j.kernels.Concatenation;
import org.tfl4j.parser.Activation;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.TensorType;

import java.util.Arrays;

/**
 * CONCATENATION of one or more tensors of one type and rank along an axis (negative counts from
 * the end); all other dimensions must agree. Fused activation NONE only, as TFLite 2.21, which
 * rejects any other. Bit copies.
 */
final class ConcatenationOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        int n = ctx.inputCount();
        ctx.requireArity(1, Integer.MAX_VALUE, 1);
        OpOptions.Concatenation options = ctx.options(OpOptions.Concatenation.class);
        if (options.activation() != Activation.NONE) {
            throw ctx.fail("fused activation " + options.activation() + " is not supported (TFLite accepts only NONE)");
        }
        TensorSpec first = ctx.requireInput(0);
        TensorSpec out = ctx.output(0);
        ctx.requireType(first, TensorType.FLOAT32, TensorType.INT32, TensorType.INT64, TensorType.BOOL);
        ctx.requireType(out, first.type());
        int rank = first.rank();
        if (rank == 0) throw ctx.fail("cannot concatenate scalars such as " + first);
        int axis = options.axis() < 0 ? options.axis() + rank : options.axis();
        if (axis < 0 || axis >= rank) {
            throw ctx.fail("axis " + options.axis() + " is outside the " + rank + " dimensions of " + first);
        }

        TensorSpec[] inputs = new TensorSpec[n];
        int[] shape = first.shape();
        shape[axis] = 0;
        for (int j = 0; j < n; j++) {
            TensorSpec t = ctx.requireInput(j);
            ctx.requireType(t, first.type());
            if (t.rank() != rank) throw ctx.fail(t + " has rank " + t.rank() + ", " + first + " has " + rank);
            for (int d = 0; d < rank; d++) {
                if (d != axis && t.dim(d) != first.dim(d)) {
                    throw ctx.fail(t + " and " + first + " differ in dimension " + d + " (concatenating along " + axis + ")");
                }
            }
            shape[axis] += t.dim(axis);
            inputs[j] = t;
        }
        ctx.requireOutputShape(0, shape);

        int outer = IndexTables.elementCount(Arrays.copyOfRange(shape, 0, axis));
        int after = IndexTables.elementCount(Arrays.copyOfRange(shape, axis + 1, rank));
        int[] sliceLengths = new int[n];
        for (int j = 0; j < n; j++) sliceLengths[j] = inputs[j].dim(axis) * after;
        return buffers -> {
            Object[] arrays = new Object[n];
            int[] offsets = new int[n];
            for (int j = 0; j < n; j++) {
                arrays[j] = buffers.array(inputs[j]);
                offsets[j] = buffers.offset(inputs[j]);
            }
            Object dst = buffers.array(out);
            int d = buffers.offset(out);
            return () -> Concatenation.concatenate(arrays, offsets, sliceLengths, outer, dst, d);
        };
    }
}
