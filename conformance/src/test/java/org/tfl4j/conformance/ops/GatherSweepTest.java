package org.tfl4j.conformance.ops;

import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.GatherOptionsT;
import org.tfl4j.conformance.OpCase;
import org.tfl4j.conformance.TfliteReference;
import org.tfl4j.engine.EngineException;
import org.tfl4j.engine.Interpreter;
import org.tfl4j.engine.InvalidInputException;
import org.tfl4j.engine.OutOfVocabularyException;
import org.tfl4j.models.TfliteWriter;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.TensorType;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GATHER against TFLite: params of rank 1 to 4 and of all four types, every axis (also counted from the back),
 * batch_dims 0 to the axis (also negative), int32 and int64 indices of rank 0 to 3 (repeats, first and last
 * positions), indices as a model input and as a constant, and the models' case (embedding rows by id).
 *
 * <p>Out-of-range indices (negative, or not below the axis size) make TFLite fail the invocation, so they are not
 * in the sweep; {@link #outOfRangeIndicesAreRefused()} checks that both runtimes refuse them.
 */
class GatherSweepTest {

    private static final TensorType[] TYPES = {TensorType.FLOAT32, TensorType.INT32, TensorType.INT64, TensorType.BOOL};

    static List<OpCase> cases() {
        Random random = new Random(36);
        List<OpCase> cases = new ArrayList<>();
        int[][] paramShapes = {{7}, {5, 3}, {2, 4, 3}, {3, 2, 5, 2}, {2, 3, 1, 4}};
        int[][] indexShapes = {{}, {1}, {4}, {2, 3}, {2, 2, 2}};
        for (int[] p : paramShapes) {
            int rank = p.length;
            for (int axis = -rank; axis < rank; axis++) {
                for (int[] q : indexShapes) {
                    TensorType type = TYPES[random.nextInt(TYPES.length)];
                    TensorType indexType = random.nextBoolean() ? TensorType.INT32 : TensorType.INT64;
                    cases.add(gather(random, type, p, indexType, q, axis, 0, false));
                }
            }
        }
        // batch_dims: the leading dimensions shared by params and indices, up to the axis.
        int[][][] batched = {
                {{2, 5}, {2, 3}}, {{2, 5, 3}, {2, 4}}, {{2, 3, 4}, {2, 3, 2}}, {{3, 2, 4, 2}, {3, 2}},
                {{2, 3, 4, 2}, {2, 3, 5}}, {{2, 4, 3}, {2, 1, 2}}, {{2, 3, 4}, {2, 3}},
        };
        for (int[][] pq : batched) {
            int[] p = pq[0];
            int[] q = pq[1];
            for (int batchDims = 1; batchDims <= Math.min(q.length, p.length - 1); batchDims++) {
                if (!Arrays.equals(Arrays.copyOf(p, batchDims), Arrays.copyOf(q, batchDims))) continue;
                for (int axis = batchDims; axis < p.length; axis++) {
                    TensorType type = TYPES[random.nextInt(TYPES.length)];
                    TensorType indexType = random.nextBoolean() ? TensorType.INT32 : TensorType.INT64;
                    cases.add(gather(random, type, p, indexType, q, axis, batchDims, false));
                    cases.add(gather(random, type, p, indexType, q, axis - p.length, batchDims - q.length, false));
                }
            }
        }
        for (TensorType type : TYPES) {
            cases.add(gather(random, type, new int[] {6, 2}, TensorType.INT32, new int[] {5}, 0, 0, true));
            cases.add(gather(random, type, new int[] {3, 6}, TensorType.INT64, new int[] {2, 2}, 1, 0, true));
        }
        // The models: embedding rows of a [vocabulary, 16] table picked by a [1, 10] id vector, zero padding included.
        cases.add(gather(random, TensorType.FLOAT32, new int[] {50, 16}, TensorType.INT32, new int[] {1, 10}, 0, 0, false));
        cases.add(gather(random, TensorType.FLOAT32, new int[] {50, 16}, TensorType.INT32, new int[] {1, 10}, 0, 0, true));
        return cases;
    }

    private static OpCase gather(Random random, TensorType type, int[] p, TensorType indexType, int[] q, int axis,
                                 int batchDims, boolean constantIndices) {
        int a = axis < 0 ? axis + p.length : axis;
        int size = p[a];
        int[] idx = SweepValues.ints(random, SweepValues.count(q), 0, size);
        if (idx.length > 1) {
            idx[0] = size - 1; // the last position and the first, at least once
            idx[idx.length - 1] = 0;
        }
        Object indices = indexType == TensorType.INT32 ? idx : Arrays.stream(idx).asLongStream().toArray();
        Object params = SweepValues.ofType(random, type, SweepValues.count(p));
        String name = type + " " + Arrays.toString(p) + ", " + indexType + " indices " + Arrays.toString(q) + ", axis "
                + axis + ", batch_dims " + batchDims + (constantIndices ? ", constant indices" : "");
        return gatherOf(name, type, p, params, indexType, q, indices, axis, batchDims, constantIndices);
    }

    static OpCase gatherOf(String name, TensorType type, int[] p, Object params, TensorType indexType, int[] q,
                           Object indices, int axis, int batchDims, boolean constantIndices) {
        int a = axis < 0 ? axis + p.length : axis;
        int b = batchDims < 0 ? batchDims + q.length : batchDims;
        int[] outShape = new int[p.length + q.length - 1 - b];
        int k = 0;
        for (int d = 0; d < a; d++) outShape[k++] = p[d];
        for (int d = b; d < q.length; d++) outShape[k++] = q[d];
        for (int d = a + 1; d < p.length; d++) outShape[k++] = p[d];

        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int x = g.tensor("params", type, p);
        int i = constantIndices
                ? (indices instanceof int[] ? g.constant("indices", q, (int[]) indices) : g.constant("indices", q, (long[]) indices))
                : g.tensor("indices", indexType, q);
        int y = g.tensor("y", type, outShape);
        GatherOptionsT options = new GatherOptionsT();
        options.setAxis(axis);
        options.setBatchDims(batchDims);
        g.op(BuiltinOp.GATHER, options, new int[] {x, i}, new int[] {y});
        if (constantIndices) {
            g.inputs(x).outputs(y);
            return new OpCase(name, w.toBytes(), new Object[] {params});
        }
        g.inputs(x, i).outputs(y);
        return new OpCase(name, w.toBytes(), new Object[] {params, indices});
    }

    @Test
    void bitExactAgainstTflite() {
        OpSweepAssert.assertBitExact("GATHER", cases());
    }

    /**
     * An index below 0 or not below the axis size: TFLite fails the invocation, tfl4j throws an
     * {@link InvalidInputException} naming the index and its position (an {@link OutOfVocabularyException} before any
     * op runs, the indices being a graph input), or refuses the model when the indices are a constant.
     */
    @Test
    void outOfRangeIndicesAreRefused() {
        OpSweepAssert.assumeReference();
        float[] params = SweepValues.uniform(new Random(7), 12, 5f);
        for (int bad : new int[] {-1, 4, 5, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            int[] idx = {0, bad, 1};
            for (TensorType indexType : new TensorType[] {TensorType.INT32, TensorType.INT64}) {
                Object indices = indexType == TensorType.INT32 ? idx : Arrays.stream(idx).asLongStream().toArray();
                OpCase c = gatherOf("index " + bad, TensorType.FLOAT32, new int[] {4, 3}, params, indexType, new int[] {3},
                        indices, 0, 0, false);
                try (TfliteReference reference = TfliteReference.open(c.name(), c.model(), 1, false)) {
                    assertThrows(RuntimeException.class, () -> reference.run(c.inputs()), "TFLite ran index " + bad);
                }
                try (Interpreter tfl4j = new Interpreter(ByteBuffer.wrap(c.model()))) {
                    tfl4j.setInput(0, params);
                    tfl4j.setInput(1, indices);
                    var e = assertThrows(InvalidInputException.class, tfl4j::invoke, "tfl4j ran index " + bad);
                    // The indices are a graph input: tfl4j's vocabulary check refuses them before the GATHER runs.
                    assertTrue(e instanceof OutOfVocabularyException, e::toString);
                    assertTrue(e.getMessage().contains("id " + bad + " at [1]") && e.getMessage().contains("valid ids are 0 to 3"), e::getMessage);
                }
                OpCase constant = gatherOf("constant index " + bad, TensorType.FLOAT32, new int[] {4, 3}, params, indexType,
                        new int[] {3}, indices, 0, 0, true);
                var e = assertThrows(EngineException.class, () -> new Interpreter(ByteBuffer.wrap(constant.model())).close());
                assertTrue(e.getMessage().contains("index " + bad), e::getMessage);
            }
        }
    }
}
