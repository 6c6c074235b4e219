package org.tfl4j.models;

/**
 * The two shapes in which TFLite's converter emits a Keras GRU layer, and {@link GruEncoderWriter} writes one.
 */
public enum GruForm {
    /**
     * {@code unroll=True}: the time steps are separate chains of builtin ops in the main subgraph (UNPACK of the
     * sequence, per step FULLY_CONNECTED, SPLIT, STRIDED_SLICE, ADD, LOGISTIC, MUL, TANH, SUB).
     */
    UNROLLED,
    /**
     * The default {@code unroll=False}: a WHILE op whose cond subgraph counts the steps and whose body subgraph
     * computes one step, reading the time step with GATHER and carrying the state as a loop variable.
     */
    WHILE
}
