package org.tfl4j.kernels.simd;

import org.junit.jupiter.api.Test;
import org.tfl4j.kernels.TopKV2;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link TopKFilter}: the vector kernel, its scalar twin and the dispatching row functions, and {@link TopKV2}'s fast
 * overloads, against {@link TopKV2}'s replay of TFLite's steps (int rows: against a plain sort, {@link #sortedTopK}),
 * indices and value bits, over row lengths 1 to 70 with
 * every k, the models' 3953 with a spread of k, several rows at offsets; values with many exact ties, ±0, subnormals
 * (equal to zero), ±Inf, the int extremes. Rows with NaN: the row kernels refuse them without writing, and the fast
 * overload's answer equals the replay's.
 */
class TopKFilterTest {
    private static final int GUARD = 2;
    private static final int GUARD_BITS = 0x7fc0_1234;
    private static final int INT_GUARD = 0x5eed_5eed;

    @FunctionalInterface
    interface FloatRow {
        boolean run(float[] x, int base, int rowSize, int k, float[] values, int vOff, int[] indices, int iOff, long[] keys, int[] ranks);
    }

    @FunctionalInterface
    interface IntRow {
        void run(int[] x, int base, int rowSize, int k, int[] values, int vOff, int[] indices, int iOff, long[] keys);
    }

    private static final String[] NAMES = {"row", "rowVector", "rowScalar"};
    private static final FloatRow[] FLOAT_ROWS = {TopKFilter::float32Row, TopKFilter::float32RowVector, TopKFilter::float32RowScalar};
    private static final IntRow[] INT_ROWS = {TopKFilter::int32Row, TopKFilter::int32RowVector, TopKFilter::int32RowScalar};

    /** Float row contents: ties over few levels, with zeros of both signs, subnormals and infinities mixed in. */
    private static float[] floats(Random random, int n, boolean withNaN) {
        int levels = 1 + random.nextInt(12);
        int style = random.nextInt(4);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            float v;
            switch (style) {
                case 0: v = random.nextInt(levels) - levels / 2; break;              // few levels, exact ties
                case 1: v = (float) random.nextGaussian(); break;                     // realistic scores
                case 2: v = (random.nextInt(levels) - levels / 2) * 0.25f; break;
                default: v = Float.intBitsToFloat(random.nextInt()); break;           // any bits
            }
            int special = random.nextInt(16);
            if (special == 0) v = random.nextBoolean() ? 0f : -0f;
            else if (special == 1) v = random.nextBoolean() ? 1e-40f : -Float.MIN_VALUE;      // subnormals: zeros under DAZ
            else if (special == 2) v = random.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
            else if (special == 3) v = random.nextBoolean() ? Float.MIN_NORMAL : -Float.MIN_NORMAL;
            if (v == 0 && random.nextBoolean()) v = -v;
            if (Float.isNaN(v)) v = 1.5f; // NaN only where asked for
            x[i] = v;
        }
        if (withNaN) {
            int nans = 1 + random.nextInt(Math.max(1, n / 4));
            for (int j = 0; j < nans; j++) {
                x[random.nextInt(n)] = random.nextBoolean() ? Float.NaN : Float.intBitsToFloat(0xffc0_0042);
            }
        }
        return x;
    }

    private static int[] ints(Random random, int n) {
        int levels = 1 + random.nextInt(12);
        boolean wide = random.nextBoolean();
        int[] x = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = wide ? random.nextInt() : random.nextInt(levels) - levels / 2;
            int special = random.nextInt(10);
            if (special == 0) x[i] = Integer.MIN_VALUE;
            else if (special == 1) x[i] = Integer.MAX_VALUE;
            else if (special == 2) x[i] = random.nextBoolean() ? -1 : 0;
        }
        return x;
    }

    @Test
    void floatRowsOneToSeventyEveryK() {
        System.out.println("TopKFilterTest: " + VectorWidth.describe());
        Random random = new Random(8_201L);
        int cases = 0;
        for (int n = 1; n <= 70; n++) {
            for (int k = 1; k <= n; k++) {
                for (int trial = 0; trial < 3; trial++) {
                    checkFloat(floats(random, n, false), n, k);
                    cases++;
                }
            }
        }
        System.out.println("TopKFilterTest: " + cases + " float rows of 1..70");
    }

    @Test
    void floatRowsOfTheModelsLength() {
        Random random = new Random(8_202L);
        int n = 3953;
        for (int k : new int[] {1, 2, 7, 16, 17, 100, 101, 500, 1977, 3900, 3952, 3953}) {
            for (int trial = 0; trial < 4; trial++) checkFloat(floats(random, n, false), n, k);
        }
        // Ascending values: every element replaces the root, the heap's worst case.
        float[] ascending = new float[n];
        for (int i = 0; i < n; i++) ascending[i] = i * 0.5f - 1000f;
        checkFloat(ascending, n, 100);
        float[] allEqual = new float[n];
        Arrays.fill(allEqual, 0.25f);
        checkFloat(allEqual, n, 100);
        float[] zeros = new float[n];
        for (int i = 0; i < n; i++) zeros[i] = i % 3 == 0 ? -0f : i % 3 == 1 ? 1e-40f : 0f;
        checkFloat(zeros, n, 100);
    }

    /**
     * Long rows with small k, where the threshold comes from a sample: rows it judges well, rows where fewer than k
     * values reach it (the large values sit exactly on the sampled blocks) or more than 4 k do (ties, ascending and
     * descending rows), zeros and subnormals at the threshold, and NaN inside and outside the sample.
     */
    @Test
    void longRowsThroughTheSampledThreshold() {
        Random random = new Random(8_206L);
        int cases = 0;
        for (int trial = 0; trial < 300; trial++) {
            int n = 128 + random.nextInt(trial < 150 ? 1000 : 6000);
            int k = 1 + random.nextInt(Math.max(1, n / 16));
            checkFloat(floats(random, n, false), n, k);
            cases++;
        }
        int lanes = VectorWidth.FLOATS.length();
        for (int n : new int[] {256, 1000, 3953, 5000}) {
            for (int k : new int[] {1, 10, 32, 50, 100, n / 16}) {
                if (k < 1 || 16 * k > n) continue;
                // Large distinct values exactly on the sampled blocks (every 8th block of `lanes`): the sample's
                // threshold is far too high, fewer than k reach it.
                float[] onSample = new float[n];
                for (int i = 0; i < n; i++) onSample[i] = (i / lanes) % 8 == 0 ? 1000f + i : (float) random.nextGaussian();
                checkFloat(onSample, n, k);
                float[] offSample = new float[n];
                for (int i = 0; i < n; i++) offSample[i] = (i / lanes) % 8 == 0 ? -1000f - i : (float) random.nextGaussian();
                checkFloat(offSample, n, k);
                float[] ascending = new float[n];
                for (int i = 0; i < n; i++) ascending[i] = i;
                checkFloat(ascending, n, k);
                // The sample's best all in lane 0: more of them than the lanes' kept best (six), a lower threshold.
                float[] oneLane = new float[n];
                for (int i = 0; i < n; i++) oneLane[i] = i % lanes == 0 ? 100f + random.nextFloat() : (float) random.nextGaussian();
                checkFloat(oneLane, n, k);
                float[] descending = new float[n];
                for (int i = 0; i < n; i++) descending[i] = -i;
                checkFloat(descending, n, k);
                float[] twoLevels = new float[n];
                for (int i = 0; i < n; i++) twoLevels[i] = random.nextInt(50) == 0 ? 2f : 1f; // ties at the threshold
                checkFloat(twoLevels, n, k);
                float[] zeros = new float[n];
                for (int i = 0; i < n; i++) {
                    int r = random.nextInt(8);
                    zeros[i] = r == 0 ? -1e-40f : r == 1 ? 1e-40f : r == 2 ? -0f : r == 3 ? 0f : r == 4 ? 1f : -(float) random.nextDouble();
                }
                checkFloat(zeros, n, k);
                float[] negativeZeros = new float[n]; // a zero threshold with negative subnormals that must reach it
                for (int i = 0; i < n; i++) negativeZeros[i] = random.nextBoolean() ? -Float.MIN_VALUE : -1f - random.nextInt(5);
                checkFloat(negativeZeros, n, k);
                float[] nanInSample = floats(random, n, false);
                nanInSample[lanes * 8 * random.nextInt(Math.max(1, n / (lanes * 8)))] = Float.NaN;
                checkNaNRow(nanInSample, n, k);
                float[] nanOutside = floats(random, n, false);
                nanOutside[lanes + random.nextInt(lanes * 7)] = Float.NaN;
                checkNaNRow(nanOutside, n, k);
                cases += 10;
            }
        }
        System.out.println("TopKFilterTest: " + cases + " long rows");
    }

    @Test
    void rowsWithNaNAreRefusedAndReplayed() {
        Random random = new Random(8_203L);
        int refused = 0;
        for (int n = 1; n <= 70; n++) {
            for (int k = 1; k <= n; k++) {
                float[] x = floats(random, n, true);
                checkNaNRow(x, n, k);
                refused++;
            }
        }
        for (int k : new int[] {1, 100, 3953}) {
            float[] x = floats(random, 3953, false);
            for (int j = 0; j < 40; j++) x[random.nextInt(x.length)] = Float.NaN;
            checkNaNRow(x, x.length, k);
            float[] lastOnly = floats(random, 3953, false);
            lastOnly[3952] = Float.NaN; // found only in the scalar tail or the last vector
            checkNaNRow(lastOnly, lastOnly.length, k);
        }
        System.out.println("TopKFilterTest: " + refused + " NaN rows refused and replayed");
    }

    @Test
    void severalRowsAtOffsetsMixingNaNAndPlainRows() {
        Random random = new Random(8_204L);
        for (int trial = 0; trial < 200; trial++) {
            int rows = 1 + random.nextInt(5), n = 1 + random.nextInt(70), k = 1 + random.nextInt(n);
            int xOff = random.nextInt(4), vOff = random.nextInt(4), iOff = random.nextInt(4);
            float[] x = new float[xOff + rows * n];
            for (int r = 0; r < rows; r++) System.arraycopy(floats(random, n, random.nextInt(3) == 0), 0, x, xOff + r * n, n);
            float[] expectedValues = new float[vOff + rows * k];
            int[] expectedIndices = new int[iOff + rows * k];
            TopKV2.float32(x, xOff, rows, n, k, expectedValues, vOff, expectedIndices, iOff, new int[k + 1]);
            float[] values = new float[vOff + rows * k];
            int[] indices = new int[iOff + rows * k];
            TopKV2.float32(x, xOff, rows, n, k, values, vOff, indices, iOff, new int[TopKV2.scratchNeeded(k)], new long[TopKFilter.keysNeeded(n, k)]);
            String what = "TopKV2.float32 fast, rows " + rows + " n " + n + " k " + k;
            assertSame(Arrays.copyOfRange(expectedValues, vOff, vOff + rows * k), Arrays.copyOfRange(expectedIndices, iOff, iOff + rows * k),
                    Arrays.copyOfRange(values, vOff, vOff + rows * k), Arrays.copyOfRange(indices, iOff, iOff + rows * k), what, x);

            int[] xi = new int[xOff + rows * n];
            for (int r = 0; r < rows; r++) System.arraycopy(ints(random, n), 0, xi, xOff + r * n, n);
            int[] expectedIntValues = new int[vOff + rows * k];
            for (int r = 0; r < rows; r++) {
                sortedTopK(xi, xOff + r * n, n, k, expectedIntValues, vOff + r * k, expectedIndices, iOff + r * k);
            }
            int[] intValues = new int[vOff + rows * k];
            TopKV2.int32(xi, xOff, rows, n, k, intValues, vOff, indices, iOff, new long[k]);
            if (!Arrays.equals(expectedIntValues, intValues) || !Arrays.equals(expectedIndices, indices)) {
                fail("TopKV2.int32 fast, rows " + rows + " n " + n + " k " + k + ": expected indices "
                        + Arrays.toString(expectedIndices) + " got " + Arrays.toString(indices) + " for " + Arrays.toString(xi));
            }
        }
    }

    @Test
    void intRowsOneToSeventyEveryKAndTheModelsLength() {
        Random random = new Random(8_205L);
        int cases = 0;
        for (int n = 1; n <= 70; n++) {
            for (int k = 1; k <= n; k++) {
                for (int trial = 0; trial < 2; trial++) {
                    checkInt(ints(random, n), n, k);
                    cases++;
                }
            }
        }
        for (int k : new int[] {1, 100, 3952, 3953}) {
            for (int trial = 0; trial < 3; trial++) checkInt(ints(random, 3953), 3953, k);
        }
        int[] ascending = new int[3953];
        for (int i = 0; i < ascending.length; i++) ascending[i] = i - 2000;
        checkInt(ascending, ascending.length, 100);
        System.out.println("TopKFilterTest: " + cases + " int rows of 1..70");
    }

    /**
     * The sampled threshold's selection: {@code jthLargestVector} against the j-th element of the sorted ranks, for
     * every j, over ranks with many ties, the lanes' unfilled {@code Integer.MIN_VALUE} slots and the int extremes.
     * (Any threshold gives the exact top k, so the row checks above cannot see a wrong one; only speed would.)
     */
    @Test
    void sampledThresholdIsTheJthLargestRank() {
        Random random = new Random(6_031L);
        int n = TopKFilter.laneRanks();
        for (int trial = 0; trial < 300; trial++) {
            int[] ranks = new int[n];
            int levels = 1 + random.nextInt(trial % 3 == 0 ? 4 : 1000);
            for (int i = 0; i < n; i++) {
                int special = random.nextInt(12);
                ranks[i] = special == 0 ? Integer.MIN_VALUE : special == 1 ? Integer.MAX_VALUE
                        : random.nextInt(levels) - levels / 2;
            }
            int[] sorted = ranks.clone();
            Arrays.sort(sorted);
            for (int j = 1; j <= n; j++) {
                int expected = sorted[n - j];
                int actual = TopKFilter.jthLargestVector(ranks, j);
                if (actual != expected) {
                    fail("jthLargestVector, " + VectorWidth.describe() + ", j " + j + ": expected " + expected + " got "
                            + actual + " for " + Arrays.toString(ranks));
                }
            }
        }
    }

    /**
     * The compare the collecting passes make on raw floats is the rank test: for every finite s and every threshold
     * that is the rank of a finite value, {@code s >= lowestReaching(t)} exactly when {@code rank(s) >= t}. The fused
     * scoring pass (F32GemvTopK) takes a set compare bit as a key on that ground. Over ±0, subnormals of both signs,
     * the normal boundary, ±1, the largest floats and random values of every exponent.
     */
    @Test
    void compareWithLowestReachingIsTheRankTest() {
        Random random = new Random(1_193L);
        float[] values = new float[400];
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Math.nextDown(Float.MIN_NORMAL),
                -Math.nextDown(Float.MIN_NORMAL), Float.MIN_NORMAL, -Float.MIN_NORMAL, Math.nextUp(Float.MIN_NORMAL),
                -Math.nextUp(Float.MIN_NORMAL), 1f, -1f, Math.nextUp(1f), Math.nextDown(1f), Float.MAX_VALUE,
                -Float.MAX_VALUE, 1e-40f, -1e-40f};
        System.arraycopy(special, 0, values, 0, special.length);
        for (int i = special.length; i < values.length; i++) {
            float v;
            do v = Float.intBitsToFloat(random.nextInt()); while (!Float.isFinite(v));
            values[i] = v;
        }
        for (float thresholdValue : values) {
            int t = TopKFilter.rank(thresholdValue);
            float lowest = TopKFilter.lowestReaching(t);
            for (float s : values) {
                if ((s >= lowest) != (TopKFilter.rank(s) >= t)) {
                    fail("threshold " + thresholdValue + " (rank " + t + ", lowest " + lowest + "), value " + s
                            + " (rank " + TopKFilter.rank(s) + "): the compare and the rank test differ");
                }
            }
        }
    }

    /**
     * The bucket sort of the collected keys against a plain sort, with its output region and the keys past it
     * pre-filled: keys spread over the whole int range of ranks, all in one bucket (one rank, or a cluster far
     * below the largest), thresholds at the int extremes, k from 1 to the count. Prints the case on failure.
     */
    @Test
    void collectedKeysSelectedByBucketsAsBySorting() {
        Random random = new Random(4_117L);
        int[] counts = new int[TopKFilter.ranksNeeded()];
        for (int trial = 0; trial < 2_000; trial++) {
            int limit = 1 + random.nextInt(trial < 1_000 ? 40 : 500);
            int count = 1 + random.nextInt(limit);
            int k = 1 + random.nextInt(count);
            int shape = trial % 5;
            int threshold = shape == 0 ? Integer.MIN_VALUE : shape == 1 ? Integer.MAX_VALUE - random.nextInt(3)
                    : random.nextInt(2_000) - 1_000;
            long[] a = new long[2 * limit];
            Arrays.fill(a, Long.MIN_VALUE + 7);
            int[] positions = distinctPositions(random, count);
            for (int i = 0; i < count; i++) {
                long room = (long) Integer.MAX_VALUE - threshold; // ranks from the threshold up
                int rank = switch (shape) {
                    case 0 -> (int) (threshold + (long) (random.nextDouble() * room)); // the whole range
                    case 1 -> threshold + (int) (random.nextDouble() * room);
                    case 2 -> threshold + random.nextInt(3); // a few ranks, many ties (broken by position)
                    case 3 -> i == 0 ? threshold + 1_000_000 : threshold + random.nextInt(50); // one far above a cluster
                    default -> threshold + random.nextInt(1 << random.nextInt(20));
                };
                a[i] = TopKFilter.key(rank, positions[i]);
            }
            long[] expected = Arrays.copyOf(a, count);
            Arrays.sort(expected);
            long[] input = a.clone();
            TopKFilter.selectByBuckets(a, count, k, threshold, limit, counts);
            for (int i = 0; i < k; i++) {
                if (a[i] != expected[count - 1 - i]) {
                    fail("selectByBuckets, count " + count + " k " + k + " limit " + limit + " threshold " + threshold
                            + ": key " + i + " is " + Long.toHexString(a[i]) + ", expected "
                            + Long.toHexString(expected[count - 1 - i]) + "; input " + Arrays.toString(Arrays.copyOf(input, count)));
                }
            }
        }
    }

    /**
     * The bucket selection with a histogram counted by the caller under a span that ends below some keys (as the
     * fused scoring pass counts with the sample's best rank): those keys share the top bucket, the answer is the same.
     * And the j-th largest of any number of ranks (the padded form {@code F32GemvTopK} gathers).
     */
    @Test
    void bucketsWithAShortSpanAndTheJthLargestOfAnyCount() {
        Random random = new Random(5_309L);
        int[] counts = new int[TopKFilter.ranksNeeded()];
        for (int trial = 0; trial < 1_000; trial++) {
            int limit = 1 + random.nextInt(400);
            int count = 1 + random.nextInt(limit);
            int k = 1 + random.nextInt(count);
            int threshold = random.nextInt(2_000_000) - 1_000_000;
            long[] a = new long[2 * limit];
            int[] positions = distinctPositions(random, count);
            int largest = threshold;
            for (int i = 0; i < count; i++) {
                int rank = threshold + (trial % 3 == 0 ? random.nextInt(5) : random.nextInt(1 << (1 + random.nextInt(30))));
                largest = Math.max(largest, rank);
                a[i] = TopKFilter.key(rank, positions[i]);
            }
            int shortLargest = threshold + (int) ((long) (largest - threshold) * random.nextInt(101) / 100);
            int shift = TopKFilter.bucketShift(threshold, shortLargest);
            Arrays.fill(counts, 0);
            for (int i = 0; i < count; i++) counts[TopKFilter.bucket((int) (a[i] >> 32), threshold, shift)]++;
            long[] expected = Arrays.copyOf(a, count);
            Arrays.sort(expected);
            TopKFilter.selectFromBuckets(a, count, k, threshold, shift, limit, counts);
            for (int i = 0; i < k; i++) {
                if (a[i] != expected[count - 1 - i]) {
                    fail("selectFromBuckets, count " + count + " k " + k + " span to " + shortLargest + " of " + largest
                            + ": key " + i + " is " + Long.toHexString(a[i]) + ", expected " + Long.toHexString(expected[count - 1 - i]));
                }
            }
        }
        int lanes = VectorWidth.INTS.length();
        for (int n = 1; n <= 64; n++) {
            int[] ranks = new int[(n + lanes - 1) / lanes * lanes];
            for (int i = 0; i < n; i++) ranks[i] = random.nextInt(9) - 4;
            Arrays.fill(ranks, n, ranks.length, Integer.MIN_VALUE);
            int[] sorted = Arrays.copyOf(ranks, n);
            Arrays.sort(sorted);
            for (int j = 1; j <= n; j++) {
                assertTrue(TopKFilter.jthLargestVector(ranks, n, j) == sorted[n - j], "n " + n + " j " + j + " " + Arrays.toString(ranks));
            }
        }
    }

    private static int[] distinctPositions(Random random, int count) {
        int[] all = new int[count * 3];
        for (int i = 0; i < all.length; i++) all[i] = i;
        for (int i = all.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return Arrays.copyOf(all, count);
    }

    // ---- checks --------------------------------------------------------------------------------

    /** Every row kernel and the fast overload against the replay, at offsets, outputs pre-filled. */
    private static void checkFloat(float[] row, int n, int k) {
        float[] x = withOffset(row, 3);
        float[] expectedValues = new float[k];
        int[] expectedIndices = new int[k];
        TopKV2.float32(x, 3, 1, n, k, expectedValues, 0, expectedIndices, 0, new int[k + 1]);
        for (int kernel = 0; kernel < FLOAT_ROWS.length; kernel++) {
            float[] values = guardedFloats(k);
            int[] indices = guardedInts(k);
            long[] keys = new long[TopKFilter.keysNeeded(n, k)];
            String what = NAMES[kernel] + ", n " + n + " k " + k;
            assertTrue(FLOAT_ROWS[kernel].run(x, 3, n, k, values, GUARD, indices, GUARD, keys, new int[TopKFilter.ranksNeeded()]), what + ": refused a row without NaN");
            assertSame(expectedValues, expectedIndices, Arrays.copyOfRange(values, GUARD, GUARD + k),
                    Arrays.copyOfRange(indices, GUARD, GUARD + k), what, row);
            assertFloatGuards(values, k, what);
            assertIntGuards(indices, k, what);
        }
        float[] values = new float[k];
        int[] indices = new int[k];
        TopKV2.float32(x, 3, 1, n, k, values, 0, indices, 0, new int[TopKV2.scratchNeeded(k)], new long[TopKFilter.keysNeeded(n, k)]);
        assertSame(expectedValues, expectedIndices, values, indices, "TopKV2.float32 fast, n " + n + " k " + k, row);
    }

    private static void checkNaNRow(float[] row, int n, int k) {
        float[] x = withOffset(row, 1);
        for (int kernel = 0; kernel < FLOAT_ROWS.length; kernel++) {
            float[] values = guardedFloats(k);
            int[] indices = guardedInts(k);
            String what = NAMES[kernel] + ", NaN row, n " + n + " k " + k;
            assertFalse(FLOAT_ROWS[kernel].run(x, 1, n, k, values, GUARD, indices, GUARD, new long[TopKFilter.keysNeeded(n, k)], new int[TopKFilter.ranksNeeded()]), what + ": took a row with NaN");
            for (int i = 0; i < values.length; i++) {
                if (Float.floatToRawIntBits(values[i]) != GUARD_BITS || indices[i] != INT_GUARD) fail(what + ": wrote at " + i);
            }
        }
        float[] expectedValues = new float[k];
        int[] expectedIndices = new int[k];
        TopKV2.float32(x, 1, 1, n, k, expectedValues, 0, expectedIndices, 0, new int[k + 1]);
        float[] values = new float[k];
        int[] indices = new int[k];
        TopKV2.float32(x, 1, 1, n, k, values, 0, indices, 0, new int[TopKV2.scratchNeeded(k)], new long[TopKFilter.keysNeeded(n, k)]);
        assertSame(expectedValues, expectedIndices, values, indices, "TopKV2.float32 fast, NaN row, n " + n + " k " + k, row);
    }

    /**
     * The int top k written out independently of the kernels: every position of the row sorted by value descending,
     * then position ascending (ints are totally ordered, so this is TFLite's answer), the first k kept.
     */
    private static void sortedTopK(int[] x, int base, int n, int k, int[] values, int vOff, int[] indices, int iOff) {
        Integer[] positions = new Integer[n];
        for (int c = 0; c < n; c++) positions[c] = c;
        Arrays.sort(positions, (a, b) -> x[base + a] != x[base + b] ? Integer.compare(x[base + b], x[base + a]) : Integer.compare(a, b));
        for (int j = 0; j < k; j++) {
            indices[iOff + j] = positions[j];
            values[vOff + j] = x[base + positions[j]];
        }
    }

    private static void checkInt(int[] row, int n, int k) {
        int[] x = new int[row.length + 2];
        System.arraycopy(row, 0, x, 2, row.length);
        int[] expectedValues = new int[k];
        int[] expectedIndices = new int[k];
        sortedTopK(x, 2, n, k, expectedValues, 0, expectedIndices, 0);
        for (int kernel = 0; kernel < INT_ROWS.length; kernel++) {
            int[] values = guardedInts(k);
            int[] indices = guardedInts(k);
            String what = NAMES[kernel] + " int32, n " + n + " k " + k;
            INT_ROWS[kernel].run(x, 2, n, k, values, GUARD, indices, GUARD, new long[k]);
            int[] gotValues = Arrays.copyOfRange(values, GUARD, GUARD + k);
            int[] gotIndices = Arrays.copyOfRange(indices, GUARD, GUARD + k);
            if (!Arrays.equals(expectedIndices, gotIndices) || !Arrays.equals(expectedValues, gotValues)) {
                fail(what + ": expected indices " + Arrays.toString(expectedIndices) + " but got " + Arrays.toString(gotIndices)
                        + (n <= 70 ? " for " + Arrays.toString(row) : ""));
            }
            assertIntGuards(values, k, what);
            assertIntGuards(indices, k, what);
        }
    }

    private static void assertSame(float[] expectedValues, int[] expectedIndices, float[] values, int[] indices, String what, float[] row) {
        for (int j = 0; j < expectedIndices.length; j++) {
            if (expectedIndices[j] != indices[j]
                    || Float.floatToRawIntBits(expectedValues[j]) != Float.floatToRawIntBits(values[j])) {
                fail(what + ": first difference at output " + j + ": expected index " + expectedIndices[j] + " value "
                        + expectedValues[j] + ", got index " + indices[j] + " value " + values[j]
                        + "\n expected " + Arrays.toString(expectedIndices) + "\n got      " + Arrays.toString(indices)
                        + (row.length <= 70 ? "\n row " + Arrays.toString(row) : ""));
            }
        }
    }

    private static float[] withOffset(float[] row, int offset) {
        float[] x = new float[offset + row.length + 1];
        Arrays.fill(x, 7f); // outside the row: larger than most values, must never be picked
        System.arraycopy(row, 0, x, offset, row.length);
        return x;
    }

    private static float[] guardedFloats(int k) {
        float[] a = new float[GUARD + k + GUARD];
        Arrays.fill(a, Float.intBitsToFloat(GUARD_BITS));
        return a;
    }

    private static int[] guardedInts(int k) {
        int[] a = new int[GUARD + k + GUARD];
        Arrays.fill(a, INT_GUARD);
        return a;
    }

    private static void assertFloatGuards(float[] a, int k, String what) {
        for (int i = 0; i < GUARD; i++) {
            if (Float.floatToRawIntBits(a[i]) != GUARD_BITS || Float.floatToRawIntBits(a[GUARD + k + i]) != GUARD_BITS) {
                fail(what + ": wrote outside the values");
            }
        }
    }

    private static void assertIntGuards(int[] a, int k, String what) {
        for (int i = 0; i < GUARD; i++) {
            if (a[i] != INT_GUARD || a[GUARD + k + i] != INT_GUARD) fail(what + ": wrote outside the output");
        }
    }
}
