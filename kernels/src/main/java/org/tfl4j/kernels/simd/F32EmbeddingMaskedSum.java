package org.tfl4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.tfl4j.kernels.Sum;
import org.tfl4j.kernels.TfliteMath;

import static org.tfl4j.kernels.simd.VectorWidth.FLOAT_VECTOR;

/**
 * Masked embedding pooling, GATHER then MUL then SUM in one pass, without the gathered or multiplied rows ever being
 * stored: for each group {@code g} of {@code n} ids, {@code out[g][d] = p(0) + p(1) + ... + p(n-1)} with
 * {@code p(i) = clamp(ftz(table[ids[g*n+i]][d] * ftz(mask[g*n+i])), lo, hi)}, MUL's element as in
 * {@link F32EmbeddingMaskedRows}. The sum is {@link Sum#float32}'s over the id axis of the {@code [.., n, dim]}
 * products: per output element, starting from the first product itself (no +0 seed, so -0 + ... stays TFLite's),
 * adding the next in id order, each add rounded and flushed ({@code s = ftz(s + p(i))}; Sum's flushes of its
 * operands change nothing here, a product never being subnormal). The bag-of-words recommendation model pools its
 * history embeddings this way.
 *
 * <p>Lanes run across the embedding dimension: lane {@code d} does output {@code d}'s additions in id order, never
 * splitting one output's sum, so every output has the scalar order's exact bits. The last {@code dim mod L}
 * elements run the scalar twin's code.
 *
 * <p>As for {@link F32EmbeddingMaskedRows}: the table must hold no subnormal ({@link F32EmbeddingMaskedRows#flushedTable})
 * and the ids must already be checked to lie in {@code [0, tableRows)}.
 */
public final class F32EmbeddingMaskedSum {
    private F32EmbeddingMaskedSum() {}

    private static final VectorSpecies<Float> FLOATS = VectorWidth.FLOATS;
    private static final int LANES = FLOATS.length();

    /**
     * {@code out[outOff + g * dim + d] = sum over i < n of clamp(ftz(table[ids[idsOff + k] * dim + d] * ftz(mask[maskOff + k])))}
     * with {@code k = g * n + i}, for {@code g < groups}, {@code d < dim}, summed in {@link Sum}'s order: the
     * vector kernel or, with {@link VectorWidth#SCALAR}, its scalar twin.
     *
     * @param table  {@code [tableRows, dim]} from index 0, holding no subnormal
     * @param ids    {@code [groups, n]} row numbers, each in {@code [0, tableRows)}
     * @param n      ids per group, at least 1
     * @param mask   {@code [groups, n]} one factor per id
     * @param actMin lower clamp of MUL's fused activation (-FLT_MAX for none)
     * @param actMax upper clamp (FLT_MAX for none)
     * @param out    {@code [groups, dim]}; must not overlap ids or mask
     */
    public static void eval(float[] table, int dim, int[] ids, int idsOff, int groups, int n,
                            float[] mask, int maskOff, float actMin, float actMax, float[] out, int outOff) {
        if (VectorWidth.SCALAR) {
            evalScalar(table, dim, ids, idsOff, groups, n, mask, maskOff, actMin, actMax, out, outOff);
        } else {
            evalVector(table, dim, ids, idsOff, groups, n, mask, maskOff, actMin, actMax, out, outOff);
        }
    }

    /** The vector kernel: {@link #sumLanes} per block of L outputs, then the last {@code dim mod L} as the twin does. */
    public static void evalVector(float[] table, int dim, int[] ids, int idsOff, int groups, int n,
                                  float[] mask, int maskOff, float actMin, float actMax, float[] out, int outOff) {
        requirePositive(n);
        int vectorDims = dim - dim % LANES;
        for (int g = 0; g < groups; g++) {
            int first = g * n;
            int o = outOff + g * dim;
            for (int d = 0; d < vectorDims; d += LANES) {
                sumLanes(table, dim, d, ids, idsOff + first, n, mask, maskOff + first, actMin, actMax, out, o + d);
            }
            for (int d = vectorDims; d < dim; d++) {
                out[o + d] = sum(table, dim, d, ids, idsOff + first, n, mask, maskOff + first, actMin, actMax);
            }
        }
    }

    /** Outputs {@code d .. d + L} of one group: the products of its ids added in id order, lane by lane. */
    private static void sumLanes(float[] table, int dim, int d, int[] ids, int idsAt, int n, float[] mask, int maskAt,
                                 float actMin, float actMax, float[] out, int o) {
        FloatVector lo = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, actMin));
        FloatVector hi = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, actMax));
        // Written out rather than through vector-taking helpers: a helper C2 leaves out of line allocates its
        // vectors on every call. Each product is MUL's (ftz, then clamp); the sum starts from the first product.
        // The sum is loop-carried: cast to its exact class where it is used (VectorWidth.FLOAT_VECTOR).
        FloatVector sum = FLOAT_VECTOR.cast(FloatVector.zero(FLOATS));
        for (int i = 0; i < n; i++) {
            FloatVector p = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, table, ids[idsAt + i] * dim + d)
                    .mul(TfliteMath.ftz(mask[maskAt + i])));
            p = p.blend(p.mul(0f), p.abs().lt(Float.MIN_NORMAL));      // TfliteMath.ftz per lane
            p = p.blend(lo, p.compare(VectorOperators.LT, lo));      // std::max(v, lo), C++ comparisons
            p = p.blend(hi, p.compare(VectorOperators.GT, hi));      // std::min(v, hi)
            if (i == 0) {
                sum = p;
            } else {
                FloatVector added = FLOAT_VECTOR.cast(sum).add(p);
                sum = added.blend(added.mul(0f), added.abs().lt(Float.MIN_NORMAL));
            }
        }
        FLOAT_VECTOR.cast(sum).intoArray(out, o);
    }

    /** The scalar twin: {@link #sum} for every output. */
    public static void evalScalar(float[] table, int dim, int[] ids, int idsOff, int groups, int n,
                                  float[] mask, int maskOff, float actMin, float actMax, float[] out, int outOff) {
        requirePositive(n);
        for (int g = 0; g < groups; g++) {
            for (int d = 0; d < dim; d++) {
                int first = g * n;
                out[outOff + g * dim + d] = sum(table, dim, d, ids, idsOff + first, n, mask, maskOff + first, actMin, actMax);
            }
        }
    }

    /** Output {@code d} of one group, as MUL then SUM compute it. */
    private static float sum(float[] table, int dim, int d, int[] ids, int idsAt, int n, float[] mask, int maskAt,
                             float actMin, float actMax) {
        float s = F32EmbeddingMaskedRows.product(table[ids[idsAt] * dim + d], TfliteMath.ftz(mask[maskAt]), actMin, actMax);
        for (int i = 1; i < n; i++) {
            float p = F32EmbeddingMaskedRows.product(table[ids[idsAt + i] * dim + d], TfliteMath.ftz(mask[maskAt + i]),
                    actMin, actMax);
            s = TfliteMath.ftz(s + p);
        }
        return s;
    }

    private static void requirePositive(int n) {
        if (n < 1) throw new IllegalArgumentException("ids per group must be at least 1 (a SUM over none fills zeros): " + n);
    }
}
