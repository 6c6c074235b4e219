package org.tfl4j.engine.ops;

import org.tfl4j.kernels.TopKV2;
import org.tfl4j.kernels.simd.TopKFilter;
import org.tfl4j.parser.TensorType;

/**
 * TOPK_V2 over the last dimension of a float32 or int32 tensor (every leading index is a row), with
 * k from a constant int32 scalar. Output 0 holds the values (the input's type), output 1 the int32
 * positions, both {@code [..., k]}, best first, ties to the smaller position (see {@link TopKV2}).
 * k larger than the last dimension fails; k ≤ 0 gives empty outputs, as TFLite. Rows without NaN take the
 * vector fast path, rows with NaN the replay of TFLite's steps; the scratch of both is allocated at bind.
 */
final class TopKV2Op implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        ctx.requireArity(2, 2, 2);
        TensorSpec in = ctx.requireInput(0);
        TensorSpec kTensor = ctx.requireInput(1);
        TensorSpec values = ctx.output(0);
        TensorSpec indices = ctx.output(1);
        ctx.requireType(in, TensorType.FLOAT32, TensorType.INT32);
        ctx.requireType(values, in.type());
        ctx.requireType(indices, TensorType.INT32);
        ctx.requireType(kTensor, TensorType.INT32);
        if (!kTensor.isConstant()) throw ctx.fail("k " + kTensor + " must be a constant (tfl4j needs static shapes)");
        if (kTensor.elementCount() != 1) throw ctx.fail("k " + kTensor + " must hold exactly one value");
        if (in.rank() < 1) throw ctx.fail("input " + in + " must have at least one dimension");
        int k = kTensor.constInts()[0];
        int rowSize = in.dim(-1);
        if (k > rowSize) throw ctx.fail("k = " + k + " is larger than the last dimension of " + in);
        int[] shape = in.shape();
        shape[shape.length - 1] = Math.max(0, k);
        ctx.requireOutputShape(0, shape);
        ctx.requireOutputShape(1, shape);
        if (k <= 0) return buffers -> Node.NOTHING;
        int rows = in.elementCount() / rowSize;
        if (in.type() == TensorType.FLOAT32) {
            return buffers -> {
                float[] x = buffers.floats(in);
                float[] v = buffers.floats(values);
                int[] ix = buffers.ints(indices);
                int xo = buffers.offset(in), vo = buffers.offset(values), io = buffers.offset(indices);
                int[] scratch = new int[TopKV2.scratchNeeded(k)]; // the replay's heap (rows with NaN), the filter's ranks
                long[] keys = new long[TopKFilter.keysNeeded(rowSize, k)]; // the fast path's keys
                return () -> TopKV2.float32(x, xo, rows, rowSize, k, v, vo, ix, io, scratch, keys);
            };
        }
        return buffers -> {
            int[] x = buffers.ints(in);
            int[] v = buffers.ints(values);
            int[] ix = buffers.ints(indices);
            int xo = buffers.offset(in), vo = buffers.offset(values), io = buffers.offset(indices);
            long[] keys = new long[k]; // the int32 path is the heap alone
            return () -> TopKV2.int32(x, xo, rows, rowSize, k, v, vo, ix, io, keys);
        };
    }
}
