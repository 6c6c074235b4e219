package org.tfl4j.engine.ops;

/**
 * One operator bound to one interpreter's buffers. {@link #run()} is the op's eval: every shape,
 * offset and option was resolved in prepare and bind, so it only computes.
 */
@FunctionalInterface
public interface Node {
    void run();
}
