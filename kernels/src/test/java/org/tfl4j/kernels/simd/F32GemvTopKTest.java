package org.tfl4j.kernels.simd;

import org.junit.jupiter.api.Test;
import org.tfl4j.kernels.TfliteMath;
import org.tfl4j.kernels.TopKV2;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link F32GemvTopK}: the vector kernel, its scalar twin and the dispatching eval against the two ops it replaces,
 * computed apart from it: every unit's {@link TfliteMath#dot4} in unit order, then {@link TopKV2}'s replay of
 * TFLite's heap. Indices and value bits, outputs pre-filled with NaN; depths 8 to 32, unit counts with odd tails
 * (including the models' 3953), k from 32 to units / 16; tables with duplicate rows (tied scores, which go to the
 * smaller unit index), scores clustered so that the sample misjudges them (the kernel must then say so, with every
 * score written), and inputs or weights that the activation's clamp could change (infinite, NaN, huge).
 */
class F32GemvTopKTest {
    private static final float MAX = TfliteMath.FLT_MAX;
    private static final int GUARD_BITS = 0x7fc0_1234;
    private static final int GUARD = 3;

    @FunctionalInterface
    interface Kernel {
        boolean run(float[] x, int xOff, int depth, float[] packed, int origin, int[] order, int[] packedPosition,
                    int units, int k,
                    float[] values, int vOff, int[] indices, int iOff, float[] scores, int[] terms, int[] hits,
                    long[] keys, int[] ranks);
    }

    private static final String[] NAMES = {"eval", "evalVector", "evalScalar"};
    private static final Kernel[] KERNELS = {F32GemvTopK::eval, F32GemvTopK::evalVector, F32GemvTopK::evalScalar};

    @Test
    void matchesFullyConnectedThenTopKBitForBit() {
        System.out.println("F32GemvTopKTest: " + VectorWidth.describe());
        Random random = new Random(20261205L);
        int cases = 0, declined = 0;
        int[] unitCounts = {512, 513, 527, 640, 1000, 1601, 2048, 3953};
        for (int depth : new int[] {8, 16, 20, 32}) {
            for (int units : unitCounts) {
                for (int k : new int[] {32, 33, 50, 100, units / 16}) {
                    if (!F32GemvTopK.supports(units, depth, k)) continue;
                    for (int shape = 0; shape < 5; shape++) {
                        float[] w = table(random, units, depth, shape);
                        float[] x = input(random, depth, shape);
                        if (!check(x, w, units, depth, k, "depth " + depth + " units " + units + " k " + k + " shape " + shape)) {
                            declined++;
                        }
                        cases++;
                    }
                }
            }
        }
        System.out.println("F32GemvTopKTest: " + cases + " tables, every kernel as FULLY_CONNECTED + TOPK_V2 ("
                + declined + " declined as misjudged, their scores checked)");
        assertTrue(declined < cases / 4, declined + " of " + cases + " declined: the sample should rarely misjudge");
    }

    /**
     * Inputs with zeros (the fused pass leaves their columns out): of both signs, everywhere, all but one, whole
     * residues of dot4's partial sums, against tables with zero and tiny weights too. Leaving out a non-zero input,
     * or a zero one wrongly, changes the bits of some score.
     */
    @Test
    void skipsZeroInputsWithTheSameBits() {
        Random random = new Random(4096L);
        int units = 3953, k = 100;
        for (int depth : new int[] {16, 32}) {
            for (int shape : new int[] {0, 3}) {
                float[] w = table(random, units, depth, shape);
                float[] allZero = new float[depth];
                for (int d = 1; d < depth; d += 2) allZero[d] = -0f;
                assertFalse(check(allZero, w, units, depth, k, "all inputs ±0, depth " + depth + " shape " + shape),
                        "every score +0: all tie, over the limit");
                for (int only = 0; only < depth; only += 5) {
                    float[] x = new float[depth];
                    x[only] = 1.5f;
                    check(x, w, units, depth, k, "only input " + only + " non-zero, depth " + depth + " shape " + shape);
                }
                for (int residue = 0; residue < 4; residue++) {
                    float[] x = input(random, depth, 0);
                    for (int d = residue; d < depth; d += 4) x[d] = (d & 4) == 0 ? 0f : -0f;
                    check(x, w, units, depth, k, "residue " + residue + " all zero, depth " + depth + " shape " + shape);
                }
                for (int trial = 0; trial < 4; trial++) {
                    float[] x = input(random, depth, 0);
                    for (int d = 0; d < depth; d++) {
                        if (random.nextInt(3) == 0) x[d] = random.nextBoolean() ? 0f : -0f;
                    }
                    check(x, w, units, depth, k, "a third of the inputs ±0, depth " + depth + " shape " + shape);
                }
            }
        }
    }

    @Test
    void saysSoWhenTheSampleMisjudgesTheScores() {
        Random random = new Random(77L);
        for (int depth : new int[] {16, 32}) {
            int units = 3953, k = 100;
            // Every score equal: all units reach any threshold, far more than the limit.
            float[] w = new float[units * depth];
            Arrays.fill(w, 0.25f);
            float[] x = input(random, depth, 0);
            assertFalse(check(x, w, units, depth, k, "all equal, depth " + depth), "all scores equal: over the limit");
            // The 30 best scores all on the sample's packed positions: only they reach its threshold, fewer than k.
            int[] order = F32GemvTopK.packingOrder(units);
            float[] onSample = table(random, units, depth, 0);
            for (int i = 0; i < 30; i++) {
                float size = 4f + i / 64f;
                for (int d = 0; d < depth; d++) onSample[order[i] * depth + d] = x[d] >= 0 ? size : -size;
            }
            assertFalse(check(x, onSample, units, depth, k, "best on the sample, depth " + depth), "too few reach");
        }
    }

    /**
     * The first try's threshold (the sample's rank {@link F32GemvTopK#firstSampleRank}) lets fewer than k units
     * through and the second (TopKFilter's rank) enough: the kernels must answer, with the reference's top k. The
     * sample's best scores sit on its packed positions, and k units off the sample score between the two ranks'
     * values, so only the second try reaches them (a kernel without it declines; one that kept the first try's bits
     * misses them).
     */
    @Test
    void triesTheSampleAgainAtTheLowerRankWhenTooFewReachTheFirst() {
        int units = 3953, k = 100;
        int first = F32GemvTopK.firstSampleRank(k), second = TopKFilter.sampleRank(k);
        assertTrue(first < second, "first try's rank " + first + " below the second's " + second);
        Random random = new Random(2026L);
        int[] order = F32GemvTopK.packingOrder(units);
        int sample = F32GemvTopK.sampleUnits(units);
        for (int depth : new int[] {16, 32}) {
            float[] w = table(random, units, depth, 0); // scores under 2: with x = e0 a unit's score is its w[0]
            float[] x = new float[depth];
            x[0] = 1f;
            // the sample's best: 10 + i / 8, so the second try's value is 10 and the first try's 10 + gap
            for (int i = 0; i < second; i++) w[order[i] * depth] = 10f + i / 8f;
            float gap = (second - first) / 8f;
            for (int m = 0; m < k; m++) w[order[sample + m] * depth] = 10f + gap * (m + 1) / (k + 2);
            assertTrue(check(x, w, units, depth, k, "too few at the first try, depth " + depth),
                    "the second try lets " + (second + k) + " through: the kernels must answer");
        }
    }

    @Test
    void leavesSumsTheClampCouldChangeToTheTwoOps() {
        Random random = new Random(91L);
        for (int depth : new int[] {16, 32}) {
            int units = 1000, k = 50;
            float[] w = table(random, units, depth, 0);
            float[] x = input(random, depth, 0);
            x[3] = Float.POSITIVE_INFINITY;
            assertFalse(check(x, w, units, depth, k, "infinite input, depth " + depth));
            x[3] = Float.NaN;
            assertFalse(check(x, w, units, depth, k, "NaN input, depth " + depth));
            x = input(random, depth, 0);
            float[] huge = w.clone();
            huge[5 * depth + 1] = 3e38f;
            x[1] = 2f;
            assertFalse(check(x, huge, units, depth, k, "a sum past FLT_MAX, depth " + depth));
            float[] infinite = w.clone();
            infinite[7 * depth] = Float.NEGATIVE_INFINITY;
            assertFalse(check(input(random, depth, 0), infinite, units, depth, k, "infinite weight, depth " + depth));
        }
    }

    @Test
    void supportsTheModelsAndRefusesWhatItCannotSample() {
        assertTrue(F32GemvTopK.supports(3953, 16, 100));
        assertTrue(F32GemvTopK.supports(3953, 32, 100));
        assertTrue(F32GemvTopK.supports(3953, 24, 100));
        assertFalse(F32GemvTopK.supports(3953, 18, 100), "depth not a multiple of 4 (dot4 would have a tail)");
        assertFalse(F32GemvTopK.supports(3953, 68, 100), "deeper than the term lists take");
        assertFalse(F32GemvTopK.supports(3953, 16, 31), "k below TopKFilter's sampled range");
        assertFalse(F32GemvTopK.supports(1599, 16, 100), "fewer than 16 k units");
        int[] order = F32GemvTopK.packingOrder(3953);
        assertArrayEquals(order, F32GemvTopK.packingOrder(3953), "the packing order is fixed");
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) assertEquals(i, sorted[i], "a permutation");
        int[] position = F32GemvTopK.packedPositions(order);
        for (int i = 0; i < order.length; i++) assertEquals(i, position[order[i]]);
    }

    // ---- the check --------------------------------------------------------------------------------------------

    /**
     * Every kernel against the reference on one table and input; returns whether the kernels answered (they must
     * agree). When they answer, the top k must be the reference's; when not, the scores in unit order must be the
     * reference's FULLY_CONNECTED output, and the outputs untouched.
     */
    private static boolean check(float[] x, float[] w, int units, int depth, int k, String what) {
        int xOff = 2;
        float[] xs = new float[xOff + depth];
        System.arraycopy(x, 0, xs, xOff, depth);
        float[] logits = new float[units];
        for (int o = 0; o < units; o++) logits[o] = TfliteMath.activation(TfliteMath.dot4(w, o * depth, x, 0, depth), -MAX, MAX);
        float[] expectedValues = new float[k];
        int[] expectedIndices = new int[k];
        TopKV2.float32(logits, 0, 1, units, k, expectedValues, 0, expectedIndices, 0, new int[k + 1]);

        int[] order = F32GemvTopK.packingOrder(units);
        int[] position = F32GemvTopK.packedPositions(order);
        float[] packed = F32GemvTopK.pack(w, 0, units, depth, order);
        Boolean answered = null;
        int origin = 0;
        for (int kernel = 0; kernel < KERNELS.length; kernel++) {
            int next = ORIGINS[kernel];
            PanelOrigins.move(packed, origin, next, F32GemvTopK.panelsLength(units, depth));
            origin = next;
            poisonRoom(packed, origin, F32GemvTopK.panelsLength(units, depth));
            String name = NAMES[kernel] + " at origin " + origin + ", " + what + ", " + VectorWidth.describe();
            float[] values = guardedFloats(GUARD + k + GUARD);
            int[] indices = new int[GUARD + k + GUARD];
            Arrays.fill(indices, -7);
            float[] scores = guardedFloats(F32GemvTopK.scoresNeeded(units));
            int[] terms = new int[F32GemvTopK.termsNeeded(depth)];
            boolean ok = KERNELS[kernel].run(xs, xOff, depth, packed, origin, order, position, units, k, values,
                    GUARD, indices,
                    GUARD, scores, terms, new int[F32GemvTopK.hitsNeeded(units)], new long[F32GemvTopK.keysNeeded(k)],
                    new int[F32GemvTopK.ranksNeeded()]);
            if (answered == null) answered = ok;
            assertEquals(answered, ok, name + ": the kernels disagree on whether they answer");
            if (ok) {
                for (int j = 0; j < k; j++) {
                    if (indices[GUARD + j] != expectedIndices[j]
                            || Float.floatToRawIntBits(values[GUARD + j]) != Float.floatToRawIntBits(expectedValues[j])) {
                        fail(name + ": rank " + j + " is unit " + indices[GUARD + j] + " = " + values[GUARD + j]
                                + ", expected unit " + expectedIndices[j] + " = " + expectedValues[j]);
                    }
                }
            } else {
                float[] unpacked = guardedFloats(units);
                F32GemvTopK.unpack(scores, order, units, unpacked, 0);
                for (int o = 0; o < units; o++) {
                    if (Float.floatToRawIntBits(unpacked[o]) != Float.floatToRawIntBits(logits[o])) {
                        fail(name + ": declined, and unit " + o + "'s score is " + unpacked[o] + ", expected " + logits[o]);
                    }
                }
                for (int j = 0; j < k; j++) {
                    assertEquals(GUARD_BITS, Float.floatToRawIntBits(values[GUARD + j]), name + ": declined but wrote values");
                    assertEquals(-7, indices[GUARD + j], name + ": declined but wrote indices");
                }
            }
            for (int g = 0; g < GUARD; g++) {
                assertEquals(GUARD_BITS, Float.floatToRawIntBits(values[g]), name + ": wrote before the values");
                assertEquals(GUARD_BITS, Float.floatToRawIntBits(values[GUARD + k + g]), name + ": wrote past the values");
                assertEquals(-7, indices[g], name + ": wrote before the indices");
                assertEquals(-7, indices[GUARD + k + g], name + ": wrote past the indices");
            }
        }
        return answered;
    }

    /**
     * A table: shape 0 plain normal weights; 1 with a third of its rows copies of others (tied scores); 2 rows from
     * a few prototypes plus small noise (clustered scores); 3 zeros and tiny magnitudes mixed in (scores of +0); 4 every
     * row one of two, one in twenty the rarer (two exact levels of score, ties at the threshold).
     */
    private static float[] table(Random random, int units, int depth, int shape) {
        float[] w = new float[units * depth];
        for (int i = 0; i < w.length; i++) w[i] = (float) (random.nextGaussian() * 0.3);
        if (shape == 1) {
            for (int o = 0; o < units; o++) {
                if (random.nextInt(3) == 0) {
                    int from = random.nextInt(units);
                    System.arraycopy(w, from * depth, w, o * depth, depth);
                }
            }
        } else if (shape == 2) {
            float[][] prototypes = new float[4][depth];
            for (float[] p : prototypes) for (int d = 0; d < depth; d++) p[d] = (float) random.nextGaussian();
            for (int o = 0; o < units; o++) {
                float[] p = prototypes[random.nextInt(prototypes.length)];
                for (int d = 0; d < depth; d++) w[o * depth + d] = p[d] + (float) (random.nextGaussian() * 0.01);
            }
        } else if (shape == 4) {
            float[] common = new float[depth], rare = new float[depth]; // two exact levels of score, ties at the threshold
            for (int d = 0; d < depth; d++) {
                common[d] = (float) random.nextGaussian();
                rare[d] = (float) random.nextGaussian();
            }
            for (int o = 0; o < units; o++) System.arraycopy(random.nextInt(20) == 0 ? rare : common, 0, w, o * depth, depth);
        } else if (shape == 3) {
            for (int i = 0; i < w.length; i++) {
                int r = random.nextInt(4);
                if (r == 0) w[i] = 0f;
                else if (r == 1) w[i] = (float) (random.nextGaussian() * 1e-10);
            }
            for (int o = 0; o < units; o += 5) Arrays.fill(w, o * depth, o * depth + depth, 0f); // whole rows of zeros
        }
        return w;
    }

    /** An input row, ReLU-like for shape 3 (zeros and positives), else normal. */
    private static float[] input(Random random, int depth, int shape) {
        float[] x = new float[depth];
        for (int d = 0; d < depth; d++) {
            x[d] = (float) random.nextGaussian();
            if (shape == 3 && x[d] < 0) x[d] = 0f;
        }
        return x;
    }

    /** The panels' origin for each kernel in turn: the first, an odd one, the last. */
    private static final int[] ORIGINS = {0, 13, PanelOrigins.COUNT - 1};

    /**
     * NaN in the room around the panels (all but the last float, the largest weight): a kernel that read it would fail.
     */
    private static void poisonRoom(float[] packed, int origin, int panelsLength) {
        Arrays.fill(packed, 0, origin, Float.NaN);
        Arrays.fill(packed, origin + panelsLength, packed.length - 1, Float.NaN);
    }

    @Test
    void movesPanelsToEveryOriginAndBack() {
        Random random = new Random(15L);
        int units = 1000, depth = 16;
        float[] w = table(random, units, depth, 0);
        float[] packed = F32GemvTopK.pack(w, 0, units, depth, F32GemvTopK.packingOrder(units));
        float[] at0 = packed.clone();
        int origin = 0;
        for (int to : new int[] {15, 1, 8, 8, 14, 0}) {
            PanelOrigins.move(packed, origin, to, F32GemvTopK.panelsLength(units, depth));
            origin = to;
            int length = F32GemvTopK.panelsLength(units, depth);
            assertArrayEquals(Arrays.copyOfRange(at0, 0, length), Arrays.copyOfRange(packed, to, to + length),
                    "panels at origin " + to);
            assertEquals(at0[at0.length - 1], packed[packed.length - 1], "the largest weight stays last");
        }
        float[] moved = packed;
        int length = F32GemvTopK.panelsLength(units, depth);
        assertThrows(IllegalArgumentException.class, () -> PanelOrigins.move(moved, 0, PanelOrigins.COUNT, length));
        assertThrows(IllegalArgumentException.class, () -> PanelOrigins.move(moved, -1, 0, length));
    }

    private static float[] guardedFloats(int n) {
        float[] a = new float[n];
        Arrays.fill(a, Float.intBitsToFloat(GUARD_BITS));
        return a;
    }
}
