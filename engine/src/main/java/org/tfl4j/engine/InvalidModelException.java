package org.tfl4j.engine;

/**
 * A well-formed model that tfl4j cannot run: an unsupported op (named with its index), a shape or
 * type that does not fit the op, a missing constant. Thrown while loading, never during a run.
 */
public class InvalidModelException extends EngineException {
    private static final long serialVersionUID = 1L;

    public InvalidModelException(String message) {
        super(message);
    }
}
