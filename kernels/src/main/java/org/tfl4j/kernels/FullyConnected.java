package org.tfl4j.kernels;

import org.tfl4j.kernels.simd.F32GemvDot4;

/**
 * FULLY_CONNECTED, float32 (spec 3.8): {@code y[b][o] = clamp(W[o]·x[b] + bias[o], lo, hi)}.
 *
 * <p>TFLite runs it as one {@code cpu_backend_gemm} call (weights = row-major lhs, the input rows = rhs
 * columns) followed by a separate bias add and clamp. With one input row (batch 1, every FC in the
 * MovieLens models) that is Eigen's row-major GEMV, {@code dot4}, verified bit for bit. With several rows
 * it is an Eigen GEMM whose order is given by {@link MatMul#cpuBackendGemm}: the spec leaves FC batch &gt; 1
 * uncharacterised, but the call is the same one CONV_2D makes for its im2col matrix, and single-op probes
 * (2 to 16 rows, with and without bias) matched TFLite 2.21 bit for bit. A single output (one unit, one row)
 * takes Eigen's inner-product fallback ({@link MatMul#innerProduct}).
 *
 * <p>FTZ/DAZ: when the operands' magnitudes allow a subnormal product or partial sum ({@link MatMul#needsFlush}),
 * the flushing arithmetic runs; the bias add always reads a subnormal bias as a signed zero and flushes.
 *
 * <p>One row, several units, no flushing (the MovieLens case) runs the SIMD GEMV {@link F32GemvDot4} (dot4's
 * exact order in every lane) when the caller packed the weights once with {@link #packForOneRow}.
 */
public final class FullyConnected {
    private FullyConnected() {}

    /**
     * @param x       input rows, {@code [batches, inputSize]}
     * @param w       weights, {@code [units, inputSize]}
     * @param bias    {@code [units]}, or null for none
     * @param actMin  lower clamp of the fused activation (-FLT_MAX for none, 0 for RELU, -1 for RELU_N1_TO_1)
     * @param actMax  upper clamp (FLT_MAX for none and RELU, 1 for RELU_N1_TO_1, 6 for RELU6)
     * @param y       output, {@code [batches, units]}
     */
    public static void eval(float[] x, int xOff, int batches, int inputSize,
                            float[] w, int wOff, int units,
                            float[] bias, int biasOff,
                            float actMin, float actMax,
                            float[] y, int yOff) {
        eval(x, xOff, batches, inputSize, w, wOff, units, smallestWeight(w, wOff, units, inputSize), bias, biasOff,
                actMin, actMax, y, yOff);
    }

    /**
     * Like {@link #eval(float[], int, int, int, float[], int, int, float[], int, float, float, float[], int)} with
     * the weights' {@link #smallestWeight} given (computed once for constant weights).
     */
    public static void eval(float[] x, int xOff, int batches, int inputSize,
                            float[] w, int wOff, int units, float smallestWeight,
                            float[] bias, int biasOff,
                            float actMin, float actMax,
                            float[] y, int yOff) {
        eval(x, xOff, batches, inputSize, w, wOff, units, smallestWeight, null, null, bias, biasOff, actMin, actMax, y, yOff);
    }

    /**
     * Like {@link #eval(float[], int, int, int, float[], int, int, float, float[], int, float, float, float[], int)}
     * with the weights also packed by {@link #packForOneRow} (or null): then one input row that needs no flushing
     * runs the SIMD GEMV, the same bits as the scalar dot4 path.
     *
     * @param gemvScratch {@link #gemvScratchNeeded}{@code (inputSize)} floats the SIMD GEMV overwrites (one per caller
     *                    thread), or null when {@code packedWeights} is
     */
    public static void eval(float[] x, int xOff, int batches, int inputSize,
                            float[] w, int wOff, int units, float smallestWeight, float[] packedWeights, float[] gemvScratch,
                            float[] bias, int biasOff,
                            float actMin, float actMax,
                            float[] y, int yOff) {
        eval(x, xOff, batches, inputSize, w, wOff, units, smallestWeight, packedWeights, 0, gemvScratch, bias, biasOff,
                actMin, actMax, y, yOff);
    }

    /**
     * As {@link #eval(float[], int, int, int, float[], int, int, float, float[], float[], float[], int, float, float,
     * float[], int)}, with the packed weights' data starting at {@code packedOrigin} ({@code PanelOrigins}).
     */
    public static void eval(float[] x, int xOff, int batches, int inputSize,
                            float[] w, int wOff, int units, float smallestWeight, float[] packedWeights,
                            int packedOrigin, float[] gemvScratch, float[] bias, int biasOff, float actMin, float actMax,
                            float[] y, int yOff) {
        boolean flush = MatMul.needsFlush(smallestWeight, MatMul.smallestNonZeroMagnitude(x, xOff, batches * inputSize));
        if (packedWeights != null && batches == 1 && units > 1 && !flush) {
            // cpuBackendGemm's one-column GEMV: dot4 per unit, then the bias add and clamp below, lane by lane.
            F32GemvDot4.eval(x, xOff, inputSize, packedWeights, packedOrigin, units, bias, biasOff, actMin, actMax, y,
                    yOff, gemvScratch);
            return;
        }
        for (int b = 0; b < batches; b++) {
            for (int o = 0; o < units; o++) {
                float v = MatMul.cpuBackendGemm(w, wOff + o * inputSize, x, xOff + b * inputSize, inputSize,
                        o, b, units, batches, flush);
                if (bias != null) v = TfliteMath.ftz(v + TfliteMath.ftz(bias[biasOff + o]));
                y[yOff + b * units + o] = TfliteMath.activation(v, actMin, actMax);
            }
        }
    }

    /**
     * Constant weights {@code [units, inputSize]} packed for the one-row SIMD GEMV, or null when {@code batches}
     * rows would never take it (several rows run a GEMM; a single unit runs Eigen's inner product).
     */
    public static float[] packForOneRow(float[] w, int wOff, int units, int inputSize, int batches) {
        if (batches != 1 || units < 2) return null;
        return F32GemvDot4.pack(w, wOff, units, inputSize);
    }

    /** The floats of {@link #packForOneRow}'s array that an origin moves (its weights; room and a last float follow). */
    public static int packedDataSize(int units, int inputSize) {
        return F32GemvDot4.dataSize(units, inputSize);
    }

    /** The length of the scratch the SIMD GEMV takes for rows of {@code inputSize}. */
    public static int gemvScratchNeeded(int inputSize) {
        return F32GemvDot4.scratchNeeded(inputSize);
    }

    /** The smallest non-zero weight magnitude, for {@link MatMul#needsFlush}. */
    public static float smallestWeight(float[] w, int wOff, int units, int inputSize) {
        return MatMul.smallestNonZeroMagnitude(w, wOff, units * inputSize);
    }
}
