package org.tfl4j.kernels;

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
 * <p>Not modelled: Eigen's depth blocking of the GEMM, which splits the sum for depths above about 500
 * depending on the host's cache sizes (spec 6), and the per-op FTZ of products and partial sums (products
 * cannot be subnormal with the models' weights, spec G3).
 */
public final class MatMul {
    private MatMul() {}

    /** Below {@code depth + rows + cols} of this, Eigen evaluates a GEMM coefficient by coefficient. */
    static final int COEFF_BASED_THRESHOLD = 20;

    /**
     * One output of {@code cpu_backend_gemm}'s Eigen product:
     * <ul>
     * <li>one column: row-major GEMV, {@link TfliteMath#dot4} (verified, spec 3.8);</li>
     * <li>one row, several columns: Eigen transposes the row-vector product into the same row-major GEMV,
     *     so {@code dot4} again (from the Eigen source);</li>
     * <li>{@code depth + rows + cols < 20}: Eigen's lazy coefficient-based product, see
     *     {@link #coeffBasedDot} (from the Eigen source);</li>
     * <li>otherwise the GEMM micro-kernel, {@link #gebpDot} (verified, spec 3.9).</li>
     * </ul>
     */
    public static float cpuBackendGemm(float[] lhs, int lhsOff, float[] rhs, int rhsOff, int depth,
                                       int row, int col, int rows, int cols) {
        if (cols == 1 || rows == 1) return TfliteMath.dot4(lhs, lhsOff, rhs, rhsOff, depth);
        if (depth + rows + cols < COEFF_BASED_THRESHOLD) return coeffBasedDot(lhs, lhsOff, rhs, rhsOff, depth);
        return gebpDot(lhs, lhsOff, rhs, rhsOff, depth, row, col, rows, cols);
    }

    /**
     * One output of Eigen's tensor contraction (CONV_2D multithreaded kernel, spec 3.9): a single column
     * runs the column-major GEMV ({@link #blockedSeqsum}), anything else the GEMM micro-kernel
     * ({@link #gebpDot}; verified for rows &gt; 1, from the Eigen source for a single row).
     */
    public static float eigenContraction(float[] lhs, int lhsOff, float[] rhs, int rhsOff, int depth,
                                         int row, int col, int rows, int cols) {
        if (cols == 1) return blockedSeqsum(lhs, lhsOff, rhs, rhsOff, depth, rows);
        return gebpDot(lhs, lhsOff, rhs, rhsOff, depth, row, col, rows, cols);
    }

    /**
     * Eigen's GEMM micro-kernel (SSE, no FMA: register blocks of 8 rows × 4 columns). Rows in whole
     * 8-row blocks, and every column past the last whole 4-column block, accumulate sequentially. The
     * leftover rows of a column in a whole 4-column block use a 4-row block (two accumulators) and then
     * 1-row steps (four accumulators).
     */
    public static float gebpDot(float[] a, int aOff, float[] b, int bOff, int depth,
                                int row, int col, int rows, int cols) {
        int rows8 = rows / 8 * 8;                   // rows covered by 8-row blocks
        int rows4 = rows8 + (rows - rows8) / 4 * 4; // ... then by one 4-row block
        int cols4 = cols / 4 * 4;                   // columns covered by 4-column blocks
        if (row < rows8 || col >= cols4) return TfliteMath.seqsum(a, aOff, b, bOff, depth);
        if (row < rows4) return twoAccumulatorDot(a, aOff, b, bOff, depth);
        return fourAccumulatorDot(a, aOff, b, bOff, depth);
    }

    /**
     * The 4-row block's order: over the first {@code depth & ~7} terms even k go to one accumulator and
     * odd k to another, the two are added, then the remaining terms are added in order.
     */
    static float twoAccumulatorDot(float[] a, int aOff, float[] b, int bOff, int depth) {
        float even = 0f, odd = 0f;
        int k = 0;
        for (int end = depth & ~7; k < end; k += 2) {
            even = even + a[aOff + k] * b[bOff + k];
            odd = odd + a[aOff + k + 1] * b[bOff + k + 1];
        }
        float s = even + odd;
        for (; k < depth; k++) s = s + a[aOff + k] * b[bOff + k];
        return s;
    }

    /**
     * The 1-row step's order: four accumulators by k mod 4 over the first {@code depth & ~3} terms,
     * combined as {@code (A0 + A1) + (A2 + A3)}, then the remaining terms in order.
     */
    static float fourAccumulatorDot(float[] a, int aOff, float[] b, int bOff, int depth) {
        float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f;
        int k = 0;
        for (int end = depth & ~3; k < end; k += 4) {
            a0 = a0 + a[aOff + k] * b[bOff + k];
            a1 = a1 + a[aOff + k + 1] * b[bOff + k + 1];
            a2 = a2 + a[aOff + k + 2] * b[bOff + k + 2];
            a3 = a3 + a[aOff + k + 3] * b[bOff + k + 3];
        }
        float s = (a0 + a1) + (a2 + a3);
        for (; k < depth; k++) s = s + a[aOff + k] * b[bOff + k];
        return s;
    }

    /**
     * Eigen's column-major GEMV: sequential over k, but for a depth of 128 or more the k range is cut into
     * blocks of 16 (of 4 when {@code rows * sizeof(float) >= 32000}) whose sums are added to the result.
     */
    public static float blockedSeqsum(float[] a, int aOff, float[] b, int bOff, int depth, int rows) {
        int block = depth < 128 ? depth : (rows * 4 < 32000 ? 16 : 4);
        float result = 0f;
        for (int start = 0; start < depth; start += block) {
            int end = Math.min(start + block, depth);
            float blockSum = 0f;
            for (int k = start; k < end; k++) blockSum = blockSum + a[aOff + k] * b[bOff + k];
            result = result + blockSum;
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
        if (depth < 4) {
            float s = a[aOff] * b[bOff];
            for (int k = 1; k < depth; k++) s = s + a[aOff + k] * b[bOff + k];
            return s;
        }
        int end4 = depth / 4 * 4;
        int end8 = depth / 8 * 8;
        float p0 = a[aOff] * b[bOff], p1 = a[aOff + 1] * b[bOff + 1];
        float p2 = a[aOff + 2] * b[bOff + 2], p3 = a[aOff + 3] * b[bOff + 3];
        if (end4 > 4) {
            float q0 = a[aOff + 4] * b[bOff + 4], q1 = a[aOff + 5] * b[bOff + 5];
            float q2 = a[aOff + 6] * b[bOff + 6], q3 = a[aOff + 7] * b[bOff + 7];
            for (int k = 8; k < end8; k += 8) {
                p0 = p0 + a[aOff + k] * b[bOff + k];
                p1 = p1 + a[aOff + k + 1] * b[bOff + k + 1];
                p2 = p2 + a[aOff + k + 2] * b[bOff + k + 2];
                p3 = p3 + a[aOff + k + 3] * b[bOff + k + 3];
                q0 = q0 + a[aOff + k + 4] * b[bOff + k + 4];
                q1 = q1 + a[aOff + k + 5] * b[bOff + k + 5];
                q2 = q2 + a[aOff + k + 6] * b[bOff + k + 6];
                q3 = q3 + a[aOff + k + 7] * b[bOff + k + 7];
            }
            p0 = p0 + q0;
            p1 = p1 + q1;
            p2 = p2 + q2;
            p3 = p3 + q3;
            if (end4 > end8) {
                p0 = p0 + a[aOff + end8] * b[bOff + end8];
                p1 = p1 + a[aOff + end8 + 1] * b[bOff + end8 + 1];
                p2 = p2 + a[aOff + end8 + 2] * b[bOff + end8 + 2];
                p3 = p3 + a[aOff + end8 + 3] * b[bOff + end8 + 3];
            }
        }
        float s = (p0 + p2) + (p1 + p3);
        for (int k = end4; k < depth; k++) s = s + a[aOff + k] * b[bOff + k];
        return s;
    }
}
