package org.tfl4j.engine.ops;

import org.junit.jupiter.api.Test;
import org.tfl4j.engine.InvalidInputException;
import org.tfl4j.engine.InvalidModelException;
import org.tfl4j.parser.Activation;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.TensorType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RESHAPE, GATHER, CONCATENATION, SELECT and STRIDED_SLICE through prepare and bind. */
class DataMovementOpsTest {
    private static float[] iota(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i;
        return v;
    }

    // ---- RESHAPE ---------------------------------------------------------------------------------

    @Test
    void reshapeFromShapeInputOrOptions() {
        OpHarness h = new OpHarness();
        float[] x = {1f, -0f, Float.intBitsToFloat(0x7fc01234), 4f, 5f, 6f};
        int in = h.input(TensorType.FLOAT32, new int[] {6}, x);
        int shape = h.constant(TensorType.INT32, new int[] {3}, new int[] {1, -1, 2});
        int out = h.output(TensorType.FLOAT32, 1, 3, 2);
        h.node(BuiltinOp.RESHAPE, new OpOptions.Reshape(null), new int[] {in, shape}, out).run();
        float[] y = h.floats(out);
        for (int i = 0; i < 6; i++) assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]), "bit copy " + i);

        int viaOptions = h.output(TensorType.FLOAT32, 2, 3);
        h.node(BuiltinOp.RESHAPE, new OpOptions.Reshape(new int[] {-1, 3}), new int[] {in}, viaOptions).run();
        int one = h.input(TensorType.FLOAT32, new int[] {1, 1}, new float[] {7f});
        int scalar = h.output(TensorType.FLOAT32);
        h.node(BuiltinOp.RESHAPE, new OpOptions.Reshape(new int[] {0}), new int[] {one}, scalar).run(); // legacy scalar
        assertEquals(7f, h.floats(scalar)[0]);
        int ids = h.input(TensorType.INT32, new int[] {4}, new int[] {1, 2, 3, 4});
        int emptyShape = h.constant(TensorType.INT32, new int[] {2}, new int[] {2, 2});
        int grid = h.output(TensorType.INT32, 2, 2);
        h.node(BuiltinOp.RESHAPE, new OpOptions.Reshape(null), new int[] {ids, emptyShape}, grid).run();
        assertArrayEquals(new int[] {1, 2, 3, 4}, h.ints(grid));
        assertTrue(h.paddingIntact());
    }

    @Test
    void reshapeRefusals() {
        OpHarness h = new OpHarness();
        int in = h.input(TensorType.FLOAT32, new int[] {6}, new float[6]);
        int out = h.output(TensorType.FLOAT32, 6);
        int twoStretch = h.constant(TensorType.INT32, new int[] {2}, new int[] {-1, -1});
        int wrongCount = h.constant(TensorType.INT32, new int[] {2}, new int[] {4, 2});
        int dynamic = h.input(TensorType.INT32, new int[] {1}, new int[] {6});
        OpOptions o = new OpOptions.Reshape(null);
        assertThrows(InvalidModelException.class, () -> h.prepare(BuiltinOp.RESHAPE, o, new int[] {in, twoStretch}, out));
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> h.prepare(BuiltinOp.RESHAPE, o, new int[] {in, wrongCount}, out));
        assertTrue(e.getMessage().contains("8 elements"), e.getMessage());
        assertThrows(InvalidModelException.class, () -> h.prepare(BuiltinOp.RESHAPE, o, new int[] {in, dynamic}, out));
        assertThrows(InvalidModelException.class, () -> h.prepare(BuiltinOp.RESHAPE, o, new int[] {in}, out), "no shape at all");
        int mismatch = h.output(TensorType.FLOAT32, 3, 2);
        assertThrows(InvalidModelException.class,
                () -> h.prepare(BuiltinOp.RESHAPE, new OpOptions.Reshape(new int[] {6}), new int[] {in}, mismatch));
    }

    // ---- GATHER ----------------------------------------------------------------------------------

    @Test
    void gatherAnyAxisAndBatchDimsAgainstIndexArithmetic() {
        Random rnd = new Random(3);
        for (int trial = 0; trial < 300; trial++) {
            int rank = 1 + rnd.nextInt(4);
            int[] ps = new int[rank];
            for (int d = 0; d < rank; d++) ps[d] = 1 + rnd.nextInt(4);
            int axis = rnd.nextInt(rank);
            int batchDims = rnd.nextInt(axis + 1);
            int[] qs = new int[batchDims + rnd.nextInt(3)];
            for (int d = 0; d < qs.length; d++) qs[d] = d < batchDims ? ps[d] : 1 + rnd.nextInt(3);
            boolean longIndices = rnd.nextBoolean();
            int[] idx = new int[OpHarness.count(qs)];
            for (int i = 0; i < idx.length; i++) idx[i] = rnd.nextInt(ps[axis]);
            long[] idx64 = Arrays.stream(idx).asLongStream().toArray();
            int[] os = new int[rank + qs.length - 1 - batchDims];
            int k = 0;
            for (int d = 0; d < axis; d++) os[k++] = ps[d];
            for (int d = batchDims; d < qs.length; d++) os[k++] = qs[d];
            for (int d = axis + 1; d < rank; d++) os[k++] = ps[d];

            OpHarness h = new OpHarness();
            float[] params = iota(OpHarness.count(ps));
            int tp = h.input(TensorType.FLOAT32, ps, params);
            int tq = longIndices ? h.input(TensorType.INT64, qs, idx64) : h.input(TensorType.INT32, qs, idx);
            int out = h.output(TensorType.FLOAT32, os);
            int axisOption = rnd.nextBoolean() ? axis : axis - rank;
            h.node(BuiltinOp.GATHER, new OpOptions.Gather(axisOption, batchDims), new int[] {tp, tq}, out).run();
            float[] y = h.floats(out);
            for (int p = 0; p < y.length; p++) {
                int[] o = OpHarness.unravel(p, os);
                int[] q = new int[qs.length];
                for (int d = 0; d < batchDims; d++) q[d] = o[d];
                for (int d = batchDims; d < qs.length; d++) q[d] = o[axis + d - batchDims];
                int[] source = new int[rank];
                for (int d = 0; d < axis; d++) source[d] = o[d];
                source[axis] = idx[OpHarness.ravel(q, qs)];
                for (int d = axis + 1; d < rank; d++) source[d] = o[axis + qs.length - batchDims + d - axis - 1];
                assertEquals(OpHarness.ravel(source, ps), (int) y[p],
                        "params " + Arrays.toString(ps) + " indices " + Arrays.toString(qs) + " axis " + axis + " batch_dims "
                                + batchDims + " at " + Arrays.toString(o));
            }
            assertTrue(h.paddingIntact());
        }
    }

    @Test
    void gatherOutOfRangeFailsTheRunWithPositionAndValue() {
        OpHarness h = new OpHarness();
        int table = h.constant(TensorType.FLOAT32, new int[] {5, 2}, iota(10));
        int ids = h.input(TensorType.INT32, new int[] {1, 3}, new int[] {4, 0, 5});
        int out = h.output(TensorType.FLOAT32, 1, 3, 2);
        Node node = h.node(BuiltinOp.GATHER, new OpOptions.Gather(0, 0), new int[] {table, ids}, out);
        InvalidInputException e = assertThrows(InvalidInputException.class, node::run);
        String m = e.getMessage();
        assertTrue(m.contains("op 7 GATHER") && m.contains("index 5") && m.contains("[0, 2]") && m.contains("[0, 5)"), m);
        assertTrue(Float.isNaN(h.floats(out)[0]), "nothing is written before the check");

        OpHarness n = new OpHarness();
        int t2 = n.constant(TensorType.INT32, new int[] {3}, new int[] {10, 20, 30});
        int neg = n.input(TensorType.INT64, new int[] {2}, new long[] {1, -1});
        int o2 = n.output(TensorType.INT32, 2);
        InvalidInputException e2 = assertThrows(InvalidInputException.class,
                n.node(BuiltinOp.GATHER, new OpOptions.Gather(0, 0), new int[] {t2, neg}, o2)::run);
        assertTrue(e2.getMessage().contains("index -1 at [1]"), e2.getMessage());

        OpHarness c = new OpHarness();
        int t3 = c.constant(TensorType.INT32, new int[] {3}, new int[] {10, 20, 30});
        int constIds = c.constant(TensorType.INT32, new int[] {1}, new int[] {3});
        int o3 = c.output(TensorType.INT32, 1);
        assertThrows(InvalidModelException.class, () -> c.prepare(BuiltinOp.GATHER, new OpOptions.Gather(0, 0), new int[] {t3, constIds}, o3));
    }

    @Test
    void gatherRefusesBadAxisAndBatchDims() {
        OpHarness h = new OpHarness();
        int p = h.input(TensorType.FLOAT32, new int[] {2, 3}, new float[6]);
        int q = h.input(TensorType.INT32, new int[] {3}, new int[3]);
        int out = h.output(TensorType.FLOAT32, 2, 3);
        assertThrows(InvalidModelException.class, () -> h.prepare(BuiltinOp.GATHER, new OpOptions.Gather(2, 0), new int[] {p, q}, out));
        assertThrows(InvalidModelException.class, () -> h.prepare(BuiltinOp.GATHER, new OpOptions.Gather(1, 1), new int[] {p, q}, out));
        int f = h.input(TensorType.FLOAT32, new int[] {3}, new float[3]);
        assertThrows(InvalidModelException.class, () -> h.prepare(BuiltinOp.GATHER, new OpOptions.Gather(0, 0), new int[] {p, f}, out));
    }

    // ---- CONCATENATION ---------------------------------------------------------------------------

    @Test
    void concatenationAlongAnyAxis() {
        Random rnd = new Random(8);
        for (int trial = 0; trial < 200; trial++) {
            int rank = 1 + rnd.nextInt(4);
            int[] base = new int[rank];
            for (int d = 0; d < rank; d++) base[d] = 1 + rnd.nextInt(3);
            int axis = rnd.nextInt(rank);
            int n = 1 + rnd.nextInt(4);
            OpHarness h = new OpHarness();
            int[] inputs = new int[n];
            List<int[]> shapes = new ArrayList<>();
            int total = 0;
            for (int j = 0; j < n; j++) {
                int[] s = base.clone();
                s[axis] = rnd.nextInt(3);
                shapes.add(s);
                float[] v = new float[OpHarness.count(s)];
                for (int i = 0; i < v.length; i++) v[i] = 1000 * j + i;
                inputs[j] = h.input(TensorType.FLOAT32, s, v);
                total += s[axis];
            }
            int[] os = base.clone();
            os[axis] = total;
            int out = h.output(TensorType.FLOAT32, os);
            h.node(BuiltinOp.CONCATENATION, new OpOptions.Concatenation(rnd.nextBoolean() ? axis : axis - rank, Activation.NONE),
                    inputs, out).run();
            float[] y = h.floats(out);
            for (int p = 0; p < y.length; p++) {
                int[] o = OpHarness.unravel(p, os);
                int j = 0;
                while (o[axis] >= shapes.get(j)[axis]) o[axis] -= shapes.get(j++)[axis];
                assertEquals(1000 * j + OpHarness.ravel(o, shapes.get(j)), (int) y[p], "axis " + axis + " at " + p);
            }
            assertTrue(h.paddingIntact());
        }
    }

    @Test
    void concatenationRefusals() {
        OpHarness h = new OpHarness();
        int a = h.input(TensorType.FLOAT32, new int[] {1, 2}, new float[2]);
        int b = h.input(TensorType.FLOAT32, new int[] {2, 2}, new float[4]);
        int out = h.output(TensorType.FLOAT32, 1, 4);
        assertThrows(InvalidModelException.class,
                () -> h.prepare(BuiltinOp.CONCATENATION, new OpOptions.Concatenation(-1, Activation.NONE), new int[] {a, b}, out));
        assertThrows(InvalidModelException.class,
                () -> h.prepare(BuiltinOp.CONCATENATION, new OpOptions.Concatenation(-1, Activation.RELU), new int[] {a, a}, out));
        assertThrows(InvalidModelException.class,
                () -> h.prepare(BuiltinOp.CONCATENATION, new OpOptions.Concatenation(2, Activation.NONE), new int[] {a, a}, out));
    }

    // ---- SELECT ----------------------------------------------------------------------------------

    @Test
    void selectElementwiseRowsAndScalar() {
        OpHarness h = new OpHarness();
        int x = h.input(TensorType.INT32, new int[] {3, 2}, new int[] {1, 2, 3, 4, 5, 6});
        int y = h.input(TensorType.INT32, new int[] {3, 2}, new int[] {-1, -2, -3, -4, -5, -6});
        int same = h.input(TensorType.BOOL, new int[] {3, 2}, new boolean[] {true, false, false, true, true, false});
        int rows = h.input(TensorType.BOOL, new int[] {3}, new boolean[] {false, true, false});
        int scalar = h.input(TensorType.BOOL, new int[] {}, new boolean[] {true});
        int o1 = h.output(TensorType.INT32, 3, 2), o2 = h.output(TensorType.INT32, 3, 2), o3 = h.output(TensorType.INT32, 3, 2);
        h.node(BuiltinOp.SELECT, new OpOptions.None(), new int[] {same, x, y}, o1).run();
        h.node(BuiltinOp.SELECT, new OpOptions.None(), new int[] {rows, x, y}, o2).run();
        h.node(BuiltinOp.SELECT, new OpOptions.None(), new int[] {scalar, x, y}, o3).run();
        assertArrayEquals(new int[] {1, -2, -3, 4, 5, -6}, h.ints(o1));
        assertArrayEquals(new int[] {-1, -2, 3, 4, -5, -6}, h.ints(o2));
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, h.ints(o3));
        assertTrue(h.paddingIntact());

        int badCond = h.input(TensorType.BOOL, new int[] {2}, new boolean[2]);
        assertThrows(InvalidModelException.class, () -> h.prepare(BuiltinOp.SELECT, new OpOptions.None(), new int[] {badCond, x, y}, o1));
        int z = h.input(TensorType.INT32, new int[] {2, 3}, new int[6]);
        assertThrows(InvalidModelException.class, () -> h.prepare(BuiltinOp.SELECT, new OpOptions.None(), new int[] {rows, x, z}, o1));
    }

    // ---- STRIDED_SLICE ---------------------------------------------------------------------------

    private static float[] slice(int[] shape, int[] begin, int[] end, int[] strides, OpOptions.StridedSlice o, int[] outShape) {
        OpHarness h = new OpHarness();
        int in = h.input(TensorType.FLOAT32, shape, iota(OpHarness.count(shape)));
        int m = begin.length;
        int tb = h.constant(TensorType.INT32, new int[] {m}, begin);
        int te = h.constant(TensorType.INT32, new int[] {m}, end);
        int ts = h.constant(TensorType.INT32, new int[] {m}, strides);
        int out = h.output(TensorType.FLOAT32, outShape);
        h.node(BuiltinOp.STRIDED_SLICE, o, new int[] {in, tb, te, ts}, out).run();
        assertTrue(h.paddingIntact());
        return h.floats(out);
    }

    private static OpOptions.StridedSlice masks(int begin, int end, int ellipsis, int newAxis, int shrink, boolean offset) {
        return new OpOptions.StridedSlice(begin, end, ellipsis, newAxis, shrink, offset);
    }

    @Test
    void stridedSliceTakesTheLastStepOfTheRnn() {
        // [1, 4, 3], begin [0,-1,0], end [0,0,0], strides 1, begin/end masks 0b101, shrink 0b010 -> [1, 3]
        float[] y = slice(new int[] {1, 4, 3}, new int[] {0, -1, 0}, new int[] {0, 0, 0}, new int[] {1, 1, 1},
                masks(5, 5, 0, 0, 2, false), new int[] {1, 3});
        assertArrayEquals(new float[] {9f, 10f, 11f}, y);
    }

    @Test
    void stridedSliceHandCases() {
        // x[::-1] on [5]
        assertArrayEquals(new float[] {4f, 3f, 2f, 1f, 0f},
                slice(new int[] {5}, new int[] {0}, new int[] {0}, new int[] {-1}, masks(1, 1, 0, 0, 0, false), new int[] {5}));
        // x[-1:-6:-2] on [5] (end clamps to -1): 4, 2, 0
        assertArrayEquals(new float[] {4f, 2f, 0f},
                slice(new int[] {5}, new int[] {-1}, new int[] {-6}, new int[] {-2}, masks(0, 0, 0, 0, 0, false), new int[] {3}));
        // x[1:100, ::2] on [3, 4]
        assertArrayEquals(new float[] {4f, 6f, 8f, 10f},
                slice(new int[] {3, 4}, new int[] {1, 0}, new int[] {100, 0}, new int[] {1, 2}, masks(2, 2, 0, 0, 0, false),
                        new int[] {2, 2}));
        // x[..., 1:3] on [2, 2, 4]: the ellipsis stands for the first two dimensions
        assertArrayEquals(new float[] {1f, 2f, 5f, 6f, 9f, 10f, 13f, 14f},
                slice(new int[] {2, 2, 4}, new int[] {0, 1}, new int[] {0, 3}, new int[] {1, 1}, masks(0, 0, 1, 0, 0, false),
                        new int[] {2, 2, 2}));
        // x[:, newaxis, 1] on [2, 3] -> [2, 1]
        assertArrayEquals(new float[] {1f, 4f},
                slice(new int[] {2, 3}, new int[] {0, 0, 1}, new int[] {0, 0, 2}, new int[] {1, 1, 1}, masks(1, 1, 0, 2, 4, false),
                        new int[] {2, 1}));
        // offset: begin [1, 1], lengths [2, 3] on [3, 5]
        assertArrayEquals(new float[] {6f, 7f, 8f, 11f, 12f, 13f},
                slice(new int[] {3, 5}, new int[] {1, 1}, new int[] {2, 3}, new int[] {1, 1}, masks(0, 0, 0, 0, 0, true),
                        new int[] {2, 3}));
        // shrink with a begin below -size clamps to 0 in TFLite (runtime answer: row 0)
        assertArrayEquals(new float[] {0f, 1f, 2f, 3f},
                slice(new int[] {3, 4}, new int[] {-5, 0}, new int[] {4, 4}, new int[] {1, 1}, masks(0, 0, 0, 0, 1, false),
                        new int[] {4}));
    }

    @Test
    void stridedSliceKeepsTfliteQuirks() {
        // Runtime answers (TFLite 2.21): entries beyond the dimensions are ignored ...
        assertArrayEquals(new float[] {1f, 2f},
                slice(new int[] {3}, new int[] {1, 0}, new int[] {3, 1}, new int[] {1, 1}, masks(0, 0, 0, 0, 0, false), new int[] {2}));
        // ... and an ellipsis stands for at least one dimension, so the last entry falls off.
        assertArrayEquals(new float[] {1f, 2f, 5f, 6f, 9f, 10f},
                slice(new int[] {3, 4}, new int[] {0, 1, 1}, new int[] {0, 3, 3}, new int[] {1, 1, 1}, masks(0, 0, 1, 0, 0, false),
                        new int[] {3, 2}));
    }

    @Test
    void stridedSliceRefusesWhatTfliteLeavesUnwritten() {
        int[] shape = {3, 4};
        String[] expected = {"negative stride", "past the end", "has only", "is 0", "every input dimension"};
        Object[][] cases = {
                {new int[] {1, 0}, new int[] {2, 4}, new int[] {-1, 1}, masks(0, 0, 0, 0, 1, false)},
                {new int[] {3, 0}, new int[] {4, 4}, new int[] {1, 1}, masks(0, 0, 0, 0, 1, false)},
                {new int[] {1, 2}, new int[] {3, 1}, new int[] {1, 1}, masks(0, 0, 0, 0, 0, true)},
                {new int[] {0, 0}, new int[] {3, 4}, new int[] {0, 1}, masks(0, 0, 0, 0, 0, false)},
                {new int[] {1}, new int[] {2}, new int[] {1}, masks(0, 0, 0, 0, 0, true)},
        };
        for (int c = 0; c < cases.length; c++) {
            Object[] k = cases[c];
            OpHarness h = new OpHarness();
            int in = h.input(TensorType.FLOAT32, shape, new float[12]);
            int m = ((int[]) k[0]).length;
            int tb = h.constant(TensorType.INT32, new int[] {m}, k[0]);
            int te = h.constant(TensorType.INT32, new int[] {m}, k[1]);
            int ts = h.constant(TensorType.INT32, new int[] {m}, k[2]);
            int out = h.output(TensorType.FLOAT32, 1);
            OpOptions o = (OpOptions) k[3];
            InvalidModelException e = assertThrows(InvalidModelException.class,
                    () -> h.prepare(BuiltinOp.STRIDED_SLICE, o, new int[] {in, tb, te, ts}, out), "case " + c);
            assertTrue(e.getMessage().contains(expected[c]), "case " + c + ": " + e.getMessage());
        }
    }

    /** Python's slice(begin, end, stride).indices(size) with None for masked bounds, as a list of positions. */
    private static List<Integer> pythonRange(int size, int begin, int end, int stride, boolean beginMasked, boolean endMasked) {
        int start, stop;
        if (stride > 0) {
            start = beginMasked ? 0 : begin < 0 ? Math.max(begin + size, 0) : Math.min(begin, size);
            stop = endMasked ? size : end < 0 ? Math.max(end + size, 0) : Math.min(end, size);
        } else {
            start = beginMasked ? size - 1 : begin < 0 ? Math.max(begin + size, -1) : Math.min(begin, size - 1);
            stop = endMasked ? -1 : end < 0 ? Math.max(end + size, -1) : Math.min(end, size - 1);
        }
        List<Integer> positions = new ArrayList<>();
        for (int i = start; stride > 0 ? i < stop : i > stop; i += stride) positions.add(i);
        return positions;
    }

    @Test
    void stridedSliceAgainstPythonSlicing() {
        Random rnd = new Random(13);
        for (int trial = 0; trial < 400; trial++) {
            int rank = 1 + rnd.nextInt(4);
            int[] shape = new int[rank];
            for (int d = 0; d < rank; d++) shape[d] = 1 + rnd.nextInt(5);
            int m = 1 + rnd.nextInt(rank); // trailing dimensions are taken whole
            int[] begin = new int[m], end = new int[m], strides = new int[m];
            int beginMask = rnd.nextInt(1 << m), endMask = rnd.nextInt(1 << m), shrink = 0;
            List<List<Integer>> picks = new ArrayList<>();
            List<Integer> outShape = new ArrayList<>();
            for (int d = 0; d < rank; d++) {
                if (d >= m) {
                    List<Integer> all = new ArrayList<>();
                    for (int i = 0; i < shape[d]; i++) all.add(i);
                    picks.add(all);
                    outShape.add(shape[d]);
                    continue;
                }
                if (rnd.nextInt(5) == 0) { // shrink a valid index with a positive stride
                    shrink |= 1 << d;
                    int index = rnd.nextInt(shape[d]);
                    begin[d] = rnd.nextBoolean() ? index : index - shape[d];
                    end[d] = rnd.nextInt(9) - 4;
                    strides[d] = 1;
                    beginMask &= ~(1 << d);
                    picks.add(List.of(index));
                    continue;
                }
                begin[d] = rnd.nextInt(15) - 7;
                end[d] = rnd.nextInt(15) - 7;
                strides[d] = (rnd.nextInt(4) == 0 ? -1 : 1) * (1 + rnd.nextInt(3));
                List<Integer> r = pythonRange(shape[d], begin[d], end[d], strides[d], (beginMask >> d & 1) != 0,
                        (endMask >> d & 1) != 0);
                picks.add(r);
                outShape.add(r.size());
            }
            int[] os = outShape.stream().mapToInt(Integer::intValue).toArray();
            float[] y = slice(shape, begin, end, strides, masks(beginMask, endMask, 0, 0, shrink, false), os);
            // Expected: every combination of picks, row-major.
            int[] sizes = picks.stream().mapToInt(List::size).toArray();
            int total = OpHarness.count(sizes);
            assertEquals(total, y.length);
            for (int p = 0; p < total; p++) {
                int[] choice = OpHarness.unravel(p, sizes);
                int[] source = new int[rank];
                for (int d = 0; d < rank; d++) source[d] = picks.get(d).get(choice[d]);
                assertEquals(OpHarness.ravel(source, shape), (int) y[p],
                        "shape " + Arrays.toString(shape) + " begin " + Arrays.toString(begin) + " end " + Arrays.toString(end)
                                + " strides " + Arrays.toString(strides) + " masks " + beginMask + "/" + endMask + "/" + shrink
                                + " at " + p);
            }
        }
    }
}
