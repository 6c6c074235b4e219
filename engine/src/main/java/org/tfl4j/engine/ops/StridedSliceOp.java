package org.tfl4j.engine.ops;

import org.tfl4j.kernels.StridedSlice;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.TensorType;

import java.util.Arrays;

/**
 * STRIDED_SLICE with constant int32 begin, end and strides, following TFLite 2.21's
 * strided_slice.cc: negative indices count from the end; begin/end are clamped to the axis
 * ([0, size] going forward, [-1, size - 1] going backward); a begin_mask / end_mask bit takes the
 * whole axis in the stride's direction; a shrink_axis_mask bit takes the single element at begin
 * and drops the axis; new_axis_mask inserts a dimension of size 1; one ellipsis_mask bit stands
 * for as many full dimensions as the spec leaves unmentioned; with {@code offset}, end is a length
 * counted from begin. Dimensions after the spec are taken whole. Two TFLite quirks are kept: index
 * entries beyond the (effective) dimensions are ignored, and an ellipsis always stands for at least
 * one dimension, so with as many other entries as dimensions the last entry is ignored (numpy
 * would let the ellipsis stand for none).
 *
 * <p>Cases where TFLite leaves the output partly unwritten are refused at load with a clear
 * message: a shrunk index past the end of its axis (after clamping), a shrunk axis with a negative
 * stride, and {@code offset} combined with an ellipsis or new axes, with fewer entries than
 * dimensions, or with a length that runs past the axis. These outcomes were probed on the TFLite
 * 2.21 runtime.
 */
final class StridedSliceOp implements OpKernel {
    @Override
    public Prepared prepare(OpContext ctx) {
        ctx.requireArity(4, 4, 1);
        TensorSpec in = ctx.requireInput(0);
        TensorSpec out = ctx.output(0);
        ctx.requireType(in, TensorType.FLOAT32, TensorType.INT32, TensorType.INT64, TensorType.BOOL);
        ctx.requireType(out, in.type());
        int[] begin = indexVector(ctx, ctx.requireInput(1), "begin");
        int[] end = indexVector(ctx, ctx.requireInput(2), "end");
        int[] strides = indexVector(ctx, ctx.requireInput(3), "strides");
        if (end.length != begin.length || strides.length != begin.length) {
            throw ctx.fail("begin, end and strides have " + begin.length + ", " + end.length + " and "
                    + strides.length + " entries; they must have the same number");
        }
        if (begin.length > 31) throw ctx.fail("has " + begin.length + " index entries; at most 31 are supported");
        Plan plan = plan(ctx, in.shape(), begin, end, strides, ctx.options(OpOptions.StridedSlice.class));
        ctx.requireOutputShape(0, plan.outputShape);
        return buffers -> {
            Object src = buffers.array(in);
            int so = buffers.offset(in);
            Object dst = buffers.array(out);
            int d = buffers.offset(out);
            return () -> StridedSlice.copyRuns(src, so, plan.runStarts, plan.runLength, dst, d);
        };
    }

    private static int[] indexVector(OpContext ctx, TensorSpec t, String what) {
        ctx.requireType(t, TensorType.INT32);
        if (t.rank() != 1) throw ctx.fail(what + " " + t + " must be a vector");
        return IndexTables.constantInts(ctx, t, what);
    }

    /** The output shape, and the input runs that fill the output in order. */
    record Plan(int[] outputShape, int[] runStarts, int runLength) {}

    static Plan plan(OpContext ctx, int[] inputShape, int[] begin, int[] end, int[] strides,
                     OpOptions.StridedSlice options) {
        int n = inputShape.length;
        int m = begin.length;
        int specBits = m == 32 ? -1 : (1 << m) - 1;
        int ellipsisMask = options.ellipsisMask();
        int newAxisMask = options.newAxisMask();
        if ((ellipsisMask & ~specBits) != 0 || (newAxisMask & ~specBits) != 0) {
            throw ctx.fail("ellipsis_mask " + ellipsisMask + " or new_axis_mask " + newAxisMask
                    + " has bits beyond the " + m + " index entries");
        }
        if (Integer.bitCount(ellipsisMask) > 1) throw ctx.fail("ellipsis_mask " + ellipsisMask + " has more than one bit");
        boolean offset = options.offset();
        if (offset && (ellipsisMask != 0 || newAxisMask != 0 || m < n)) {
            // TFLite sizes offset slices from end[d] for every dimension d, past the entries if need be.
            throw ctx.fail("offset needs an index entry for every input dimension and no ellipsis or new axis");
        }

        // The effective input: the input with a size-1 dimension at every new axis not overridden by the ellipsis.
        int addedAxes = Integer.bitCount(newAxisMask & ~ellipsisMask);
        int dims = n + addedAxes;
        boolean[] isEllipsis = new boolean[dims];
        boolean[] isNewAxis = new boolean[dims];
        int ellipsisStart = dims;
        int expanded = 0; // effective dimensions beyond the first that the ellipsis stands for
        for (int i = 0; i < dims; ) {
            if (bit(ellipsisMask, i)) {
                ellipsisStart = i;
                // As TFLite: the ellipsis stands for at least one dimension (numpy allows none).
                int ellipsisEnd = Math.max(i + 1, Math.min(i + 1 + addedAxes + n - m, dims));
                expanded = ellipsisEnd - i - 1;
                for (; i < ellipsisEnd; i++) isEllipsis[i] = true;
                continue;
            }
            if (bit(newAxisMask, i - expanded)) isNewAxis[i] = true;
            i++;
        }

        int[] shape = new int[dims];
        int[] starts = new int[dims];
        int[] counts = new int[dims];
        int[] steps = new int[dims];
        boolean[] shrunk = new boolean[dims];
        int ellipsisExtra = 0; // effective dimensions so far that the ellipsis added beyond its own entry
        int seenNewAxes = 0;
        for (int i = 0; i < dims; i++) {
            if (isNewAxis[i]) {
                shape[i] = 1;
                starts[i] = 0;
                counts[i] = 1;
                steps[i] = 1;
                seenNewAxes++;
                continue;
            }
            int size = inputShape[i - seenNewAxes];
            shape[i] = size;
            if (isEllipsis[i] || i >= m + expanded) { // the whole axis
                if (isEllipsis[i]) ellipsisExtra = i - ellipsisStart;
                starts[i] = 0;
                counts[i] = size;
                steps[i] = 1;
                continue;
            }
            int entry = i - ellipsisExtra;
            int stride = strides[entry];
            if (stride == 0) throw ctx.fail("stride " + entry + " is 0");
            if (stride == Integer.MIN_VALUE) throw ctx.fail("stride " + entry + " is INT32_MIN");
            int start = clampedIndex(begin[entry], size, stride);
            if (bit(options.beginMask(), entry)) start = stride > 0 ? 0 : size - 1;
            starts[i] = start;
            steps[i] = stride;
            if (bit(options.shrinkAxisMask(), entry)) {
                // TFLite takes the element at the clamped begin; past the end it would write nothing.
                if (stride < 0) throw ctx.fail("shrink_axis entry " + entry + " has a negative stride");
                if (start >= size) {
                    throw ctx.fail("shrink_axis index " + begin[entry] + " (entry " + entry + ") is past the end of "
                            + "dimension " + (i - seenNewAxes) + " of size " + size);
                }
                shrunk[i] = true;
                counts[i] = 1;
                continue;
            }
            long stop = offset ? (long) end[entry] + start : end[entry];
            int stopIndex = clampedIndex(stop, size, stride);
            if (bit(options.endMask(), entry)) stopIndex = stride > 0 ? size : -1;
            counts[i] = stride > 0
                    ? (stopIndex > start ? (stopIndex - start - 1) / stride + 1 : 0)
                    : (start > stopIndex ? (start - stopIndex - 1) / -stride + 1 : 0);
            if (offset && counts[i] != lengthFromOffset(end[entry], stride)) {
                throw ctx.fail("offset entry " + entry + " asks for a length of " + end[entry] + " from index " + start
                        + " with stride " + stride + ", but dimension " + (i - seenNewAxes) + " has only " + size
                        + " elements (TFLite would leave part of the output unwritten)");
            }
        }

        // Output dimensions (the unshrunk effective ones), and where each starts in the input.
        int[] inputStrides = IndexTables.rowMajorStrides(shape);
        int base = 0;
        int rank = 0;
        for (int i = 0; i < dims; i++) {
            base += starts[i] * inputStrides[i];
            if (!shrunk[i]) rank++;
        }
        int[] outputShape = new int[rank];
        int[] outputSteps = new int[rank];
        for (int i = 0, k = 0; i < dims; i++) {
            if (shrunk[i]) continue;
            outputShape[k] = counts[i];
            outputSteps[k++] = steps[i] * inputStrides[i];
        }
        // A contiguous innermost output row is copied in one run; otherwise element by element.
        boolean rowRuns = rank > 0 && outputSteps[rank - 1] == 1;
        int runLength = rowRuns ? outputShape[rank - 1] : 1;
        int runDims = rowRuns ? rank - 1 : rank;
        int[] runStarts = IndexTables.offsets(Arrays.copyOf(outputShape, runDims), Arrays.copyOf(outputSteps, runDims));
        if (IndexTables.elementCount(outputShape) == 0) runStarts = new int[0];
        for (int r = 0; r < runStarts.length; r++) runStarts[r] += base;
        return new Plan(outputShape, runStarts, runLength);
    }

    /** A begin or end index made non-negative and clamped to the range a slice in this direction can use. */
    private static int clampedIndex(long index, int size, int stride) {
        if (index < 0) index += size;
        long lo = stride > 0 ? 0 : -1;
        long hi = stride > 0 ? size : size - 1;
        return (int) Math.max(lo, Math.min(hi, index));
    }

    /** TFLite's output size for offset slices: the length divided by the stride, rounded up. */
    private static int lengthFromOffset(int length, int stride) {
        if ((length < 0) != (stride < 0) || length == 0) return 0;
        return stride > 0 ? (length - 1) / stride + 1 : (length + 1) / stride + 1;
    }

    private static boolean bit(int mask, int i) {
        return i >= 0 && i < 32 && (mask & (1 << i)) != 0;
    }
}
