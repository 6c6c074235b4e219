package org.tfl4j.engine;

import org.tfl4j.engine.ops.TensorBuffers;
import org.tfl4j.engine.ops.TensorSpec;
import org.tfl4j.parser.TensorType;

/** One instance's storage for one planned subgraph: per-type activation arenas, and the model's shared constants. */
final class Arenas implements TensorBuffers {
    private final PlannedSubgraph graph;
    private final float[] floats;
    private final int[] ints;
    private final long[] longs;
    private final boolean[] bools;

    Arenas(PlannedSubgraph model) {
        this.graph = model;
        this.floats = new float[model.plan(TensorType.FLOAT32).arenaSize()];
        this.ints = new int[model.plan(TensorType.INT32).arenaSize()];
        this.longs = new long[model.plan(TensorType.INT64).arenaSize()];
        this.bools = new boolean[model.plan(TensorType.BOOL).arenaSize()];
    }

    @Override
    public float[] floats(TensorSpec t) {
        return (float[]) typed(t, TensorType.FLOAT32);
    }

    @Override
    public int[] ints(TensorSpec t) {
        return (int[]) typed(t, TensorType.INT32);
    }

    @Override
    public long[] longs(TensorSpec t) {
        return (long[]) typed(t, TensorType.INT64);
    }

    @Override
    public boolean[] bools(TensorSpec t) {
        return (boolean[]) typed(t, TensorType.BOOL);
    }

    private Object typed(TensorSpec t, TensorType type) {
        if (t.type() != type) throw new IllegalArgumentException(t + " is not " + type);
        return array(t);
    }

    @Override
    public Object array(TensorSpec t) {
        if (t.isConstant()) return t.constant();
        switch (t.type()) {
            case FLOAT32: return floats;
            case INT32: return ints;
            case INT64: return longs;
            case BOOL: return bools;
            default: throw new IllegalArgumentException(t + ": no arena for type " + t.type());
        }
    }

    @Override
    public int offset(TensorSpec t) {
        if (t.isConstant()) return 0;
        int off = graph.plan(t.type()).offset(t.index());
        if (off < 0) throw new IllegalArgumentException(t + " has no place in the memory plan");
        return off;
    }
}
