package org.tfl4j.kernels.simd;

import org.junit.jupiter.api.Test;
import org.tfl4j.kernels.Gather;
import org.tfl4j.kernels.Mul;
import org.tfl4j.kernels.Sum;
import org.tfl4j.kernels.TfliteMath;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link F32EmbeddingMaskedRows} and {@link F32EmbeddingMaskedSum}: the vector kernels, their scalar twins and the
 * dispatching eval against the unfused kernels they replace ({@link Gather#gather}, then {@link Mul#float32} by the
 * mask broadcast over the embedding, then {@link Sum#float32} over the id axis), bit for bit, over embedding sizes
 * 1..40 (every tail), 1..12 ids per group, one and several groups, every activation clamp, masks of 0/1 and of other
 * values, repeated ids, tables holding ±0, subnormals, infinities and NaNs, into outputs pre-filled with a guard NaN.
 * When two NaNs with different payloads meet, the result may carry either one's (Java's JIT may commute a multiply or
 * an add, as the kernels' documentation says TFLite's code paths do), so in runs whose inputs hold several NaN payloads
 * two NaNs compare equal; runs whose only NaN is x86's default NaN (the one {@code inf * 0} makes) compare every
 * element by its bits.
 */
class F32EmbeddingMaskedTest {
    private static final float MAX = TfliteMath.FLT_MAX;
    /** NONE, RELU, RELU_N1_TO_1, RELU6 as {lo, hi}. */
    private static final float[][] CLAMPS = {{-MAX, MAX}, {0f, MAX}, {-1f, 1f}, {0f, 6f}};
    /** A quiet NaN with a payload no arithmetic produces, so an overwrite shows even as another NaN. */
    private static final int GUARD_BITS = 0x7fc0_1234;
    private static final int GUARD = 5;
    private static final int TABLE_ROWS = 23;
    /** Elements where both sides were NaN with different payloads (reported, allowed). */
    private static int nanPayloadDifferences;

    private static final float[] SPECIALS = {
        0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, -3e-39f, Float.MIN_NORMAL, -Float.MIN_NORMAL,
        Math.nextDown(Float.MIN_NORMAL), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, MAX, -MAX,
        Float.NaN, Float.intBitsToFloat(0x7fc0_0abc), Float.intBitsToFloat(0xffc0_0001), 1e-20f, -1e-20f,
        1e20f, -1e20f, 3e38f, 1f, -1f, 0.5f, 6f, 7f, -2f,
    };
    /** x86's default NaN, what {@code inf * 0} and {@code inf - inf} give. */
    private static final float DEFAULT_NAN = Float.intBitsToFloat(0xffc0_0000);
    /** {@link #SPECIALS} with every NaN the default NaN: then every NaN anywhere has the same bits. */
    private static final float[] SPECIALS_ONE_NAN = oneNan(SPECIALS);

    private static float[] oneNan(float[] values) {
        float[] v = values.clone();
        for (int i = 0; i < v.length; i++) if (Float.isNaN(v[i])) v[i] = DEFAULT_NAN;
        return v;
    }

    @FunctionalInterface
    interface RowsKernel {
        void run(float[] table, int dim, int[] ids, int idsOff, int rows, float[] mask, int maskOff,
                 float actMin, float actMax, float[] out, int outOff);
    }

    @FunctionalInterface
    interface SumKernel {
        void run(float[] table, int dim, int[] ids, int idsOff, int groups, int n, float[] mask, int maskOff,
                 float actMin, float actMax, float[] out, int outOff);
    }

    private static final String[] NAMES = {"eval", "evalVector", "evalScalar"};
    private static final RowsKernel[] ROWS = {F32EmbeddingMaskedRows::eval, F32EmbeddingMaskedRows::evalVector,
            F32EmbeddingMaskedRows::evalScalar};
    private static final SumKernel[] SUMS = {F32EmbeddingMaskedSum::eval, F32EmbeddingMaskedSum::evalVector,
            F32EmbeddingMaskedSum::evalScalar};

    /** What the mask holds: the models' 0/1 (padding ids masked out), arbitrary values, or specials. */
    private enum MaskKind { ZERO_ONE, RANDOM, SPECIAL }

    /**
     * What the table holds: random normal values, or some specials among them with NaNs of several payloads, or with
     * only the default NaN. The special masks take their values from the same list.
     */
    private enum TableKind { PLAIN, SPECIALS, SPECIALS_ONE_NAN }

    @Test
    void matchesGatherMulSumBitForBit() {
        System.out.println("F32EmbeddingMaskedTest: " + VectorWidth.describe());
        Random random = new Random(20240612L);
        int runs = 0;
        for (int dim = 1; dim <= 40; dim++) {
            for (int n = 1; n <= 12; n++) {
                for (int groups : new int[] {1, 3}) {
                    for (TableKind tableKind : TableKind.values()) {
                        float[] table = table(random, dim, tableKind);
                        float[] flushed = F32EmbeddingMaskedRows.flushedTable(table);
                        for (MaskKind maskKind : MaskKind.values()) {
                            int rows = groups * n;
                            int idsOff = 2, maskOff = 3;
                            int[] ids = ids(random, idsOff, rows);
                            float[] mask = mask(random, maskOff, rows, maskKind,
                                    tableKind == TableKind.SPECIALS ? SPECIALS : SPECIALS_ONE_NAN);
                            for (float[] clamp : CLAMPS) {
                                String shape = "dim " + dim + " n " + n + " groups " + groups + " table " + tableKind
                                        + " mask " + maskKind + " clamp [" + clamp[0] + ", " + clamp[1] + "] ids "
                                        + Arrays.toString(Arrays.copyOfRange(ids, idsOff, idsOff + rows)) + " mask "
                                        + Arrays.toString(Arrays.copyOfRange(mask, maskOff, maskOff + rows));
                                boolean strict = tableKind != TableKind.SPECIALS;
                                float[] products = unfusedRows(table, dim, ids, idsOff, rows, mask, maskOff, clamp);
                                float[] sums = unfusedSum(products, dim, groups, n);
                                for (int k = 0; k < NAMES.length; k++) {
                                    float[] out = guarded(rows * dim);
                                    ROWS[k].run(flushed, dim, ids, idsOff, rows, mask, maskOff, clamp[0], clamp[1], out, GUARD);
                                    assertMatches(products, out, rows * dim, "rows " + NAMES[k] + ", " + shape, dim, strict);
                                    float[] pooled = guarded(groups * dim);
                                    SUMS[k].run(flushed, dim, ids, idsOff, groups, n, mask, maskOff, clamp[0], clamp[1],
                                            pooled, GUARD);
                                    assertMatches(sums, pooled, groups * dim, "sum " + NAMES[k] + ", " + shape, dim, strict);
                                    runs += 2;
                                }
                            }
                        }
                    }
                }
            }
        }
        System.out.println("F32EmbeddingMaskedTest: " + runs + " kernel runs bit-identical to Gather, Mul, Sum ("
                + nanPayloadDifferences + " elements NaN on both sides with different payloads, in runs with several)");
    }

    /** Signed zeros: a negative row masked by 0 is -0, and a sum of only -0 stays -0 (Sum has no +0 seed). */
    @Test
    void signedZerosSurviveAsInTflite() {
        int dim = 19;
        float[] table = new float[2 * dim];
        for (int d = 0; d < dim; d++) {
            table[d] = -1f - d;       // row 0: negative
            table[dim + d] = 1f + d;  // row 1: positive
        }
        int[] ids = {0, 0, 0};
        float[] mask = {0f, 0f, 0f};
        for (SumKernel kernel : SUMS) {
            float[] out = guarded(dim);
            kernel.run(table, dim, ids, 0, 1, 3, mask, 0, -MAX, MAX, out, GUARD);
            for (int d = 0; d < dim; d++) assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(out[GUARD + d]), "lane " + d);
        }
        int[] mixed = {0, 1};
        float[] both = {0f, 0f};
        for (SumKernel kernel : SUMS) {
            float[] out = guarded(dim);
            kernel.run(table, dim, mixed, 0, 1, 2, both, 0, -MAX, MAX, out, GUARD);
            for (int d = 0; d < dim; d++) assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(out[GUARD + d]), "lane " + d);
        }
    }

    /** Products and partial sums that would be subnormal flush to zero in every lane, as under TFLite's FTZ. */
    @Test
    void subnormalProductsAndSumsFlush() {
        int dim = 37;
        float[] table = new float[2 * dim];
        for (int d = 0; d < dim; d++) {
            table[d] = 1.5f * Float.MIN_NORMAL;
            table[dim + d] = -1.0f * Float.MIN_NORMAL;
        }
        int[] ids = {0, 1};
        float[] ones = {1f, 1f};
        float[] halves = {0.5f, 1f};
        for (SumKernel kernel : SUMS) {
            float[] out = guarded(dim);
            kernel.run(table, dim, ids, 0, 1, 2, ones, 0, -MAX, MAX, out, GUARD);   // 1.5m - m = 0.5m: subnormal
            for (int d = 0; d < dim; d++) assertEquals(0f, out[GUARD + d], "flushed sum, lane " + d);
            kernel.run(table, dim, ids, 0, 1, 2, halves, 0, -MAX, MAX, out, GUARD); // 0.75m: subnormal product
            for (int d = 0; d < dim; d++) assertEquals(-Float.MIN_NORMAL, out[GUARD + d], "flushed product, lane " + d);
        }
        float[] subnormalMask = {1e-40f, 1f};
        for (RowsKernel kernel : ROWS) {
            float[] out = guarded(2 * dim);
            kernel.run(table, dim, ids, 0, 2, subnormalMask, 0, -MAX, MAX, out, GUARD);
            for (int d = 0; d < dim; d++) {
                assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(out[GUARD + d]), "DAZ mask, lane " + d);
            }
        }
    }

    @Test
    void flushedTableCopiesOnlyWhenNeeded() {
        float[] plain = {1f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.MIN_NORMAL};
        assertSame(plain, F32EmbeddingMaskedRows.flushedTable(plain));
        float[] subnormal = {1f, -1e-40f, Float.MIN_VALUE, Float.intBitsToFloat(0x7fc0_0abc)};
        float[] flushed = F32EmbeddingMaskedRows.flushedTable(subnormal);
        assertEquals(-1e-40f, subnormal[1], "the original is left alone");
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(flushed[1]));
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(flushed[2]));
        assertEquals(0x7fc0_0abc, Float.floatToRawIntBits(flushed[3]), "NaN payload kept");
    }

    @Test
    void noIdsPerGroupIsRefused() {
        for (SumKernel kernel : SUMS) {
            assertThrows(IllegalArgumentException.class,
                    () -> kernel.run(new float[4], 4, new int[0], 0, 1, 0, new float[0], 0, -MAX, MAX, new float[4], 0));
        }
    }

    // ---- the unfused kernels ----

    /** GATHER along axis 0, then MUL of the gathered rows by the mask broadcast over the embedding. */
    private static float[] unfusedRows(float[] table, int dim, int[] ids, int idsOff, int rows, float[] mask, int maskOff,
                                       float[] clamp) {
        float[] gathered = new float[rows * dim];
        assertEquals(-1, Gather.firstOutOfRange(ids, idsOff, rows, TABLE_ROWS));
        Gather.gather(table, 0, ids, idsOff, gathered, 0, 1, 1, TABLE_ROWS, rows, dim);
        int[] aOuter = new int[rows];
        int[] bOuter = new int[rows];
        for (int r = 0; r < rows; r++) {
            aOuter[r] = r * dim; // [rows, dim] x [rows, 1]: row r of the product reads gathered row r and mask[r]
            bOuter[r] = r;
        }
        float[] products = new float[rows * dim];
        Mul.float32(gathered, 0, mask, maskOff, products, 0, aOuter, bOuter, dim, 1, 0, clamp[0], clamp[1]);
        return products;
    }

    /** SUM of {@code [groups, n, dim]} over axis 1, with the tables SumOp makes for it. */
    private static float[] unfusedSum(float[] products, int dim, int groups, int n) {
        int[] outerBase = new int[groups * dim];
        for (int o = 0; o < outerBase.length; o++) outerBase[o] = (o / dim) * n * dim + o % dim;
        int[] reducedOffsets = new int[n];
        for (int i = 0; i < n; i++) reducedOffsets[i] = i * dim;
        float[] sums = new float[groups * dim];
        Sum.float32(products, 0, sums, 0, outerBase, reducedOffsets);
        return sums;
    }

    // ---- data ----

    private static float[] table(Random random, int dim, TableKind kind) {
        float[] t = new float[TABLE_ROWS * dim];
        for (int k = 0; k < t.length; k++) {
            t[k] = (float) random.nextGaussian() * (random.nextInt(4) == 0 ? 1e-3f : 1f);
            float[] specials = kind == TableKind.SPECIALS ? SPECIALS : SPECIALS_ONE_NAN;
            if (kind != TableKind.PLAIN && random.nextInt(5) == 0) t[k] = specials[random.nextInt(specials.length)];
        }
        return t;
    }

    /** Ids with repeats: drawn from a few rows, and row 0 (the padding id) often. */
    private static int[] ids(Random random, int off, int rows) {
        int[] ids = new int[off + rows];
        Arrays.fill(ids, -1); // outside the ids: reading one would fail
        int distinct = 1 + random.nextInt(TABLE_ROWS);
        for (int r = 0; r < rows; r++) ids[off + r] = random.nextInt(3) == 0 ? 0 : random.nextInt(distinct);
        return ids;
    }

    private static float[] mask(Random random, int off, int rows, MaskKind kind, float[] specials) {
        float[] mask = new float[off + rows];
        Arrays.fill(mask, Float.NaN);
        for (int r = 0; r < rows; r++) {
            switch (kind) {
                case ZERO_ONE: mask[off + r] = random.nextInt(4) == 0 ? 0f : 1f; break;
                case RANDOM: mask[off + r] = (float) random.nextGaussian() * 4; break;
                default: mask[off + r] = specials[random.nextInt(specials.length)]; break;
            }
        }
        return mask;
    }

    private static float[] guarded(int n) {
        float[] y = new float[GUARD + n + GUARD];
        Arrays.fill(y, Float.intBitsToFloat(GUARD_BITS));
        return y;
    }

    /**
     * {@code actual[GUARD ..]} has {@code expected}'s bits (unless not {@code strict}: then two NaNs count as equal),
     * and the guards are untouched.
     */
    private static void assertMatches(float[] expected, float[] actual, int n, String what, int dim, boolean strict) {
        for (int i = 0; i < n; i++) {
            float e = expected[i], a = actual[GUARD + i];
            boolean bothNan = !strict && Float.isNaN(e) && Float.isNaN(a) && Float.floatToRawIntBits(a) != GUARD_BITS;
            if (bothNan && Float.floatToRawIntBits(e) != Float.floatToRawIntBits(a)) nanPayloadDifferences++;
            if (!bothNan && Float.floatToRawIntBits(e) != Float.floatToRawIntBits(a)) {
                fail(what + ": element " + i + " (row " + i / dim + ", lane " + i % dim + ") expected " + e
                        + " (0x" + Integer.toHexString(Float.floatToRawIntBits(e)) + ") got " + a
                        + " (0x" + Integer.toHexString(Float.floatToRawIntBits(a)) + ")");
            }
        }
        for (int i = 0; i < GUARD; i++) {
            if (Float.floatToRawIntBits(actual[i]) != GUARD_BITS || Float.floatToRawIntBits(actual[GUARD + n + i]) != GUARD_BITS) {
                fail(what + ": wrote outside its output (guard " + i + ")");
            }
        }
    }
}
