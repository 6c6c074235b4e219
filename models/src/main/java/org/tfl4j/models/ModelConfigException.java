package org.tfl4j.models;

/**
 * A dual-encoder configuration (or a weight file given for it) that cannot be built. The message starts with the
 * JSON path of the offending field ({@code input_config.activity_feature_groups[1].features[0].embedding_dim}) or
 * the weight file, then says what is wrong and what was found.
 */
public final class ModelConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;

    /** {@code field}: the JSON path (or file) at fault; {@code problem}: what is wrong with it. */
    public ModelConfigException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    ModelConfigException(String field, String problem, Throwable cause) {
        super(field + ": " + problem, cause);
        this.field = field;
    }

    /** The JSON path of the field (or the weight file) the error is about. */
    public String field() {
        return field;
    }
}
