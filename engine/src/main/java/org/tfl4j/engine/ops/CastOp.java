package org.tfl4j.engine.ops;

import org.tfl4j.kernels.Cast;
import org.tfl4j.kernels.Reshape;
import org.tfl4j.parser.TensorType;

/**
 * CAST between float32, int32, int64 and bool, by the tensors' types (as TFLite, which ignores the
 * types written in CastOptions). Conversions follow TFLite on x86-64, see {@link Cast}.
 */
final class CastOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        ctx.requireArity(1, 1, 1);
        TensorSpec in = ctx.requireInput(0);
        TensorSpec out = ctx.output(0);
        TensorType[] supported = {TensorType.FLOAT32, TensorType.INT32, TensorType.INT64, TensorType.BOOL};
        ctx.requireType(in, supported);
        ctx.requireType(out, supported);
        ctx.requireOutputShape(0, in.shape());
        int n = in.elementCount();
        return buffers -> bind(buffers.array(in), buffers.offset(in), buffers.array(out), buffers.offset(out),
                in.type(), out.type(), n);
    }

    private static Node bind(Object src, int so, Object dst, int d, TensorType from, TensorType to, int n) {
        if (from == to) return () -> Reshape.copy(src, so, dst, d, n);
        switch (from) {
            case FLOAT32: {
                float[] x = (float[]) src;
                switch (to) {
                    case INT32: { int[] y = (int[]) dst; return () -> Cast.float32ToInt32(x, so, y, d, n); }
                    case INT64: { long[] y = (long[]) dst; return () -> Cast.float32ToInt64(x, so, y, d, n); }
                    default: { boolean[] y = (boolean[]) dst; return () -> Cast.float32ToBool(x, so, y, d, n); }
                }
            }
            case INT32: {
                int[] x = (int[]) src;
                switch (to) {
                    case FLOAT32: { float[] y = (float[]) dst; return () -> Cast.int32ToFloat32(x, so, y, d, n); }
                    case INT64: { long[] y = (long[]) dst; return () -> Cast.int32ToInt64(x, so, y, d, n); }
                    default: { boolean[] y = (boolean[]) dst; return () -> Cast.int32ToBool(x, so, y, d, n); }
                }
            }
            case INT64: {
                long[] x = (long[]) src;
                switch (to) {
                    case FLOAT32: { float[] y = (float[]) dst; return () -> Cast.int64ToFloat32(x, so, y, d, n); }
                    case INT32: { int[] y = (int[]) dst; return () -> Cast.int64ToInt32(x, so, y, d, n); }
                    default: { boolean[] y = (boolean[]) dst; return () -> Cast.int64ToBool(x, so, y, d, n); }
                }
            }
            default: {
                boolean[] x = (boolean[]) src;
                switch (to) {
                    case FLOAT32: { float[] y = (float[]) dst; return () -> Cast.boolToFloat32(x, so, y, d, n); }
                    case INT32: { int[] y = (int[]) dst; return () -> Cast.boolToInt32(x, so, y, d, n); }
                    default: { long[] y = (long[]) dst; return () -> Cast.boolToInt64(x, so, y, d, n); }
                }
            }
        }
    }
}
