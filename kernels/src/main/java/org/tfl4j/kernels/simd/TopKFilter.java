package org.tfl4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.tfl4j.kernels.TfliteMath;

import java.util.Arrays;

import static org.tfl4j.kernels.simd.VectorWidth.FLOAT_VECTOR;
import static org.tfl4j.kernels.simd.VectorWidth.INT_VECTOR;

/**
 * The top {@code k} of one row for TOPK_V2 when the row holds no NaN: positions ranked by value descending, equal
 * values (+0 and -0 equal, subnormals equal to zero under TFLite's DAZ) by position ascending; the values written
 * are bit copies of the selected inputs. Without NaN that ranking is a total order, so any correct top-k is
 * TFLite's answer and TFLite's exact sequence of heap moves ({@link org.tfl4j.kernels.TopKV2}'s replay) is not
 * needed. A float row with a NaN is refused (nothing written, {@code false} returned) and goes to the replay.
 *
 * <p>Each position becomes one {@code long} key whose natural order is the ranking: the value's rank in the high
 * half ({@link #rank}: the float bits made monotone, ±0 and subnormals all 0; or the int itself), the complemented
 * position in the low half (an earlier position wins a tie). Keys are distinct, so sorting them is the answer.
 *
 * <p>Two ways to the top {@code k}, both exact whatever the values:
 * <ul>
 *   <li><b>Threshold from a sample</b> (long rows and not too small a k: {@code rowSize >= 16 k},
 *       {@code k >= 32}): the {@code j}-th largest value of a 1-in-8 sample of the row (one element of every eight
 *       consecutive ones, see {@link #samplePosition}; {@code j} a little above {@code k / 8}; when {@code j} is
 *       small against the lanes, the {@code j}-th largest of each lane's few best, about 48 in all, which is at most
 *       that) is a threshold {@code T} that about {@code 1.5 k} to {@code 2 k} values reach. One pass collects the
 *       keys of every value {@code >= T}; if there are at least {@code k} of them, the top {@code k} of the row is the
 *       top {@code k} of those (every value left out is below {@code k} collected ones), found by a bucket sort
 *       ({@link #selectByBuckets}). A sample that misjudges the row (fewer than {@code k} values reach T, or more
 *       than about {@code 4 k}: ties, ordered rows) costs one wasted pass, then the heap below runs.</li>
 *   <li><b>Heap behind a moving threshold</b>: the first {@code k} keys form a min-heap whose root is the worst kept;
 *       the rest of the row streams past the root's value: a later position loses ties, so only a value strictly
 *       above it can enter (one compare per element), replacing the root. About {@code k ln(n / k)} entries for
 *       values in random order (some 370 of the models' 3953 logits for k = 100), each {@code O(log k)}: why the
 *       sample comes first.</li>
 * </ul>
 *
 * <p>The vector kernel compares whole vectors with the threshold. Collecting, the compares of 64 elements become
 * the bits of one {@code long}, and only the reaching positions are visited, from those bits; sampling and the heap
 * visit single lanes only in a vector where something reaches it, from the first reaching lane on, one by one, so
 * that no mask lives across a heap move (C2 would box it, allocating). The scalar twin checks each element in the
 * same order, with the same sample and limits, so both take the same way. The vector compares are on raw values, a
 * superset of the exact test on flushed ranks (DAZ only moves subnormals to zero; against a zero threshold the
 * compare is widened to take negative subnormals). The same vector pass detects NaN ({@code v != v}) without an
 * extra branch.
 *
 * <p>Scratch: {@code keys} holds {@link #keysNeeded} longs, allocated once by the caller.
 */
public final class TopKFilter {
    private TopKFilter() {}

    private static final VectorSpecies<Float> FLOATS = VectorWidth.FLOATS;
    private static final VectorSpecies<Integer> INTS = VectorWidth.INTS;
    /** Float lanes; also the sample's group length ({@link #samplePosition}), so the twin samples the same positions. */
    private static final int LANES = FLOATS.length();
    private static final int INT_LANES = INTS.length();
    /** Lane i holds the float whose bits are {@code 1 << i}: blended in where a mask is set, the lanes OR to its bits. */
    static final FloatVector LANE_BIT = FloatVector.fromArray(FLOATS, laneBits(), 0);
    /**
     * True where C2 compiles {@code VectorMask.toLong()} into a few instructions (JDK 21 on; measured on JDK 25): the
     * collecting pass then takes each vector's compare bits from it. JDK 17 computes it lane by lane (2.5 µs for 4096
     * floats, against 0.2 on JDK 25), so there the masks are blended into lane bits and OR-reduced instead. Both give
     * the same word. On JDK 25, AVX-512: the pass without hits 0.42 to 0.23 µs.
     */
    static final boolean MASK_TO_LONG_INTRINSIC = Runtime.version().feature() >= 21;
    /** Vectors whose mask bits fill one int ({@link #collectVector}). */
    static final int VECTORS_PER_INT = Integer.SIZE / LANES;
    /** One element in this many is sampled. */
    private static final int SAMPLE_STRIDE = 8;
    /** Lane i holds {@code i mod SAMPLE_STRIDE}: which vector of a sample group lane i is taken from. */
    private static final FloatVector LANE_SAMPLE_VECTOR = FloatVector.fromArray(FLOATS, sampleVectors(), 0);
    /** Below this k the heap alone is cheap (few entries, shallow), and a sample of k / 8 values too noisy. */
    static final int MIN_SAMPLED_K = 32;
    /**
     * The sample's best ranks kept per lane (a branch-free max/min chain); their union holds the sample's {@code j}
     * largest unless one lane holds more than this many of them. About 48 ranks in all, whatever the width: the
     * threshold's selection ({@link #jthLargestVector}) grows with their square, and 96 of them (six per lane at 16
     * lanes) cost 0.9 µs of a 2.8 µs TOPK_V2 on AVX-512.
     */
    static final int TOP_PER_LANE = Math.max(3, 48 / LANES);
    /** {@link #sortLargest} sorts segments up to this length by insertion (most of {@link #selectByBuckets}' buckets). */
    private static final int INSERTION_SORT_MAX = 24;
    /** The buckets of {@link #selectByBuckets}: about 200 keys over 128 buckets, a handful in the fullest. */
    static final int BUCKETS = 128;

    /** Sentinels of the candidate pass: the row holds NaN, or the sample misjudged it. */
    private static final int HAS_NAN = -1;
    private static final int USE_HEAP = 0;
    /** {@link #collectRange}'s answer when more than the limit reach the threshold (the caller then uses the heap). */
    private static final int OVER_LIMIT = -2;

    /**
     * The length of the {@code ranks} scratch: the sample's best ranks per lane (kept in memory between blocks), then
     * the bucket counts of {@link #selectByBuckets}.
     */
    public static int ranksNeeded() {
        return Math.max(laneRanks(), BUCKETS + 1);
    }

    /** How many of the sample's ranks the lanes keep ({@link #jthLargestVector} selects among them). */
    static int laneRanks() {
        return TOP_PER_LANE * LANES;
    }

    /**
     * The length of the {@code keys} scratch for rows of {@code rowSize} and {@code k}: with a sample, the collected
     * keys and, behind them, as many again for {@link #selectByBuckets}; else the heap's k.
     */
    public static int keysNeeded(int rowSize, int k) {
        return usesSample(rowSize, k) ? Math.max(2 * maxCandidates(k), laneRanks()) : k;
    }

    /** True when the threshold comes from a sample ({@code j} of at least twice as many sampled values). */
    private static boolean usesSample(int rowSize, int k) {
        return k >= MIN_SAMPLED_K && rowSize >= 16 * k && sampleSize(rowSize) >= 2 * sampleRank(k);
    }

    /**
     * More collected keys than this: the sample misjudged the row (ties, an ordered row), use the heap. Four times
     * k, or twice the count a sample rank rounded up to whole blocks leads to expect, whichever is more.
     */
    static int maxCandidates(int k) {
        return Math.max(4 * k, 2 * SAMPLE_STRIDE * sampleRank(k));
    }

    /** Elements in the sample: {@link #LANES} from every whole group of {@code SAMPLE_STRIDE * LANES}. */
    private static int sampleSize(int rowSize) {
        return rowSize / (SAMPLE_STRIDE * LANES) * LANES;
    }

    /**
     * The row position of sampled lane {@code lane} of group {@code group} (the row's elements
     * {@code [group * 8L, (group + 1) * 8L)}, eight vectors of L): lane {@code l} of the group's vector
     * {@code l mod 8}, a diagonal through the group. One element in eight, spread out: a sample of whole vectors
     * (every eighth block of L consecutive elements) took neighbouring labels together, and the models' neighbouring
     * labels score alike, so it misjudged the rows more (on the real logits of 64 varied histories, cnn: about 240
     * values reached its threshold, 164 to 359, against about 160 from single elements).
     */
    static int samplePosition(int group, int lane) {
        return (group * SAMPLE_STRIDE + lane % SAMPLE_STRIDE) * LANES + lane;
    }

    private static float[] laneBits() {
        float[] v = new float[LANES];
        for (int lane = 0; lane < LANES; lane++) v[lane] = Float.intBitsToFloat(1 << lane); // bits only, never arithmetic
        return v;
    }

    private static float[] sampleVectors() {
        float[] v = new float[LANES];
        for (int lane = 0; lane < LANES; lane++) v[lane] = lane % SAMPLE_STRIDE;
        return v;
    }

    /**
     * Which sampled value is the threshold: {@code k / 8} (its expected rank in the sample) plus two standard
     * deviations and 2, rounded up to a multiple of 8, or of the lanes when the sample is kept sorted (whole vectors
     * fill it). Fewer than {@code k} values reach it in at most about 2% of random rows; for k = 100, j = 24 and
     * about 190 are collected. (Rounded to whole 16-lane vectors, j = 32 collected about 260, a longer sort.)
     */
    static int sampleRank(int k) {
        double expected = (double) k / SAMPLE_STRIDE;
        int j = (int) Math.ceil(expected + 2 * Math.sqrt(expected)) + 2;
        int j8 = (j + 7) / 8 * 8;
        return usesLaneTops(j8) ? j8 : (j + LANES - 1) / LANES * LANES;
    }

    // ---- float32 -------------------------------------------------------------------------------

    /**
     * The top {@code k} of {@code x[base, base + rowSize)} into {@code values[valuesOffset, +k)} and
     * {@code indices[indicesOffset, +k)}, best first, by the vector kernel or, with {@link VectorWidth#SCALAR}, its
     * scalar twin. {@code 1 <= k <= rowSize}; {@code keys} holds at least {@link #keysNeeded} longs and {@code ranks}
     * at least {@link #ranksNeeded} ints.
     *
     * @return false, with the outputs untouched, when the row holds a NaN
     */
    public static boolean float32Row(float[] x, int base, int rowSize, int k,
                                     float[] values, int valuesOffset, int[] indices, int indicesOffset, long[] keys,
                                     int[] ranks) {
        return VectorWidth.SCALAR
                ? float32RowScalar(x, base, rowSize, k, values, valuesOffset, indices, indicesOffset, keys, ranks)
                : float32RowVector(x, base, rowSize, k, values, valuesOffset, indices, indicesOffset, keys, ranks);
    }

    /** The vector kernel. */
    public static boolean float32RowVector(float[] x, int base, int rowSize, int k,
                                           float[] values, int valuesOffset, int[] indices, int indicesOffset, long[] keys,
                                           int[] ranks) {
        if (usesSample(rowSize, k)) {
            int threshold = sampleThresholdVector(x, base, rowSize, k, keys, ranks);
            int found = collectVector(x, base, rowSize, k, threshold, keys);
            if (found == HAS_NAN) return false;
            if (found != USE_HEAP) {
                selectByBuckets(keys, found, k, threshold, maxCandidates(k), ranks);
                emit(x, base, k, values, valuesOffset, indices, indicesOffset, keys);
                return true;
            }
        }
        if (!heapVector(x, base, rowSize, k, keys)) return false;
        selectBestFirst(keys, k, k);
        emit(x, base, k, values, valuesOffset, indices, indicesOffset, keys);
        return true;
    }

    /** The scalar twin: the same way to the answer, element by element. */
    public static boolean float32RowScalar(float[] x, int base, int rowSize, int k,
                                           float[] values, int valuesOffset, int[] indices, int indicesOffset, long[] keys,
                                           int[] ranks) {
        if (usesSample(rowSize, k)) {
            int threshold = sampleThresholdScalar(x, base, rowSize, k, keys);
            int found = collectScalar(x, base, rowSize, k, threshold, keys);
            if (found == HAS_NAN) return false;
            if (found != USE_HEAP) {
                selectByBuckets(keys, found, k, threshold, maxCandidates(k), ranks);
                emit(x, base, k, values, valuesOffset, indices, indicesOffset, keys);
                return true;
            }
        }
        if (!heapScalar(x, base, rowSize, k, keys)) return false;
        selectBestFirst(keys, k, k);
        emit(x, base, k, values, valuesOffset, indices, indicesOffset, keys);
        return true;
    }

    private static void emit(float[] x, int base, int k, float[] values, int valuesOffset,
                             int[] indices, int indicesOffset, long[] keys) {
        for (int j = 0; j < k; j++) {
            int index = indexOf(keys[j]);
            indices[indicesOffset + j] = index;
            values[valuesOffset + j] = x[base + index]; // a bit copy
        }
    }

    // Threshold from a sample. When j is at most half of TOP_PER_LANE * LANES (k = 100 from 128-bit vectors on), each
    // lane keeps its TOP_PER_LANE best sampled ranks (a max/min chain, no branch), and the
    // threshold is the j-th largest of those: the sample's j-th largest, or a little below it when one lane holds
    // more than TOP_PER_LANE of the sample's j best (a few more keys collected, never fewer). Otherwise only the j
    // largest sampled ranks are kept, sorted (smallest first) in keys[0, j), a new one shifted into place. A NaN in
    // the sample only spoils the estimate; the collecting pass finds it.

    /** True when the threshold is the {@code j}-th largest of the lanes' best ranks. */
    static boolean usesLaneTops(int j) {
        return 2 * j <= TOP_PER_LANE * LANES;
    }

    /** The threshold rank from the sample, each group's sampled lanes gathered into one vector. */
    private static int sampleThresholdVector(float[] x, int base, int rowSize, int k, long[] keys, int[] ranks) {
        int j = sampleRank(k);
        return usesLaneTops(j) ? laneTopsThresholdVector(x, base, rowSize, j, ranks)
                : sampleThresholdSortedVector(x, base, rowSize, j, keys);
    }

    /** The scalar twin of {@link #sampleThresholdVector}. */
    private static int sampleThresholdScalar(float[] x, int base, int rowSize, int k, long[] keys) {
        int j = sampleRank(k);
        return usesLaneTops(j) ? laneTopsThresholdScalar(x, base, rowSize, j, keys)
                : sampleThresholdSortedScalar(x, base, rowSize, j, keys);
    }

    /**
     * The {@code j}-th largest of the lanes' {@link #TOP_PER_LANE} best sampled ranks: ranks computed on the float
     * bits as {@link #rank} does (so a NaN gets the same rank as in the twin), kept per lane best first in
     * {@code ranks} (slot i of lane l at {@code i * LANES + l}), then the j-th largest of those
     * ({@link #jthLargestVector}). Lanes with fewer sampled values keep {@code Integer.MIN_VALUE}; at least
     * {@code 2 j} values are sampled, so the j-th is a real one.
     */
    private static int laneTopsThresholdVector(float[] x, int base, int rowSize, int j, int[] ranks) {
        int blocks = sampleSize(rowSize) / LANES;
        // The lanes' best ranks wait in ranks[i * LANES + lane] between blocks, not in vectors carried through
        // the loop: C2 sometimes boxed such loop-carried vectors, allocating on every call.
        Arrays.fill(ranks, 0, TOP_PER_LANE * LANES, Integer.MIN_VALUE);
        for (int block = 0; block < blocks; block++) {
            // reinterpretAsInts and the loop-carried r are cast to their exact class (VectorWidth.FLOAT_VECTOR).
            int c = base + block * SAMPLE_STRIDE * LANES;
            FloatVector sampled = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, x, c)); // lanes of vector 0
            for (int v = 1; v < Math.min(SAMPLE_STRIDE, LANES); v++) { // the lanes samplePosition takes from vector v
                FloatVector from = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, x, c + v * LANES));
                sampled = FLOAT_VECTOR.cast(sampled).blend(from, LANE_SAMPLE_VECTOR.compare(VectorOperators.EQ, (float) v));
            }
            sampled = FLOAT_VECTOR.cast(sampled);
            IntVector bits = INT_VECTOR.cast(sampled.reinterpretAsInts());
            IntVector magnitude = bits.lanewise(VectorOperators.AND, 0x7fff_ffff);
            IntVector r = bits.lanewise(VectorOperators.XOR, bits.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7fff_ffff))
                    .blend(0, magnitude.compare(VectorOperators.LT, Float.floatToRawIntBits(Float.MIN_NORMAL)));
            for (int i = 0; i < TOP_PER_LANE * LANES; i += LANES) {
                IntVector kept = INT_VECTOR.cast(IntVector.fromArray(INTS, ranks, i));
                IntVector rank = INT_VECTOR.cast(r);
                kept.max(rank).intoArray(ranks, i);
                r = kept.min(rank);
            }
        }
        return jthLargestVector(ranks, j);
    }

    /**
     * {@link #jthLargest} of {@code ranks[0, TOP_PER_LANE * L)} without sorting: the largest of those ranks that at
     * least {@code j} of them reach (every larger value is reached by fewer than j, the j-th largest by at least j).
     * The ranks are the candidates, a vector of them at a time; every rank is broadcast in turn and the candidates it
     * reaches counted in lanes, so no count needs a reduction; the maximum is one reduction per vector of candidates,
     * taken without a branch. (An insertion sort's data-dependent branches took about 0.4 µs of the 0.8 µs sample
     * pass on cnn's logits at 8 lanes; a reduction per candidate, 0.6 µs at 16.)
     */
    static int jthLargestVector(int[] ranks, int j) {
        return jthLargestVector(ranks, TOP_PER_LANE * LANES, j);
    }

    /**
     * The {@code j}-th largest of {@code ranks[0, n)} ({@code j <= n}) as {@link #jthLargestVector(int[], int)} counts
     * it; {@code ranks[n, n rounded up to whole vectors)} must hold {@code Integer.MIN_VALUE}.
     */
    static int jthLargestVector(int[] ranks, int n, int j) {
        IntVector zero = INT_VECTOR.cast(IntVector.zero(INTS));
        IntVector one = INT_VECTOR.cast(IntVector.broadcast(INTS, 1));
        int best = Integer.MIN_VALUE;
        for (int i = 0; i < n; i += INT_LANES) {
            IntVector candidates = INT_VECTOR.cast(IntVector.fromArray(INTS, ranks, i));
            IntVector reaching = zero; // lane: how many ranks reach that lane's candidate
            for (int m = 0; m < n; m++) {
                reaching = INT_VECTOR.cast(reaching).add(zero.blend(one, candidates.compare(VectorOperators.LE, ranks[m])));
            }
            IntVector chosen = candidates.blend(Integer.MIN_VALUE, INT_VECTOR.cast(reaching).compare(VectorOperators.LT, j));
            best = Math.max(best, INT_VECTOR.cast(chosen).reduceLanes(VectorOperators.MAX));
        }
        return best;
    }

    /** The scalar twin of {@link #laneTopsThresholdVector}: each lane's best ranks in {@code keys}, the same chain. */
    private static int laneTopsThresholdScalar(float[] x, int base, int rowSize, int j, long[] keys) {
        int blocks = sampleSize(rowSize) / LANES;
        Arrays.fill(keys, 0, TOP_PER_LANE * LANES, Integer.MIN_VALUE);
        for (int block = 0; block < blocks; block++) {
            for (int lane = 0; lane < LANES; lane++) {
                long r = rank(x[base + samplePosition(block, lane)]);
                for (int i = 0; i < TOP_PER_LANE; i++) { // lane's i-th best at keys[i * LANES + lane]
                    long t = keys[i * LANES + lane];
                    keys[i * LANES + lane] = Math.max(t, r);
                    r = Math.min(t, r);
                }
            }
        }
        return jthLargest(keys, TOP_PER_LANE * LANES, j);
    }

    /**
     * The {@code j}-th largest of {@code a[0, n)} (ranks as longs); sorts that range by insertion (n is at most
     * {@code TOP_PER_LANE * LANES}). Not {@code Arrays.sort}: from JDK 22 on, past 44 elements it partitions and
     * allocates its pivot indices, which C2 does not always remove.
     */
    static int jthLargest(long[] a, int n, int j) {
        for (int i = 1; i < n; i++) {
            long v = a[i];
            int h = i - 1;
            for (; h >= 0 && a[h] > v; h--) a[h + 1] = a[h];
            a[h + 1] = v;
        }
        return (int) a[n - j];
    }

    /** The {@code j}-th largest rank in the sample, each group's sampled lanes gathered into one vector. */
    private static int sampleThresholdSortedVector(float[] x, int base, int rowSize, int j, long[] keys) {
        int blocks = sampleSize(rowSize) / LANES;
        int filled = j / LANES;
        fillSample(x, base, filled, keys);
        int worstRank = (int) keys[0];
        float worst = valueOfRank(worstRank);
        for (int block = filled; block < blocks; block++) {
            int c = base + block * SAMPLE_STRIDE * LANES;
            FloatVector sampled = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, x, c)); // as laneTopsThresholdVector
            for (int v = 1; v < Math.min(SAMPLE_STRIDE, LANES); v++) {
                FloatVector from = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, x, c + v * LANES));
                sampled = FLOAT_VECTOR.cast(sampled).blend(from, LANE_SAMPLE_VECTOR.compare(VectorOperators.EQ, (float) v));
            }
            VectorMask<Float> above = FLOAT_VECTOR.cast(sampled).compare(VectorOperators.GT, worst);
            if (above.anyTrue()) {
                // Lanes from the first one above on, one by one: no mask lives across the insertions (C2 would
                // box it, allocating).
                for (int lane = above.firstTrue(); lane < LANES; lane++) {
                    int rank = rank(x[base + samplePosition(block, lane)]);
                    if (rank > worstRank) {
                        keepRank(keys, j, rank);
                        worstRank = (int) keys[0];
                    }
                }
                worst = valueOfRank(worstRank);
            }
        }
        return worstRank;
    }

    /** The scalar twin of {@link #sampleThresholdSortedVector}. */
    private static int sampleThresholdSortedScalar(float[] x, int base, int rowSize, int j, long[] keys) {
        int blocks = sampleSize(rowSize) / LANES;
        int filled = j / LANES;
        fillSample(x, base, filled, keys);
        int worstRank = (int) keys[0];
        for (int block = filled; block < blocks; block++) {
            for (int lane = 0; lane < LANES; lane++) {
                int rank = rank(x[base + samplePosition(block, lane)]);
                if (rank > worstRank) {
                    keepRank(keys, j, rank);
                    worstRank = (int) keys[0];
                }
            }
        }
        return worstRank;
    }

    /** The ranks of the first {@code blocks} sample groups, sorted smallest first into {@code best}. */
    private static void fillSample(float[] x, int base, int blocks, long[] best) {
        for (int block = 0; block < blocks; block++) {
            for (int lane = 0; lane < LANES; lane++) {
                int i = block * LANES + lane;
                long rank = rank(x[base + samplePosition(block, lane)]);
                while (i > 0 && best[i - 1] > rank) {
                    best[i] = best[i - 1];
                    i--;
                }
                best[i] = rank;
            }
        }
    }

    /** Drops the smallest of the sorted {@code best[0, j)} and shifts {@code rank} (larger than it) into place. */
    private static void keepRank(long[] best, int j, int rank) {
        int i = 0;
        while (i + 1 < j && best[i + 1] < rank) {
            best[i] = best[i + 1];
            i++;
        }
        best[i] = rank;
    }

    // Collecting every key whose rank reaches the threshold, in position order.

    /**
     * Keys of all values whose rank is at least {@code threshold} into {@code keys[0, count)}: the count if at
     * least {@code k}, {@link #HAS_NAN}, or {@link #USE_HEAP} (fewer than k, or more than {@link #maxCandidates}).
     *
     * <p>64 elements at a time: the vector compares of their {@code 64 / L} vectors become the bits of one
     * {@code long} (each mask's {@code toLong()} where {@link #MASK_TO_LONG_INTRINSIC}; else each mask blended into
     * {@link #LANE_BIT}, shifted to its vector's place and OR-ed, one reduction per int), and the reaching positions
     * are then taken from that word lowest bit first. Positions come in order, so the keys, the count and the
     * outcome are the twin's. One branch per word instead of one per vector and one per reaching lane: on the models'
     * logits the hits fall at random, so those branches were mostly mispredicted (TopKFilter's collect pass alone,
     * cnn logits: 1.55 to 1.12 us with one repeated row, 4.2 to 1.2 us over the rows of 64 varied histories, JDK 17). The last {@code rowSize mod 64} elements go one by one.
     */
    private static int collectVector(float[] x, int base, int rowSize, int k, int threshold, long[] keys) {
        int limit = maxCandidates(k);
        float lowest = lowestReaching(threshold);
        FloatVector zero = FLOAT_VECTOR.cast(FloatVector.zero(FLOATS));
        int count = 0;
        int c = 0;
        for (int whole = rowSize - rowSize % Long.SIZE; c < whole; c += Long.SIZE) {
            long word = 0; // bit i: position c + i reaches the threshold (or is NaN)
            if (MASK_TO_LONG_INTRINSIC) {
                for (int v = 0; v < Long.SIZE / LANES; v++) {
                    FloatVector values = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, x, base + c + v * LANES));
                    VectorMask<Float> reaching = values.compare(VectorOperators.GE, lowest)
                            .or(values.compare(VectorOperators.NE, values));
                    word |= reaching.toLong() << (v * LANES);
                }
            } else {
                for (int half = 0; half < Long.SIZE / Integer.SIZE; half++) {
                    IntVector bits = INT_VECTOR.cast(IntVector.zero(INTS));
                    for (int v = 0; v < VECTORS_PER_INT; v++) {
                        int at = base + c + (half * VECTORS_PER_INT + v) * LANES;
                        FloatVector values = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, x, at));
                        VectorMask<Float> reaching = values.compare(VectorOperators.GE, lowest)
                                .or(values.compare(VectorOperators.NE, values));
                        IntVector laneBits = INT_VECTOR.cast(zero.blend(LANE_BIT, reaching).reinterpretAsInts());
                        bits = INT_VECTOR.cast(bits).or(laneBits.lanewise(VectorOperators.LSHL, v * LANES));
                    }
                    word |= (INT_VECTOR.cast(bits).reduceLanes(VectorOperators.OR) & 0xFFFF_FFFFL) << (half * Integer.SIZE);
                }
            }
            for (; word != 0; word &= word - 1) {
                int position = c + Long.numberOfTrailingZeros(word);
                float value = x[base + position];
                if (value != value) return HAS_NAN;
                int rank = rank(value);
                if (rank >= threshold) { // the compare took raw values: a subnormal may rank below
                    if (count == limit) return USE_HEAP;
                    keys[count++] = key(rank, position);
                }
            }
        }
        count = collectRange(x, base, c, rowSize, threshold, keys, count, limit);
        return outcome(count, k);
    }

    /** The scalar twin of {@link #collectVector}: the same keys, counts and outcomes. */
    private static int collectScalar(float[] x, int base, int rowSize, int k, int threshold, long[] keys) {
        int count = collectRange(x, base, 0, rowSize, threshold, keys, 0, maxCandidates(k));
        return outcome(count, k);
    }

    /** The collecting pass's answer from {@link #collectRange}'s: NaN stays, over the limit or under k is the heap's. */
    private static int outcome(int count, int k) {
        return count == HAS_NAN || count >= k ? count : USE_HEAP;
    }

    /**
     * Appends to {@code keys[count, ...)} the keys of positions {@code [from, to)} whose rank is at least
     * {@code threshold}, one by one in order: the new count, {@link #HAS_NAN} at a NaN, or {@link #OVER_LIMIT} when
     * one more than {@code limit} reaches it.
     */
    private static int collectRange(float[] x, int base, int from, int to, int threshold, long[] keys, int count,
                                    int limit) {
        for (int c = from; c < to; c++) {
            float value = x[base + c];
            if (value != value) return HAS_NAN;
            int rank = rank(value);
            if (rank >= threshold) {
                if (count == limit) return OVER_LIMIT;
                keys[count++] = key(rank, c);
            }
        }
        return count;
    }

    /** The smallest float whose flushed value reaches the threshold's: below a zero threshold, the negative subnormals. */
    static float lowestReaching(int threshold) {
        return threshold == 0 ? -Math.nextDown(Float.MIN_NORMAL) : valueOfRank(threshold);
    }

    // The heap behind a moving threshold.

    /** The top k of the row as a min-heap in {@code keys[0, k)}, the row past the first k compared in vectors; false on NaN. */
    private static boolean heapVector(float[] x, int base, int rowSize, int k, long[] keys) {
        if (!fillHeap(x, base, k, keys)) return false;
        float worst = worstValue(keys);
        int c = k;
        for (int whole = rowSize - (rowSize - k) % LANES; c < whole; c += LANES) {
            FloatVector v = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, x, base + c));
            VectorMask<Float> above = v.compare(VectorOperators.GT, worst).or(v.compare(VectorOperators.NE, v));
            if (above.anyTrue()) {
                // Lanes from the first one above on, one by one (no mask lives across the heap moves, see above).
                for (int p = c + above.firstTrue(); p < c + LANES; p++) {
                    float value = x[base + p];
                    if (value != value) return false;
                    if (TfliteMath.ftz(value) > worst) { // the worst may have risen since the compare
                        siftDown(keys, 0, k, key(rank(value), p));
                        worst = worstValue(keys);
                    }
                }
            }
        }
        for (; c < rowSize; c++) {
            float value = x[base + c];
            if (value != value) return false;
            if (TfliteMath.ftz(value) > worst) {
                siftDown(keys, 0, k, key(rank(value), c));
                worst = worstValue(keys);
            }
        }
        return true;
    }

    /** The scalar twin of {@link #heapVector}. */
    private static boolean heapScalar(float[] x, int base, int rowSize, int k, long[] keys) {
        if (!fillHeap(x, base, k, keys)) return false;
        float worst = worstValue(keys);
        for (int c = k; c < rowSize; c++) {
            float value = x[base + c];
            if (value != value) return false;
            if (TfliteMath.ftz(value) > worst) { // strictly: position c is later than every kept one, so it loses ties
                siftDown(keys, 0, k, key(rank(value), c));
                worst = worstValue(keys);
            }
        }
        return true;
    }

    /** Keys of positions {@code [0, k)} as a min-heap; false at the first NaN. */
    private static boolean fillHeap(float[] x, int base, int k, long[] keys) {
        for (int c = 0; c < k; c++) {
            float value = x[base + c];
            if (value != value) return false;
            keys[c] = key(rank(value), c);
        }
        heapify(keys, k);
        return true;
    }

    /**
     * The float's place in the ranking as an int: monotone in the value ({@code a > b} iff
     * {@code rank(a) > rank(b)} under DAZ), +0, -0 and subnormals all 0. Meaningless for NaN.
     */
    static int rank(float value) {
        if (Math.abs(value) < Float.MIN_NORMAL) return 0;
        int bits = Float.floatToRawIntBits(value);
        return bits ^ ((bits >> 31) & 0x7fff_ffff); // negatives: larger magnitude, smaller rank
    }

    /** The flushed value of a rank ({@link #rank} inverted; rank 0 comes back as +0). */
    private static float valueOfRank(int rank) {
        return Float.intBitsToFloat(rank ^ ((rank >> 31) & 0x7fff_ffff));
    }

    /** The flushed value of the worst kept position, the heap's root. */
    private static float worstValue(long[] heap) {
        return valueOfRank((int) (heap[0] >> 32));
    }

    // ---- int32 ---------------------------------------------------------------------------------

    /**
     * The top {@code k} of {@code x[base, base + rowSize)} (ints: always an answer), best first, by the vector kernel
     * or, with {@link VectorWidth#SCALAR}, its scalar twin: the heap behind a moving threshold (the models have no
     * int32 TOPK_V2). {@code 1 <= k <= rowSize}; {@code keys} holds at least {@code k}.
     */
    public static void int32Row(int[] x, int base, int rowSize, int k,
                                int[] values, int valuesOffset, int[] indices, int indicesOffset, long[] keys) {
        if (VectorWidth.SCALAR) {
            int32RowScalar(x, base, rowSize, k, values, valuesOffset, indices, indicesOffset, keys);
        } else {
            int32RowVector(x, base, rowSize, k, values, valuesOffset, indices, indicesOffset, keys);
        }
    }

    /** The vector kernel for ints. */
    public static void int32RowVector(int[] x, int base, int rowSize, int k,
                                      int[] values, int valuesOffset, int[] indices, int indicesOffset, long[] keys) {
        fillHeap(x, base, k, keys);
        int worst = (int) (keys[0] >> 32);
        int c = k;
        for (int whole = rowSize - (rowSize - k) % INT_LANES; c < whole; c += INT_LANES) {
            VectorMask<Integer> above = INT_VECTOR.cast(IntVector.fromArray(INTS, x, base + c)).compare(VectorOperators.GT, worst);
            if (above.anyTrue()) {
                for (int p = c + above.firstTrue(); p < c + INT_LANES; p++) {
                    int value = x[base + p];
                    if (value > worst) {
                        siftDown(keys, 0, k, key(value, p));
                        worst = (int) (keys[0] >> 32);
                    }
                }
            }
        }
        for (; c < rowSize; c++) {
            int value = x[base + c];
            if (value > worst) {
                siftDown(keys, 0, k, key(value, c));
                worst = (int) (keys[0] >> 32);
            }
        }
        selectBestFirst(keys, k, k);
        emit(x, base, k, values, valuesOffset, indices, indicesOffset, keys);
    }

    /** The scalar twin for ints. */
    public static void int32RowScalar(int[] x, int base, int rowSize, int k,
                                      int[] values, int valuesOffset, int[] indices, int indicesOffset, long[] keys) {
        fillHeap(x, base, k, keys);
        int worst = (int) (keys[0] >> 32);
        for (int c = k; c < rowSize; c++) {
            int value = x[base + c];
            if (value > worst) {
                siftDown(keys, 0, k, key(value, c));
                worst = (int) (keys[0] >> 32);
            }
        }
        selectBestFirst(keys, k, k);
        emit(x, base, k, values, valuesOffset, indices, indicesOffset, keys);
    }

    private static void fillHeap(int[] x, int base, int k, long[] keys) {
        for (int c = 0; c < k; c++) keys[c] = key(x[base + c], c);
        heapify(keys, k);
    }

    private static void emit(int[] x, int base, int k, int[] values, int valuesOffset,
                             int[] indices, int indicesOffset, long[] keys) {
        for (int j = 0; j < k; j++) {
            int index = indexOf(keys[j]);
            indices[indicesOffset + j] = index;
            values[valuesOffset + j] = x[base + index];
        }
    }

    // ---- keys, the min-heap and the partial sort -----------------------------------------------

    /** Rank high, complemented position low: a larger key ranks first, and equal ranks go to the smaller position. */
    static long key(int rank, int position) {
        return ((long) rank << 32) | (~position & 0xffff_ffffL);
    }

    static int indexOf(long key) {
        return ~(int) key;
    }

    /** Moves {@code key} down from {@code hole} in the min-heap {@code heap[0, len)} to its place. */
    private static void siftDown(long[] heap, int hole, int len, long key) {
        int child;
        while ((child = 2 * hole + 1) < len) {
            long smaller = heap[child];
            if (child + 1 < len) {
                long right = heap[child + 1];
                if (right < smaller) {
                    smaller = right;
                    child++;
                }
            }
            if (smaller >= key) break;
            heap[hole] = smaller;
            hole = child;
        }
        heap[hole] = key;
    }

    private static void heapify(long[] heap, int len) {
        for (int parent = len / 2 - 1; parent >= 0; parent--) siftDown(heap, parent, len, heap[parent]);
    }

    /**
     * Puts the {@code k} largest of the distinct keys {@code a[0, count)}, whose ranks all reach {@code threshold},
     * into {@code a[0, k)}, largest first ({@code k <= count <= limit}; {@code a} holds {@code 2 limit},
     * {@code counts} {@link #BUCKETS}{@code + 1} ints). A bucket sort on the rank's distance above the threshold:
     * {@link #BUCKETS} equal ranges from the threshold to the largest rank, each key's bucket one subtraction and
     * shift away (ranks are monotone in the value, so a range is a value interval); the keys are moved, buckets
     * best first, into {@code a[limit, 2 limit)}, only the buckets that hold the k best are sorted (by
     * {@link #sortLargest}: insertion up to {@link #INSERTION_SORT_MAX} keys, so ties and clusters cannot make it
     * quadratic), and the k best are copied back. The branches are few and short, where the partial quicksort's
     * depend on the data: over the logits of 64 varied histories the selection took about 1.1 µs instead of 3.2-3.5 µs (one
     * repeated row, whose branches the CPU learns: 0.7 against 0.8 µs; AVX-512 machine, JDK 17).
     */
    static void selectByBuckets(long[] a, int count, int k, int threshold, int limit, int[] counts) {
        int largest = threshold;
        for (int i = 0; i < count; i++) largest = Math.max(largest, (int) (a[i] >> 32));
        int shift = bucketShift(threshold, largest);
        Arrays.fill(counts, 0, BUCKETS, 0);
        for (int i = 0; i < count; i++) counts[bucket((int) (a[i] >> 32), threshold, shift)]++;
        selectFromBuckets(a, count, k, threshold, shift, limit, counts);
    }

    /**
     * The shift that spreads ranks from {@code threshold} to {@code largest} over the {@link #BUCKETS} buckets of
     * {@link #bucket}: the span's bit length less the buckets' (the span is unsigned, {@code largest >= threshold}).
     */
    static int bucketShift(int threshold, int largest) {
        int span = largest - threshold;
        return Math.max(0, (Integer.SIZE - Integer.numberOfLeadingZeros(span)) - Integer.numberOfTrailingZeros(BUCKETS));
    }

    /** The bucket of a rank at least {@code threshold}; ranks past the span {@link #bucketShift} was given share the top one. */
    static int bucket(int rank, int threshold, int shift) {
        return (int) Math.min(Integer.toUnsignedLong(rank - threshold) >>> shift, BUCKETS - 1);
    }

    /**
     * {@link #selectByBuckets} after its histogram: {@code counts[0, BUCKETS)} hold how many of the keys
     * {@code a[0, count)} fall in each {@link #bucket} under {@code shift} (a caller that collects the keys can count
     * them as it goes). Overwrites {@code counts}.
     */
    static void selectFromBuckets(long[] a, int count, int k, int threshold, int shift, int limit, int[] counts) {
        int start = limit; // buckets best first from a[limit]; the k best end in the bucket `last`
        int last = 0;
        for (int b = BUCKETS - 1; b >= 0; b--) {
            int size = counts[b];
            counts[b] = start;
            if (start - limit < k && start - limit + size >= k) last = b;
            start += size;
        }
        for (int i = 0; i < count; i++) {
            long key = a[i];
            a[counts[bucket((int) (key >> 32), threshold, shift)]++] = key; // counts[b]: then the end of bucket b
        }
        int from = limit;
        for (int b = BUCKETS - 1; b >= last; b--) {
            int to = counts[b];
            sortLargest(a, from, to, Math.min(to, limit + k)); // a short bucket goes straight to its insertion sort
            from = to;
        }
        System.arraycopy(a, limit, a, 0, k);
    }

    /** Puts the {@code k} largest of the distinct keys {@code a[0, count)} into {@code a[0, k)}, largest first. */
    static void selectBestFirst(long[] a, int count, int k) {
        sortLargest(a, 0, count, k);
    }

    /**
     * Quicksort, largest first, that only sorts what lands in {@code a[lo, end)}: a part entirely past {@code end}
     * is dropped unsorted. Hoare's partition around the median of three (moved to {@code a[lo]}, which keeps both
     * parts non-empty); insertion sort below {@link #INSERTION_SORT_MAX}.
     */
    private static void sortLargest(long[] a, int lo, int hi, int end) {
        while (hi - lo > INSERTION_SORT_MAX) {
            int mid = (lo + hi) >>> 1;
            medianToFront(a, lo, mid, hi - 1);
            long pivot = a[lo];
            int i = lo - 1;
            int j = hi;
            while (true) {
                do i++; while (a[i] > pivot);
                do j--; while (a[j] < pivot);
                if (i >= j) break;
                long t = a[i];
                a[i] = a[j];
                a[j] = t;
            }
            int cut = j + 1; // a[lo, cut) >= pivot >= a[cut, hi)
            if (cut < end) {
                sortLargest(a, lo, cut, cut); // all of it is wanted
                lo = cut;
            } else {
                hi = cut;
            }
        }
        for (int i = lo + 1; i < hi; i++) {
            long v = a[i];
            int q = i - 1;
            while (q >= lo && a[q] < v) {
                a[q + 1] = a[q];
                q--;
            }
            a[q + 1] = v;
        }
    }

    /** Swaps the median of {@code a[p], a[q], a[r]} into {@code a[p]}. */
    private static void medianToFront(long[] a, int p, int q, int r) {
        long x = a[p], y = a[q], z = a[r];
        int median = x < y ? (y < z ? q : (x < z ? r : p)) : (x < z ? p : (y < z ? r : q));
        a[p] = a[median];
        a[median] = x;
    }
}
