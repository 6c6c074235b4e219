package org.tfl4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.tfl4j.kernels.Gather;
import org.tfl4j.kernels.Mul;
import org.tfl4j.kernels.TfliteMath;

import static org.tfl4j.kernels.simd.VectorWidth.FLOAT_VECTOR;

/**
 * Masked embedding rows, GATHER then MUL in one pass: row {@code r} is the table row of {@code ids[r]} times
 * {@code mask[r]}, {@code out[r][d] = clamp(ftz(table[ids[r]][d] * ftz(mask[r])), lo, hi)}. That is exactly
 * {@link Gather#gather} of a {@code [rows, dim]} table along axis 0 followed by {@link Mul#float32} of the gathered
 * rows (first operand) by a mask broadcast over {@code dim} (a {@code [.., n, 1]} tensor): the gather only copies
 * bits, and the multiply is the same IEEE product of the same operands in the same order, flushed and clamped as
 * TFLite's MUL does. The CNN and RNN recommendation models feed these rows to CONV_2D or the LSTM.
 *
 * <p>The table must hold no subnormal: pass {@link #flushedTable}'s result, made once per model, instead of reading
 * every element through {@code ftz} on every run (TFLite's DAZ reads a subnormal as a zero of its sign, so the
 * flushed copy gives the same products). The ids must lie in {@code [0, tableRows)}: the caller checks them first,
 * as GATHER does, with {@link Gather#firstOutOfRange}.
 *
 * <p>Lanes run across the embedding dimension (independent outputs); the last {@code dim mod L} elements of a row
 * take one more vector that runs on into the next row ({@link #evalVector}).
 */
public final class F32EmbeddingMaskedRows {
    private F32EmbeddingMaskedRows() {}

    private static final VectorSpecies<Float> FLOATS = VectorWidth.FLOATS;
    private static final int LANES = FLOATS.length();

    /**
     * {@code table} itself when no element is subnormal (the usual case: nothing is copied), else a copy with each
     * subnormal replaced by a zero of its sign. NaN payloads, infinities and signed zeros are kept bit for bit.
     */
    public static float[] flushedTable(float[] table) {
        float[] flushed = null;
        for (int k = 0; k < table.length; k++) {
            float v = table[k];
            if (v != 0f && Math.abs(v) < Float.MIN_NORMAL) {
                if (flushed == null) flushed = table.clone();
                flushed[k] = TfliteMath.ftz(v);
            }
        }
        return flushed == null ? table : flushed;
    }

    /**
     * {@code out[outOff + r * dim + d] = clamp(ftz(table[ids[idsOff + r] * dim + d] * ftz(mask[maskOff + r])))} with the
     * clamp to {@code [actMin, actMax]}, for {@code r < rows}, {@code d < dim}: the vector kernel or, with
     * {@link VectorWidth#SCALAR}, its scalar twin.
     *
     * @param table  {@code [tableRows, dim]} from index 0, holding no subnormal ({@link #flushedTable})
     * @param ids    {@code [rows]} row numbers, each in {@code [0, tableRows)}
     * @param mask   {@code [rows]} one factor per row
     * @param actMin lower clamp of MUL's fused activation (-FLT_MAX for none)
     * @param actMax upper clamp (FLT_MAX for none)
     * @param out    {@code [rows, dim]}; must not overlap ids or mask
     */
    public static void eval(float[] table, int dim, int[] ids, int idsOff, int rows, float[] mask, int maskOff,
                            float actMin, float actMax, float[] out, int outOff) {
        if (VectorWidth.SCALAR) {
            evalScalar(table, dim, ids, idsOff, rows, mask, maskOff, actMin, actMax, out, outOff);
        } else {
            evalVector(table, dim, ids, idsOff, rows, mask, maskOff, actMin, actMax, out, outOff);
        }
    }

    /**
     * The vector kernel: {@link #rowLanes} per row; then the row's last {@code dim mod L} elements, as one more vector
     * whose lanes past the row run on into the next table row and the next output row, which the next row's own
     * vectors then overwrite (rows go in order). Where that vector would read past the table or write past the
     * output (the last row), the twin's code does them. The feature model's genre rows are 8 floats: at 16 lanes
     * they took the scalar code, 285 ns for its 32 rows against 67 ns for the 10 rows of 32 (EmbeddingBenchmark).
     */
    public static void evalVector(float[] table, int dim, int[] ids, int idsOff, int rows, float[] mask, int maskOff,
                                  float actMin, float actMax, float[] out, int outOff) {
        int vectorDims = dim - dim % LANES;
        int outEnd = outOff + rows * dim;
        for (int r = 0; r < rows; r++) {
            int row = ids[idsOff + r] * dim;
            float factor = TfliteMath.ftz(mask[maskOff + r]);
            int o = outOff + r * dim;
            if (vectorDims > 0) rowLanes(table, row, vectorDims, factor, actMin, actMax, out, o);
            if (vectorDims == dim) continue;
            if (row + vectorDims + LANES <= table.length && o + vectorDims + LANES <= outEnd) {
                rowLanes(table, row + vectorDims, LANES, factor, actMin, actMax, out, o + vectorDims);
            } else {
                for (int d = vectorDims; d < dim; d++) out[o + d] = product(table[row + d], factor, actMin, actMax);
            }
        }
    }

    /** {@code out[o + d] = clamp(ftz(table[row + d] * factor))} for {@code d < n}, a multiple of L. */
    private static void rowLanes(float[] table, int row, int n, float factor, float actMin, float actMax,
                                 float[] out, int o) {
        FloatVector lo = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, actMin));
        FloatVector hi = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, actMax));
        for (int d = 0; d < n; d += LANES) {
            // Written out rather than through vector-taking helpers: a helper C2 leaves out of line allocates its
            // vectors on every call.
            FloatVector p = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, table, row + d)).mul(factor);
            p = p.blend(p.mul(0f), p.abs().lt(Float.MIN_NORMAL));      // TfliteMath.ftz per lane
            p = p.blend(lo, p.compare(VectorOperators.LT, lo));      // std::max(v, lo), C++ comparisons
            p = p.blend(hi, p.compare(VectorOperators.GT, hi));      // std::min(v, hi)
            p.intoArray(out, o + d);
        }
    }

    /** The scalar twin: {@link #product} for every element, row by row. */
    public static void evalScalar(float[] table, int dim, int[] ids, int idsOff, int rows, float[] mask, int maskOff,
                                  float actMin, float actMax, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int row = ids[idsOff + r] * dim;
            float factor = TfliteMath.ftz(mask[maskOff + r]);
            for (int d = 0; d < dim; d++) out[outOff + r * dim + d] = product(table[row + d], factor, actMin, actMax);
        }
    }

    /**
     * MUL's element, {@code clamp(ftz(ftz(a) * ftz(b)))}, for a table element {@code a} that is not subnormal and an
     * already flushed factor: the element first, as MUL multiplies the gathered rows by the mask. The result is never
     * subnormal (flushed, then clamped to bounds that are 0 or normal), which {@link F32EmbeddingMaskedSum} relies on.
     */
    static float product(float a, float factor, float actMin, float actMax) {
        return TfliteMath.activation(TfliteMath.ftz(a * factor), actMin, actMax);
    }
}
