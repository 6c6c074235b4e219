package org.tfl4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.tfl4j.kernels.TfliteMath;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.tfl4j.kernels.simd.VectorWidth.FLOAT_VECTOR;
import static org.tfl4j.kernels.simd.VectorWidth.INT_VECTOR;

/**
 * The models' scoring end in one pass: FULLY_CONNECTED of one input row against a constant {@code [units, depth]}
 * table (depth a multiple of 4 up to 64, no bias, no fused activation) and TOPK_V2 of its {@code units} scores,
 * without a scores tensor in between. The same bits as {@link F32GemvDot4} followed by {@link TopKFilter}, hence as
 * TFLite's two ops.
 *
 * <p>How: the table is packed once in a fixed pseudo-random order of its units ({@link #packingOrder}), so that its
 * first {@link #sampleUnits} are a random sample, and by input column: {@code [depth][units]}, one panel per input
 * ({@link #pack}). The GEMV runs over steps of {@code 8 L} units (eight vectors) and reads only the panels whose
 * input is not zero (see below), two of dot4's partial sums at a time: their non-zero inputs paired in rounds
 * ({@link #pairedTerms}), sixteen independent sums per round; a pass over the even inputs' pair, then one over the
 * odd inputs' ({@link #sums}). The sample's steps go first; their scores give the threshold (the sample's exact
 * rank {@link #firstSampleRank}, a little tighter than TopKFilter's {@code j}), and are then compared with it. The
 * other steps compare their final scores with that threshold right after the odd pass stores them. The compare bits
 * of 32 units go into one int; the set bits are counted (fewer than k: a second try compares the stored scores with
 * the sample's {@code j}-th rank; still fewer, or more than TopKFilter's limit, and the sample misjudged the row),
 * and only the reaching units (about 140 to 240 of the models' 3953) are ever visited again. Their keys (rank,
 * then the unit's own index for ties) are counted into TopKFilter's buckets as they are collected (the buckets
 * spread up to the sample's best rank; the few above it share the top one), and TopKFilter's bucket selection takes
 * the best k; the values written are bit copies of the scores.
 *
 * <p>Why leaving out a zero input keeps dot4's bits: see {@link #pairedTerms} (a partial sum that starts at
 * +0 and only adds products is never -0, so adding ±0 leaves it unchanged). Every weight must be finite (0 times an
 * infinite weight is NaN): a table with one that is not never takes this path (see below). The models' inputs to
 * this FC come out of a ReLU; 25 to 56% of them are zero on the representative history.
 *
 * <p>It answers only what it can answer exactly, and says so: {@code false} when the clamp of the (absent) fused
 * activation could change a sum (an infinite or NaN input or weight, or sums near FLT_MAX; then the scores are
 * computed by {@link #unit} with the clamp) or when the sample misjudged the scores (fewer than k reach its
 * threshold, or more than {@link TopKFilter#maxCandidates}). Then {@code scores[0, units)} hold every unit's
 * FULLY_CONNECTED output in packing order and nothing else was written; the caller puts them in unit order
 * ({@link #unpack}) and runs TOPK_V2 on them. Without those cases every score is finite (the clamp's proof bounds
 * them below FLT_MAX), so the compares need no NaN test. Flushing arithmetic is the caller's to rule out first
 * ({@code MatMul.needsFlush}), as for {@link F32GemvDot4}.
 *
 * <p>The scalar twin ({@link #evalScalar}) computes every score with {@link #unit}, the whole dot4 with every input,
 * zero or not; it takes the same sample and threshold lane by lane, and collects and selects the same keys; both read
 * the same packed table.
 */
public final class F32GemvTopK {
    private F32GemvTopK() {}

    private static final VectorSpecies<Float> FLOATS = VectorWidth.FLOATS;
    private static final VectorSpecies<Integer> INTS = VectorWidth.INTS;
    private static final int LANES = FLOATS.length();
    /** Units whose compare bits are taken together: four vectors (two ints at 16 lanes, half of one at 4). */
    private static final int GROUP = 4 * LANES;
    /** Units per step of the vector GEMV: eight vectors, two groups (see {@link #sums}). */
    private static final int STEP = 2 * GROUP;
    /** The sample's length is a multiple of this: whole steps, whole ints of compare bits, at every width. */
    private static final int SAMPLE_ALIGN = 128;
    /** The deepest table taken (the term lists live in {@code terms}). */
    private static final int MAX_DEPTH = 64;
    /** The packing order's seed: any fixed value; fixed so that every load packs alike. */
    private static final long ORDER_SEED = 0x5EED_3953L;

    /**
     * True when the fused kernel takes a {@code [units, depth]} table and this {@code k}: depth a multiple of 4 up
     * to {@link #MAX_DEPTH}, and the rows TopKFilter samples ({@code k >= 32}, {@code units >= 16 k}), with a sample
     * large enough for the threshold's rank and that rank within the lanes' kept ranks.
     */
    public static boolean supports(int units, int depth, int k) {
        if (depth < 4 || depth > MAX_DEPTH || depth % 4 != 0) return false;
        if (k < TopKFilter.MIN_SAMPLED_K || units < 16 * k) return false;
        int j = TopKFilter.sampleRank(k);
        return TopKFilter.usesLaneTops(j) && sampleUnits(units) >= 2 * j;
    }

    /** The units scored first, whose scores are the sample: about one in eight, rounded up to {@link #SAMPLE_ALIGN}. */
    static int sampleUnits(int units) {
        return (units / 8 + SAMPLE_ALIGN - 1) / SAMPLE_ALIGN * SAMPLE_ALIGN;
    }

    /**
     * The sample rank of the first try's threshold: {@code k / 8} (the expected rank in the sample of the k-th best
     * score) plus two standard deviations; 20 for k = 100, where {@link TopKFilter#sampleRank} takes 24. When fewer
     * than k units reach it, the second try takes TopKFilter's rank (one more exact rank of the sample and a compare
     * pass over the stored scores). Over the logits of 64 varied histories (each model) the first try left fewer
     * than k in 0 or 1 of them and let 138-148 units through (median), where TopKFilter's rank let 164-180 through;
     * rank 18 left fewer than k in 3 to 8 of them, and in cnn's representative history.
     */
    static int firstSampleRank(int k) {
        double expected = k / 8.0;
        return Math.min(TopKFilter.sampleRank(k), (int) Math.ceil(expected + 2 * Math.sqrt(expected)));
    }

    /** The units the vector GEMV scores: {@code units} rounded up to whole steps (the padding weights are zeros). */
    static int scoredUnits(int units) {
        return (units + STEP - 1) / STEP * STEP;
    }

    /**
     * Floats from one panel to the next: {@link #scoredUnits}, padded to 64 floats past a multiple of 1024, so that
     * consecutive panels start 256 bytes apart modulo 4 KB. The GEMV reads some twenty panels side by side; with the
     * models' 3968 floats per panel they started only 8 offsets modulo 4 KB apart, aliasing with each other in L1's
     * sets (and 4096-float panels all at one offset): the fused pass on cnn-genre's table and representative input
     * measured 7.3-7.9 µs with this padding against 8.6-9.0 µs with 3968 floats and 9.0-9.1 µs with 4096 (an earlier
     * form of the GEMV, one term loop per partial sum; JDK 17, AVX-512).
     */
    static int panelStride(int units) {
        int scored = scoredUnits(units);
        return scored + Math.floorMod(64 - scored, 1024);
    }

    /**
     * The units in the order they are packed: a seeded shuffle of {@code 0 .. units-1}, the same on every load and
     * every machine (a sample of whole blocks of neighbouring units would take labels that score alike together).
     */
    public static int[] packingOrder(int units) {
        int[] order = new int[units];
        for (int i = 0; i < units; i++) order[i] = i;
        SplittableRandom random = new SplittableRandom(ORDER_SEED);
        for (int i = units - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Where each unit is packed: the inverse of {@code order}. */
    public static int[] packedPositions(int[] order) {
        int[] position = new int[order.length];
        for (int i = 0; i < order.length; i++) position[order[i]] = i;
        return position;
    }

    /**
     * Floats of the packed table: the {@code depth} panels {@link #panelStride} apart, from their origin
     * ({@link PanelOrigins}: room for up to {@code COUNT - 1} floats before them), then the largest weight magnitude.
     */
    public static int packedSize(int units, int depth) {
        return panelsLength(units, depth) + PanelOrigins.COUNT;
    }

    /** Floats the panels take, their padding included. */
    public static int panelsLength(int units, int depth) {
        return depth * panelStride(units);
    }

    /**
     * Packs {@code w [units, depth]} (row-major from {@code wOff}) in {@code order} into a new array of
     * {@link #packedSize}, its panels at origin 0: packed unit i is unit {@code order[i]}, and its weight k sits at
     * {@code [origin + k * panelStride + i]} (one panel per input column; the panels' padding past {@code units} is
     * zeros). The last float is the largest {@code |w|}, +inf if a weight is infinite or NaN.
     */
    public static float[] pack(float[] w, int wOff, int units, int depth, int[] order) {
        int stride = panelStride(units);
        float[] packed = new float[packedSize(units, depth)];
        float largest = 0f;
        for (int i = 0; i < units; i++) {
            for (int k = 0; k < depth; k++) {
                float v = w[wOff + order[i] * depth + k];
                packed[k * stride + i] = v;
                largest = Float.isFinite(v) ? Math.max(largest, Math.abs(v)) : Float.POSITIVE_INFINITY;
            }
        }
        packed[packed.length - 1] = largest;
        return packed;
    }

    /** Floats of {@code scores}: every unit's score, in whole steps. */
    public static int scoresNeeded(int units) {
        return scoredUnits(units);
    }

    /** Ints of {@code terms}: the rounds of non-zero inputs' panels and values ({@link #pairedTerms}). */
    public static int termsNeeded(int depth) {
        return 2 * depth + 2;
    }

    /** Ints of {@code hits}: the compare bits of every unit, 32 to an int. */
    public static int hitsNeeded(int units) {
        return scoredUnits(units) / Integer.SIZE + 1;
    }

    /** Longs of {@code keys}. */
    public static int keysNeeded(int k) {
        return Math.max(2 * TopKFilter.maxCandidates(k), TopKFilter.laneRanks());
    }

    /** Ints of {@code ranks}. */
    public static int ranksNeeded() {
        return TopKFilter.ranksNeeded();
    }

    /** {@code y[yOff + order[i]] = scores[i]} for {@code i < units}: the scores in unit order (bit copies). */
    public static void unpack(float[] scores, int[] order, int units, float[] y, int yOff) {
        for (int i = 0; i < units; i++) y[yOff + order[i]] = scores[i];
    }

    /**
     * The top {@code k} of {@code dot4(W[o], x)} over the units {@code o}, best first, into {@code values[vOff, +k)}
     * and {@code indices[iOff, +k)}, by the vector kernel or, with {@link VectorWidth#SCALAR}, its scalar twin;
     * {@link #supports}{@code (units, depth, k)} must hold.
     *
     * @param packed         the table packed by {@link #pack} in {@code order}
     * @param origin         where its panels start ({@link PanelOrigins})
     * @param order          {@link #packingOrder}{@code (units)}
     * @param packedPosition {@link #packedPositions}{@code (order)}
     * @param scores         {@link #scoresNeeded} floats, overwritten: the scores in packing order
     * @param terms          {@link #termsNeeded} ints, overwritten
     * @param hits           {@link #hitsNeeded} ints, overwritten
     * @param keys           {@link #keysNeeded} longs, overwritten
     * @param ranks          {@link #ranksNeeded} ints, overwritten
     * @return true with the top k written; false with only {@code scores[0, units)} written (see the class doc)
     */
    public static boolean eval(float[] x, int xOff, int depth, float[] packed, int origin, int[] order,
                               int[] packedPosition, int units, int k, float[] values, int vOff, int[] indices,
                               int iOff, float[] scores, int[] terms, int[] hits, long[] keys, int[] ranks) {
        return VectorWidth.SCALAR
                ? evalScalar(x, xOff, depth, packed, origin, order, packedPosition, units, k, values, vOff, indices,
                        iOff, scores, terms, hits, keys, ranks)
                : evalVector(x, xOff, depth, packed, origin, order, packedPosition, units, k, values, vOff, indices,
                        iOff, scores, terms, hits, keys, ranks);
    }

    /** The vector kernel. */
    public static boolean evalVector(float[] x, int xOff, int depth, float[] packed, int origin, int[] order,
                                     int[] packedPosition, int units, int k, float[] values, int vOff, int[] indices,
                                     int iOff, float[] scores, int[] terms, int[] hits, long[] keys, int[] ranks) {
        if (!finiteSums(x, xOff, depth, packed)) {
            clampedScores(x, xOff, depth, packed, origin, units, scores);
            return false;
        }
        int stride = panelStride(units);
        pairedTerms(x, xOff, depth, origin, stride, terms);
        int sample = sampleUnits(units);
        sums(terms, depth, packed, 0, sample, false, 0f, scores, hits);
        int j = TopKFilter.sampleRank(k);
        int laneBound = sampleThresholdVector(scores, sample / LANES, j, ranks);
        int sampleBest = INT_VECTOR.cast(IntVector.fromArray(INTS, ranks, 0)).reduceLanes(VectorOperators.MAX);
        int threshold = exactSampleRankVector(scores, sample, laneBound, firstSampleRank(k), ranks, hits);
        float lowest = TopKFilter.lowestReaching(threshold);
        compareBits(scores, sample, lowest, hits); // the others' bits as they are summed
        int scored = scoredUnits(units);
        sums(terms, depth, packed, sample, scored, true, lowest, scores, hits);
        int reaching = reachingUnits(hits, units);
        if (reaching < k) { // the second try: the sample's j-th rank, compared with the stored scores
            threshold = exactSampleRankVector(scores, sample, laneBound, j, ranks, hits);
            compareBits(scores, scored, TopKFilter.lowestReaching(threshold), hits);
            reaching = reachingUnits(hits, units);
        }
        int limit = TopKFilter.maxCandidates(k);
        if (reaching < k || reaching > limit) return false; // misjudged: too few, or more than the limit
        int words = (units + Integer.SIZE - 1) / Integer.SIZE;
        int shift = TopKFilter.bucketShift(threshold, sampleBest);
        int[] counts = ranks; // the bucket histogram, counted as the keys are collected
        Arrays.fill(counts, 0, TopKFilter.BUCKETS, 0);
        collectHits(scores, hits, words, threshold, order, keys, counts, shift);
        TopKFilter.selectFromBuckets(keys, reaching, k, threshold, shift, limit, counts);
        emit(scores, packedPosition, k, values, vOff, indices, iOff, keys);
        return true;
    }

    /** The scalar twin: every score by {@link #unit}, then the same sample, threshold, keys and selection. */
    public static boolean evalScalar(float[] x, int xOff, int depth, float[] packed, int origin, int[] order,
                                     int[] packedPosition, int units, int k, float[] values, int vOff, int[] indices,
                                     int iOff, float[] scores, int[] terms, int[] hits, long[] keys, int[] ranks) {
        if (!finiteSums(x, xOff, depth, packed)) {
            clampedScores(x, xOff, depth, packed, origin, units, scores);
            return false;
        }
        int stride = panelStride(units);
        for (int i = 0; i < units; i++) scores[i] = unit(x, xOff, depth, packed, stride, origin + i);
        int sample = sampleUnits(units);
        int j = TopKFilter.sampleRank(k);
        int laneBound = sampleThresholdScalar(scores, sample / LANES, j, keys);
        int sampleBest = Integer.MIN_VALUE;
        for (int lane = 0; lane < LANES; lane++) sampleBest = Math.max(sampleBest, (int) keys[lane]); // lanes' best
        int threshold = exactSampleRankScalar(scores, sample, laneBound, firstSampleRank(k), keys);
        int limit = TopKFilter.maxCandidates(k);
        int shift = TopKFilter.bucketShift(threshold, sampleBest);
        int[] counts = ranks;
        int count = collectReaching(scores, units, threshold, order, keys, limit, counts, shift);
        if (count >= 0 && count < k) { // the second try, at the sample's j-th rank
            threshold = exactSampleRankScalar(scores, sample, laneBound, j, keys);
            shift = TopKFilter.bucketShift(threshold, sampleBest);
            count = collectReaching(scores, units, threshold, order, keys, limit, counts, shift);
        }
        if (count < k) return false;
        TopKFilter.selectFromBuckets(keys, count, k, threshold, shift, limit, counts);
        emit(scores, packedPosition, k, values, vOff, indices, iOff, keys);
        return true;
    }

    /** True when no sum can reach the clamp of the absent activation, so every score is finite (see the class doc). */
    private static boolean finiteSums(float[] x, int xOff, int depth, float[] packed) {
        return F32GemvDot4.clampChangesNothing(x, xOff, depth, packed[packed.length - 1],
                -TfliteMath.FLT_MAX, TfliteMath.FLT_MAX);
    }

    /**
     * The score of the unit at panel position {@code i} (its packed index plus the origin), {@code dot4(W[unit], x)},
     * over every input (zero or not), as TFLite sums it. Depth is a multiple of 4, so dot4 has no tail.
     */
    static float unit(float[] x, int xOff, int depth, float[] packed, int stride, int i) {
        float l0 = 0f, l1 = 0f, l2 = 0f, l3 = 0f;
        for (int k = 0; k < depth; k += 4) {
            l0 = l0 + packed[k * stride + i] * x[xOff + k];
            l1 = l1 + packed[(k + 1) * stride + i] * x[xOff + k + 1];
            l2 = l2 + packed[(k + 2) * stride + i] * x[xOff + k + 2];
            l3 = l3 + packed[(k + 3) * stride + i] * x[xOff + k + 3];
        }
        return (l0 + l2) + (l1 + l3);
    }

    /** Every unit's FULLY_CONNECTED output with the NONE activation's clamp, for the declined rows the clamp can change. */
    private static void clampedScores(float[] x, int xOff, int depth, float[] packed, int origin, int units,
                                      float[] scores) {
        int stride = panelStride(units);
        for (int i = 0; i < units; i++) {
            scores[i] = TfliteMath.activation(unit(x, xOff, depth, packed, stride, origin + i), -TfliteMath.FLT_MAX,
                    TfliteMath.FLT_MAX);
        }
    }

    // ---- the GEMV ----------------------------------------------------------------------------------------------

    /**
     * The non-zero inputs whose products {@link #sums} adds, in rounds of two per pair of dot4's partial sums (depth is
     * a multiple of 4): for the pair (l0, l2) round i holds the i-th non-zero input of residue 0 ({@code k mod 4}) and
     * of residue 2, each in increasing k, from {@code terms[0]}; for (l1, l3) the same from {@code terms[depth / 2]}.
     * An entry is {@code origin + k * stride} (input k's panel), and {@code depth} ints later the bits of
     * {@code x[k]}. The residue with fewer non-zero inputs is padded with +0 at the other residue's input of the same
     * round (its weights are loaded again, from L1, and add ±0). {@code terms[2 depth]} and {@code terms[2 depth + 1]}
     * get each pair's number of rounds.
     *
     * <p>Why leaving zero inputs out keeps dot4's bits: each partial sum starts at +0 and only adds products, and under
     * round-to-nearest such a sum is never -0 (-0 comes only from -0 + -0; non-zero values that cancel give +0). A
     * product of zero and a finite weight is ±0, and {@code s + ±0 = s} for every {@code s} but -0: the sum is
     * unchanged. Every weight must be finite (0 times an infinite weight is NaN) and the arithmetic non-flushing (see
     * the class doc). NaN and infinite inputs are not zero and stay in.
     */
    private static void pairedTerms(float[] x, int xOff, int depth, int origin, int stride, int[] terms) {
        for (int pair = 0; pair < 2; pair++) {
            int at = pair * depth / 2; // even: depth is a multiple of 4
            int first = residueTerms(x, xOff, depth, origin, stride, pair, terms, at);
            int second = residueTerms(x, xOff, depth, origin, stride, pair + 2, terms, at + 1);
            int rounds = Math.max(first, second);
            padRounds(terms, depth, at, first, rounds);
            padRounds(terms, depth, at + 1, second, rounds);
            terms[2 * depth + pair] = rounds;
        }
    }

    /**
     * The non-zero inputs of {@code residue}, in increasing k, into entries {@code slot, slot + 2, ...} of
     * {@link #pairedTerms}' layout: how many.
     */
    private static int residueTerms(float[] x, int xOff, int depth, int origin, int stride, int residue, int[] terms,
                                    int slot) {
        int n = 0;
        for (int k = residue; k < depth; k += 4) {
            float v = x[xOff + k];
            if (v != 0f) {
                terms[slot + 2 * n] = origin + k * stride;
                terms[depth + slot + 2 * n] = Float.floatToRawIntBits(v);
                n++;
            }
        }
        return n;
    }

    /** Entries {@code slot + 2 i} for rounds i in {@code [count, rounds)}: +0 at the other side's input of the round. */
    private static void padRounds(int[] terms, int depth, int slot, int count, int rounds) {
        for (int i = count; i < rounds; i++) {
            terms[slot + 2 * i] = terms[(slot ^ 1) + 2 * i];
            terms[depth + slot + 2 * i] = 0; // +0
        }
    }

    /**
     * The scores of packed units {@code [from, to)} (whole steps) into {@code scores}, by dot4's partial sums over the
     * non-zero inputs in the rounds of {@link #pairedTerms}: {@link #evenSums} stores {@code l0 + l2} of each unit,
     * then {@link #oddSums} adds {@code l1 + l3} to it and, when {@code collect}, writes the compare bits of each
     * step's scores with {@code lowest} ({@link #groupBits}).
     *
     * <p>Why steps of eight vectors, in two passes: every load's panel offset comes from the term list, so C2 checks
     * each load's range inside the loop and adds the step's base to each term. On one AVX-512 VM those integer
     * instructions, not the float work nor L2, bounded the GEMV: with four vectors per step, each round of sixteen
     * float operations carried five range checks and about ten integer operations (read in the JIT's code). Eight
     * vectors per step halve them per float operation. (On another AVX-512 VM L2 bounds the pass, and the whole pass in
     * C, the same algorithm, is 10-15% faster: docs/performance.md.) Both pairs' rounds at eight vectors in one method
     * were too large for C1 ("out of virtual registers"; a JVM that compiled such a method at tier 2 first stayed on
     * that code, allocating every vector), hence the two passes, each compiled by C1 at tier 3. Measured, kernel alone
     * (both forms in one JVM, alternating, JDK 17, AVX-512, tables at their fastest origin): cnn-genre's table with 23
     * of 32 inputs non-zero 5.4-5.7 to 4.7-5.0 µs, cnn's shape 4.3-4.8 to 3.8-4.2 µs; faster at 8 and 4 lanes too
     * (AVX-512 machine). Four vectors per step in two passes was slower than in one.
     */
    private static void sums(int[] terms, int depth, float[] packed, int from, int to, boolean collect, float lowest,
                             float[] scores, int[] hits) {
        evenSums(terms, depth, packed, from, to, scores);
        oddSums(terms, depth, packed, from, to, collect, lowest, scores, hits);
    }

    /**
     * Per step of {@link #STEP} units, eight vectors, the partial sums {@code l0} (in {@code a}) and {@code l2} (in
     * {@code c}) over the rounds of their non-zero inputs, each in increasing k as dot4 adds them, sixteen independent
     * chains; {@code l0 + l2} into {@code scores}. {@link #oddSums} repeats this round loop for the other pair: one
     * method taking the pair, with a branch per step for what it does with the sums, took 0.1-0.3 µs more (kernel
     * alone, as in {@link #sums}).
     */
    private static void evenSums(int[] terms, int depth, float[] packed, int from, int to, float[] scores) {
        int rounds = terms[2 * depth];
        FloatVector zero = FLOAT_VECTOR.cast(FloatVector.zero(FLOATS));
        for (int base = from; base < to; base += STEP) {
            FloatVector a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero, a6 = zero, a7 = zero;
            FloatVector c0 = zero, c1 = zero, c2 = zero, c3 = zero, c4 = zero, c5 = zero, c6 = zero, c7 = zero;
            for (int i = 0; i < rounds; i++) {
                int t = 2 * i;
                int p = terms[t] + base, q = terms[t + 1] + base;
                FloatVector xp = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, Float.intBitsToFloat(terms[depth + t])));
                FloatVector xq = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, Float.intBitsToFloat(terms[depth + t + 1])));
                a0 = FLOAT_VECTOR.cast(a0).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p)).mul(xp));
                c0 = FLOAT_VECTOR.cast(c0).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, q)).mul(xq));
                a1 = FLOAT_VECTOR.cast(a1).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + LANES)).mul(xp));
                c1 = FLOAT_VECTOR.cast(c1).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, q + LANES)).mul(xq));
                a2 = FLOAT_VECTOR.cast(a2).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 2 * LANES)).mul(xp));
                c2 = FLOAT_VECTOR.cast(c2).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, q + 2 * LANES)).mul(xq));
                a3 = FLOAT_VECTOR.cast(a3).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 3 * LANES)).mul(xp));
                c3 = FLOAT_VECTOR.cast(c3).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, q + 3 * LANES)).mul(xq));
                a4 = FLOAT_VECTOR.cast(a4).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 4 * LANES)).mul(xp));
                c4 = FLOAT_VECTOR.cast(c4).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, q + 4 * LANES)).mul(xq));
                a5 = FLOAT_VECTOR.cast(a5).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 5 * LANES)).mul(xp));
                c5 = FLOAT_VECTOR.cast(c5).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, q + 5 * LANES)).mul(xq));
                a6 = FLOAT_VECTOR.cast(a6).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 6 * LANES)).mul(xp));
                c6 = FLOAT_VECTOR.cast(c6).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, q + 6 * LANES)).mul(xq));
                a7 = FLOAT_VECTOR.cast(a7).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 7 * LANES)).mul(xp));
                c7 = FLOAT_VECTOR.cast(c7).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, q + 7 * LANES)).mul(xq));
            }
            FLOAT_VECTOR.cast(FLOAT_VECTOR.cast(a0).add(FLOAT_VECTOR.cast(c0))).intoArray(scores, base);
            FLOAT_VECTOR.cast(FLOAT_VECTOR.cast(a1).add(FLOAT_VECTOR.cast(c1))).intoArray(scores, base + LANES);
            FLOAT_VECTOR.cast(FLOAT_VECTOR.cast(a2).add(FLOAT_VECTOR.cast(c2))).intoArray(scores, base + 2 * LANES);
            FLOAT_VECTOR.cast(FLOAT_VECTOR.cast(a3).add(FLOAT_VECTOR.cast(c3))).intoArray(scores, base + 3 * LANES);
            FLOAT_VECTOR.cast(FLOAT_VECTOR.cast(a4).add(FLOAT_VECTOR.cast(c4))).intoArray(scores, base + 4 * LANES);
            FLOAT_VECTOR.cast(FLOAT_VECTOR.cast(a5).add(FLOAT_VECTOR.cast(c5))).intoArray(scores, base + 5 * LANES);
            FLOAT_VECTOR.cast(FLOAT_VECTOR.cast(a6).add(FLOAT_VECTOR.cast(c6))).intoArray(scores, base + 6 * LANES);
            FLOAT_VECTOR.cast(FLOAT_VECTOR.cast(a7).add(FLOAT_VECTOR.cast(c7))).intoArray(scores, base + 7 * LANES);
        }
    }

    /**
     * Per step, as {@link #evenSums}, the partial sums {@code l1} (in {@code a}) and {@code l3} (in {@code c}); each
     * unit's score {@code (l0 + l2) + (l1 + l3)} into {@code scores}, and when {@code collect} the step's compare bits
     * ({@link #groupBits}, reading back the scores just stored). The compares inside the register loop, as the scores
     * left the registers, took 0.05-0.2 µs more (kernel alone, as in {@link #sums}), and C2 keeps that code apart
     * from the float work anyway; nor can the bits come from a helper taking the vectors, which C2 may leave out of
     * line, its vector arguments then allocated.
     */
    private static void oddSums(int[] terms, int depth, float[] packed, int from, int to, boolean collect,
                                float lowest, float[] scores, int[] hits) {
        int rounds = terms[2 * depth + 1];
        FloatVector zero = FLOAT_VECTOR.cast(FloatVector.zero(FLOATS));
        for (int base = from; base < to; base += STEP) {
            FloatVector a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero, a6 = zero, a7 = zero;
            FloatVector c0 = zero, c1 = zero, c2 = zero, c3 = zero, c4 = zero, c5 = zero, c6 = zero, c7 = zero;
            for (int i = 0; i < rounds; i++) {
                int t = depth / 2 + 2 * i;
                int p = terms[t] + base, q = terms[t + 1] + base;
                FloatVector xp = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, Float.intBitsToFloat(terms[depth + t])));
                FloatVector xq = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, Float.intBitsToFloat(terms[depth + t + 1])));
                a0 = FLOAT_VECTOR.cast(a0).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p)).mul(xp));
                c0 = FLOAT_VECTOR.cast(c0).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, q)).mul(xq));
                a1 = FLOAT_VECTOR.cast(a1).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + LANES)).mul(xp));
                c1 = FLOAT_VECTOR.cast(c1).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, q + LANES)).mul(xq));
                a2 = FLOAT_VECTOR.cast(a2).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 2 * LANES)).mul(xp));
                c2 = FLOAT_VECTOR.cast(c2).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, q + 2 * LANES)).mul(xq));
                a3 = FLOAT_VECTOR.cast(a3).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 3 * LANES)).mul(xp));
                c3 = FLOAT_VECTOR.cast(c3).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, q + 3 * LANES)).mul(xq));
                a4 = FLOAT_VECTOR.cast(a4).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 4 * LANES)).mul(xp));
                c4 = FLOAT_VECTOR.cast(c4).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, q + 4 * LANES)).mul(xq));
                a5 = FLOAT_VECTOR.cast(a5).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 5 * LANES)).mul(xp));
                c5 = FLOAT_VECTOR.cast(c5).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, q + 5 * LANES)).mul(xq));
                a6 = FLOAT_VECTOR.cast(a6).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 6 * LANES)).mul(xp));
                c6 = FLOAT_VECTOR.cast(c6).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, q + 6 * LANES)).mul(xq));
                a7 = FLOAT_VECTOR.cast(a7).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 7 * LANES)).mul(xp));
                c7 = FLOAT_VECTOR.cast(c7).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, q + 7 * LANES)).mul(xq));
            }
            FloatVector s0 = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, scores, base))
                    .add(FLOAT_VECTOR.cast(a0).add(FLOAT_VECTOR.cast(c0)));
            FLOAT_VECTOR.cast(s0).intoArray(scores, base);
            FloatVector s1 = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, scores, base + LANES))
                    .add(FLOAT_VECTOR.cast(a1).add(FLOAT_VECTOR.cast(c1)));
            FLOAT_VECTOR.cast(s1).intoArray(scores, base + LANES);
            FloatVector s2 = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, scores, base + 2 * LANES))
                    .add(FLOAT_VECTOR.cast(a2).add(FLOAT_VECTOR.cast(c2)));
            FLOAT_VECTOR.cast(s2).intoArray(scores, base + 2 * LANES);
            FloatVector s3 = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, scores, base + 3 * LANES))
                    .add(FLOAT_VECTOR.cast(a3).add(FLOAT_VECTOR.cast(c3)));
            FLOAT_VECTOR.cast(s3).intoArray(scores, base + 3 * LANES);
            FloatVector s4 = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, scores, base + 4 * LANES))
                    .add(FLOAT_VECTOR.cast(a4).add(FLOAT_VECTOR.cast(c4)));
            FLOAT_VECTOR.cast(s4).intoArray(scores, base + 4 * LANES);
            FloatVector s5 = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, scores, base + 5 * LANES))
                    .add(FLOAT_VECTOR.cast(a5).add(FLOAT_VECTOR.cast(c5)));
            FLOAT_VECTOR.cast(s5).intoArray(scores, base + 5 * LANES);
            FloatVector s6 = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, scores, base + 6 * LANES))
                    .add(FLOAT_VECTOR.cast(a6).add(FLOAT_VECTOR.cast(c6)));
            FLOAT_VECTOR.cast(s6).intoArray(scores, base + 6 * LANES);
            FloatVector s7 = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, scores, base + 7 * LANES))
                    .add(FLOAT_VECTOR.cast(a7).add(FLOAT_VECTOR.cast(c7)));
            FLOAT_VECTOR.cast(s7).intoArray(scores, base + 7 * LANES);
            if (collect) {
                groupBits(scores, base, lowest, hits);
                groupBits(scores, base + GROUP, lowest, hits);
            }
        }
    }

    /**
     * The set bits of {@code hits} over the first {@code units} units (the padding's units past the last are not
     * units: their bits are cleared).
     */
    private static int reachingUnits(int[] hits, int units) {
        int words = (units + Integer.SIZE - 1) / Integer.SIZE;
        if (units % Integer.SIZE != 0) hits[words - 1] &= -1 >>> (Integer.SIZE - units % Integer.SIZE);
        int reaching = 0;
        for (int w = 0; w < words; w++) reaching += Integer.bitCount(hits[w]);
        return reaching;
    }

    /**
     * The compare bits of the stored scores {@code [0, end)} (whole steps) into {@code hits}: the sample's, or on a
     * second try every unit's.
     */
    private static void compareBits(float[] scores, int end, float lowest, int[] hits) {
        for (int at = 0; at < end; at += GROUP) groupBits(scores, at, lowest, hits);
    }

    /**
     * The compare bits of the scores {@code [at, at + GROUP)} with {@code lowest} into {@code hits}: bit
     * {@code u mod 32} of int {@code u / 32} for unit u, set when its score is at least {@code lowest}. A group
     * covers two ints at 16 lanes, one at 8, and at 4 lanes half of one, the low half first ({@code at} a multiple of
     * 32 assigns, the other half ORs). On JDK 21 and later the masks' {@code toLong} is an intrinsic; on JDK 17 it is
     * computed lane by lane, so there each mask picks one bit per lane and the lanes' bits are OR-reduced.
     */
    private static void groupBits(float[] scores, int at, float lowest, int[] hits) {
        FloatVector zero = FLOAT_VECTOR.cast(FloatVector.zero(FLOATS));
        VectorMask<Float> m0 = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, scores, at)).compare(VectorOperators.GE, lowest);
        VectorMask<Float> m1 = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, scores, at + LANES)).compare(VectorOperators.GE, lowest);
        VectorMask<Float> m2 = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, scores, at + 2 * LANES)).compare(VectorOperators.GE, lowest);
        VectorMask<Float> m3 = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, scores, at + 3 * LANES)).compare(VectorOperators.GE, lowest);
        long bits;
        if (TopKFilter.MASK_TO_LONG_INTRINSIC) {
            bits = m0.toLong() | m1.toLong() << LANES | m2.toLong() << 2 * LANES | m3.toLong() << 3 * LANES;
        } else {
            IntVector b0 = INT_VECTOR.cast(zero.blend(TopKFilter.LANE_BIT, m0).reinterpretAsInts());
            IntVector b1 = INT_VECTOR.cast(zero.blend(TopKFilter.LANE_BIT, m1).reinterpretAsInts());
            IntVector b2 = INT_VECTOR.cast(zero.blend(TopKFilter.LANE_BIT, m2).reinterpretAsInts());
            IntVector b3 = INT_VECTOR.cast(zero.blend(TopKFilter.LANE_BIT, m3).reinterpretAsInts());
            if (GROUP > Integer.SIZE) { // 16 lanes: two vectors to an int
                int low = b0.or(b1.lanewise(VectorOperators.LSHL, LANES)).reduceLanes(VectorOperators.OR);
                int high = b2.or(b3.lanewise(VectorOperators.LSHL, LANES)).reduceLanes(VectorOperators.OR);
                bits = (low & 0xffff_ffffL) | (long) high << Integer.SIZE;
            } else {
                bits = b0.or(b1.lanewise(VectorOperators.LSHL, LANES))
                        .or(b2.lanewise(VectorOperators.LSHL, 2 * LANES))
                        .or(b3.lanewise(VectorOperators.LSHL, 3 * LANES))
                        .reduceLanes(VectorOperators.OR) & 0xffff_ffffL;
            }
        }
        int word = at / Integer.SIZE;
        if (GROUP > Integer.SIZE) { // 16 lanes: two ints
            hits[word] = (int) bits;
            hits[word + 1] = (int) (bits >>> Integer.SIZE);
        } else { // one int, or at 4 lanes half of one, the low half first
            int shift = at % Integer.SIZE;
            hits[word] = shift == 0 ? (int) bits : hits[word] | (int) bits << shift;
        }
    }

    // ---- the sample's threshold ------------------------------------------------------------------------------

    /**
     * TopKFilter's threshold from the sample's scores {@code scores[0, sample * L)}, one vector of them per block:
     * each lane keeps its best ranks in {@code ranks} (the chain of {@code TopKFilter.laneTopsThresholdVector}), then
     * the {@code j}-th largest of those ({@link TopKFilter#jthLargestVector}). The scores are finite.
     */
    private static int sampleThresholdVector(float[] scores, int sample, int j, int[] ranks) {
        int kept = TopKFilter.laneRanks();
        Arrays.fill(ranks, 0, kept, Integer.MIN_VALUE);
        for (int block = 0; block < sample; block++) {
            IntVector bits = INT_VECTOR.cast(FloatVector.fromArray(FLOATS, scores, block * LANES).reinterpretAsInts());
            IntVector magnitude = bits.lanewise(VectorOperators.AND, 0x7fff_ffff);
            IntVector r = bits.lanewise(VectorOperators.XOR, bits.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7fff_ffff))
                    .blend(0, magnitude.compare(VectorOperators.LT, Float.floatToRawIntBits(Float.MIN_NORMAL)));
            for (int i = 0; i < kept; i += LANES) {
                IntVector best = INT_VECTOR.cast(IntVector.fromArray(INTS, ranks, i));
                IntVector rank = INT_VECTOR.cast(r);
                best.max(rank).intoArray(ranks, i);
                r = best.min(rank);
            }
        }
        return TopKFilter.jthLargestVector(ranks, j);
    }

    /** The scalar twin of {@link #sampleThresholdVector}: each lane's best ranks in {@code keys}, the same chain. */
    private static int sampleThresholdScalar(float[] scores, int sample, int j, long[] keys) {
        int kept = TopKFilter.laneRanks();
        Arrays.fill(keys, 0, kept, Integer.MIN_VALUE);
        for (int block = 0; block < sample; block++) {
            for (int lane = 0; lane < LANES; lane++) {
                long r = TopKFilter.rank(scores[block * LANES + lane]);
                for (int i = lane; i < kept; i += LANES) {
                    long t = keys[i];
                    keys[i] = Math.max(t, r);
                    r = Math.min(t, r);
                }
            }
        }
        return TopKFilter.jthLargest(keys, kept, j);
    }

    /** Sample ranks that reach the lanes' bound gathered for {@link #exactSampleRankVector}: past this many, the bound stays. */
    private static final int EXACT_RANK_MAX = 64;

    /**
     * The sample's exact {@code j}-th largest rank: the lanes' bound ({@link #sampleThresholdVector}) is at most that,
     * and below it when a lane held more than its share of the sample's best, which then let about a quarter more
     * keys through (cnn's scores: 235 against 187). The sample's ranks that reach the bound (at least j, usually
     * under 40) are found by {@link #compareBits} (into {@code hits}), gathered into {@code ranks} in order, and their
     * j-th largest counted as {@link TopKFilter#jthLargestVector} does; more than {@link #EXACT_RANK_MAX} of them
     * (ties, or a lane holding many) keep the bound. The scores are finite, so a set bit is a rank that reaches the bound
     * ({@link #collectHits}). (A compare, a first-true lane and a rank test per lane took about 0.4 µs more on JDK 17,
     * where {@code VectorMask.firstTrue} is no intrinsic.)
     */
    private static int exactSampleRankVector(float[] scores, int n, int bound, int j, int[] ranks, int[] hits) {
        compareBits(scores, n, TopKFilter.lowestReaching(bound), hits);
        int count = 0;
        for (int w = 0; w < n / Integer.SIZE; w++) {
            int base = w * Integer.SIZE;
            for (int word = hits[w]; word != 0; word &= word - 1) {
                if (count == EXACT_RANK_MAX) return bound;
                ranks[count++] = TopKFilter.rank(scores[base + Integer.numberOfTrailingZeros(word)]);
            }
        }
        Arrays.fill(ranks, count, (count + LANES - 1) / LANES * LANES, Integer.MIN_VALUE);
        return TopKFilter.jthLargestVector(ranks, count, j);
    }

    /** The scalar twin of {@link #exactSampleRankVector}: the same ranks gathered in {@code keys}, sorted. */
    private static int exactSampleRankScalar(float[] scores, int n, int bound, int j, long[] keys) {
        int count = 0;
        for (int p = 0; p < n; p++) {
            int rank = TopKFilter.rank(scores[p]);
            if (rank >= bound) {
                if (count == EXACT_RANK_MAX) return bound;
                keys[count++] = rank;
            }
        }
        return TopKFilter.jthLargest(keys, count, j);
    }

    // ---- keys ----------------------------------------------------------------------------------------------------

    /**
     * The keys of the positions whose bits are set in {@code hits[0, words)} (bit b of int w is position
     * {@code 32 w + b}), in order, into {@code keys}, each counted in its bucket of {@code counts}
     * ({@link TopKFilter#bucket} under {@code shift}); the caller has counted the bits and checked the limit. A set bit
     * is a key: for a finite score s, {@code s >= lowestReaching(threshold)} exactly when
     * {@code rank(s) >= threshold}, since the threshold is the rank of a finite score (0, negative, or at least
     * {@code Float.MIN_NORMAL}'s bits), so the compare needs no second look at the rank.
     */
    private static void collectHits(float[] scores, int[] hits, int words, int threshold, int[] order, long[] keys,
                                    int[] counts, int shift) {
        int count = 0;
        for (int w = 0; w < words; w++) {
            int base = w * Integer.SIZE;
            for (int word = hits[w]; word != 0; word &= word - 1) {
                int p = base + Integer.numberOfTrailingZeros(word);
                int rank = TopKFilter.rank(scores[p]);
                keys[count++] = TopKFilter.key(rank, order[p]);
                counts[TopKFilter.bucket(rank, threshold, shift)]++;
            }
        }
    }

    /**
     * The keys of positions {@code [0, units)} that reach the threshold, in order, into {@code keys}, each counted in
     * its bucket of {@code counts} (zeroed first): how many, or -1 past {@code limit}.
     */
    private static int collectReaching(float[] scores, int units, int threshold, int[] order, long[] keys, int limit,
                                       int[] counts, int shift) {
        Arrays.fill(counts, 0, TopKFilter.BUCKETS, 0);
        int count = 0;
        for (int p = 0; p < units; p++) {
            int rank = TopKFilter.rank(scores[p]);
            if (rank >= threshold) {
                if (count == limit) return -1;
                keys[count++] = TopKFilter.key(rank, order[p]);
                counts[TopKFilter.bucket(rank, threshold, shift)]++;
            }
        }
        return count;
    }

    private static void emit(float[] scores, int[] packedPosition, int k, float[] values, int vOff, int[] indices,
                             int iOff, long[] keys) {
        for (int j = 0; j < k; j++) {
            int unit = TopKFilter.indexOf(keys[j]);
            indices[iOff + j] = unit;
            values[vOff + j] = scores[packedPosition[unit]]; // a bit copy
        }
    }
}
