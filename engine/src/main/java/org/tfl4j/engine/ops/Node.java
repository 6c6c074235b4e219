package org.tfl4j.engine.ops;

/**
 * One operator bound to one interpreter's buffers. {@link #run()} is the op's eval: every shape,
 * offset and option was resolved in prepare and bind, so it only computes.
 */
@FunctionalInterface
public interface Node {
    void run();

    /**
     * The node whose run does nothing: the ops inside a fused chain, a RESHAPE whose output shares its input's
     * storage. The interpreter leaves it out of its run loop (one call through this interface fewer per such op).
     */
    Node NOTHING = () -> { };
}
