package org.tfl4j.engine.ops;

import org.tfl4j.kernels.Gru;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.Operator;
import org.tfl4j.parser.Subgraph;
import org.tfl4j.parser.TensorType;

/**
 * One step of a Keras GRU as builtin ops (the unrolled lowering repeats it per time step; a WHILE body holds it once)
 * run as one {@link Gru} step: the ops {@link GruCell} traces back from the ADD that computes {@code h'}.
 *
 * <p>Kept from the graph, as for every fusion: the step's ops run tfl4j's own kernels; every tensor the step writes
 * but {@code h'} is read only by the step's ops and is neither a graph output nor a variable; nothing between the
 * step's first and last op writes {@code x} or {@code h}; the fused step runs at the place of the step's last op (the
 * ADD of {@code h'}), its other ops doing nothing, and reads {@code x} and {@code h} there (reported as later reads
 * for the memory plan). The bits are the ops' (see {@link Gru} and {@link GruCell}).
 */
final class GruCellFusion implements GraphFusion.Fusion {

    @Override
    public GraphFusion.Fused match(GraphFusion.Graph graph, int index) {
        Operator add = graph.op(index);
        if (add.opcode() != BuiltinOp.ADD || add.outputCount() != 1 || !graph.runsBuiltin(add)) return null;
        TensorSpec out = graph.tensor(add.output(0));
        if (out == null || out.type() != TensorType.FLOAT32) return null;
        GruCell cell;
        try {
            cell = new GruCell(view(graph), graph.producers(), add.output(0));
        } catch (GruCell.NotGru e) {
            return null;
        }
        if (cell.last != index) return null;
        for (int t : cell.written()) {
            if (t == cell.hNext) continue;
            int inside = 0;
            for (int op = cell.ops.nextSetBit(0); op >= 0; op = cell.ops.nextSetBit(op + 1)) {
                for (int in : graph.op(op).inputs()) if (in == t) inside++;
            }
            if (inside != graph.uses(t) || graph.isGraphOutput(t) || graph.tensor(t).isVariable()) return null;
        }
        if (graph.writtenBetween(cell.first, cell.last, cell.x, cell.hIn)) return null;

        int count = cell.ops.cardinality();
        int[] ops = new int[count];
        OpKernel.Prepared[] replacements = new OpKernel.Prepared[count];
        int k = 0;
        for (int op = cell.ops.nextSetBit(0); op >= 0; op = cell.ops.nextSetBit(op + 1)) {
            ops[k] = op;
            replacements[k++] = op == index ? step(cell, graph) : GraphFusion.NOTHING;
        }
        return new GraphFusion.Fused(ops, replacements,
                new GraphFusion.LaterRead[] {new GraphFusion.LaterRead(cell.x, index), new GraphFusion.LaterRead(cell.hIn, index)},
                "ops " + cell.first + ".." + cell.last + " (" + count + "): a GRU step as one kernel (Gru, " + cell.units
                        + " units" + (cell.constantRecurrent != null ? ", recurrent part folded" : "") + ")");
    }

    private static OpKernel.Prepared step(GruCell cell, GraphFusion.Graph graph) {
        TensorSpec x = graph.tensor(cell.x);
        TensorSpec h = graph.tensor(cell.hIn);
        TensorSpec out = graph.tensor(cell.hNext);
        Gru.Weights weights = cell.weights(); // packed here, at load, once
        return buffers -> {
            Gru gru = new Gru(weights);
            float[] xa = buffers.floats(x);
            int xo = buffers.offset(x);
            float[] ha = buffers.floats(h);
            int ho = buffers.offset(h);
            float[] ya = buffers.floats(out);
            int yo = buffers.offset(out);
            return () -> gru.step(xa, xo, ha, ho, ya, yo);
        };
    }

    private static GruCell.View view(GraphFusion.Graph graph) {
        return new GruCell.View() {
            @Override
            public Subgraph graph() {
                return graph.parsed();
            }

            @Override
            public TensorSpec spec(int tensor) {
                return graph.tensor(tensor);
            }

            @Override
            public boolean runsBuiltin(Operator op) {
                return graph.runsBuiltin(op);
            }

            @Override
            public OpKernel.Prepared prepared(int op) {
                return graph.prepared(op);
            }
        };
    }
}
