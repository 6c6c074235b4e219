package org.tfl4j.parser;

/**
 * A {@code .tflite} file that cannot be read: not a TFLite FlatBuffer, truncated, or with an offset,
 * index, length or value out of range. The message says what is wrong and where (byte offset,
 * table, subgraph, tensor or operator index).
 */
public class ModelFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long byteOffset;

    public ModelFormatException(String message) {
        this(message, -1);
    }

    /** @param byteOffset offset in the file where the problem was found, or -1 when not tied to one */
    public ModelFormatException(String message, long byteOffset) {
        super(byteOffset >= 0 ? message + " (at byte offset " + byteOffset + ")" : message);
        this.byteOffset = byteOffset;
    }

    /** Offset in the file where the problem was found, or -1. */
    public long byteOffset() {
        return byteOffset;
    }
}
