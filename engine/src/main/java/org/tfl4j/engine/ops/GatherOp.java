package org.tfl4j.engine.ops;

import org.tfl4j.engine.InvalidInputException;
import org.tfl4j.kernels.Gather;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.TensorType;

import java.util.Arrays;

/**
 * GATHER along any axis (negative counts from the end) with batch_dims, params of any supported
 * type and int32 or int64 indices. Output shape: {@code params[:axis] + indices[batch_dims:] +
 * params[axis+1:]}. An index outside {@code [0, params.shape[axis])} fails the run with an
 * {@link InvalidInputException} naming the position and value (TFLite fails the invocation);
 * this check is the node's only run-time branch.
 */
final class GatherOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        ctx.requireArity(2, 2, 1);
        TensorSpec params = ctx.requireInput(0);
        TensorSpec indices = ctx.requireInput(1);
        TensorSpec out = ctx.output(0);
        ctx.requireType(params, TensorType.FLOAT32, TensorType.INT32, TensorType.INT64, TensorType.BOOL);
        ctx.requireType(indices, TensorType.INT32, TensorType.INT64);
        ctx.requireType(out, params.type());
        OpOptions.Gather options = ctx.options(OpOptions.Gather.class);

        int[] p = params.shape();
        int[] q = indices.shape();
        int axis = options.axis() < 0 ? options.axis() + p.length : options.axis();
        if (axis < 0 || axis >= p.length) {
            throw ctx.fail("axis " + options.axis() + " is outside the " + p.length + " dimensions of " + params);
        }
        int batchDims = options.batchDims() < 0 ? options.batchDims() + q.length : options.batchDims();
        if (batchDims < 0 || batchDims > axis || batchDims > q.length || batchDims >= p.length) {
            throw ctx.fail("batch_dims " + options.batchDims() + " must lie in [0, min(axis " + axis + ", rank "
                    + q.length + " of " + indices + ")]");
        }
        for (int d = 0; d < batchDims; d++) {
            if (p[d] != q[d]) {
                throw ctx.fail("batch dimension " + d + " differs: " + params + " vs " + indices);
            }
        }

        int[] shape = new int[p.length + q.length - 1 - batchDims];
        int k = 0;
        for (int d = 0; d < axis; d++) shape[k++] = p[d];
        for (int d = batchDims; d < q.length; d++) shape[k++] = q[d];
        for (int d = axis + 1; d < p.length; d++) shape[k++] = p[d];
        ctx.requireOutputShape(0, shape);

        int batches = product(p, 0, batchDims);
        int outer = product(p, batchDims, axis);
        int axisSize = p[axis];
        int coords = product(q, batchDims, q.length);
        int inner = product(p, axis + 1, p.length);
        int count = indices.elementCount();

        if (indices.isConstant()) {
            int bad = indices.type() == TensorType.INT32
                    ? Gather.firstOutOfRange(indices.constInts(), 0, count, axisSize)
                    : Gather.firstOutOfRange(indices.constLongs(), 0, count, axisSize);
            if (bad >= 0) {
                long value = indices.type() == TensorType.INT32 ? indices.constInts()[bad] : indices.constLongs()[bad];
                throw ctx.fail(outOfRange(value, bad, indices, params, axis));
            }
        }
        String where = "op " + ctx.opIndex() + " " + ctx.opName() + ": ";

        if (indices.type() == TensorType.INT32) {
            return buffers -> {
                Object src = buffers.array(params);
                int so = buffers.offset(params);
                int[] idx = buffers.ints(indices);
                int io = buffers.offset(indices);
                Object dst = buffers.array(out);
                int d = buffers.offset(out);
                return () -> {
                    int bad = Gather.firstOutOfRange(idx, io, count, axisSize);
                    if (bad >= 0) throw new InvalidInputException(where + outOfRange(idx[io + bad], bad, indices, params, axis));
                    Gather.gather(src, so, idx, io, dst, d, batches, outer, axisSize, coords, inner);
                };
            };
        }
        return buffers -> {
            Object src = buffers.array(params);
            int so = buffers.offset(params);
            long[] idx = buffers.longs(indices);
            int io = buffers.offset(indices);
            Object dst = buffers.array(out);
            int d = buffers.offset(out);
            return () -> {
                int bad = Gather.firstOutOfRange(idx, io, count, axisSize);
                if (bad >= 0) throw new InvalidInputException(where + outOfRange(idx[io + bad], bad, indices, params, axis));
                Gather.gather(src, so, idx, io, dst, d, batches, outer, axisSize, coords, inner);
            };
        };
    }

    static String outOfRange(long value, int position, TensorSpec indices, TensorSpec params, int axis) {
        return "index " + value + " at " + IndexTables.indexOf(position, indices.shape()) + " of " + indices
                + " is outside [0, " + params.dim(axis) + ") for axis " + axis + " of " + params;
    }

    private static int product(int[] shape, int from, int to) {
        return IndexTables.elementCount(Arrays.copyOfRange(shape, from, to));
    }
}
