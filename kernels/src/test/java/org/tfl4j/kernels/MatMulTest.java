package org.tfl4j.kernels;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.tfl4j.kernels.TfliteMathTest.assertBits;

/**
 * The accumulation order each output of a product gets (spec 3.8, 3.9). The crafted rows put 2^24 first:
 * above it, adding 1 is a tie that rounds back to 2^24, so each order leaves a different, hand-computed
 * trace. Products are with all-ones columns, so each output is the row's own sum.
 */
class MatMulTest {
    private static final float T = 16777216f; // 2^24
    /** seqsum 2^24; two accumulators (even 2^24, odd 2) 2^24+2; four ((2^24+1)+(0+1)) 2^24; dot4 ((2^24+0)+(1+1)) 2^24+2. */
    private static final float[] P1 = {T, 1, 0, 1, 0, 0, 0, 0};
    /** seqsum 2^24; two accumulators (even 2^24+1+0+1 -> 2^24, odd 0) 2^24; four ((2^24+0)+(2+0)) 2^24+2; dot4 2^24+2. */
    private static final float[] P2 = {T, 0, 1, 0, 0, 0, 1, 0};

    /** lhs = `rows` copies of `row` (padded with zeros to depth), rhs = `cols` all-ones columns. */
    private static float[][] product(float[] row, int depth, int rows, int cols, boolean contraction) {
        float[] lhs = new float[rows * depth];
        for (int r = 0; r < rows; r++) System.arraycopy(row, 0, lhs, r * depth, row.length);
        float[] rhs = new float[cols * depth];
        Arrays.fill(rhs, 1f);
        float[][] dst = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                dst[r][c] = contraction
                        ? MatMul.eigenContraction(lhs, r * depth, rhs, c * depth, depth, r, c, rows, cols)
                        : MatMul.cpuBackendGemm(lhs, r * depth, rhs, c * depth, depth, r, c, rows, cols);
            }
        }
        return dst;
    }

    private static void expect(float[][] dst, int r, int c, float expected, String what) {
        assertBits(expected, dst[r][c], what + " at row " + r + ", column " + c
                + " of a " + dst.length + "x" + dst[0].length + " product");
    }

    @Test
    void gemmRowTailsUseTwoThenFourAccumulatorsInWholeColumnBlocks() {
        // 6 rows: no whole 8-row block, rows 0-3 form a 4-row block, rows 4-5 go one by one.
        // 6 columns: columns 0-3 form a 4-column block, 4-5 are the column tail (sequential).
        // depth + rows + cols = 20: the GEMM micro-kernel, not the lazy product.
        for (boolean contraction : new boolean[] {false, true}) {
            float[][] p1 = product(P1, 8, 6, 6, contraction);
            float[][] p2 = product(P2, 8, 6, 6, contraction);
            for (int r = 0; r < 6; r++) {
                for (int c = 0; c < 6; c++) {
                    boolean tailColumn = c >= 4;
                    expect(p1, r, c, !tailColumn && r < 4 ? T + 2 : T, "P1 (contraction " + contraction + ")");
                    expect(p2, r, c, !tailColumn && r >= 4 ? T + 2 : T, "P2 (contraction " + contraction + ")");
                }
            }
        }
    }

    @Test
    void gemmRowsInWholeEightRowBlocksAreSequential() {
        float[][] p1 = product(P1, 8, 13, 4, false); // rows 0-7 block of 8, 8-11 block of 4, 12 alone
        float[][] p2 = product(P2, 8, 13, 4, false);
        for (int c = 0; c < 4; c++) {
            for (int r = 0; r < 8; r++) {
                expect(p1, r, c, T, "P1 sequential");
                expect(p2, r, c, T, "P2 sequential");
            }
            for (int r = 8; r < 12; r++) expect(p1, r, c, T + 2, "P1 two accumulators");
            expect(p2, 12, c, T + 2, "P2 four accumulators");
        }
    }

    @Test
    void gemvWithOneColumnIsDot4ForCpuBackendGemm() {
        float[][] p1 = product(P1, 8, 6, 1, false);
        float[][] p2 = product(P2, 8, 6, 1, false);
        for (int r = 0; r < 6; r++) {
            expect(p1, r, 0, T + 2, "P1 GEMV");
            expect(p2, r, 0, T + 2, "P2 GEMV");
        }
    }

    @Test
    void gemvWithOneColumnIsSequentialForTheContractionBelowDepth128() {
        float[][] p1 = product(P1, 8, 6, 1, true);
        for (int r = 0; r < 6; r++) expect(p1, r, 0, T, "P1 column-major GEMV");
    }

    @Test
    void oneRowTimesSeveralColumnsIsDot4ForCpuBackendGemm() {
        // Eigen runs row(0) * matrix as the transposed row-major GEMV (derived from the Eigen source).
        float[][] gemm = product(P1, 8, 1, 30, false);
        float[][] contraction = product(P2, 8, 1, 30, true);
        for (int c = 0; c < 30; c++) {
            expect(gemm, 0, c, T + 2, "P1 row-vector GEMV");
            // The contraction keeps the micro-kernel: a single row takes the 1-row (four accumulator) path.
            expect(contraction, 0, c, c < 28 ? T + 2 : T, "P2 contraction");
        }
    }

    @Test
    void tinyGemmsUseTheLazyCoefficientProduct() {
        // depth + rows + cols = 12 < 20: Eigen's lazy product, a packet reduction (here = dot4's 2^24+2).
        float[][] lazy = product(P1, 8, 2, 2, false);
        // The same rows padded to depth 16 reach 20: micro-kernel, columns past the last 4-block: sequential.
        float[][] gebp = product(P1, 16, 2, 2, false);
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 2; c++) {
                expect(lazy, r, c, T + 2, "lazy product");
                expect(gebp, r, c, T, "micro-kernel");
            }
        }
        // The lazy reduction starts from the first product, not from +0: all -0 products give -0.
        float[] minusOnes = {-1, -1, -1, -1, -1, -1, -1, -1};
        float[] zeros = new float[8];
        assertBits(-0f, MatMul.cpuBackendGemm(minusOnes, 0, zeros, 0, 4, 0, 0, 2, 2), "lazy product of -0 products");
        assertBits(-0f, MatMul.cpuBackendGemm(minusOnes, 0, zeros, 0, 3, 0, 0, 2, 2), "lazy sum of 3 -0 products");
        assertBits(0f, MatMul.cpuBackendGemm(minusOnes, 0, zeros, 0, 4, 0, 0, 2, 1), "GEMV of -0 products");
    }

    @Test
    void columnMajorGemvSumsBlocksOf16FromDepth128() {
        float[] a = new float[128];
        Arrays.fill(a, 1f);
        a[0] = T;
        float[] ones = new float[128];
        Arrays.fill(ones, 1f);
        // First block: 2^24 + 15 ones, each a tie back to 2^24; then seven exact blocks of 16.
        assertBits(T + 112, MatMul.blockedSeqsum(a, 0, ones, 0, 128, 64), "blocks of 16");
        // With rows * 4 >= 32000 the blocks are 4 long: 2^24, then 31 blocks of 4.
        assertBits(T + 124, MatMul.blockedSeqsum(a, 0, ones, 0, 128, 8000), "blocks of 4");
        // Below depth 128: one block, a plain sequential sum.
        assertBits(T, MatMul.blockedSeqsum(a, 0, ones, 0, 127, 64), "one block");
        // dot4 of the same: lane 0 stays 2^24, lanes 1-3 hold 32 each: (2^24 + 32) + 64.
        assertBits(T + 96, TfliteMath.dot4(a, 0, ones, 0, 128), "dot4");
    }

    @Test
    void aSingleOutputUsesTheFourAccumulatorInnerProduct() {
        // Lane 0 holds 2^24 in packet 0 and 1 in packets 1-3 (16 products, all other lanes 0).
        float[] a = new float[16];
        a[0] = T;
        a[4] = 1;
        a[8] = 1;
        a[12] = 1;
        float[] ones = new float[16];
        Arrays.fill(ones, 1f);
        // Inner product: ((A3 + A2) + A1) + A0 = ((1 + 1) + 1) + 2^24 = 2^24 + 3, a tie that rounds to 2^24 + 4.
        assertBits(T + 4, MatMul.cpuBackendGemm(a, 0, ones, 0, 16, 0, 0, 1, 1), "one unit, one row");
        // GEMV (dot4): lane 0 = ((2^24 + 1) + 1) + 1, each a tie back to 2^24.
        assertBits(T, MatMul.cpuBackendGemm(a, 0, ones, 0, 16, 0, 0, 2, 1), "two units, one row");
        // Packets 4 and beyond go to the accumulators again (packet p to p mod 4): packet 4 joins packet 0 first.
        float[] b = new float[20];
        b[0] = T;
        b[4] = 1;
        b[16] = 1;
        float[] ones20 = new float[20];
        Arrays.fill(ones20, 1f);
        // A0 = 2^24 + 1 = 2^24 (tie), A1 = 1: 1 + 2^24 = 2^24 again.
        assertBits(T, MatMul.cpuBackendGemm(b, 0, ones20, 0, 20, 0, 0, 1, 1), "packet 4 into accumulator 0");
    }

    @Test
    void flushingReadsSubnormalsAsZerosAndFlushesProductsAndSums() {
        float tiny = 0x1p-70f; // normal, but tiny * tiny = 2^-140 is subnormal
        float[] a = {tiny, 1, 0, 0};
        float[] b = {tiny, Float.MIN_VALUE, 0, 0};
        assertTrue(MatMul.needsFlush(MatMul.smallestNonZeroMagnitude(a, 0, 4), MatMul.smallestNonZeroMagnitude(b, 0, 4)));
        assertFalse(MatMul.needsFlush(0x1p-51f, 0x1p-51f), "products >= 2^-102 cannot underflow");
        assertTrue(MatMul.needsFlush(1f, Float.MIN_VALUE), "a subnormal operand");
        // Without flushing: 2^-140 + 1 * 2^-149. With: both products are 0.
        assertBits(0x1p-140f + Float.MIN_VALUE, MatMul.cpuBackendGemm(a, 0, b, 0, 4, 0, 0, 2, 1), "gradual underflow");
        assertBits(0f, MatMul.cpuBackendGemm(a, 0, b, 0, 4, 0, 0, 2, 1, true), "FTZ/DAZ");
        // A negative subnormal sum flushes to -0, which the add to the zeroed output turns into +0 ...
        float[] c = {0x1.8p-126f, -0x1p-125f, 0, 0};
        float[] one = {1, 1, 1, 1};
        assertBits(0f, MatMul.cpuBackendGemm(c, 0, one, 0, 4, 0, 0, 2, 1, true), "GEMV adds to +0");
        // ... except in Eigen's lazy product, which assigns its sum: -0 stays.
        assertBits(-0f, MatMul.cpuBackendGemm(c, 0, one, 0, 4, 0, 0, 2, 2, true), "lazy product assigns");
    }

    @Test
    void allOrdersAgreeWithDoubleWithinTheRoundingBound() {
        // Any order of n products summed in float is within gamma_n * sum|a_k b_k| of the exact sum,
        // gamma_n = n u / (1 - n u), u = 2^-24 (n - 1 additions plus the product roundings).
        SplittableRandom rnd = new SplittableRandom(11);
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {6, 6, 8}, {9, 5, 33}, {13, 7, 128}, {2, 2, 3}, {16, 1, 264}, {1, 9, 20}};
        for (int[] s : shapes) {
            int rows = s[0], cols = s[1], depth = s[2];
            float[] lhs = randoms(rnd, rows * depth);
            float[] rhs = randoms(rnd, cols * depth);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    double exact = 0, magnitude = 0;
                    for (int k = 0; k < depth; k++) {
                        double p = (double) lhs[r * depth + k] * rhs[c * depth + k];
                        exact += p;
                        magnitude += Math.abs(p);
                    }
                    double u = 0x1p-24, bound = depth * u / (1 - depth * u) * magnitude;
                    float[] got = {
                        MatMul.cpuBackendGemm(lhs, r * depth, rhs, c * depth, depth, r, c, rows, cols),
                        MatMul.eigenContraction(lhs, r * depth, rhs, c * depth, depth, r, c, rows, cols),
                        MatMul.coeffBasedDot(lhs, r * depth, rhs, c * depth, depth),
                        MatMul.twoAccumulatorDot(lhs, r * depth, rhs, c * depth, depth),
                        MatMul.fourAccumulatorDot(lhs, r * depth, rhs, c * depth, depth),
                    };
                    for (int i = 0; i < got.length; i++) {
                        if (Math.abs(got[i] - exact) > bound) {
                            fail("order " + i + " of " + rows + "x" + depth + " * " + depth + "x" + cols + " at (" + r + ", "
                                    + c + "): " + got[i] + " vs exact " + exact + ", bound " + bound);
                        }
                    }
                }
            }
        }
    }

    static float[] randoms(SplittableRandom rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rnd.nextGaussian() * Math.exp(rnd.nextDouble() * 4 - 2));
        return v;
    }
}
