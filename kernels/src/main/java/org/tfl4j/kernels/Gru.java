package org.tfl4j.kernels;

import org.tfl4j.kernels.simd.F32GruCellLanes;

/**
 * One Keras GRU step (reset_after, tanh and sigmoid, with biases) with the arithmetic of the builtin ops TFLite's
 * converter lowers it to, in their order, so that a fused step gives the bits of the op-by-op graph:
 *
 * <pre>
 * mx = FULLY_CONNECTED(x [1,C], kernelT [3U,C], inputBias [3U])        x_z, x_r, x_h = three [1,U] blocks of mx
 * mh = FULLY_CONNECTED(h [1,U], recurrentT [3U,U], recurrentBias [3U])  r_z, r_r, r_h = three [1,U] blocks of mh
 * z  = LOGISTIC(ADD(x_z, r_z))          r = LOGISTIC(ADD(x_r, r_r))
 * hh = TANH(ADD(x_h, MUL(r, r_h)))
 * h' = ADD(MUL(z, h), MUL(SUB(one, z), hh))
 * </pre>
 *
 * Each product is {@link FullyConnected#eval} exactly as the FULLY_CONNECTED op calls it (dot4 plus bias, the SIMD
 * GEMV for packed weights: the same bits); each ADD, SUB and MUL (fused activation NONE) is one float32 operation on
 * flushed operands, flushed, then clamped to [-FLT_MAX, FLT_MAX] ({@link Mul}'s form), with the operands in the order
 * above (it decides which NaN comes out), lanes across units ({@link F32GruCellLanes}); LOGISTIC and TANH run
 * {@link Logistic} and {@link Tanh} over the whole {@code [1,U]} vector, as the ops do on their own 64-byte aligned
 * tensors (so the packet and scalar-tail positions of the logistic are those of the op). The blocks' places in mx and
 * mh are given (Keras: z, r, h at 0, U, 2U). The recurrent blocks may be constants instead of a product of h: the
 * converter folds them for the first step of an unrolled GRU, whose state is a constant zero.
 *
 * <p>The weights, packed once ({@link Weights}, immutable, shared by every instance), and an instance's scratch (one
 * instance per interpreter): {@link #step} allocates nothing.
 */
public final class Gru {
    private static final float LO = -TfliteMath.FLT_MAX;
    private static final float HI = TfliteMath.FLT_MAX;

    /**
     * A step's constants, packed for the one-row GEMV once (as FullyConnectedOp packs constant weights at load).
     * Immutable; share it between instances.
     */
    public static final class Weights {
        final int channels;
        final int units;
        final float[] kernelT;        // [3U, C]
        final float kernelSmallest;
        final float[] kernelPacked;
        final float[] inputBias;      // [3U] or null
        final float[] recurrentT;     // [3U, U], or null with constant recurrent blocks
        final float recurrentSmallest;
        final float[] recurrentPacked;
        final float[] recurrentBias;  // [3U] or null
        final float[] constantRecurrent; // [3U] or null
        final int xz, xr, xh;         // block offsets in mx
        final int rz, rr, rh;         // block offsets in mh
        final float one;

        /**
         * @param recurrentT        {@code [3U, U]}, or null with {@code constantRecurrent}
         * @param constantRecurrent {@code [3U]}: mh as constants (no recurrent product), or null
         * @param inputOffsets      where x_z, x_r, x_h start in mx
         * @param recurrentOffsets  where r_z, r_r, r_h start in mh
         * @param one               the constant SUB takes z from (1 in Keras)
         */
        public Weights(int channels, int units, float[] kernelT, float[] inputBias, float[] recurrentT,
                       float[] recurrentBias, float[] constantRecurrent, int[] inputOffsets, int[] recurrentOffsets,
                       float one) {
            int gates = 3 * units;
            this.channels = channels;
            this.units = units;
            this.kernelT = kernelT;
            this.kernelSmallest = FullyConnected.smallestWeight(kernelT, 0, gates, channels);
            this.kernelPacked = FullyConnected.packForOneRow(kernelT, 0, gates, channels, 1);
            this.inputBias = inputBias;
            this.recurrentT = recurrentT;
            this.recurrentSmallest = recurrentT == null ? 0f : FullyConnected.smallestWeight(recurrentT, 0, gates, units);
            this.recurrentPacked = recurrentT == null ? null : FullyConnected.packForOneRow(recurrentT, 0, gates, units, 1);
            this.recurrentBias = recurrentBias;
            this.constantRecurrent = constantRecurrent == null ? null : constantRecurrent.clone();
            this.xz = inputOffsets[0];
            this.xr = inputOffsets[1];
            this.xh = inputOffsets[2];
            this.rz = recurrentOffsets[0];
            this.rr = recurrentOffsets[1];
            this.rh = recurrentOffsets[2];
            this.one = one;
        }
    }

    private final Weights w;
    private final float[] mx;             // [3U]
    private final float[] mh;             // [3U]
    private final float[] z;              // [U]
    private final float[] r;              // [U]
    private final float[] a;              // [U] scratch: pre-activations, products
    private final float[] hh;             // [U]
    private final float[] gemvScratch;    // the SIMD GEMV's broadcast input, for depth max(channels, U)

    /** An instance with scratch of its own (allocates). */
    public Gru(Weights weights) {
        this.w = weights;
        int gates = 3 * weights.units;
        this.mx = new float[gates];
        this.mh = weights.constantRecurrent != null ? weights.constantRecurrent.clone() : new float[gates];
        this.z = new float[weights.units];
        this.r = new float[weights.units];
        this.a = new float[weights.units];
        this.hh = new float[weights.units];
        this.gemvScratch = new float[FullyConnected.gemvScratchNeeded(Math.max(weights.channels, weights.units))];
    }

    /** {@code out = step(x, h)}; {@code out} may be {@code h} (same array and offset). */
    public void step(float[] x, int xOff, float[] h, int hOff, float[] out, int outOff) {
        Weights w = this.w;
        int u = w.units;
        int xz = w.xz, xr = w.xr, xh = w.xh, rz = w.rz, rr = w.rr, rh = w.rh;
        FullyConnected.eval(x, xOff, 1, w.channels, w.kernelT, 0, 3 * u, w.kernelSmallest, w.kernelPacked, gemvScratch, w.inputBias,
                0, LO, HI, mx, 0);
        if (w.constantRecurrent == null) {
            FullyConnected.eval(h, hOff, 1, u, w.recurrentT, 0, 3 * u, w.recurrentSmallest, w.recurrentPacked, gemvScratch,
                    w.recurrentBias, 0, LO, HI, mh, 0);
        }
        F32GruCellLanes.sum(mx, xz, mh, rz, a, 0, u);
        Logistic.eval(a, 0, z, 0, u);
        F32GruCellLanes.sum(mx, xr, mh, rr, a, 0, u);
        Logistic.eval(a, 0, r, 0, u);
        F32GruCellLanes.candidate(mx, xh, r, 0, mh, rh, a, 0, u);
        Tanh.eval(a, 0, hh, 0, u);
        F32GruCellLanes.update(z, 0, h, hOff, hh, 0, w.one, out, outOff, u); // h's last read; out may be h
    }
}
