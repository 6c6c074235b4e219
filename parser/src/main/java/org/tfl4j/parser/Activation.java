package org.tfl4j.parser;

/** Fused activation functions (schema.fbs {@code ActivationFunctionType}). */
public enum Activation {
    NONE, RELU, RELU_N1_TO_1, RELU6, TANH, SIGN_BIT;

    /** The activation with this schema code, or null when the code is unknown. */
    public static Activation ofCode(int code) {
        return code >= 0 && code < values().length ? values()[code] : null;
    }
}
