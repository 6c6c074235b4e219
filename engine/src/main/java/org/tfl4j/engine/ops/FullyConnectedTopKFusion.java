package org.tfl4j.engine.ops;

import org.tfl4j.kernels.FullyConnected;
import org.tfl4j.kernels.MatMul;
import org.tfl4j.kernels.TfliteMath;
import org.tfl4j.kernels.TopKV2;
import org.tfl4j.kernels.simd.F32GemvTopK;
import org.tfl4j.kernels.simd.TopKFilter;
import org.tfl4j.parser.Activation;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.Operator;
import org.tfl4j.parser.TensorType;

/**
 * The scoring end of all four MovieLens models: the context vector against the label table, and the best k labels.
 *
 * <p>Replaces {@code FULLY_CONNECTED(x [1, depth], const table [units, depth], no bias, NONE) -> RESHAPE([units])
 * -> TOPK_V2(k)} by {@link F32GemvTopK}, one pass over the table that compares each block of scores with a sampled
 * threshold as it is computed and never revisits the scores below it, and reads only the table's columns whose input
 * is not zero. Why the bits stay TFLite's: each score is the FULLY_CONNECTED kernel's dot4 in the same order (the
 * table is only packed in another order, and the products of zero inputs leave dot4's partial sums unchanged), RESHAPE
 * moves nothing, and TOPK_V2's answer, the k best values with ties to the smaller index, does not depend on how
 * they are found (see {@link F32GemvTopK}).
 *
 * <p>The fused node runs at the TOPK_V2's place; the FULLY_CONNECTED does nothing and the RESHAPE stays a view (so
 * the memory plan is the unfused one, the input row kept alive until the fused node reads it). When the fused kernel
 * cannot answer exactly (an input row that needs TFLite's flushing arithmetic, sums the activation's clamp could
 * change, a sample that misjudged the scores) the node computes the scores into the RESHAPE's tensor, as the two
 * ops would have (FULLY_CONNECTED's own code, or the fused kernel's scores put back in unit order), and runs
 * TOPK_V2's kernel on them.
 *
 * <p>Each interpreter binds its own copy of the packed table (the label tables: 254 KB at depth 16, 508 KB at 32),
 * since its {@link PanelOrigin} moves the panels within the array to the origin that times fastest (the one that
 * starts them on a 64-byte boundary, which Java cannot ask for). The bits never depend on where they sit.
 *
 * <p>Fused: float32 throughout, a constant table of a depth {@link F32GemvTopK} supports (a multiple of 4 up to 64) in the
 * DEFAULT weights format, one input row, a constant k that TopKFilter samples for, and intermediates no other op reads.
 */
final class FullyConnectedTopKFusion implements GraphFusion.Fusion {

    @Override
    public GraphFusion.Fused match(GraphFusion.Graph graph, int fcIndex) {
        Operator fc = graph.op(fcIndex);
        if (fc.opcode() != BuiltinOp.FULLY_CONNECTED || !graph.runsBuiltin(fc) || fc.outputCount() != 1) return null;
        if (fc.inputCount() > 2 && fc.input(2) >= 0) return null; // a bias
        TensorSpec x = graph.tensor(fc.input(0));
        TensorSpec table = graph.tensor(fc.input(1));
        TensorSpec scores = graph.tensor(fc.output(0));
        if (x == null || table == null || x.type() != TensorType.FLOAT32 || x.isVariable() || !table.isConstant()
                || table.type() != TensorType.FLOAT32 || table.rank() != 2 || scores.type() != TensorType.FLOAT32) {
            return null;
        }
        OpOptions.FullyConnected options = graph.context(fcIndex).options(OpOptions.FullyConnected.class);
        if (options.activation() != Activation.NONE || options.weightsFormat() != 0) return null;
        int units = table.dim(0);
        int depth = table.dim(1);
        if (x.elementCount() != depth || scores.elementCount() != units) return null;

        int reshapeIndex = graph.soleConsumer(scores.index(), fcIndex);
        if (reshapeIndex < 0) return null;
        Operator reshape = graph.op(reshapeIndex);
        if (reshape.opcode() != BuiltinOp.RESHAPE || !graph.runsBuiltin(reshape) || reshape.input(0) != scores.index()) {
            return null;
        }
        TensorSpec row = graph.tensor(reshape.output(0));
        int topKIndex = graph.soleConsumer(row.index(), reshapeIndex);
        if (topKIndex < 0) return null;
        Operator topK = graph.op(topKIndex);
        if (topK.opcode() != BuiltinOp.TOPK_V2 || !graph.runsBuiltin(topK) || topK.input(0) != row.index()
                || topK.outputCount() != 2 || row.rank() < 1 || row.dim(-1) != units || row.type() != TensorType.FLOAT32) {
            return null;
        }
        TensorSpec kTensor = graph.tensor(topK.input(1));
        if (kTensor == null || !kTensor.isConstant() || kTensor.type() != TensorType.INT32 || kTensor.elementCount() != 1) {
            return null;
        }
        int k = kTensor.constInts()[0];
        TensorSpec values = graph.tensor(topK.output(0));
        TensorSpec indices = graph.tensor(topK.output(1));
        if (!F32GemvTopK.supports(units, depth, k) || values.elementCount() != k || indices.elementCount() != k
                || graph.writtenBetween(fcIndex, topKIndex, x.index())) {
            return null;
        }
        return new GraphFusion.Fused(new int[] {fcIndex, reshapeIndex, topKIndex},
                new OpKernel.Prepared[] {GraphFusion.NOTHING, GraphFusion.NOTHING_VIEW,
                    scoresTopK(x, table, units, depth, k, row, values, indices)},
                new GraphFusion.LaterRead[] {new GraphFusion.LaterRead(x.index(), topKIndex)},
                "ops " + fcIndex + ", " + reshapeIndex + ", " + topKIndex
                        + ": FULLY_CONNECTED + RESHAPE + TOPK_V2 as one scoring pass (F32GemvTopK)");
    }

    private static OpKernel.Prepared scoresTopK(TensorSpec x, TensorSpec table, int units, int depth, int k,
                                                TensorSpec row, TensorSpec values, TensorSpec indices) {
        float[] weights = table.constFloats();
        float smallestWeight = FullyConnected.smallestWeight(weights, 0, units, depth);
        int[] order = F32GemvTopK.packingOrder(units);
        int[] packedPosition = F32GemvTopK.packedPositions(order);
        float[] packed = F32GemvTopK.pack(weights, 0, units, depth, order);
        return buffers -> {
            float[] in = buffers.floats(x);
            float[] w = buffers.floats(table);
            float[] y = buffers.floats(row);
            float[] v = buffers.floats(values);
            int[] ix = buffers.ints(indices);
            int xo = buffers.offset(x), wo = buffers.offset(table), yo = buffers.offset(row);
            int vo = buffers.offset(values), io = buffers.offset(indices);
            float[] scores = new float[F32GemvTopK.scoresNeeded(units)];
            int[] terms = new int[F32GemvTopK.termsNeeded(depth)];
            int[] hits = new int[F32GemvTopK.hitsNeeded(units)];
            long[] keys = new long[F32GemvTopK.keysNeeded(k)];
            int[] ranks = new int[F32GemvTopK.ranksNeeded()];
            int[] replayScratch = new int[TopKV2.scratchNeeded(k)];
            long[] topKKeys = new long[TopKFilter.keysNeeded(units, k)];
            PanelOrigin placement = new PanelOrigin(packed, F32GemvTopK.panelsLength(units, depth),
                    (panels, origin) -> F32GemvTopK.eval(in, xo, depth, panels, origin, order, packedPosition, units, k,
                            v, vo, ix, io, scores, terms, hits, keys, ranks));
            float[] panels = placement.packed();
            return () -> {
                boolean flush = MatMul.needsFlush(smallestWeight, MatMul.smallestNonZeroMagnitude(in, xo, depth));
                if (!flush) {
                    if (F32GemvTopK.eval(in, xo, depth, panels, placement.originForRun(), order, packedPosition, units,
                            k, v, vo, ix, io, scores, terms, hits, keys, ranks)) {
                        return;
                    }
                    F32GemvTopK.unpack(scores, order, units, y, yo);
                } else {
                    FullyConnected.eval(in, xo, 1, depth, w, wo, units, smallestWeight, null, 0, -TfliteMath.FLT_MAX,
                            TfliteMath.FLT_MAX, y, yo);
                }
                TopKV2.float32(y, yo, 1, units, k, v, vo, ix, io, replayScratch, topKKeys);
            };
        };
    }
}
