package org.tfl4j.engine.ops;

import org.tfl4j.parser.Subgraph;

/**
 * A subgraph that a control-flow op (WHILE) calls, as its kernel sees it: prepared and memory-planned once when the
 * model is loaded, like the main subgraph. At bind time the op takes an {@link Instance} of it per interpreter (its
 * own activation arenas, its ops bound to them), so a run allocates nothing.
 */
public interface CalledSubgraph {

    /** Its index in the model. */
    int index();

    /** The subgraph as parsed (for fusions that look inside it). */
    Subgraph parsed();

    /** Its tensor {@code tensor} as its ops were prepared with, or null when nothing uses it. */
    TensorSpec spec(int tensor);

    int inputCount();

    /** Input {@code k}. */
    TensorSpec input(int k);

    int outputCount();

    /** Output {@code k}. */
    TensorSpec output(int k);

    /** Op {@code op} as its kernel prepared it (before the fusion pass), e.g. to probe a data-movement op. */
    OpKernel.Prepared preparedOp(int op);

    /** A new instance with arenas of its own. For bind time only: it allocates. */
    Instance instantiate();

    /** One interpreter's copy of a called subgraph. */
    interface Instance {
        /** Where its tensors live: copy loop values in and out through these. */
        TensorBuffers buffers();

        /** Runs its ops in order (allocates nothing). */
        void invoke();
    }
}
