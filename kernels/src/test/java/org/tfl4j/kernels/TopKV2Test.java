package org.tfl4j.kernels;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.tfl4j.kernels.Bits.assertBits;

/** TOPK_V2: order, ties, zeros, subnormals, NaN (runtime answers), and a sort-based oracle. */
class TopKV2Test {
    private static int[] topIndices(float[] x, int k) {
        float[] values = Bits.nans(k);
        int[] indices = new int[k];
        TopKV2.float32(x, 0, 1, x.length, k, values, 0, indices, 0, new int[k + 1]);
        for (int j = 0; j < k; j++) assertBits(x[indices[j]], values[j], "value " + j + " is a bit copy");
        return indices;
    }

    @Test
    void tiesGoToTheSmallerIndexAndSignedZerosTie() {
        assertArrayEquals(new int[] {1, 3, 0, 2}, topIndices(new float[] {-0f, 5f, 0f, 5f, -0f}, 4));
        assertArrayEquals(new int[] {0, 1, 2}, topIndices(new float[] {-0f, 0f, -0f, 0f}, 3));
        assertArrayEquals(new int[] {4, 3, 2, 1, 0}, topIndices(new float[] {1f, 2f, 3f, 4f, 5f}, 5));
    }

    @Test
    void subnormalsTieWithZeros() {
        // runtime: [-1e-40, 2e-40, +0, 1e-40, -0], k 4 -> indices 0, 1, 2, 3
        assertArrayEquals(new int[] {0, 1, 2, 3}, topIndices(new float[] {-1e-40f, 2e-40f, 0f, 1e-40f, -0f}, 4));
    }

    @Test
    void nanRowsMatchTheRuntime() {
        // runtime answers (heap path, k < row length): NaN ranks neither above nor below anything.
        float n = Float.NaN;
        assertArrayEquals(new int[] {0, 3, 1, 2}, topIndices(new float[] {n, 2f, n, 5f, -1f, 2f}, 4));
        assertArrayEquals(new int[] {0, 1, 2}, topIndices(new float[] {n, 4f, n, n, 1f}, 3));
        assertArrayEquals(new int[] {7, 0, 1, 3, 4}, topIndices(new float[] {3f, n, 1f, n, 2f, 0f, n, 7f}, 5));
    }

    @Test
    void nanRowsWithKEqualToTheRowLengthMatchTheRuntime() {
        // runtime answers (k = row length: std::sort, insertion sort alone up to 16, introsort beyond).
        float n = Float.NaN;
        assertArrayEquals(new int[] {1, 0, 2, 3, 4, 5, 6, 7}, topIndices(new float[] {0f, 0.25f, -2f, n, -0.25f, n, 0.25f, -2f}, 8));
        float[] x = {3f, n, 1f, n, 2f, 0f, n, 7f, 1f, -1f, 2f, n, 0f, 5f, 1f, n, 2f, 3f, n, -4f, 1f};
        assertArrayEquals(new int[] {0, 1, 3, 13, 17, 4, 6, 7, 10, 8, 5, 9, 11, 14, 12, 15, 16, 2, 18, 20, 19}, topIndices(x, 21));
    }

    @Test
    void severalRowsAndOffsets() {
        float[] x = {99f, 1f, 9f, 5f, 9f, 2f, 0f, -1f, 99f};
        float[] values = Bits.nans(5);
        int[] indices = new int[5];
        TopKV2.float32(x, 1, 2, 4, 2, values, 1, indices, 1, new int[3]);
        // rows [1, 9, 5, 9] and [2, 0, -1, 99]
        assertArrayEquals(new int[] {0, 1, 3, 3, 0}, indices);
        assertBits(new float[] {Float.NaN, 9f, 9f, 99f, 2f}, values, 0, "values");
        int[] ivalues = new int[3];
        int[] iidx = new int[3];
        TopKV2.int32(new int[] {3, Integer.MIN_VALUE, 3, Integer.MAX_VALUE}, 0, 1, 4, 3, ivalues, 0, iidx, 0, new long[3]);
        assertArrayEquals(new int[] {Integer.MAX_VALUE, 3, 3}, ivalues);
        assertArrayEquals(new int[] {3, 0, 2}, iidx);
    }

    @Test
    void randomRowsAgainstAFullSort() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + rnd.nextInt(trial < 20 ? 3953 : 60);
            int k = 1 + rnd.nextInt(Math.min(n, trial < 20 ? 100 : n));
            int levels = 1 + rnd.nextInt(8);
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = rnd.nextInt(3) == 0 ? (float) rnd.nextGaussian() : rnd.nextInt(levels) - levels / 2;
                if (x[i] == 0 && rnd.nextBoolean()) x[i] = -0f;
                if (rnd.nextInt(20) == 0) x[i] = rnd.nextBoolean() ? 1e-40f : -2e-40f;
            }
            // Oracle: stable sort of all positions by value descending, comparing with subnormals read as zero.
            Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -daz(x[i]))); // stable: ties keep index order
            int[] expected = new int[k];
            for (int j = 0; j < k; j++) expected[j] = order[j];
            int[] got = topIndices(x, k);
            assertArrayEquals(expected, got, "trial " + trial + " n " + n + " k " + k);
        }
    }

    private static double daz(float v) {
        return Math.abs(v) < Float.MIN_NORMAL ? 0.0 : v; // both zeros as 0.0 so they tie in the oracle
    }
}
