package org.tfl4j.engine;

/** Base of the engine's own exceptions: a model it cannot run, or an input it cannot take. */
public class EngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
