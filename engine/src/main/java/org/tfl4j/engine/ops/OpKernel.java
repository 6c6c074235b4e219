package org.tfl4j.engine.ops;

/**
 * One builtin operator, tflite-micro style: {@link #prepare} runs once per loaded model and checks
 * options, types and shapes; the {@link Prepared} it returns is immutable and shared by every
 * interpreter of that model, and binds to each interpreter's buffers as a {@link Node}.
 */
public interface OpKernel {

    /**
     * Checks the operator (options, input and output types and shapes, required constants) and
     * returns what eval needs. Throws {@link org.tfl4j.engine.InvalidModelException} via
     * {@link OpContext#fail} for anything it cannot run.
     */
    Prepared prepare(OpContext ctx);

    /** The load-time result of prepare. */
    @FunctionalInterface
    interface Prepared {
        /**
         * Binds to one interpreter's tensor storage. May allocate scratch space (once per
         * interpreter); the returned node must not allocate.
         */
        Node bind(TensorBuffers buffers);

        /**
         * True when output 0 holds exactly input 0's elements in the same order (RESHAPE): the memory plan may
         * then give both one buffer, and the node must notice that (same array and offset) and do nothing.
         */
        default boolean outputMayShareInputStorage() {
            return false;
        }
    }
}
