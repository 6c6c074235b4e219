package org.tfl4j.engine;

/**
 * An id input held an id outside the vocabulary it indexes (see {@link OutOfVocabularyPolicy}). Thrown by
 * {@link Interpreter#invoke()} before any op runs. The message names the input (index and tensor), the position
 * and value of the first bad id and the valid range; the getters give the same for a program to act on.
 */
public class OutOfVocabularyException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    private final int inputIndex;
    private final int position;
    private final long id;
    private final int vocabularySize;

    public OutOfVocabularyException(String message, int inputIndex, int position, long id, int vocabularySize) {
        super(message);
        this.inputIndex = inputIndex;
        this.position = position;
        this.id = id;
        this.vocabularySize = vocabularySize;
    }

    /** The graph input (subgraph input order) that held the id. */
    public int inputIndex() {
        return inputIndex;
    }

    /** Flat (row-major) position of the first bad id in that input. */
    public int position() {
        return position;
    }

    /** The bad id. */
    public long id() {
        return id;
    }

    /** Valid ids are {@code 0 <= id < vocabularySize()}. */
    public int vocabularySize() {
        return vocabularySize;
    }
}
