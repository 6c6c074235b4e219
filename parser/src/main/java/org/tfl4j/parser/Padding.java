package org.tfl4j.parser;

/** Convolution padding (schema.fbs {@code Padding}). */
public enum Padding {
    SAME, VALID;

    /** The padding with this schema code, or null when the code is unknown. */
    public static Padding ofCode(int code) {
        return code >= 0 && code < values().length ? values()[code] : null;
    }
}
