package org.tfl4j.kernels;

import org.tfl4j.kernels.simd.F32SmallestMagnitude;

/**
 * Which accumulation order each output of a float matrix product gets in TFLite 2.21 (spec 1.1, 3.8,
 * 3.9). A product here is {@code dst[col][row] = Σ_k lhs[row][k] * rhs[col][k]}: lhs is the weight or
 * filter matrix {@code [rows, depth]} (row-major), each column of rhs is one contiguous depth vector
 * (an input row or an im2col patch), so {@code dst [cols, rows]} is the NHWC / {@code [batch, units]}
 * output. The order depends on the output's position and on the matrix sizes, not on the values, so
 * the methods compute one output at a time from its {@code (row, col)} and the sizes.
 *
 * <p>Two Eigen code paths exist:
 * <ul>
 * <li>{@link #cpuBackendGemm}: {@code cpu_backend_gemm} → {@code GemmImplUsingEigen}, used by
 *     FULLY_CONNECTED, by CONV_2D when TFLite runs with one thread, and by the LSTM gate products.</li>
 * <li>{@link #eigenContraction}: Eigen's tensor contraction, used by CONV_2D's multithreaded kernel
 *     (TFLite thread count other than 1, no dilation, constant filter).</li>
 * </ul>
 * Rules marked "from the Eigen source" are not in the numerics spec; they were derived from the TFLite and
 * Eigen sources and then matched TFLite 2.21 (builtin kernels, threads 1 and -1) bit for bit in single-op
 * probe models: FULLY_CONNECTED with 2 to 16 rows, CONV_2D with one output channel and with tiny products.
 *
 * <p>FTZ/DAZ (spec G3): every order also has a flushing form ({@code flush = true}) that reads subnormal
 * operands as signed zeros and flushes every subnormal product and partial sum, as TFLite's MXCSR does.
 * Callers choose it with {@link #needsFlush}, which proves from the operands' smallest magnitudes that no
 * subnormal can arise (the models' case), so the common path does plain float arithmetic.
 *
 * <p>Not modelled: Eigen's depth blocking of the GEMM, which splits the sum for depths above about 500
 * depending on the host's cache sizes (spec 6).
 */
public final class MatMul {
    private MatMul() {}

    /** Below {@code depth + rows + cols} of this, Eigen evaluates a GEMM coefficient by coefficient. */
    static final int COEFF_BASED_THRESHOLD = 20;

    /** {@link #cpuBackendGemm(float[], int, float[], int, int, int, int, int, int, boolean)} without flushing. */
    public static float cpuBackendGemm(float[] lhs, int lhsOff, float[] rhs, int rhsOff, int depth,
                                       int row, int col, int rows, int cols) {
        return cpuBackendGemm(lhs, lhsOff, rhs, rhsOff, depth, row, col, rows, cols, false);
    }

    /**
     * One output of {@code cpu_backend_gemm}'s Eigen product:
     * <ul>
     * <li>a single output (one row, one column): Eigen's GEMV falls back to its inner product,
     *     {@link #innerProduct}, added to the zeroed output (measured against TFLite 2.21, see there);</li>
     * <li>one column: row-major GEMV, {@link TfliteMath#dot4} (verified, spec 3.8);</li>
     * <li>one row, several columns: Eigen transposes the row-vector product into the same row-major GEMV,
     *     so {@code dot4} again (from the Eigen source);</li>
     * <li>{@code depth + rows + cols < 20}: Eigen's lazy coefficient-based product, see
     *     {@link #coeffBasedDot} (from the Eigen source);</li>
     * <li>otherwise the GEMM micro-kernel, {@link #gebpDot} (verified, spec 3.9).</li>
     * </ul>
     * With {@code flush} every operation runs under FTZ/DAZ (see the class comment).
     */
    public static float cpuBackendGemm(float[] lhs, int lhsOff, float[] rhs, int rhsOff, int depth,
                                       int row, int col, int rows, int cols, boolean flush) {
        if (depth + rows + cols < COEFF_BASED_THRESHOLD && cols != 1 && rows != 1) {
            return coeffBasedDot(lhs, lhsOff, rhs, rhsOff, depth, flush); // assigned, not added to the output
        }
        float sum;
        if (cols == 1 && rows == 1) sum = innerProduct(lhs, lhsOff, rhs, rhsOff, depth, flush);
        else if (cols == 1 || rows == 1) sum = dot4(lhs, lhsOff, rhs, rhsOff, depth, flush);
        else sum = gebpDot(lhs, lhsOff, rhs, rhsOff, depth, row, col, rows, cols, flush);
        return addedToZero(sum, flush);
    }

    /**
     * Eigen's GEMV, GEMM and inner-product paths add their sum to the zeroed output: only a -0 changes, and
     * only FTZ makes one (the sums start from +0), so this is needed only when flushing.
     */
    private static float addedToZero(float sum, boolean flush) {
        return flush ? 0f + sum : sum;
    }

    /**
     * One output of Eigen's tensor contraction (CONV_2D multithreaded kernel, spec 3.9): a single column
     * runs the column-major GEMV ({@link #blockedSeqsum}), anything else the GEMM micro-kernel
     * ({@link #gebpDot}; verified for rows &gt; 1, from the Eigen source for a single row).
     */
    public static float eigenContraction(float[] lhs, int lhsOff, float[] rhs, int rhsOff, int depth,
                                         int row, int col, int rows, int cols) {
        return eigenContraction(lhs, lhsOff, rhs, rhsOff, depth, row, col, rows, cols, false);
    }

    /** {@link #eigenContraction(float[], int, float[], int, int, int, int, int, int)}, flushing if asked. */
    public static float eigenContraction(float[] lhs, int lhsOff, float[] rhs, int rhsOff, int depth,
                                         int row, int col, int rows, int cols, boolean flush) {
        if (cols == 1) return blockedSeqsum(lhs, lhsOff, rhs, rhsOff, depth, rows, flush);
        return addedToZero(gebpDot(lhs, lhsOff, rhs, rhsOff, depth, row, col, rows, cols, flush), flush);
    }

    /**
     * Smallest magnitude among the non-zero, non-NaN values of {@code v[off .. off+n)} (subnormals included),
     * or +infinity when there is none: the input of {@link #needsFlush}.
     */
    public static float smallestNonZeroMagnitude(float[] v, int off, int n) {
        return F32SmallestMagnitude.nonZero(v, off, n);
    }

    /**
     * Whether a product of operands whose smallest non-zero magnitudes are {@code smallestA} and
     * {@code smallestB} needs the flushing arithmetic. It does not when no operand is subnormal and every
     * non-zero product is at least 2^-102: such products are multiples of 2^-125, so are all their partial
     * sums, and a non-zero multiple of 2^-125 is a normal float, so FTZ/DAZ never act.
     */
    public static boolean needsFlush(float smallestA, float smallestB) {
        return smallestA < Float.MIN_NORMAL || smallestB < Float.MIN_NORMAL || (double) smallestA * smallestB < 0x1p-102;
    }

    /** An operand read under DAZ and a product flushed under FTZ, or a plain product. */
    private static float mul(float a, float b, boolean flush) {
        return flush ? TfliteMath.ftz(TfliteMath.ftz(a) * TfliteMath.ftz(b)) : a * b;
    }

    /** A sum of flushed values, flushed; or a plain sum. */
    private static float add(float a, float b, boolean flush) {
        return flush ? TfliteMath.ftz(a + b) : a + b;
    }

    /** {@link TfliteMath#dot4}, flushing if asked. */
    static float dot4(float[] a, int aOff, float[] b, int bOff, int n, boolean flush) {
        if (!flush) return TfliteMath.dot4(a, aOff, b, bOff, n);
        float l0 = 0f, l1 = 0f, l2 = 0f, l3 = 0f;
        int k = 0;
        for (; k + 4 <= n; k += 4) {
            l0 = add(l0, mul(a[aOff + k], b[bOff + k], true), true);
            l1 = add(l1, mul(a[aOff + k + 1], b[bOff + k + 1], true), true);
            l2 = add(l2, mul(a[aOff + k + 2], b[bOff + k + 2], true), true);
            l3 = add(l3, mul(a[aOff + k + 3], b[bOff + k + 3], true), true);
        }
        float s = add(add(l0, l2, true), add(l1, l3, true), true);
        for (; k < n; k++) s = add(s, mul(a[aOff + k], b[bOff + k], true), true);
        return s;
    }

    /** {@link TfliteMath#seqsum}, flushing if asked. */
    static float seqsum(float[] a, int aOff, float[] b, int bOff, int n, boolean flush) {
        if (!flush) return TfliteMath.seqsum(a, aOff, b, bOff, n);
        float s = 0f;
        for (int k = 0; k < n; k++) s = add(s, mul(a[aOff + k], b[bOff + k], true), true);
        return s;
    }

    /**
     * Eigen's vectorised inner product as the single-output GEMV of TFLite 2.21 runs it, found by experiment
     * (cancellation probes locating where each product meets the others, then random data at depths 1 to
     * 1000: all bit-identical): four packet accumulators, packet {@code p} (products 4p..4p+3) added to
     * accumulator {@code p mod 4} in order; the accumulators combined as {@code ((A3 + A2) + A1) + A0}; the
     * packet reduced {@code (l0 + l2) + (l1 + l3)}; then the last {@code n mod 4} products in order.
     */
    static float innerProduct(float[] a, int aOff, float[] b, int bOff, int n, boolean flush) {
        int packetEnd = n / 4 * 4;
        float l0 = 0f, l1 = 0f, l2 = 0f, l3 = 0f;
        for (int r = 3; r >= 0; r--) { // accumulator r holds packets 4m + r; combined A3, + A2, + A1, + A0
            float c0 = 0f, c1 = 0f, c2 = 0f, c3 = 0f;
            for (int k = 4 * r; k < packetEnd; k += 16) {
                c0 = add(c0, mul(a[aOff + k], b[bOff + k], flush), flush);
                c1 = add(c1, mul(a[aOff + k + 1], b[bOff + k + 1], flush), flush);
                c2 = add(c2, mul(a[aOff + k + 2], b[bOff + k + 2], flush), flush);
                c3 = add(c3, mul(a[aOff + k + 3], b[bOff + k + 3], flush), flush);
            }
            if (r == 3) {
                l0 = c0;
                l1 = c1;
                l2 = c2;
                l3 = c3;
            } else {
                l0 = add(l0, c0, flush);
                l1 = add(l1, c1, flush);
                l2 = add(l2, c2, flush);
                l3 = add(l3, c3, flush);
            }
        }
        float s = add(add(l0, l2, flush), add(l1, l3, flush), flush);
        for (int k = packetEnd; k < n; k++) s = add(s, mul(a[aOff + k], b[bOff + k], flush), flush);
        return s;
    }

    /**
     * Eigen's GEMM micro-kernel (SSE, no FMA: register blocks of 8 rows × 4 columns). Rows in whole
     * 8-row blocks, and every column past the last whole 4-column block, accumulate sequentially. The
     * leftover rows of a column in a whole 4-column block use a 4-row block (two accumulators) and then
     * 1-row steps (four accumulators).
     */
    public static float gebpDot(float[] a, int aOff, float[] b, int bOff, int depth,
                                int row, int col, int rows, int cols) {
        return gebpDot(a, aOff, b, bOff, depth, row, col, rows, cols, false);
    }

    /** {@link #gebpDot(float[], int, float[], int, int, int, int, int, int)}, flushing if asked. */
    public static float gebpDot(float[] a, int aOff, float[] b, int bOff, int depth,
                                int row, int col, int rows, int cols, boolean flush) {
        int rows8 = rows / 8 * 8;                   // rows covered by 8-row blocks
        int rows4 = rows8 + (rows - rows8) / 4 * 4; // ... then by one 4-row block
        int cols4 = cols / 4 * 4;                   // columns covered by 4-column blocks
        if (row < rows8 || col >= cols4) return seqsum(a, aOff, b, bOff, depth, flush);
        if (row < rows4) return twoAccumulatorDot(a, aOff, b, bOff, depth, flush);
        return fourAccumulatorDot(a, aOff, b, bOff, depth, flush);
    }

    /**
     * The 4-row block's order: over the first {@code depth & ~7} terms even k go to one accumulator and
     * odd k to another, the two are added, then the remaining terms are added in order.
     */
    static float twoAccumulatorDot(float[] a, int aOff, float[] b, int bOff, int depth) {
        return twoAccumulatorDot(a, aOff, b, bOff, depth, false);
    }

    static float twoAccumulatorDot(float[] a, int aOff, float[] b, int bOff, int depth, boolean flush) {
        float even = 0f, odd = 0f;
        int k = 0;
        for (int end = depth & ~7; k < end; k += 2) {
            even = add(even, mul(a[aOff + k], b[bOff + k], flush), flush);
            odd = add(odd, mul(a[aOff + k + 1], b[bOff + k + 1], flush), flush);
        }
        float s = add(even, odd, flush);
        for (; k < depth; k++) s = add(s, mul(a[aOff + k], b[bOff + k], flush), flush);
        return s;
    }

    /**
     * The 1-row step's order: four accumulators by k mod 4 over the first {@code depth & ~3} terms,
     * combined as {@code (A0 + A1) + (A2 + A3)}, then the remaining terms in order.
     */
    static float fourAccumulatorDot(float[] a, int aOff, float[] b, int bOff, int depth) {
        return fourAccumulatorDot(a, aOff, b, bOff, depth, false);
    }

    static float fourAccumulatorDot(float[] a, int aOff, float[] b, int bOff, int depth, boolean flush) {
        float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f;
        int k = 0;
        for (int end = depth & ~3; k < end; k += 4) {
            a0 = add(a0, mul(a[aOff + k], b[bOff + k], flush), flush);
            a1 = add(a1, mul(a[aOff + k + 1], b[bOff + k + 1], flush), flush);
            a2 = add(a2, mul(a[aOff + k + 2], b[bOff + k + 2], flush), flush);
            a3 = add(a3, mul(a[aOff + k + 3], b[bOff + k + 3], flush), flush);
        }
        float s = add(add(a0, a1, flush), add(a2, a3, flush), flush);
        for (; k < depth; k++) s = add(s, mul(a[aOff + k], b[bOff + k], flush), flush);
        return s;
    }

    /**
     * Eigen's column-major GEMV: sequential over k, but for a depth of 128 or more the k range is cut into
     * blocks of 16 (of 4 when {@code rows * sizeof(float) >= 32000}) whose sums are added to the result.
     */
    public static float blockedSeqsum(float[] a, int aOff, float[] b, int bOff, int depth, int rows) {
        return blockedSeqsum(a, aOff, b, bOff, depth, rows, false);
    }

    static float blockedSeqsum(float[] a, int aOff, float[] b, int bOff, int depth, int rows, boolean flush) {
        int block = depth < 128 ? depth : (rows * 4 < 32000 ? 16 : 4);
        float result = 0f;
        for (int start = 0; start < depth; start += block) {
            int end = Math.min(start + block, depth);
            float blockSum = 0f;
            for (int k = start; k < end; k++) blockSum = add(blockSum, mul(a[aOff + k], b[bOff + k], flush), flush);
            result = add(result, blockSum, flush);
        }
        return result;
    }

    /**
     * Eigen's lazy product coefficient, {@code lhs.row(r).cwiseProduct(rhs.col(c)).sum()}, as its
     * vectorised reduction runs: packets of 4 products, two packet accumulators over 8-product steps,
     * combined, one more packet if 4 products remain, the SSE horizontal sum {@code (p0 + p2) + (p1 + p3)},
     * then the last {@code depth mod 4} products in order. Fewer than 4 products are summed in order. It
     * equals {@link TfliteMath#dot4} for {@code depth < 16} except that it starts from the first product
     * instead of +0 (so all -0 products give -0).
     */
    static float coeffBasedDot(float[] a, int aOff, float[] b, int bOff, int depth) {
        return coeffBasedDot(a, aOff, b, bOff, depth, false);
    }

    static float coeffBasedDot(float[] a, int aOff, float[] b, int bOff, int depth, boolean flush) {
        if (depth < 4) {
            float s = mul(a[aOff], b[bOff], flush);
            for (int k = 1; k < depth; k++) s = add(s, mul(a[aOff + k], b[bOff + k], flush), flush);
            return s;
        }
        int end4 = depth / 4 * 4;
        int end8 = depth / 8 * 8;
        float p0 = mul(a[aOff], b[bOff], flush), p1 = mul(a[aOff + 1], b[bOff + 1], flush);
        float p2 = mul(a[aOff + 2], b[bOff + 2], flush), p3 = mul(a[aOff + 3], b[bOff + 3], flush);
        if (end4 > 4) {
            float q0 = mul(a[aOff + 4], b[bOff + 4], flush), q1 = mul(a[aOff + 5], b[bOff + 5], flush);
            float q2 = mul(a[aOff + 6], b[bOff + 6], flush), q3 = mul(a[aOff + 7], b[bOff + 7], flush);
            for (int k = 8; k < end8; k += 8) {
                p0 = add(p0, mul(a[aOff + k], b[bOff + k], flush), flush);
                p1 = add(p1, mul(a[aOff + k + 1], b[bOff + k + 1], flush), flush);
                p2 = add(p2, mul(a[aOff + k + 2], b[bOff + k + 2], flush), flush);
                p3 = add(p3, mul(a[aOff + k + 3], b[bOff + k + 3], flush), flush);
                q0 = add(q0, mul(a[aOff + k + 4], b[bOff + k + 4], flush), flush);
                q1 = add(q1, mul(a[aOff + k + 5], b[bOff + k + 5], flush), flush);
                q2 = add(q2, mul(a[aOff + k + 6], b[bOff + k + 6], flush), flush);
                q3 = add(q3, mul(a[aOff + k + 7], b[bOff + k + 7], flush), flush);
            }
            p0 = add(p0, q0, flush);
            p1 = add(p1, q1, flush);
            p2 = add(p2, q2, flush);
            p3 = add(p3, q3, flush);
            if (end4 > end8) {
                p0 = add(p0, mul(a[aOff + end8], b[bOff + end8], flush), flush);
                p1 = add(p1, mul(a[aOff + end8 + 1], b[bOff + end8 + 1], flush), flush);
                p2 = add(p2, mul(a[aOff + end8 + 2], b[bOff + end8 + 2], flush), flush);
                p3 = add(p3, mul(a[aOff + end8 + 3], b[bOff + end8 + 3], flush), flush);
            }
        }
        float s = add(add(p0, p2, flush), add(p1, p3, flush), flush);
        for (int k = end4; k < depth; k++) s = add(s, mul(a[aOff + k], b[bOff + k], flush), flush);
        return s;
    }
}
