package org.tfl4j.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tfl4j.kernels.Bits.PAYLOAD_NAN;
import static org.tfl4j.kernels.Bits.assertBits;

/** RESHAPE, GATHER, CONCATENATION and STRIDED_SLICE kernels: copies with the documented geometry. */
class DataMovementTest {
    @Test
    void reshapeCopiesBits() {
        float[] in = {7f, -0f, PAYLOAD_NAN, 1e-40f};
        float[] out = Bits.nans(5);
        Reshape.copy(in, 1, out, 2, 3);
        assertBits(new float[] {-0f, PAYLOAD_NAN, 1e-40f}, out, 2, "reshape");
        boolean[] bools = new boolean[3];
        Reshape.copy(new boolean[] {true, false, true}, 0, bools, 0, 3);
        assertArrayEquals(new boolean[] {true, false, true}, bools);
    }

    @Test
    void gatherRowsOfAnEmbeddingTable() {
        // params [4, 2], indices [1, 3] -> [1, 3, 2]
        float[] table = {0f, 0.5f, 1f, 1.5f, 2f, -0f, 3f, PAYLOAD_NAN};
        int[] ids = {3, 0, 2};
        float[] out = Bits.nans(7);
        Gather.gather(table, 0, ids, 0, out, 1, 1, 1, 4, 3, 2);
        assertBits(new float[] {3f, PAYLOAD_NAN, 0f, 0.5f, 2f, -0f}, out, 1, "rows");
    }

    @Test
    void gatherWithOuterAndBatchDimensions() {
        // params [2 batches, 2 outer, 3 axis, 1 inner] = value 100b + 10o + a; indices [2 batches, 2]
        int[] params = new int[12];
        for (int b = 0; b < 2; b++) for (int o = 0; o < 2; o++) for (int a = 0; a < 3; a++) params[(b * 2 + o) * 3 + a] = 100 * b + 10 * o + a;
        long[] indices = {2, 0, 1, 1};
        int[] out = new int[8];
        Gather.gather(params, 0, indices, 0, out, 0, 2, 2, 3, 2, 1);
        assertArrayEquals(new int[] {2, 0, 12, 10, 101, 101, 111, 111}, out);
    }

    @Test
    void gatherValidation() {
        assertEquals(-1, Gather.firstOutOfRange(new int[] {0, 3952, 5}, 0, 2, 3953));
        assertEquals(1, Gather.firstOutOfRange(new int[] {0, 3953, -1}, 0, 3, 3953));
        assertEquals(0, Gather.firstOutOfRange(new int[] {7, -1}, 1, 1, 3953));
        assertEquals(1, Gather.firstOutOfRange(new long[] {0, 1L << 40}, 0, 2, 3953));
        assertEquals(-1, Gather.firstOutOfRange(new long[] {0, 2}, 0, 2, 3));
    }

    @Test
    void concatenateMovieThenGenre() {
        // [1,2] ++ [1,3] along the last axis, then [2,1] ++ [2,2] (two rows).
        float[] movie = {1f, 2f};
        float[] genre = {3f, -0f, 5f};
        float[] out = Bits.nans(5);
        Concatenation.concatenate(new Object[] {movie, genre}, new int[] {0, 0}, new int[] {2, 3}, 1, out, 0);
        assertBits(new float[] {1f, 2f, 3f, -0f, 5f}, out, 0, "one row");
        int[] rows = new int[6];
        Concatenation.concatenate(new Object[] {new int[] {9, 1, 2}, new int[] {3, 4, 5, 6}}, new int[] {1, 0}, new int[] {1, 2},
                2, rows, 0);
        assertArrayEquals(new int[] {1, 3, 4, 2, 5, 6}, rows);
    }

    @Test
    void stridedSliceRuns() {
        // The RNN model takes the last time step of [1, 3, 2]: one run of 2 starting at element 4.
        float[] h = {0f, 1f, 2f, 3f, 4f, -0f};
        float[] out = Bits.nans(2);
        StridedSlice.copyRuns(h, 0, new int[] {4}, 2, out, 0);
        assertBits(new float[] {4f, -0f}, out, 0, "last step");
        // A reversed column: single-element runs.
        long[] col = new long[3];
        StridedSlice.copyRuns(new long[] {0, 1, 2, 3, 4, 5}, 0, new int[] {5, 3, 1}, 1, col, 0);
        assertArrayEquals(new long[] {5, 3, 1}, col);
    }
}
