package org.tfl4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.tfl4j.kernels.TfliteMath;

import static org.tfl4j.kernels.simd.VectorWidth.FLOAT_VECTOR;

/**
 * Float32 CONV_2D outputs of one or two im2col patches against a constant filter, in the accumulation orders of
 * TFLite's Eigen products ({@link org.tfl4j.kernels.MatMul}), then the bias add and the fused-activation clamp:
 * {@code y[o] = clamp(ftz(sum_o + ftz(bias[o])), lo, hi)} (without bias: {@code clamp(sum_o, lo, hi)}), where
 * {@code sum_o} is the product of filter row {@code o [K]} with the patch {@code [K]} in one of three orders:
 * <ul>
 * <li>{@link #seqsum}: one sequential sum from +0 (the GEMM micro-kernel's order for rows in whole 8-row blocks
 *     and for every column past the last whole 4-column block); {@link #seqsum2} does two patches at once;</li>
 * <li>{@link #dot4}: {@link TfliteMath#dot4} (the single-thread kernel's GEMV, one output position);</li>
 * <li>{@link #blockedSeqsum}: Eigen's column-major GEMV (the multithreaded kernel's single position), sequential
 *     sums over blocks of k added to a result that starts at +0.</li>
 * </ul>
 *
 * <p>Lanes run across output channels, never across one output's sum: each lane does the scalar order's operations in
 * that order, a multiply then an add (no FMA), so every output has the scalar order's exact bits. For that the filter
 * is packed once into blocks of {@code L} channels ({@code L} = the float lanes of {@link VectorWidth}),
 * channel-interleaved ({@link #pack}; for the sequential sums, blocks of {@code 4L}, {@link #packForSeqsum}), so one
 * load gives the k-th weight of {@code L} channels while the patch's {@code x[k]} is broadcast (once per k, as an
 * explicit vector shared by the blocks: passing the float to each {@code mul} measured 20-25% slower on the CNN
 * models' convolutions, ConvBenchmark). Several blocks (and, in {@link #seqsum2}, two patches) run interleaved so that
 * independent additions hide each other's latency. The channels past the last whole block run the scalar twin's
 * per-channel code on the same packed array.
 *
 * <p>Only the non-flushing arithmetic: the caller takes this path when {@code MatMul.needsFlush} proves that no
 * product or partial sum can be subnormal. The bias add still flushes (a normal bias plus a sum can be subnormal),
 * as TFLite's MXCSR does.
 */
public final class F32ConvChannelLanes {
    private F32ConvChannelLanes() {}

    private static final VectorSpecies<Float> FLOATS = VectorWidth.FLOATS;
    /** Channels per packed block; also the scalar twins' layout, so both read the same packed array. */
    private static final int LANES = FLOATS.length();

    /** Floats in the packed form of a {@code [channels, depth]} filter: {@code [ceil(channels / L), depth, L]}. */
    public static int packedSize(int channels, int depth) {
        return blockedSize(channels, depth, LANES);
    }

    /** Floats in {@code [ceil(channels / width), depth, width]}, then room to move it ({@link PanelOrigins}). */
    private static int blockedSize(int channels, int depth, int width) {
        return (channels + width - 1) / width * depth * width + PanelOrigins.COUNT - 1;
    }

    /**
     * Packs the filter {@code [channels, depth]} (OHWI flattened to rows of {@code depth = KH·KW·C}, row-major from
     * {@code filterOff}) into a new {@code [ceil(channels / L), depth, L]} array, at origin 0 and followed by room to
     * move it ({@link PanelOrigins}): element {@code (o, k)} goes to {@code [o / L][k][o % L]}; the lanes of the last
     * block past {@code channels} are zeros, never stored.
     */
    public static float[] pack(float[] filter, int filterOff, int channels, int depth) {
        return packInBlocks(filter, filterOff, channels, depth, LANES);
    }

    /** {@code [ceil(channels / width), depth, width]}: element {@code (o, k)} at {@code [o / width][k][o % width]}. */
    private static float[] packInBlocks(float[] filter, int filterOff, int channels, int depth, int width) {
        float[] packed = new float[blockedSize(channels, depth, width)];
        for (int o = 0; o < channels; o++) {
            int base = (o / width) * depth * width + o % width;
            for (int k = 0; k < depth; k++) packed[base + k * width] = filter[filterOff + o * depth + k];
        }
        return packed;
    }

    /** Blocks of {@code L} channels per group of the sequential sums' layout ({@link #packForSeqsum}). */
    private static final int GROUP = 4;
    /** Channels per group: the sequential sums' filter is {@link #pack}'s layout with blocks this wide. */
    private static final int GROUP_LANES = GROUP * LANES;

    /** Floats in {@link #packForSeqsum}'s form of a {@code [channels, depth]} filter: {@code [ceil(channels / 4L), depth, 4L]}. */
    public static int seqsumPackedSize(int channels, int depth) {
        return blockedSize(channels, depth, GROUP_LANES);
    }

    /**
     * Packs the filter {@code [channels, depth]} for {@link #seqsum} and {@link #seqsum2}: element {@code (o, k)} goes
     * to {@code [o / 4L][k][o % 4L]}, so the four blocks a loop step reads for one {@code k} are one run of {@code 4L}
     * floats and every load takes its index from the step's own counter ({@code base + k * 4L + j * L}, see the
     * package doc); the lanes past {@code channels} are zeros, never stored. Against {@link #pack}'s one stream per
     * block (ConvBenchmark, one thread, JDK 17 / 25): the feature model's genre convolutions 1.03 to 0.94 / 0.98 to
     * 0.88 µs and 3.06 to 2.82 / 2.84 to 2.70 µs; the other sequential-sum convolutions within noise.
     */
    public static float[] packForSeqsum(float[] filter, int filterOff, int channels, int depth) {
        return packInBlocks(filter, filterOff, channels, depth, GROUP_LANES);
    }

    /**
     * The k-block length of Eigen's column-major GEMV ({@code MatMul.blockedSeqsum}): the whole depth below 128,
     * else 16, or 4 when the product's rows take 32000 bytes or more.
     */
    public static int gemvBlock(int depth, int rows) {
        return depth < 128 ? depth : (rows * 4 < 32000 ? 16 : 4);
    }

    // ---------------------------------------------------------------------------------------------
    // Sequential sums (GEMM rows in whole 8-row blocks)

    /**
     * {@code y[yOff + o] = clamp(ftz(seqsum(F[o], x) + ftz(bias[biasOff + o])), actMin, actMax)} for
     * {@code o < channels}, the sum over the patch values {@code [from, to)} only ({@code 0 <= from <= to <= depth};
     * {@code [0, depth)} is the whole patch), the vector kernel or, with {@link VectorWidth#SCALAR}, its scalar twin.
     * Writes exactly {@code y[yOff .. yOff + channels)}. A range has the bits of the whole patch when every value
     * outside it is ±0 (SAME padding) and every weight is finite, since the sum starts at +0 and only adds products,
     * so it is never -0, and adding a product of zero (±0) leaves it unchanged.
     *
     * @param x        patch {@code [depth]}
     * @param packed   filter {@code [rows, depth]} packed by {@link #packForSeqsum}, {@code rows >= channels}
     * @param packedOff where its data starts in the array: its origin, below {@link PanelOrigins#COUNT}
     * @param channels how many leading output channels to compute
     * @param bias     {@code [rows]}, or null for none
     * @param actMin   lower clamp of the fused activation (-FLT_MAX for none)
     * @param actMax   upper clamp (FLT_MAX for none)
     * @param y        output {@code [channels]}
     */
    public static void seqsum(float[] x, int xOff, int depth, int from, int to, float[] packed, int packedOff,
                              int channels, float[] bias, int biasOff, float actMin, float actMax, float[] y,
                              int yOff) {
        if (VectorWidth.SCALAR) {
            seqsumScalar(x, xOff, depth, from, to, packed, packedOff, channels, bias, biasOff, actMin, actMax, y,
                    yOff);
        } else {
            seqsumVector(x, xOff, depth, from, to, packed, packedOff, channels, bias, biasOff, actMin, actMax, y,
                    yOff);
        }
    }

    /** The vector kernel of {@link #seqsum}. */
    public static void seqsumVector(float[] x, int xOff, int depth, int from, int to, float[] packed, int packedOff,
                                    int channels, float[] bias, int biasOff, float actMin, float actMax, float[] y,
                                    int yOff) {
        // The bias and clamp pass is its own compilation unit (see finishBlocks), not part of the loop method:
        // inlined there it once ran C2 out of nodes and its vector calls stayed out of line, allocating every
        // run (seen as 1.3-2.6 KB per inference).
        seqsumBlocks(x, xOff, depth, from, to, packed, packedOff, channels, bias, biasOff, actMin, actMax, y, yOff);
        finishBlocks(channels / LANES, bias, biasOff, actMin, actMax, y, yOff, -1);
    }

    /** The products of {@link #seqsumVector} for whole lane blocks (before bias and clamp), and the scalar tail. */
    private static void seqsumBlocks(float[] x, int xOff, int depth, int from, int to, float[] packed, int packedOff,
                                     int channels, float[] bias, int biasOff, float actMin, float actMax, float[] y,
                                     int yOff) {
        int wholeBlocks = channels / LANES;
        int groupStride = depth * GROUP_LANES;
        int block = 0;
        for (; block + GROUP <= wholeBlocks; block += GROUP) { // a group of four blocks: four independent sums
            int p = packedOff + block / GROUP * groupStride; // packed[group][k][j * L + lane] at p + k * 4L + j * L
            FloatVector s0 = FLOAT_VECTOR.cast(FloatVector.zero(FLOATS)), s1 = s0, s2 = s0, s3 = s0;
            for (int k = from; k < to; k++) {
                int at = p + k * GROUP_LANES;
                FloatVector xk = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + k]));
                s0 = FLOAT_VECTOR.cast(s0).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, at)).mul(xk));
                s1 = FLOAT_VECTOR.cast(s1).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, at + LANES)).mul(xk));
                s2 = FLOAT_VECTOR.cast(s2).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, at + 2 * LANES)).mul(xk));
                s3 = FLOAT_VECTOR.cast(s3).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, at + 3 * LANES)).mul(xk));
            }
            int o = block * LANES;
            FLOAT_VECTOR.cast(s0).intoArray(y, yOff + o);
            FLOAT_VECTOR.cast(s1).intoArray(y, yOff + o + LANES);
            FLOAT_VECTOR.cast(s2).intoArray(y, yOff + o + 2 * LANES);
            FLOAT_VECTOR.cast(s3).intoArray(y, yOff + o + 3 * LANES);
        }
        for (; block + 2 <= wholeBlocks; block += 2) { // two whole blocks of a last, partial group: two sums at once
            // block % GROUP is 0 or 2: one group
            int p = packedOff + block / GROUP * groupStride + block % GROUP * LANES;
            FloatVector s0 = FLOAT_VECTOR.cast(FloatVector.zero(FLOATS)), s1 = s0;
            for (int k = from; k < to; k++) {
                int at = p + k * GROUP_LANES;
                FloatVector xk = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + k]));
                s0 = FLOAT_VECTOR.cast(s0).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, at)).mul(xk));
                s1 = FLOAT_VECTOR.cast(s1).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, at + LANES)).mul(xk));
            }
            int o = block * LANES;
            FLOAT_VECTOR.cast(s0).intoArray(y, yOff + o);
            FLOAT_VECTOR.cast(s1).intoArray(y, yOff + o + LANES);
        }
        for (; block < wholeBlocks; block++) { // the last whole block of a last, partial group
            int p = packedOff + block / GROUP * groupStride + block % GROUP * LANES;
            FloatVector s = FLOAT_VECTOR.cast(FloatVector.zero(FLOATS));
            for (int k = from; k < to; k++) {
                s = FLOAT_VECTOR.cast(s).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + k * GROUP_LANES)).mul(x[xOff + k]));
            }
            FLOAT_VECTOR.cast(s).intoArray(y, yOff + block * LANES);
        }
        for (int o = wholeBlocks * LANES; o < channels; o++) {
            y[yOff + o] = finish(seqsumChannel(x, xOff, depth, from, to, packed, packedOff, o), bias, biasOff, o,
                    actMin, actMax);
        }
    }

    /** The scalar twin of {@link #seqsum}: each channel's sequential sum on the same packed layout. */
    public static void seqsumScalar(float[] x, int xOff, int depth, int from, int to, float[] packed, int packedOff,
                                    int channels, float[] bias, int biasOff, float actMin, float actMax, float[] y,
                                    int yOff) {
        for (int o = 0; o < channels; o++) {
            y[yOff + o] = finish(seqsumChannel(x, xOff, depth, from, to, packed, packedOff, o), bias, biasOff, o,
                    actMin, actMax);
        }
    }

    /**
     * {@link #seqsum} for two patches at once, over the same values {@code [from, to)} of each, {@code x0} into
     * {@code y[y0Off ..]} and {@code x1} into {@code y[y1Off ..]}: each packed load then feeds two sums, halving the
     * filter traffic.
     */
    public static void seqsum2(float[] x0, int x0Off, float[] x1, int x1Off, int depth, int from, int to,
                               float[] packed, int packedOff, int channels, float[] bias, int biasOff, float actMin,
                               float actMax, float[] y, int y0Off, int y1Off) {
        if (VectorWidth.SCALAR) {
            seqsum2Scalar(x0, x0Off, x1, x1Off, depth, from, to, packed, packedOff, channels, bias, biasOff, actMin,
                    actMax, y, y0Off, y1Off);
        } else {
            seqsum2Vector(x0, x0Off, x1, x1Off, depth, from, to, packed, packedOff, channels, bias, biasOff, actMin,
                    actMax, y, y0Off, y1Off);
        }
    }

    /** The vector kernel of {@link #seqsum2}. */
    public static void seqsum2Vector(float[] x0, int x0Off, float[] x1, int x1Off, int depth, int from, int to,
                                     float[] packed, int packedOff, int channels, float[] bias, int biasOff,
                                     float actMin, float actMax, float[] y, int y0Off, int y1Off) {
        // The bias and clamp pass is its own compilation unit (see finishBlocks), not part of the loop method:
        // inlined there it once ran C2 out of nodes and its vector calls stayed out of line, allocating every
        // run (seen as 1.3-2.6 KB per inference).
        seqsum2Blocks(x0, x0Off, x1, x1Off, depth, from, to, packed, packedOff, channels, bias, biasOff, actMin, actMax,
                y, y0Off, y1Off);
        finishBlocks(channels / LANES, bias, biasOff, actMin, actMax, y, y0Off, y1Off);
    }

    /** The products of {@link #seqsum2Vector} for whole lane blocks (before bias and clamp), and the scalar tail. */
    private static void seqsum2Blocks(float[] x0, int x0Off, float[] x1, int x1Off, int depth, int from, int to,
                                      float[] packed, int packedOff, int channels, float[] bias, int biasOff,
                                      float actMin, float actMax, float[] y, int y0Off, int y1Off) {
        int wholeBlocks = channels / LANES;
        int groupStride = depth * GROUP_LANES;
        int block = 0;
        for (; block + GROUP <= wholeBlocks; block += GROUP) { // four blocks x two patches: eight independent sums
            int p = packedOff + block / GROUP * groupStride; // packed[group][k][j * L + lane] at p + k * 4L + j * L
            FloatVector a0 = FLOAT_VECTOR.cast(FloatVector.zero(FLOATS)), a1 = a0, a2 = a0, a3 = a0; // patch 0
            FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0;                       // patch 1
            for (int k = from; k < to; k++) {
                int at = p + k * GROUP_LANES;
                FloatVector xa = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x0[x0Off + k]));
                FloatVector xb = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x1[x1Off + k]));
                FloatVector f0 = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, at));
                FloatVector f1 = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, at + LANES));
                FloatVector f2 = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, at + 2 * LANES));
                FloatVector f3 = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, at + 3 * LANES));
                a0 = FLOAT_VECTOR.cast(a0).add(f0.mul(xa));
                a1 = FLOAT_VECTOR.cast(a1).add(f1.mul(xa));
                a2 = FLOAT_VECTOR.cast(a2).add(f2.mul(xa));
                a3 = FLOAT_VECTOR.cast(a3).add(f3.mul(xa));
                b0 = FLOAT_VECTOR.cast(b0).add(f0.mul(xb));
                b1 = FLOAT_VECTOR.cast(b1).add(f1.mul(xb));
                b2 = FLOAT_VECTOR.cast(b2).add(f2.mul(xb));
                b3 = FLOAT_VECTOR.cast(b3).add(f3.mul(xb));
            }
            int o = block * LANES;
            FLOAT_VECTOR.cast(a0).intoArray(y, y0Off + o);
            FLOAT_VECTOR.cast(a1).intoArray(y, y0Off + o + LANES);
            FLOAT_VECTOR.cast(a2).intoArray(y, y0Off + o + 2 * LANES);
            FLOAT_VECTOR.cast(a3).intoArray(y, y0Off + o + 3 * LANES);
            FLOAT_VECTOR.cast(b0).intoArray(y, y1Off + o);
            FLOAT_VECTOR.cast(b1).intoArray(y, y1Off + o + LANES);
            FLOAT_VECTOR.cast(b2).intoArray(y, y1Off + o + 2 * LANES);
            FLOAT_VECTOR.cast(b3).intoArray(y, y1Off + o + 3 * LANES);
        }
        for (; block + 2 <= wholeBlocks; block += 2) { // two whole blocks of a last, partial group: four sums at once
            // block % GROUP is 0 or 2: one group
            int p = packedOff + block / GROUP * groupStride + block % GROUP * LANES;
            FloatVector a0 = FLOAT_VECTOR.cast(FloatVector.zero(FLOATS)), a1 = a0, b0 = a0, b1 = a0;
            for (int k = from; k < to; k++) {
                int at = p + k * GROUP_LANES;
                FloatVector xa = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x0[x0Off + k]));
                FloatVector xb = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x1[x1Off + k]));
                FloatVector f0 = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, at));
                FloatVector f1 = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, at + LANES));
                a0 = FLOAT_VECTOR.cast(a0).add(f0.mul(xa));
                a1 = FLOAT_VECTOR.cast(a1).add(f1.mul(xa));
                b0 = FLOAT_VECTOR.cast(b0).add(f0.mul(xb));
                b1 = FLOAT_VECTOR.cast(b1).add(f1.mul(xb));
            }
            int o = block * LANES;
            FLOAT_VECTOR.cast(a0).intoArray(y, y0Off + o);
            FLOAT_VECTOR.cast(a1).intoArray(y, y0Off + o + LANES);
            FLOAT_VECTOR.cast(b0).intoArray(y, y1Off + o);
            FLOAT_VECTOR.cast(b1).intoArray(y, y1Off + o + LANES);
        }
        for (; block < wholeBlocks; block++) { // the last whole block of a last, partial group
            int p = packedOff + block / GROUP * groupStride + block % GROUP * LANES;
            FloatVector a = FLOAT_VECTOR.cast(FloatVector.zero(FLOATS)), b = a;
            for (int k = from; k < to; k++) {
                FloatVector f = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p + k * GROUP_LANES));
                a = FLOAT_VECTOR.cast(a).add(f.mul(x0[x0Off + k]));
                b = FLOAT_VECTOR.cast(b).add(f.mul(x1[x1Off + k]));
            }
            int o = block * LANES;
            FLOAT_VECTOR.cast(a).intoArray(y, y0Off + o);
            FLOAT_VECTOR.cast(b).intoArray(y, y1Off + o);
        }
        for (int o = wholeBlocks * LANES; o < channels; o++) {
            y[y0Off + o] = finish(seqsumChannel(x0, x0Off, depth, from, to, packed, packedOff, o), bias, biasOff, o,
                    actMin, actMax);
            y[y1Off + o] = finish(seqsumChannel(x1, x1Off, depth, from, to, packed, packedOff, o), bias, biasOff, o,
                    actMin, actMax);
        }
    }

    /** The scalar twin of {@link #seqsum2}: {@link #seqsumScalar} for each patch. */
    public static void seqsum2Scalar(float[] x0, int x0Off, float[] x1, int x1Off, int depth, int from, int to,
                                     float[] packed, int packedOff, int channels, float[] bias, int biasOff,
                                     float actMin, float actMax, float[] y, int y0Off, int y1Off) {
        seqsumScalar(x0, x0Off, depth, from, to, packed, packedOff, channels, bias, biasOff, actMin, actMax, y, y0Off);
        seqsumScalar(x1, x1Off, depth, from, to, packed, packedOff, channels, bias, biasOff, actMin, actMax, y, y1Off);
    }

    /** Channel {@code o}'s sequential sum from +0 over its packed weights ({@link #packForSeqsum}) {@code [from, to)}. */
    private static float seqsumChannel(float[] x, int xOff, int depth, int from, int to, float[] packed, int packedOff,
                                       int o) {
        // [o / 4L][k][o % 4L] at p + k * 4L
        int p = packedOff + (o / GROUP_LANES) * depth * GROUP_LANES + o % GROUP_LANES + from * GROUP_LANES;
        float s = 0f;
        for (int k = from; k < to; k++, p += GROUP_LANES) s = s + packed[p] * x[xOff + k];
        return s;
    }

    // ---------------------------------------------------------------------------------------------
    // dot4 (the single-thread kernel's GEMV)

    /**
     * {@link #seqsum} with {@link TfliteMath#dot4}'s order instead of the sequential sum, over the first {@code summed}
     * patch values (a multiple of 4 up to {@code depth}, or {@code depth}; the packed layout's is {@code depth}). Over
     * fewer than {@code depth} the bits are those of the whole patch when the rest are +0, every weight of theirs is
     * finite and {@code depth} is a multiple of 4 (see {@code Conv2D.gemvDepth}).
     */
    public static void dot4(float[] x, int xOff, int depth, int summed, float[] packed, int packedOff, int channels,
                            float[] bias, int biasOff, float actMin, float actMax, float[] y, int yOff) {
        if (VectorWidth.SCALAR) {
            dot4Scalar(x, xOff, depth, summed, packed, packedOff, channels, bias, biasOff, actMin, actMax, y, yOff);
        } else {
            dot4Vector(x, xOff, depth, summed, packed, packedOff, channels, bias, biasOff, actMin, actMax, y, yOff);
        }
    }

    /** The vector kernel of {@link #dot4}. */
    public static void dot4Vector(float[] x, int xOff, int depth, int summed, float[] packed, int packedOff,
                                  int channels, float[] bias, int biasOff, float actMin, float actMax, float[] y,
                                  int yOff) {
        // The bias and clamp pass is its own compilation unit (see finishBlocks), not part of the loop method:
        // inlined there it once ran C2 out of nodes and its vector calls stayed out of line, allocating every
        // run (seen as 1.3-2.6 KB per inference).
        dot4Blocks(x, xOff, depth, summed, packed, packedOff, channels, bias, biasOff, actMin, actMax, y, yOff);
        finishBlocks(channels / LANES, bias, biasOff, actMin, actMax, y, yOff, -1);
    }

    /**
     * The products of {@link #dot4Vector} for whole lane blocks (before bias and clamp), by the GEMV's general kernel
     * ({@link F32GemvDot4#wholeBlockSums}: this filter layout is its), and the scalar tail.
     */
    private static void dot4Blocks(float[] x, int xOff, int depth, int summed, float[] packed, int packedOff,
                                   int channels, float[] bias, int biasOff, float actMin, float actMax, float[] y,
                                   int yOff) {
        int wholeBlocks = channels / LANES;
        F32GemvDot4.wholeBlockSums(x, xOff, depth, summed, packed, packedOff, wholeBlocks, y, yOff);
        for (int o = wholeBlocks * LANES; o < channels; o++) {
            y[yOff + o] = finish(dot4Channel(x, xOff, depth, summed, packed, packedOff, o), bias, biasOff, o, actMin,
                    actMax);
        }
    }

    /** The scalar twin of {@link #dot4Vector}. */
    public static void dot4Scalar(float[] x, int xOff, int depth, int summed, float[] packed, int packedOff,
                                  int channels, float[] bias, int biasOff, float actMin, float actMax, float[] y,
                                  int yOff) {
        for (int o = 0; o < channels; o++) {
            y[yOff + o] = finish(dot4Channel(x, xOff, depth, summed, packed, packedOff, o), bias, biasOff, o, actMin,
                    actMax);
        }
    }

    /** Channel {@code o}'s {@link TfliteMath#dot4} over its first {@code summed} packed weights. */
    private static float dot4Channel(float[] x, int xOff, int depth, int summed, float[] packed, int packedOff, int o) {
        int p = packedOff + (o / LANES) * depth * LANES + o % LANES;
        float l0 = 0f, l1 = 0f, l2 = 0f, l3 = 0f;
        int k = 0;
        for (int summed4 = summed & ~3; k < summed4; k += 4, p += 4 * LANES) {
            l0 = l0 + packed[p] * x[xOff + k];
            l1 = l1 + packed[p + LANES] * x[xOff + k + 1];
            l2 = l2 + packed[p + 2 * LANES] * x[xOff + k + 2];
            l3 = l3 + packed[p + 3 * LANES] * x[xOff + k + 3];
        }
        float s = (l0 + l2) + (l1 + l3);
        for (; k < summed; k++, p += LANES) s = s + packed[p] * x[xOff + k];
        return s;
    }

    // ---------------------------------------------------------------------------------------------
    // Blocked sequential sums (the multithreaded kernel's GEMV)

    /**
     * {@link #seqsum} with the order of Eigen's column-major GEMV: the k range cut into blocks of
     * {@code kBlock} (see {@link #gemvBlock}), each block summed sequentially from +0 and added to a result that
     * starts at +0.
     */
    public static void blockedSeqsum(float[] x, int xOff, int depth, int kBlock, float[] packed, int packedOff,
                                     int channels, float[] bias, int biasOff, float actMin, float actMax, float[] y,
                                     int yOff) {
        if (VectorWidth.SCALAR) {
            blockedSeqsumScalar(x, xOff, depth, kBlock, packed, packedOff, channels, bias, biasOff, actMin, actMax,
                    y, yOff);
        } else {
            blockedSeqsumVector(x, xOff, depth, kBlock, packed, packedOff, channels, bias, biasOff, actMin, actMax,
                    y, yOff);
        }
    }

    /** The vector kernel of {@link #blockedSeqsum}. */
    public static void blockedSeqsumVector(float[] x, int xOff, int depth, int kBlock, float[] packed, int packedOff,
                                           int channels, float[] bias, int biasOff, float actMin, float actMax,
                                           float[] y, int yOff) {
        // The bias and clamp pass is its own compilation unit (see finishBlocks), not part of the loop method:
        // inlined there it once ran C2 out of nodes and its vector calls stayed out of line, allocating every
        // run (seen as 1.3-2.6 KB per inference).
        blockedSeqsumBlocks(x, xOff, depth, kBlock, packed, packedOff, channels, bias, biasOff, actMin, actMax, y,
                yOff);
        finishBlocks(channels / LANES, bias, biasOff, actMin, actMax, y, yOff, -1);
    }

    /** The products of {@link #blockedSeqsumVector} for whole lane blocks (before bias and clamp), and the scalar tail. */
    private static void blockedSeqsumBlocks(float[] x, int xOff, int depth, int kBlock, float[] packed, int packedOff,
                                            int channels, float[] bias, int biasOff, float actMin, float actMax,
                                            float[] y, int yOff) {
        int wholeBlocks = channels / LANES;
        int blockStride = depth * LANES;
        int block = 0;
        for (; block + 4 <= wholeBlocks; block += 4) {
            int p0 = packedOff + block * blockStride, p1 = p0 + blockStride, p2 = p1 + blockStride,
                    p3 = p2 + blockStride;
            FloatVector r0 = FLOAT_VECTOR.cast(FloatVector.zero(FLOATS)), r1 = r0, r2 = r0, r3 = r0;
            for (int start = 0; start < depth; start += kBlock) {
                int end = Math.min(start + kBlock, depth);
                FloatVector s0 = FLOAT_VECTOR.cast(FloatVector.zero(FLOATS)), s1 = s0, s2 = s0, s3 = s0;
                for (int k = start; k < end; k++) {
                    int kl = k * LANES; // packed[block + i][k][*] at pi + kl
                    FloatVector xk = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, x[xOff + k]));
                    s0 = FLOAT_VECTOR.cast(s0).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p0 + kl)).mul(xk));
                    s1 = FLOAT_VECTOR.cast(s1).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p1 + kl)).mul(xk));
                    s2 = FLOAT_VECTOR.cast(s2).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p2 + kl)).mul(xk));
                    s3 = FLOAT_VECTOR.cast(s3).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, p3 + kl)).mul(xk));
                }
                r0 = FLOAT_VECTOR.cast(r0).add(FLOAT_VECTOR.cast(s0));
                r1 = FLOAT_VECTOR.cast(r1).add(FLOAT_VECTOR.cast(s1));
                r2 = FLOAT_VECTOR.cast(r2).add(FLOAT_VECTOR.cast(s2));
                r3 = FLOAT_VECTOR.cast(r3).add(FLOAT_VECTOR.cast(s3));
            }
            int o = block * LANES;
            FLOAT_VECTOR.cast(r0).intoArray(y, yOff + o);
            FLOAT_VECTOR.cast(r1).intoArray(y, yOff + o + LANES);
            FLOAT_VECTOR.cast(r2).intoArray(y, yOff + o + 2 * LANES);
            FLOAT_VECTOR.cast(r3).intoArray(y, yOff + o + 3 * LANES);
        }
        for (; block < wholeBlocks; block++) {
            int base = packedOff + block * blockStride;
            FloatVector r = FLOAT_VECTOR.cast(FloatVector.zero(FLOATS));
            for (int start = 0; start < depth; start += kBlock) {
                int end = Math.min(start + kBlock, depth);
                FloatVector s = FLOAT_VECTOR.cast(FloatVector.zero(FLOATS));
                for (int k = start; k < end; k++) {
                    s = FLOAT_VECTOR.cast(s).add(FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, packed, base + k * LANES)).mul(x[xOff + k]));
                }
                r = FLOAT_VECTOR.cast(r).add(FLOAT_VECTOR.cast(s));
            }
            int o = block * LANES;
            FLOAT_VECTOR.cast(r).intoArray(y, yOff + o);
        }
        for (int o = wholeBlocks * LANES; o < channels; o++) {
            y[yOff + o] = finish(blockedSeqsumChannel(x, xOff, depth, kBlock, packed, packedOff, o), bias, biasOff,
                    o, actMin, actMax);
        }
    }

    /** The scalar twin of {@link #blockedSeqsum}. */
    public static void blockedSeqsumScalar(float[] x, int xOff, int depth, int kBlock, float[] packed, int packedOff,
                                           int channels, float[] bias, int biasOff, float actMin, float actMax,
                                           float[] y, int yOff) {
        for (int o = 0; o < channels; o++) {
            y[yOff + o] = finish(blockedSeqsumChannel(x, xOff, depth, kBlock, packed, packedOff, o), bias, biasOff,
                    o, actMin, actMax);
        }
    }

    /** Channel {@code o}'s blocked sequential sum over its packed weights. */
    private static float blockedSeqsumChannel(float[] x, int xOff, int depth, int kBlock, float[] packed, int packedOff,
                                              int o) {
        int base = packedOff + (o / LANES) * depth * LANES + o % LANES;
        float result = 0f;
        for (int start = 0; start < depth; start += kBlock) {
            int end = Math.min(start + kBlock, depth);
            float blockSum = 0f;
            for (int k = start, p = base + start * LANES; k < end; k++, p += LANES) blockSum = blockSum + packed[p] * x[xOff + k];
            result = result + blockSum;
        }
        return result;
    }

    // ---------------------------------------------------------------------------------------------
    // Bias and activation

    /** One channel's bias add (flushed as under MXCSR FTZ/DAZ) and clamp, as one vector lane does it. */
    private static float finish(float sum, float[] bias, int biasOff, int o, float actMin, float actMax) {
        if (bias != null) sum = TfliteMath.ftz(sum + TfliteMath.ftz(bias[biasOff + o]));
        return TfliteMath.activation(sum, actMin, actMax);
    }

    /**
     * {@link #finish(float, float[], int, int, float, float)} in place over the raw sums that the vector kernels
     * stored in {@code y[y0Off .. y0Off + wholeBlocks·L)} and, unless {@code y1Off < 0}, in
     * {@code y[y1Off .. y1Off + wholeBlocks·L)} (the second patch of {@link #seqsum2}), one vector of each at a time,
     * sharing the flushed bias vector.
     *
     * <p>Written out in this one method, which takes no vector, on purpose: its bytecode is above C2's limit for
     * inlining a hot callee (FreqInlineSize, 325 bytes), so it is always compiled on its own and never inlined into
     * a large caller. Inlined into {@code Conv2D}'s column loop (through the small entry points), three copies of it
     * used up C2's node budget there (NodeCountInliningCutoff on every run) and, without type profiles, its last
     * blend stayed out of line and allocated. Out of line, only arrays cross the call.
     */
    private static void finishBlocks(int wholeBlocks, float[] bias, int biasOff, float actMin, float actMax,
                                     float[] y, int y0Off, int y1Off) {
        FloatVector lo = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, actMin));
        FloatVector hi = FLOAT_VECTOR.cast(FloatVector.broadcast(FLOATS, actMax));
        FloatVector zero = FLOAT_VECTOR.cast(FloatVector.zero(FLOATS));
        for (int o = 0, end = wholeBlocks * LANES; o < end; o += LANES) {
            // TfliteMath.ftz per lane: a subnormal becomes a zero of its sign (v * 0); NaN and inf pass.
            FloatVector b = zero;
            if (bias != null) {
                b = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, bias, biasOff + o));
                b = b.blend(b.mul(0f), b.abs().lt(Float.MIN_NORMAL));
            }
            b = FLOAT_VECTOR.cast(b); // merged after the branch: its exact class for C2 (VectorWidth.FLOAT_VECTOR)
            FloatVector v0 = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, y, y0Off + o));
            if (bias != null) {
                v0 = v0.add(b);
                v0 = v0.blend(v0.mul(0f), v0.abs().lt(Float.MIN_NORMAL));
            }
            v0 = FLOAT_VECTOR.cast(v0);
            // TfliteMath.activation, std::min(std::max(v, lo), hi) with C++'s comparisons (a NaN passes, ties keep
            // v); the Vector API's min/max order NaN and -0 differently, so compare and blend.
            v0 = FLOAT_VECTOR.cast(v0.blend(lo, v0.compare(VectorOperators.LT, lo)));
            FLOAT_VECTOR.cast(v0.blend(hi, v0.compare(VectorOperators.GT, hi))).intoArray(y, y0Off + o);
            if (y1Off >= 0) {
                FloatVector v1 = FLOAT_VECTOR.cast(FloatVector.fromArray(FLOATS, y, y1Off + o));
                if (bias != null) {
                    v1 = v1.add(b);
                    v1 = v1.blend(v1.mul(0f), v1.abs().lt(Float.MIN_NORMAL));
                }
                v1 = FLOAT_VECTOR.cast(v1);
                v1 = FLOAT_VECTOR.cast(v1.blend(lo, v1.compare(VectorOperators.LT, lo)));
                FLOAT_VECTOR.cast(v1.blend(hi, v1.compare(VectorOperators.GT, hi))).intoArray(y, y1Off + o);
            }
        }
    }
}
