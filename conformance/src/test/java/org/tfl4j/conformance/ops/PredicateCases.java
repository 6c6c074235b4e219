package org.tfl4j.conformance.ops;

import org.tfl4j.conformance.OpCase;
import org.tfl4j.models.TfliteWriter;
import org.tfl4j.parser.TensorType;

/**
 * The one-op model the predicate sweeps share (LESS, NOT_EQUAL, LOGICAL_AND): two inputs of one type, numpy
 * broadcasting, a bool output of the broadcast shape.
 */
final class PredicateCases {
    private PredicateCases() {}

    static OpCase of(int builtinCode, String name, TensorType type, int[] sa, int[] sb, Object a, Object b) {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int x = g.tensor("a", type, sa);
        int y = g.tensor("b", type, sb);
        int z = g.tensor("out", TensorType.BOOL, SweepValues.broadcastShape(sa, sb));
        g.op(builtinCode, null, new int[] {x, y}, new int[] {z});
        g.inputs(x, y).outputs(z);
        return new OpCase(name, w.toBytes(), new Object[] {a, b});
    }
}
