package org.tfl4j.engine.io;

/** A {@code .npy} file that cannot be read: bad magic, header, dtype, order or data size. */
public class NpyFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public NpyFormatException(String message) {
        super(message);
    }
}
