package org.tfl4j.engine.ops;

import org.tfl4j.parser.Activation;

/**
 * The clamp range of a fused activation (FULLY_CONNECTED, CONV_2D, MUL, DIV), as TFLite's CalculateActivationRange:
 * NONE is the whole finite range, RELU [0, max], RELU6 [0, 6], RELU_N1_TO_1 [-1, 1].
 */
final class ActivationRange {
    private ActivationRange() {}

    /** {min, max} for float outputs; NONE is [-FLT_MAX, FLT_MAX], which turns infinities into ±FLT_MAX. */
    static float[] floatRange(OpContext ctx, Activation activation) {
        switch (requireSupported(ctx, activation)) {
            case RELU: return new float[] {0f, Float.MAX_VALUE};
            case RELU6: return new float[] {0f, 6f};
            case RELU_N1_TO_1: return new float[] {-1f, 1f};
            default: return new float[] {-Float.MAX_VALUE, Float.MAX_VALUE};
        }
    }

    /** {min, max} for int32 outputs. */
    static int[] intRange(OpContext ctx, Activation activation) {
        switch (requireSupported(ctx, activation)) {
            case RELU: return new int[] {0, Integer.MAX_VALUE};
            case RELU6: return new int[] {0, 6};
            case RELU_N1_TO_1: return new int[] {-1, 1};
            default: return new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
        }
    }

    private static Activation requireSupported(OpContext ctx, Activation activation) {
        if (activation == null) throw ctx.fail("has an unknown fused activation code");
        switch (activation) {
            case NONE: case RELU: case RELU6: case RELU_N1_TO_1:
                return activation;
            default:
                // TFLite's float kernels would silently run TANH / SIGN_BIT as NONE; refuse rather than guess.
                throw ctx.fail("fused activation " + activation + " is not supported (NONE, RELU, RELU6, RELU_N1_TO_1)");
        }
    }
}
