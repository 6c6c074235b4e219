package org.tfl4j.recommend;

/**
 * Bad input to the recommender: a config or vocabulary file with a missing or invalid field (the
 * message names the file and the field), a config that does not fit the model, or a history with
 * an id that is not a movie of the vocabulary.
 */
public class RecommenderException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public RecommenderException(String message) {
        super(message);
    }

    public RecommenderException(String message, Throwable cause) {
        super(message, cause);
    }
}
