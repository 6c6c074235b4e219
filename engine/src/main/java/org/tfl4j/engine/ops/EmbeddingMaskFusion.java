package org.tfl4j.engine.ops;

import org.tfl4j.engine.InvalidInputException;
import org.tfl4j.kernels.Gather;
import org.tfl4j.kernels.simd.F32EmbeddingMaskedRows;
import org.tfl4j.kernels.simd.F32EmbeddingMaskedSum;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.Operator;
import org.tfl4j.parser.TensorType;

/**
 * Masked embedding lookup, the start of all four MovieLens models: the embeddings of the history ids, each multiplied
 * by its id's mask (0 for the padding id), then (bag of words) summed over the history.
 *
 * <p>Replaces {@code GATHER(const table [rows, dim], ids [.., n]) -> MUL(gathered [.., n, dim], mask [.., n, 1])
 * -> SUM(axis of n)} by {@link F32EmbeddingMaskedSum}, and {@code GATHER -> MUL} whose product goes anywhere else
 * (CONV_2D, the LSTM) by {@link F32EmbeddingMaskedRows}. Why the bits stay TFLite's: GATHER only copies bits, so the
 * fused kernels read the same table elements the MUL would have read; they compute MUL's element ({@code clamp(ftz(
 * ftz(row) * ftz(mask)))}, the fused activation's clamp included) on the same operands in the same order, and SUM's
 * additions in {@link org.tfl4j.kernels.Sum}'s order (per output, from the first id's product, adding the next in id
 * order, each add flushed). The pass proves the geometry rather than assuming it: the MUL's broadcast tables must
 * pair gathered row {@code r} with mask element {@code r}, and the SUM's reduction tables must add, for output
 * {@code [g, d]}, the products {@code [g, 0..n-1, d]} in that order; otherwise the ops are left alone. A table holding
 * subnormals is flushed once, at load (TFLite's DAZ reads them as signed zeros); the mask is flushed as it is read.
 *
 * <p>The GATHER's node keeps its index check, with GatherOp's exception and message, at the GATHER's place in the
 * run; the MUL's node does nothing (or, without SUM, computes the rows); the SUM's node computes the pooled sum.
 * Fused: float32 tables of rank 2 gathered along axis 0 without batch dims by int32 ids, the gathered rows as MUL's
 * first operand (the NaN that survives a NaN-times-NaN is the first operand's).
 */
final class EmbeddingMaskFusion implements GraphFusion.Fusion {

    @Override
    public GraphFusion.Fused match(GraphFusion.Graph graph, int gatherIndex) {
        Operator gather = graph.op(gatherIndex);
        if (gather.opcode() != BuiltinOp.GATHER || !graph.runsBuiltin(gather) || gather.inputCount() != 2) return null;
        TensorSpec table = graph.tensor(gather.input(0));
        TensorSpec ids = graph.tensor(gather.input(1));
        TensorSpec gathered = graph.tensor(gather.output(0));
        if (table == null || ids == null || !table.isConstant() || table.type() != TensorType.FLOAT32
                || table.rank() != 2 || ids.type() != TensorType.INT32 || ids.isVariable() || ids.rank() < 1) {
            return null;
        }
        OpOptions.Gather gatherOptions = graph.context(gatherIndex).options(OpOptions.Gather.class);
        if (normalized(gatherOptions.axis(), 2) != 0 || normalized(gatherOptions.batchDims(), ids.rank()) != 0) return null;
        int dim = table.dim(1);
        int rows = ids.elementCount();
        if (dim == 0 || rows == 0) return null;

        int mulIndex = graph.soleConsumer(gathered.index(), gatherIndex);
        if (mulIndex < 0) return null;
        Operator mul = graph.op(mulIndex);
        if (mul.opcode() != BuiltinOp.MUL || !graph.runsBuiltin(mul) || mul.input(0) != gathered.index()) return null;
        TensorSpec mask = graph.tensor(mul.input(1));
        if (mask == null || mask.type() != TensorType.FLOAT32 || mask.isVariable()) return null;
        OpContext mulContext = graph.context(mulIndex);
        if (!scalesEachRow(Broadcast.of(mulContext, gathered, mask), rows, dim)) return null;
        float[] clamp = ActivationRange.floatRange(mulContext, mulContext.options(OpOptions.Arithmetic.class).activation());
        TensorSpec product = graph.tensor(mul.output(0));

        float[] flushed = F32EmbeddingMaskedRows.flushedTable(table.constFloats());
        OpKernel.Prepared check = idsCheck(graph.context(gatherIndex), table, ids);

        int sumIndex = graph.soleConsumer(product.index(), mulIndex);
        Operator sum = sumIndex < 0 ? null : graph.op(sumIndex);
        int n = ids.dim(-1);
        if (sum != null && sum.opcode() == BuiltinOp.SUM && graph.runsBuiltin(sum) && sum.input(0) == product.index()
                && !graph.writtenBetween(gatherIndex, sumIndex, ids.index(), mask.index())) {
            OpContext sumContext = graph.context(sumIndex);
            Reduction reduction = Reduction.of(sumContext, product, sumContext.requireInput(1),
                    sumContext.options(OpOptions.Reducer.class).keepDims());
            if (sumsOverIds(reduction, rows / n, n, dim)) {
                TensorSpec pooled = graph.tensor(sum.output(0));
                return new GraphFusion.Fused(new int[] {gatherIndex, mulIndex, sumIndex},
                        new OpKernel.Prepared[] {check, GraphFusion.NOTHING,
                            maskedSum(flushed, dim, ids, rows / n, n, mask, clamp, pooled)},
                        new GraphFusion.LaterRead[] {
                            new GraphFusion.LaterRead(ids.index(), sumIndex),
                            new GraphFusion.LaterRead(mask.index(), sumIndex)},
                        "ops " + gatherIndex + ", " + mulIndex + ", " + sumIndex
                                + ": GATHER + MUL + SUM as one masked embedding sum (F32EmbeddingMaskedSum)");
            }
        }
        if (graph.writtenBetween(gatherIndex, mulIndex, ids.index())) return null;
        return new GraphFusion.Fused(new int[] {gatherIndex, mulIndex},
                new OpKernel.Prepared[] {check, maskedRows(flushed, dim, ids, rows, mask, clamp, product)},
                new GraphFusion.LaterRead[] {new GraphFusion.LaterRead(ids.index(), mulIndex)},
                "ops " + gatherIndex + ", " + mulIndex + ": GATHER + MUL as masked embedding rows (F32EmbeddingMaskedRows)");
    }

    private static int normalized(int axis, int rank) {
        return axis < 0 ? axis + rank : axis;
    }

    /**
     * True when MUL's broadcast computes {@code out[r * dim + d] = a[r * dim + d] * b[r]} for {@code r < rows}: the
     * mask is one factor per gathered row, broadcast over the embedding. Checked element by element on the tables
     * the MUL runs with (they merge dimensions in ways that depend on the shapes, e.g. when {@code dim} is 1).
     */
    private static boolean scalesEachRow(Broadcast b, int rows, int dim) {
        int k = 0;
        for (int o = 0; o < b.aOuter.length; o++) {
            for (int i = 0; i < b.inner; i++, k++) {
                if (b.aOuter[o] + i * b.aStep != k || b.bOuter[o] + i * b.bStep != k / dim) return false;
            }
        }
        return k == rows * dim;
    }

    /**
     * True when SUM's reduction computes, for output {@code o = g * dim + d}, the products {@code [g, i, d]} for
     * {@code i = 0 .. n-1} in that order: the sum over the id axis that {@link F32EmbeddingMaskedSum} does. Checked on
     * the tables SumOp runs with, so its axis list (negative, repeated, or naming size-1 dimensions too) and keep_dims
     * are whatever they are.
     */
    private static boolean sumsOverIds(Reduction r, int groups, int n, int dim) {
        if (r.outerBase.length != groups * dim || r.reducedOffsets.length != n) return false;
        for (int o = 0; o < r.outerBase.length; o++) {
            for (int i = 0; i < n; i++) {
                if (r.outerBase[o] + r.reducedOffsets[i] != ((o / dim) * n + i) * dim + o % dim) return false;
            }
        }
        return true;
    }

    /** The GATHER's run-time check alone: GatherOp's exception and message for the first id outside the table. */
    private static OpKernel.Prepared idsCheck(OpContext gather, TensorSpec table, TensorSpec ids) {
        String where = "op " + gather.opIndex() + " " + gather.opName() + ": ";
        int count = ids.elementCount();
        int tableRows = table.dim(0);
        return buffers -> {
            int[] idx = buffers.ints(ids);
            int io = buffers.offset(ids);
            return () -> {
                int bad = Gather.firstOutOfRange(idx, io, count, tableRows);
                if (bad >= 0) {
                    throw new InvalidInputException(where + GatherOp.outOfRange(idx[io + bad], bad, ids, table, 0));
                }
            };
        };
    }

    private static OpKernel.Prepared maskedRows(float[] table, int dim, TensorSpec ids, int rows, TensorSpec mask,
                                                float[] clamp, TensorSpec out) {
        float lo = clamp[0], hi = clamp[1];
        return buffers -> {
            int[] idx = buffers.ints(ids);
            int io = buffers.offset(ids);
            float[] m = buffers.floats(mask);
            int mo = buffers.offset(mask);
            float[] y = buffers.floats(out);
            int yo = buffers.offset(out);
            return () -> F32EmbeddingMaskedRows.eval(table, dim, idx, io, rows, m, mo, lo, hi, y, yo);
        };
    }

    private static OpKernel.Prepared maskedSum(float[] table, int dim, TensorSpec ids, int groups, int n,
                                               TensorSpec mask, float[] clamp, TensorSpec out) {
        float lo = clamp[0], hi = clamp[1];
        return buffers -> {
            int[] idx = buffers.ints(ids);
            int io = buffers.offset(ids);
            float[] m = buffers.floats(mask);
            int mo = buffers.offset(mask);
            float[] y = buffers.floats(out);
            int yo = buffers.offset(out);
            return () -> F32EmbeddingMaskedSum.eval(table, dim, idx, io, groups, n, m, mo, lo, hi, y, yo);
        };
    }
}
