package org.tfl4j.engine;

/**
 * An input that a run cannot take: wrong type, shape or length, or an id outside the range of the
 * table it indexes. The message names the input or tensor and the offending value and position.
 */
public class InvalidInputException extends EngineException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }
}
