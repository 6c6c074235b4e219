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
 * table (depth 16 or 32, no bias, no fused activation) and TOPK_V2 of its {@code units} scores, without a scores
 * tensor in between. The same bits as {@link F32GemvDot4} followed by {@link TopKFilter}, hence as TFLite's two ops.
 *
 * <p>How: the table is packed once in a fixed pseudo-random order of its units ({@link #packingOrder}), so that its
 * first blocks of {@code L} units are a random sample. Every pass of the GEMV but the last runs over all blocks; the
 * last runs first over the sample's blocks (about one in eight), whose scores give TopKFilter's threshold (the
 * sample's exact {@code j}-th largest rank), then over the other blocks with that threshold: as each block's final
 * sums leave the registers they are compared with it, the compare bits of {@code 32 / L} blocks go into one int, and
 * only the reaching units (about 200 of the models' 3953) are ever visited again. Their keys (rank, then the unit's
 * own index for ties) are counted into TopKFilter's buckets as they are collected (the buckets spread up to the
 * sample's best rank; the few above it share the top one), and TopKFilter's bucket selection takes the best k; the
 * values written are bit copies of the scores.
 * The scores of the units past the last whole block come from {@link F32GemvDot4#unit}.
 *
 * <p>Why the bits are TFLite's: each unit's sum is {@link F32GemvDot4}'s residue-pass arithmetic, which is dot4's,
 * whatever the block it lands in; the top k of the scores do not depend on the threshold as long as at least k
 * reach it (every score left out is below k collected ones) and ties go to the smaller unit index through the keys.
 *
 * <p>It answers only what it can answer exactly, and says so: {@code false} when the clamp of the (absent) fused
 * activation could change a sum (an infinite or NaN input or weight, or sums near FLT_MAX; then the scores are
 * computed by {@link F32GemvDot4} with its clamp) or when the sample misjudged the scores (fewer than k reach its
 * threshold, or more than {@link TopKFilter#maxCandidates}). Then {@code scores[0, units)} hold every unit's
 * FULLY_CONNECTED output in packing order and nothing else was written; the caller puts them in unit order
 * ({@link #unpack}) and runs TOPK_V2 on them. Without those cases every score is finite (the clamp's proof bounds
 * them below FLT_MAX), so the compares need no NaN test. Flushing arithmetic is the caller's to rule out first
 * ({@code MatMul.needsFlush}), as for {@link F32GemvDot4}.
 *
 * <p>The scalar twin ({@link #evalScalar}) computes every score with {@link F32GemvDot4#unit}, takes the same sample
 * and threshold lane by lane, and collects and selects the same keys; both read the same packed table.
 */
public final class F32GemvTopK {
    private F32GemvTopK() {}

    private static final VectorSpecies<Float> FLOATS = VectorWidth.FLOATS;
    private static final VectorSpecies<Integer> INTS = VectorWidth.INTS;
    private static final int LANES = FLOATS.length();
    /** Blocks whose compare bits fill one int of {@code hits}. */
    private static final int GROUP = TopKFilter.VECTORS_PER_INT;
    /** The packing order's seed: any fixed value; fixed so that every load packs alike. */
    private static final long ORDER_SEED = 0x5EED_3953L;

    /**
     * True when the fused kernel takes a {@code [units, depth]} table and this {@code k}: depth 16 or 32 (the residue
     * layouts), and the rows TopKFilter samples ({@code k >= 32}, {@code units >= 16 k}), with a sample large enough
     * for the threshold's rank and that rank within the lanes' kept ranks.
     */
    public static boolean supports(int units, int depth, int k) {
        if (depth != F32GemvDot4.RESIDUE_DEPTH && depth != F32GemvDot4.RESIDUE_DEPTH_32) return false;
        if (k < TopKFilter.MIN_SAMPLED_K || units < 16 * k) return false;
        int j = TopKFilter.sampleRank(k);
        return TopKFilter.usesLaneTops(j) && sampleBlocks(units) * LANES >= 2 * j;
    }

    /**
     * The whole blocks scored first, whose scores are the sample: about one in eight, and as many more (fewer than
     * {@link #GROUP}) as make the blocks after them fill whole groups.
     */
    static int sampleBlocks(int units) {
        int whole = units / LANES;
        int sample = Math.max(1, whole / 8);
        return sample + (whole - sample) % GROUP;
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

    /** Packs {@code w [units, depth]} (row-major from {@code wOff}) in {@code order}: packed unit i is unit order[i]. */
    public static float[] pack(float[] w, int wOff, int units, int depth, int[] order) {
        float[] rows = new float[units * depth];
        for (int i = 0; i < units; i++) System.arraycopy(w, wOff + order[i] * depth, rows, i * depth, depth);
        return F32GemvDot4.pack(rows, 0, units, depth);
    }

    /** Floats of {@code scores}: every unit's score, in whole blocks. */
    public static int scoresNeeded(int units) {
        return F32GemvDot4.blocks(units) * LANES;
    }

    /** Floats of {@code partial}: at depth 32 one partial sum per unit, and at least the scratch F32GemvDot4 takes. */
    public static int partialNeeded(int units, int depth) {
        return depth == F32GemvDot4.RESIDUE_DEPTH_32 ? Math.max(scoresNeeded(units), F32GemvDot4.scratchNeeded(depth)) : 0;
    }

    /** Ints of {@code hits}: the compare bits of the blocks after the sample, one int per group of blocks. */
    public static int hitsNeeded(int units) {
        return units / LANES / GROUP + 1;
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
     * @param order          {@link #packingOrder}{@code (units)}
     * @param packedPosition {@link #packedPositions}{@code (order)}
     * @param scores         {@link #scoresNeeded} floats, overwritten: the scores in packing order
     * @param partial        {@link #partialNeeded} floats, overwritten
     * @param hits           {@link #hitsNeeded} ints, overwritten
     * @param keys           {@link #keysNeeded} longs, overwritten
     * @param ranks          {@link #ranksNeeded} ints, overwritten
     * @return true with the top k written; false with only {@code scores[0, units)} written (see the class doc)
     */
    public static boolean eval(float[] x, int xOff, int depth, float[] packed, int[] order, int[] packedPosition,
                               int units, int k, float[] values, int vOff, int[] indices, int iOff,
                               float[] scores, float[] partial, int[] hits, long[] keys, int[] ranks) {
        return VectorWidth.SCALAR
                ? evalScalar(x, xOff, depth, packed, order, packedPosition, units, k, values, vOff, indices, iOff,
                        scores, partial, hits, keys, ranks)
                : evalVector(x, xOff, depth, packed, order, packedPosition, units, k, values, vOff, indices, iOff,
                        scores, partial, hits, keys, ranks);
    }

    /** The vector kernel. */
    public static boolean evalVector(float[] x, int xOff, int depth, float[] packed, int[] order, int[] packedPosition,
                                     int units, int k, float[] values, int vOff, int[] indices, int iOff,
                                     float[] scores, float[] partial, int[] hits, long[] keys, int[] ranks) {
        if (!finiteSums(x, xOff, depth, packed, units)) {
            F32GemvDot4.evalVector(x, xOff, depth, packed, units, null, 0, -TfliteMath.FLT_MAX, TfliteMath.FLT_MAX,
                    scores, 0, partial);
            return false;
        }
        int blocks = F32GemvDot4.blocks(units);
        int whole = units / LANES;
        int sample = sampleBlocks(units);
        // Every pass but the last over all whole blocks, the last over the sample's blocks.
        if (depth == F32GemvDot4.RESIDUE_DEPTH) {
            F32GemvDot4.residuePairSums(x, xOff, packed, blocks, 0, whole, 0, scores, 0);  // l0 + l2
            F32GemvDot4.residuePairSums(x, xOff, packed, blocks, 0, sample, 1, scores, 0); // + (l1 + l3)
        } else {
            F32GemvDot4.residueSums(x, xOff, packed, blocks, 0, whole, 0, F32GemvDot4.STORE, scores, 0, null, 0);
            F32GemvDot4.residueSums(x, xOff, packed, blocks, 0, whole, 2, F32GemvDot4.ADD, scores, 0, null, 0);
            F32GemvDot4.residueSums(x, xOff, packed, blocks, 0, whole, 1, F32GemvDot4.STORE, partial, 0, null, 0);
            F32GemvDot4.residueSums(x, xOff, packed, blocks, 0, sample, 3, F32GemvDot4.ADD_TO_PARTIAL, scores, 0, partial, 0);
        }
        for (int o = whole * LANES; o < units; o++) scores[o] = lastUnit(x, xOff, depth, packed, units, o);
        int j = TopKFilter.sampleRank(k);
        int laneBound = sampleThresholdVector(scores, sample, j, ranks);
        int sampleBest = INT_VECTOR.cast(IntVector.fromArray(INTS, ranks, 0)).reduceLanes(VectorOperators.MAX);
        int threshold = exactSampleRankVector(scores, sample * LANES, laneBound, j, ranks);
        float lowest = TopKFilter.lowestReaching(threshold);
        int groups = (whole - sample) / GROUP;
        if (depth == F32GemvDot4.RESIDUE_DEPTH) {
            lastPairPassCollecting(x, xOff, packed, blocks, sample, groups, lowest, scores, hits);
        } else {
            lastResiduePassCollecting(x, xOff, packed, blocks, sample, groups, lowest, scores, partial, hits);
        }
        int limit = TopKFilter.maxCandidates(k);
        int shift = TopKFilter.bucketShift(threshold, sampleBest);
        int[] counts = ranks; // the bucket histogram, counted as the keys are collected
        Arrays.fill(counts, 0, TopKFilter.BUCKETS, 0);
        int count = collectSampleVector(scores, sample * LANES, threshold, lowest, order, keys, limit, counts, shift);
        if (count >= 0) {
            count = collectHits(scores, hits, sample * LANES, groups, threshold, order, keys, count, limit, counts, shift);
        }
        if (count >= 0) count = collectRange(scores, whole * LANES, units, threshold, order, keys, count, limit, counts, shift);
        if (count < k) return false; // misjudged: too few, or more than the limit (-1)
        TopKFilter.selectFromBuckets(keys, count, k, threshold, shift, limit, counts);
        emit(scores, packedPosition, k, values, vOff, indices, iOff, keys);
        return true;
    }

    /** The scalar twin: every score by {@link F32GemvDot4#unit}, then the same sample, threshold, keys and selection. */
    public static boolean evalScalar(float[] x, int xOff, int depth, float[] packed, int[] order, int[] packedPosition,
                                     int units, int k, float[] values, int vOff, int[] indices, int iOff,
                                     float[] scores, float[] partial, int[] hits, long[] keys, int[] ranks) {
        if (!finiteSums(x, xOff, depth, packed, units)) {
            F32GemvDot4.evalScalar(x, xOff, depth, packed, units, null, 0, -TfliteMath.FLT_MAX, TfliteMath.FLT_MAX,
                    scores, 0, partial);
            return false;
        }
        for (int o = 0; o < units; o++) scores[o] = lastUnit(x, xOff, depth, packed, units, o);
        int sample = sampleBlocks(units);
        int j = TopKFilter.sampleRank(k);
        int laneBound = sampleThresholdScalar(scores, sample, j, keys);
        int sampleBest = Integer.MIN_VALUE;
        for (int lane = 0; lane < LANES; lane++) sampleBest = Math.max(sampleBest, (int) keys[lane]); // lanes' best
        int threshold = exactSampleRankScalar(scores, sample * LANES, laneBound, j, keys);
        int limit = TopKFilter.maxCandidates(k);
        int shift = TopKFilter.bucketShift(threshold, sampleBest);
        int[] counts = ranks;
        Arrays.fill(counts, 0, TopKFilter.BUCKETS, 0);
        int count = collectRange(scores, 0, units, threshold, order, keys, 0, limit, counts, shift);
        if (count < k) return false;
        TopKFilter.selectFromBuckets(keys, count, k, threshold, shift, limit, counts);
        emit(scores, packedPosition, k, values, vOff, indices, iOff, keys);
        return true;
    }

    /** True when no sum can reach the clamp of the absent activation, so every score is finite (see the class doc). */
    private static boolean finiteSums(float[] x, int xOff, int depth, float[] packed, int units) {
        return F32GemvDot4.clampChangesNothing(x, xOff, depth, packed[F32GemvDot4.packedSize(units, depth) - 1],
                -TfliteMath.FLT_MAX, TfliteMath.FLT_MAX);
    }

    private static float lastUnit(float[] x, int xOff, int depth, float[] packed, int units, int o) {
        return F32GemvDot4.unit(x, xOff, depth, packed, units, o, null, 0, -TfliteMath.FLT_MAX, TfliteMath.FLT_MAX);
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
     * under 40) are gathered into {@code ranks} and their j-th largest counted as {@link TopKFilter#jthLargestVector}
     * does; more than {@link #EXACT_RANK_MAX} of them (ties, or a lane holding many) keep the bound.
     */
    private static int exactSampleRankVector(float[] scores, int n, int bound, int j, int[] ranks) {
        float lowest = TopKFilter.lowestReaching(bound);
        int count = 0;
        for (int c = 0; c < n; c += LANES) {
            VectorMask<Float> reaching = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, scores, c))
                    .compare(VectorOperators.GE, lowest);
            if (reaching.anyTrue()) {
                // Lanes from the first reaching one on, one by one: no mask lives across the stores.
                for (int p = c + reaching.firstTrue(); p < c + LANES; p++) {
                    int rank = TopKFilter.rank(scores[p]);
                    if (rank >= bound) {
                        if (count == EXACT_RANK_MAX) return bound;
                        ranks[count++] = rank;
                    }
                }
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

    // ---- the last pass, collecting -----------------------------------------------------------------------------

    /**
     * Depth 16's last pass ({@code y = y + (l1 + l3)}, as {@link F32GemvDot4#residuePairSums} pass 1) over
     * {@code groups} groups of {@link #GROUP} blocks from block {@code from}, each block's final sums compared with
     * {@code lowest} as they are stored: group g's compare bits (bit {@code v L + lane} for its v-th block) into
     * {@code hits[g]}.
     */
    private static void lastPairPassCollecting(float[] x, int xOff, float[] packed, int blocks, int from, int groups,
                                               float lowest, float[] y, int[] hits) {
        FloatVector a0 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 1]));
        FloatVector c0 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 3]));
        FloatVector a1 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 5]));
        FloatVector c1 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 7]));
        FloatVector a2 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 9]));
        FloatVector c2 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 11]));
        FloatVector a3 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 13]));
        FloatVector c3 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 15]));
        FloatVector zero = FLOAT_VECTOR.cast(FloatVector.zero(FLOATS));
        int region = blocks * F32GemvDot4.RESIDUE_ROWS * LANES; // region 1: l1 and l3
        int rows = F32GemvDot4.RESIDUE_ROWS * LANES;
        for (int g = 0; g < groups; g++) {
            int bits = 0;
            IntVector laneBits = INT_VECTOR.cast(IntVector.zero(INTS));
            for (int v = 0; v < GROUP; v++) {
                int block = from + g * GROUP + v; // loads indexed from the loops' counters (see the package doc)
                int p = region + block * rows;
                FloatVector la = zero.add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p)).mul(a0));
                FloatVector lc = zero.add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + LANES)).mul(c0));
                la = FLOAT_VECTOR.cast(la).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 2 * LANES)).mul(a1));
                lc = FLOAT_VECTOR.cast(lc).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 3 * LANES)).mul(c1));
                la = FLOAT_VECTOR.cast(la).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 4 * LANES)).mul(a2));
                lc = FLOAT_VECTOR.cast(lc).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 5 * LANES)).mul(c2));
                la = FLOAT_VECTOR.cast(la).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 6 * LANES)).mul(a3));
                lc = FLOAT_VECTOR.cast(lc).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 7 * LANES)).mul(c3));
                int o = block * LANES;
                FloatVector sum = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, y, o))
                        .add(FLOAT_VECTOR.cast(la).add(FLOAT_VECTOR.cast(lc)));
                sum.intoArray(y, o);
                VectorMask<Float> reaching = sum.compare(VectorOperators.GE, lowest);
                if (TopKFilter.MASK_TO_LONG_INTRINSIC) {
                    bits |= (int) reaching.toLong() << (v * LANES);
                } else {
                    IntVector set = INT_VECTOR.cast(zero.blend(TopKFilter.LANE_BIT, reaching).reinterpretAsInts());
                    laneBits = INT_VECTOR.cast(laneBits).or(set.lanewise(VectorOperators.LSHL, v * LANES));
                }
            }
            hits[g] = TopKFilter.MASK_TO_LONG_INTRINSIC ? bits : INT_VECTOR.cast(laneBits).reduceLanes(VectorOperators.OR);
        }
    }

    /**
     * Depth 32's last pass ({@code y = y + (partial + l3)}, as {@link F32GemvDot4#residueSums} in
     * {@code ADD_TO_PARTIAL} mode over region 3), collecting as {@link #lastPairPassCollecting} does.
     */
    private static void lastResiduePassCollecting(float[] x, int xOff, float[] packed, int blocks, int from, int groups,
                                                  float lowest, float[] y, float[] partial, int[] hits) {
        FloatVector x0 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 3]));
        FloatVector x1 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 7]));
        FloatVector x2 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 11]));
        FloatVector x3 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 15]));
        FloatVector x4 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 19]));
        FloatVector x5 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 23]));
        FloatVector x6 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 27]));
        FloatVector x7 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 31]));
        FloatVector zero = FLOAT_VECTOR.cast(FloatVector.zero(FLOATS));
        int region = 3 * blocks * F32GemvDot4.RESIDUE_ROWS * LANES; // region 3: l3
        int rows = F32GemvDot4.RESIDUE_ROWS * LANES;
        for (int g = 0; g < groups; g++) {
            int bits = 0;
            IntVector laneBits = INT_VECTOR.cast(IntVector.zero(INTS));
            for (int v = 0; v < GROUP; v++) {
                int block = from + g * GROUP + v;
                int p = region + block * rows;
                FloatVector l = zero.add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p)).mul(x0));
                l = FLOAT_VECTOR.cast(l).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + LANES)).mul(x1));
                l = FLOAT_VECTOR.cast(l).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 2 * LANES)).mul(x2));
                l = FLOAT_VECTOR.cast(l).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 3 * LANES)).mul(x3));
                l = FLOAT_VECTOR.cast(l).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 4 * LANES)).mul(x4));
                l = FLOAT_VECTOR.cast(l).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 5 * LANES)).mul(x5));
                l = FLOAT_VECTOR.cast(l).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 6 * LANES)).mul(x6));
                l = FLOAT_VECTOR.cast(l).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 7 * LANES)).mul(x7));
                int o = block * LANES;
                l = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, partial, o)).add(FLOAT_VECTOR.cast(l));
                FloatVector sum = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, y, o)).add(FLOAT_VECTOR.cast(l));
                sum.intoArray(y, o);
                VectorMask<Float> reaching = sum.compare(VectorOperators.GE, lowest);
                if (TopKFilter.MASK_TO_LONG_INTRINSIC) {
                    bits |= (int) reaching.toLong() << (v * LANES);
                } else {
                    IntVector set = INT_VECTOR.cast(zero.blend(TopKFilter.LANE_BIT, reaching).reinterpretAsInts());
                    laneBits = INT_VECTOR.cast(laneBits).or(set.lanewise(VectorOperators.LSHL, v * LANES));
                }
            }
            hits[g] = TopKFilter.MASK_TO_LONG_INTRINSIC ? bits : INT_VECTOR.cast(laneBits).reduceLanes(VectorOperators.OR);
        }
    }

    // ---- keys ----------------------------------------------------------------------------------------------------

    /**
     * Keys of the sample's scores {@code scores[0, n)} that reach the threshold, into {@code keys[0, count)}, each
     * counted in its bucket of {@code counts} ({@link TopKFilter#bucket} under {@code shift}): the count, or -1 past
     * {@code limit}. A vector compare per block, then its lanes from the first reaching one (the
     * sample is an eighth of the row, so this simple loop costs little).
     */
    private static int collectSampleVector(float[] scores, int n, int threshold, float lowest, int[] order, long[] keys,
                                           int limit, int[] counts, int shift) {
        int count = 0;
        for (int c = 0; c < n; c += LANES) {
            VectorMask<Float> reaching = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, scores, c))
                    .compare(VectorOperators.GE, lowest);
            if (reaching.anyTrue()) {
                // Lanes from the first reaching one on, one by one: no mask lives across the keys' stores.
                count = collectRange(scores, c + reaching.firstTrue(), c + LANES, threshold, order, keys, count, limit,
                        counts, shift);
                if (count < 0) return -1;
            }
        }
        return count;
    }

    /**
     * Appends the keys of the positions whose bits are set in {@code hits[0, groups)} (group g's bit b is position
     * {@code from + 32 g + b}): the new count, or -1 past {@code limit}. One branch per int of bits.
     */
    private static int collectHits(float[] scores, int[] hits, int from, int groups, int threshold, int[] order,
                                   long[] keys, int count, int limit, int[] counts, int shift) {
        for (int g = 0; g < groups; g++) {
            int base = from + g * Integer.SIZE;
            for (int word = hits[g]; word != 0; word &= word - 1) {
                int p = base + Integer.numberOfTrailingZeros(word);
                int rank = TopKFilter.rank(scores[p]);
                if (rank >= threshold) { // the compare took raw values; the rank decides
                    if (count == limit) return -1;
                    keys[count++] = TopKFilter.key(rank, order[p]);
                    counts[TopKFilter.bucket(rank, threshold, shift)]++;
                }
            }
        }
        return count;
    }

    /** Appends the keys of positions {@code [from, to)} that reach the threshold, in order: the count, or -1 past {@code limit}. */
    private static int collectRange(float[] scores, int from, int to, int threshold, int[] order, long[] keys,
                                    int count, int limit, int[] counts, int shift) {
        for (int p = from; p < to; p++) {
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
