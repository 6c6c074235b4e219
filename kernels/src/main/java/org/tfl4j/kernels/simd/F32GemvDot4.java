package org.tfl4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.tfl4j.kernels.TfliteMath;

import java.util.Arrays;

import static org.tfl4j.kernels.simd.VectorWidth.FLOAT_VECTOR;

/**
 * Float32 GEMV of one input row against a constant weight matrix in TFLite's row-major GEMV order
 * ({@link TfliteMath#dot4} per output unit), then the optional bias add and the fused-activation clamp:
 * {@code y[o] = clamp(ftz(dot4(W[o], x) + ftz(bias[o])), lo, hi)} (without bias: {@code clamp(dot4(W[o], x), lo, hi)}).
 * That is FULLY_CONNECTED with one input row and more than one unit, and the LSTM's one-row gate products (the
 * accumulator passed as the bias).
 *
 * <p>Lanes run across output units, never across one unit's sum: each lane does dot4's scalar operations in dot4's
 * order (four partial sums over k mod 4 for the first {@code depth & ~3} terms, combined {@code (l0 + l2) + (l1 + l3)},
 * the last terms added in order), a multiply then an add (no FMA), so every output has dot4's exact bits. For that
 * the weights are packed once into blocks of {@code L} units ({@code L} = the float lanes of {@link VectorWidth}),
 * unit-interleaved, so one load gives the k-th weight of {@code L} units while {@code x[k]} is broadcast.
 *
 * <p>The general kernel ({@link #wholeBlockSums}) runs two blocks at a time, each input broadcast once for both, and
 * is also the CONV_2D GEMV's. Depths 16 and 32 (the label tables, the LSTM's gate products, the small FCs) have a
 * layout and kernels of their own ({@link #residuePairSums}, {@link #residueSums}): weights packed by residue
 * ({@code k mod 4}, the partial sum they go to), each pass over the blocks keeping its eight {@code x[k]} broadcasts
 * in registers and loading weights only, two of dot4's four partial sums at a time at depth 16, one at depth 32
 * (GemvBenchmark 3953 x 16: 3.5 µs, against 4.4 µs for the general kernel of the time, which read a broadcast of the
 * input from scratch beside every weight vector).
 *
 * <p>Only the non-flushing arithmetic: the caller takes this path when {@code MatMul.needsFlush} proves that no
 * product or partial sum can be subnormal. The bias add still flushes (a sum of a normal bias and a sum can be
 * subnormal), as TFLite's MXCSR does.
 */
public final class F32GemvDot4 {
    private F32GemvDot4() {}

    private static final VectorSpecies<Float> FLOATS = VectorWidth.FLOATS;
    /** Units per packed block; also the scalar twin's layout, so both read the same packed array. */
    private static final int LANES = FLOATS.length();
    /** The depth whose weights are packed by residue pairs for {@link #residuePairSums}. */
    private static final int RESIDUE_DEPTH = 16;
    /** The depth whose weights are packed by residue for {@link #residueSums}. */
    private static final int RESIDUE_DEPTH_32 = 32;
    /** Rows per block and region in both residue layouts (eight broadcasts per pass). */
    private static final int RESIDUE_ROWS = 8;

    /** The length of the {@code scratch} the kernels take for inputs of {@code depth}: only depth 32 uses one. */
    public static int scratchNeeded(int depth) {
        return depth == RESIDUE_DEPTH_32 ? RESIDUE_DEPTH_32 * LANES : 0; // l1 of 32 blocks at a time (evalVector)
    }

    /**
     * Floats in the packed form of a {@code [units, depth]} matrix: its {@link #dataSize} floats of weights
     * {@code [ceil(units / L), depth, L]}, room to move them ({@link PanelOrigins}: the data starts at one of the first
     * {@code PanelOrigins.COUNT} floats, its origin), then one float that stays last, the largest weight magnitude
     * (+inf when a weight is not finite), for the proof that the clamp changes nothing.
     */
    public static int packedSize(int units, int depth) {
        return dataSize(units, depth) + PanelOrigins.COUNT - 1 + 1;
    }

    /** The packed weights' floats, which an origin moves ({@link #packedSize}). */
    public static int dataSize(int units, int depth) {
        return blocks(units) * depth * LANES;
    }

    private static int blocks(int units) {
        return (units + LANES - 1) / LANES;
    }

    /**
     * Where weight {@code (o, k)} of a {@code [units, depth]} matrix is packed. In general {@code [o / L][k][o % L]}.
     * At depth 16, by residue pairs: {@code k = 4s + j} goes to region {@code j & 1} (the partial sums l0 and l2 in
     * region 0, l1 and l3 in region 1), block {@code o / L}, row {@code 2s + (j >> 1)}, lane {@code o % L}: one pass
     * over a region reads it front to back. At depth 32, by residue: {@code k = 4s + j} goes to region {@code j},
     * block {@code o / L}, row {@code s}.
     */
    private static int offset(int units, int depth, int o, int k) {
        int j = k & 3;
        if (depth == RESIDUE_DEPTH) {
            return (((j & 1) * blocks(units) + o / LANES) * RESIDUE_ROWS + 2 * (k >> 2) + (j >> 1)) * LANES + o % LANES;
        }
        if (depth == RESIDUE_DEPTH_32) return ((j * blocks(units) + o / LANES) * RESIDUE_ROWS + (k >> 2)) * LANES + o % LANES;
        return ((o / LANES) * depth + k) * LANES + o % LANES;
    }

    /** Packs {@code w [units, depth]} (row-major from {@code wOff}) into a new array of {@link #packedSize}. */
    public static float[] pack(float[] w, int wOff, int units, int depth) {
        float[] packed = new float[packedSize(units, depth)];
        pack(w, wOff, units, depth, packed);
        return packed;
    }

    /**
     * Packs {@code w [units, depth]} at origin 0 into {@code packed [ceil(units / L), depth, L]}: element
     * {@code (o, k)} goes to {@code [o / L][k][o % L]}; at depth 16 into {@code [2][ceil(units / L)][8][L]} by residue pairs, at depth 32
     * into {@code [4][ceil(units / L)][8][L]} by residue instead ({@link #offset}). The lanes of the last block past
     * {@code units} are zeros (the units of a last, partial block run the scalar {@link #unit}, so the padding is never
     * read). The last float is the largest {@code |w|}, +inf if a weight is infinite or NaN.
     */
    public static void pack(float[] w, int wOff, int units, int depth, float[] packed) {
        int size = packedSize(units, depth);
        if (packed.length < size) {
            throw new IllegalArgumentException("packed has " + packed.length + " floats, needs " + size
                    + " for [" + units + ", " + depth + "] at " + LANES + " lanes");
        }
        Arrays.fill(packed, 0, size, 0f);
        float largest = 0f;
        for (int o = 0; o < units; o++) {
            for (int k = 0; k < depth; k++) {
                float v = w[wOff + o * depth + k];
                packed[offset(units, depth, o, k)] = v;
                largest = Float.isFinite(v) ? Math.max(largest, Math.abs(v)) : Float.POSITIVE_INFINITY;
            }
        }
        packed[size - 1] = largest;
    }

    /**
     * {@code y[yOff + o] = clamp(ftz(dot4(W[o], x) + ftz(bias[biasOff + o])), actMin, actMax)} for {@code o < units},
     * the vector kernel or, with {@link VectorWidth#SCALAR}, its scalar twin. Writes exactly
     * {@code y[yOff .. yOff + units)}. Neither {@code bias} nor {@code x} may overlap that range: the vector kernel keeps
     * partial results in {@code y} (an overlapping bias is refused).
     *
     * @param x      input row {@code [depth]}
     * @param packed weights {@code [units, depth]} packed by {@link #pack}
     * @param bias   {@code [units]}, or null for none
     * @param actMin lower clamp of the fused activation (-FLT_MAX for none)
     * @param actMax upper clamp (FLT_MAX for none)
     * @param y      output {@code [units]}
     * @param scratch at least {@link #scratchNeeded}{@code (depth)} floats, overwritten (the twin leaves it alone)
     */
    public static void eval(float[] x, int xOff, int depth, float[] packed, int units,
                            float[] bias, int biasOff, float actMin, float actMax, float[] y, int yOff, float[] scratch) {
        eval(x, xOff, depth, packed, 0, units, bias, biasOff, actMin, actMax, y, yOff, scratch);
    }

    /**
     * {@link #eval(float[], int, int, float[], int, float[], int, float, float, float[], int, float[])} on weights whose
     * data starts at {@code origin} ({@link PanelOrigins}).
     */
    public static void eval(float[] x, int xOff, int depth, float[] packed, int origin, int units,
                            float[] bias, int biasOff, float actMin, float actMax, float[] y, int yOff, float[] scratch) {
        if (VectorWidth.SCALAR) {
            evalScalar(x, xOff, depth, packed, origin, units, bias, biasOff, actMin, actMax, y, yOff, scratch);
        } else {
            evalVector(x, xOff, depth, packed, origin, units, bias, biasOff, actMin, actMax, y, yOff, scratch);
        }
    }

    /**
     * The vector kernel in passes over whole blocks of {@code L} units, each its own method, then the units past the
     * last whole block by {@link #unit}: the sums ({@link #wholeBlockSums}; at depths 16 and 32 the residue passes),
     * then the bias and clamp ({@link #biasAndClamp}). The sums
     * wait in {@code y} between passes (a float stored and reloaded is unchanged), so each pass is small enough for
     * C2 to inline all of its Vector API calls: one method doing everything exceeds C2's inlining node budget, and a
     * vector operation left out of line allocates.
     */
    public static void evalVector(float[] x, int xOff, int depth, float[] packed, int units,
                                  float[] bias, int biasOff, float actMin, float actMax, float[] y, int yOff,
                                  float[] scratch) {
        evalVector(x, xOff, depth, packed, 0, units, bias, biasOff, actMin, actMax, y, yOff, scratch);
    }

    /** The vector kernel on weights whose data starts at {@code origin}. */
    public static void evalVector(float[] x, int xOff, int depth, float[] packed, int origin, int units,
                                  float[] bias, int biasOff, float actMin, float actMax, float[] y, int yOff,
                                  float[] scratch) {
        requireApart(bias, biasOff, y, yOff, units);
        requireScratch(scratch, depth);
        int wholeBlocks = units / LANES;
        if (wholeBlocks > 0) {
            if (depth == RESIDUE_DEPTH) {
                residuePairSums(x, xOff, packed, origin, blocks(units), wholeBlocks, 0, y, yOff);
                residuePairSums(x, xOff, packed, origin, blocks(units), wholeBlocks, 1, y, yOff);
            } else if (depth == RESIDUE_DEPTH_32) {
                // dot4 = (l0 + l2) + (l1 + l3): y = l0, y = y + l2, then l1 into scratch and y = y + (l1 + l3),
                // a chunk of blocks at a time (the scratch holds 32 L floats: 32 blocks of l1)
                int blocks = blocks(units);
                residueSums(x, xOff, packed, origin, blocks, 0, wholeBlocks, 0, STORE, y, yOff, null, 0);
                residueSums(x, xOff, packed, origin, blocks, 0, wholeBlocks, 2, ADD, y, yOff, null, 0);
                int chunk = scratch.length / LANES;
                for (int from = 0; from < wholeBlocks; from += chunk) {
                    int to = Math.min(from + chunk, wholeBlocks);
                    residueSums(x, xOff, packed, origin, blocks, from, to, 1, STORE, scratch, -from * LANES, null, 0);
                    residueSums(x, xOff, packed, origin, blocks, from, to, 3, ADD_TO_PARTIAL, y, yOff, scratch,
                            -from * LANES);
                }
            } else {
                wholeBlockSums(x, xOff, depth, depth, packed, origin, wholeBlocks, y, yOff);
            }
            if (bias != null || !clampChangesNothing(x, xOff, depth, packed[packedSize(units, depth) - 1], actMin, actMax)) {
                biasAndClamp(wholeBlocks * LANES, bias, biasOff, actMin, actMax, y, yOff);
            }
        }
        for (int o = wholeBlocks * LANES; o < units; o++) {
            y[yOff + o] = unit(x, xOff, depth, packed, origin, units, o, bias, biasOff, actMin, actMax);
        }
    }

    /**
     * True when clamping the sums to {@code [actMin, actMax]} cannot change one: no fused activation
     * ({@code ±FLT_MAX}) and every sum provably finite. Each of the {@code depth} products is at most
     * {@code W X (1 + 2^-24)} ({@code W}, {@code X} the largest weight and input magnitudes), and float additions of
     * such terms stay below their exact sum times {@code (1 + 2^-24)^(depth + 2)}, under 2 for any depth up to 2^20;
     * so {@code 2 depth W X < FLT_MAX} keeps every sum below FLT_MAX. A NaN sum passes the clamp unchanged; an
     * infinite or NaN input or weight fails the test. The label table's FULLY_CONNECTED (no bias, no activation)
     * then skips the pass that re-reads its 3953 outputs.
     */
    static boolean clampChangesNothing(float[] x, int xOff, int depth, float largestWeight, float actMin,
                                       float actMax) {
        if (actMin != -TfliteMath.FLT_MAX || actMax != TfliteMath.FLT_MAX || depth > 1 << 20) return false;
        float largestInput = 0f;
        for (int k = 0; k < depth; k++) largestInput = Math.max(largestInput, Math.abs(x[xOff + k])); // NaN stays NaN
        return 2.0 * depth * largestWeight * largestInput < TfliteMath.FLT_MAX; // false for NaN and infinity
    }

    /**
     * {@code y[yOff + o] = dot4(W[o], x)} over the first {@code summed} of the {@code depth} inputs (see
     * {@link F32ConvChannelLanes#dot4}) for the units of the first {@code wholeBlocks} blocks of the general layout
     * ({@code [block][k][L]}), before bias and clamp: two blocks at a time, each with dot4's four partial sums (eight
     * independent chains), every input broadcast once for both blocks; then {@code (l0 + l2) + (l1 + l3)} and the last
     * {@code summed mod 4} terms in order. Also the CONV_2D GEMV's kernel ({@link F32ConvChannelLanes#dot4}), whose
     * filter layout is this one. Faster than a broadcast of the input kept in scratch and one block per pass, the
     * general kernel until 2026-12-05 (256 x 32: 0.39 against 0.69 µs; 64 x 16: 0.05 against 0.10 µs).
     */
    static void wholeBlockSums(float[] x, int xOff, int depth, int summed, float[] packed, int packedOff,
                               int wholeBlocks, float[] y, int yOff) {
        int blockStride = depth * LANES;
        int summed4 = summed & ~3;
        int block = 0;
        for (; block + 2 <= wholeBlocks; block += 2) {
            int pBase = packedOff + block * blockStride;
            int qBase = pBase + blockStride;
            FloatVector a0 = FLOAT_VECTOR.cast(FloatVector.zero(FLOATS)), a1 = a0, a2 = a0, a3 = a0;
            FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            int k = 0;
            for (; k < summed4; k += 4) {
                int p = pBase + k * LANES, q = qBase + k * LANES; // loads indexed from k (see the package doc)
                FloatVector x0 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + k]));
                FloatVector x1 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + k + 1]));
                FloatVector x2 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + k + 2]));
                FloatVector x3 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + k + 3]));
                a0 = FLOAT_VECTOR.cast(a0).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p)).mul(x0));
                a1 = FLOAT_VECTOR.cast(a1).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + LANES)).mul(x1));
                a2 = FLOAT_VECTOR.cast(a2).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 2 * LANES)).mul(x2));
                a3 = FLOAT_VECTOR.cast(a3).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 3 * LANES)).mul(x3));
                b0 = FLOAT_VECTOR.cast(b0).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, q)).mul(x0));
                b1 = FLOAT_VECTOR.cast(b1).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, q + LANES)).mul(x1));
                b2 = FLOAT_VECTOR.cast(b2).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, q + 2 * LANES)).mul(x2));
                b3 = FLOAT_VECTOR.cast(b3).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, q + 3 * LANES)).mul(x3));
            }
            FloatVector a = FLOAT_VECTOR.cast(a0).add(FLOAT_VECTOR.cast(a2))
                    .add(FLOAT_VECTOR.cast(a1).add(FLOAT_VECTOR.cast(a3)));
            FloatVector b = FLOAT_VECTOR.cast(b0).add(FLOAT_VECTOR.cast(b2))
                    .add(FLOAT_VECTOR.cast(b1).add(FLOAT_VECTOR.cast(b3)));
            for (; k < summed; k++) {
                int p = pBase + k * LANES, q = qBase + k * LANES;
                FloatVector xk = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + k]));
                a = FLOAT_VECTOR.cast(a).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p)).mul(xk));
                b = FLOAT_VECTOR.cast(b).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, q)).mul(xk));
            }
            int o = yOff + block * LANES;
            FLOAT_VECTOR.cast(a).intoArray(y, o);
            FLOAT_VECTOR.cast(b).intoArray(y, o + LANES);
        }
        for (; block < wholeBlocks; block++) {
            int pBase = packedOff + block * blockStride;
            FloatVector a0 = FLOAT_VECTOR.cast(FloatVector.zero(FLOATS)), a1 = a0, a2 = a0, a3 = a0;
            int k = 0;
            for (; k < summed4; k += 4) {
                int p = pBase + k * LANES;
                a0 = FLOAT_VECTOR.cast(a0).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p)).mul(x[xOff + k]));
                a1 = FLOAT_VECTOR.cast(a1).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + LANES)).mul(x[xOff + k + 1]));
                a2 = FLOAT_VECTOR.cast(a2).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 2 * LANES)).mul(x[xOff + k + 2]));
                a3 = FLOAT_VECTOR.cast(a3).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 3 * LANES)).mul(x[xOff + k + 3]));
            }
            FloatVector a = FLOAT_VECTOR.cast(a0).add(FLOAT_VECTOR.cast(a2))
                    .add(FLOAT_VECTOR.cast(a1).add(FLOAT_VECTOR.cast(a3)));
            for (; k < summed; k++) {
                a = FLOAT_VECTOR.cast(a).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, pBase + k * LANES)).mul(x[xOff + k]));
            }
            FLOAT_VECTOR.cast(a).intoArray(y, yOff + block * LANES);
        }
    }

    /**
     * One pass of the depth-16 kernel over region {@code pair} of the residue-pair layout ({@link #offset}): pass 0
     * computes {@code y[o] = l0 + l2}, pass 1 then {@code y[o] = y[o] + (l1 + l3)}, which is dot4's
     * {@code (l0 + l2) + (l1 + l3)} with every partial sum in dot4's order. The eight broadcasts the pass needs stay
     * in registers, so the loop over blocks loads weights only, and its body is small enough for out-of-order
     * execution to overlap one block's two add chains with the next blocks'.
     */
    private static void residuePairSums(float[] x, int xOff, float[] packed, int origin, int blocks, int wholeBlocks,
                                        int pair, float[] y, int yOff) {
        // x[4s + pair] for l_pair, x[4s + pair + 2] for l_(pair + 2), s = 0..3
        FloatVector a0 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + pair]));
        FloatVector c0 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + pair + 2]));
        FloatVector a1 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 4 + pair]));
        FloatVector c1 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 6 + pair]));
        FloatVector a2 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 8 + pair]));
        FloatVector c2 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 10 + pair]));
        FloatVector a3 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 12 + pair]));
        FloatVector c3 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 14 + pair]));
        FloatVector zero = FLOAT_VECTOR.cast(FloatVector.zero(FLOATS));
        int region = origin + pair * blocks * RESIDUE_ROWS * LANES;
        for (int block = 0; block < wholeBlocks; block++) {
            int p = region + block * RESIDUE_ROWS * LANES; // rows 2s (l_pair) and 2s + 1 (l_(pair + 2)) at p + row * L
            FloatVector la = zero.add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p)).mul(a0));
            FloatVector lc = zero.add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + LANES)).mul(c0));
            la = FLOAT_VECTOR.cast(la).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 2 * LANES)).mul(a1));
            lc = FLOAT_VECTOR.cast(lc).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 3 * LANES)).mul(c1));
            la = FLOAT_VECTOR.cast(la).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 4 * LANES)).mul(a2));
            lc = FLOAT_VECTOR.cast(lc).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 5 * LANES)).mul(c2));
            la = FLOAT_VECTOR.cast(la).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 6 * LANES)).mul(a3));
            lc = FLOAT_VECTOR.cast(lc).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 7 * LANES)).mul(c3));
            FloatVector sum = FLOAT_VECTOR.cast(la).add(FLOAT_VECTOR.cast(lc));
            int o = yOff + block * LANES;
            if (pair == 1) sum = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, y, o)).add(FLOAT_VECTOR.cast(sum));
            FLOAT_VECTOR.cast(sum).intoArray(y, o);
        }
    }

    /** What {@link #residueSums} does with a block's partial sum {@code l}. */
    private static final int STORE = 0, ADD = 1, ADD_TO_PARTIAL = 2;

    /**
     * One pass of the depth-32 kernel over blocks {@code [from, to)} of region {@code residue} of the residue layout
     * ({@link #offset}): each block's partial sum {@code l} of dot4's lane {@code residue}, eight steps in dot4's order,
     * then {@code dst[o] = l} ({@link #STORE}), {@code dst[o] = dst[o] + l} ({@link #ADD}) or
     * {@code dst[o] = dst[o] + (partial[o] + l)} ({@link #ADD_TO_PARTIAL}), with {@code o} the block's first unit
     * plus {@code dstOff} (and {@code partialOff}). The eight broadcasts stay in registers.
     */
    private static void residueSums(float[] x, int xOff, float[] packed, int origin, int blocks, int from, int to,
                                    int residue, int mode, float[] dst, int dstOff, float[] partial, int partialOff) {
        FloatVector x0 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + residue]));
        FloatVector x1 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 4 + residue]));
        FloatVector x2 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 8 + residue]));
        FloatVector x3 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 12 + residue]));
        FloatVector x4 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 16 + residue]));
        FloatVector x5 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 20 + residue]));
        FloatVector x6 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 24 + residue]));
        FloatVector x7 = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + 28 + residue]));
        FloatVector zero = FLOAT_VECTOR.cast(FloatVector.zero(FLOATS));
        int region = origin + residue * blocks * RESIDUE_ROWS * LANES;
        for (int block = from; block < to; block++) {
            int p = region + block * RESIDUE_ROWS * LANES; // row s at p + s * L
            FloatVector l = zero.add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p)).mul(x0));
            l = FLOAT_VECTOR.cast(l).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + LANES)).mul(x1));
            l = FLOAT_VECTOR.cast(l).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 2 * LANES)).mul(x2));
            l = FLOAT_VECTOR.cast(l).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 3 * LANES)).mul(x3));
            l = FLOAT_VECTOR.cast(l).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 4 * LANES)).mul(x4));
            l = FLOAT_VECTOR.cast(l).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 5 * LANES)).mul(x5));
            l = FLOAT_VECTOR.cast(l).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 6 * LANES)).mul(x6));
            l = FLOAT_VECTOR.cast(l).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + 7 * LANES)).mul(x7));
            int o = dstOff + block * LANES;
            if (mode == ADD_TO_PARTIAL) {
                l = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, partial, partialOff + block * LANES)).add(FLOAT_VECTOR.cast(l));
            }
            if (mode != STORE) l = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, dst, o)).add(FLOAT_VECTOR.cast(l));
            FLOAT_VECTOR.cast(l).intoArray(dst, o);
        }
    }

    /** {@code y[o] = clamp(ftz(y[o] + ftz(bias[o])), lo, hi)} (without bias: {@code clamp(y[o], lo, hi)}) for {@code o < n}, a multiple of L. */
    private static void biasAndClamp(int n, float[] bias, int biasOff, float actMin, float actMax, float[] y, int yOff) {
        FloatVector lo = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, actMin));
        FloatVector hi = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, actMax));
        for (int o = 0; o < n; o += LANES) {
            // Written out rather than through vector-taking helpers: a helper C2 leaves out of line allocates its
            // vectors on every call.
            FloatVector sum = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, y, yOff + o));
            if (bias != null) {
                FloatVector b = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, bias, biasOff + o));
                b = b.blend(b.mul(0f), b.abs().lt(Float.MIN_NORMAL));           // TfliteMath.ftz per lane
                sum = sum.add(b);
                sum = sum.blend(sum.mul(0f), sum.abs().lt(Float.MIN_NORMAL));
            }
            sum = FLOAT_VECTOR.cast(sum); // merged after the branch: its exact class for C2 (VectorWidth.FLOAT_VECTOR)
            sum = sum.blend(lo, sum.compare(VectorOperators.LT, lo));           // std::max(v, lo), C++ comparisons
            sum = sum.blend(hi, sum.compare(VectorOperators.GT, hi));           // std::min(v, hi)
            sum.intoArray(y, yOff + o);
        }
    }

    /** The scalar twin: {@link #unit} for every unit, reading the same packed layout. */
    public static void evalScalar(float[] x, int xOff, int depth, float[] packed, int units,
                                  float[] bias, int biasOff, float actMin, float actMax, float[] y, int yOff,
                                  float[] scratch) {
        evalScalar(x, xOff, depth, packed, 0, units, bias, biasOff, actMin, actMax, y, yOff, scratch);
    }

    /** The scalar twin on weights whose data starts at {@code origin}. */
    public static void evalScalar(float[] x, int xOff, int depth, float[] packed, int origin, int units,
                                  float[] bias, int biasOff, float actMin, float actMax, float[] y, int yOff,
                                  float[] scratch) {
        requireApart(bias, biasOff, y, yOff, units); // the twin would cope; it keeps the vector kernel's contract
        requireScratch(scratch, depth);
        for (int o = 0; o < units; o++) {
            y[yOff + o] = unit(x, xOff, depth, packed, origin, units, o, bias, biasOff, actMin, actMax);
        }
    }

    private static void requireScratch(float[] scratch, int depth) {
        int needed = scratchNeeded(depth);
        if (needed > 0 && (scratch == null || scratch.length < needed)) {
            throw new IllegalArgumentException("scratch has " + (scratch == null ? "no" : scratch.length) + " floats, needs "
                    + needed + " for depth " + depth + " at " + LANES + " lanes");
        }
    }

    private static void requireApart(float[] bias, int biasOff, float[] y, int yOff, int units) {
        if (bias == y && biasOff < yOff + units && yOff < biasOff + units) {
            throw new IllegalArgumentException("bias overlaps the output: bias from " + biasOff + ", output from " + yOff
                    + ", " + units + " units");
        }
    }

    /** Unit {@code o}: dot4 over its packed weights, then bias and clamp, as one vector lane does it. */
    private static float unit(float[] x, int xOff, int depth, float[] packed, int origin, int units, int o,
                              float[] bias, int biasOff, float actMin, float actMax) {
        float l0 = 0f, l1 = 0f, l2 = 0f, l3 = 0f;
        int k = 0;
        for (int depth4 = depth & ~3; k < depth4; k += 4) {
            l0 = l0 + packed[origin + offset(units, depth, o, k)] * x[xOff + k];
            l1 = l1 + packed[origin + offset(units, depth, o, k + 1)] * x[xOff + k + 1];
            l2 = l2 + packed[origin + offset(units, depth, o, k + 2)] * x[xOff + k + 2];
            l3 = l3 + packed[origin + offset(units, depth, o, k + 3)] * x[xOff + k + 3];
        }
        float sum = (l0 + l2) + (l1 + l3);
        for (; k < depth; k++) sum = sum + packed[origin + offset(units, depth, o, k)] * x[xOff + k];
        if (bias != null) sum = TfliteMath.ftz(sum + TfliteMath.ftz(bias[biasOff + o]));
        return TfliteMath.activation(sum, actMin, actMax);
    }

}
