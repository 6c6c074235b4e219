package org.tfl4j.kernels.simd;

/**
 * Room for a packed weight array's data to start at any of its first {@link #COUNT} floats (the data's origin), which
 * the kernels that read it take as an offset.
 *
 * <p>Why: a vector load that straddles two cache lines costs about two. The heap puts an array wherever it will, only
 * 8-byte aligned, and Java shows no array's address; 64-byte vectors over data that starts on a 64-byte boundary never
 * straddle, and elsewhere every one does. Among 16 consecutive float origins one always starts the data on a 64-byte
 * boundary, wherever the array lies: the engine moves the data to each in turn ({@link #move}), times the kernel, and
 * keeps the fastest. Measured (JDK 17, 16 lanes, Intel Xeon VM; F32GemvTopK on the models' tables and representative
 * input, one JVM per line, even origins): cnn-genre 6.4-6.6 µs at one origin against 7.7-8.4 at the seven others, cnn
 * 4.4-4.8 against 5.3-6.3; the fast origin differed from one JVM to the next.
 */
public final class PanelOrigins {
    private PanelOrigins() {}

    /** The origins: {@code 0 .. COUNT - 1}; a packed array has {@code COUNT - 1} floats of room for them. */
    public static final int COUNT = 16;

    /**
     * Moves {@code length} floats of data from origin {@code from} to origin {@code to} of {@code packed}; the floats
     * around them are room, never read.
     */
    public static void move(float[] packed, int from, int to, int length) {
        if (from < 0 || from >= COUNT || to < 0 || to >= COUNT) {
            throw new IllegalArgumentException("origins " + from + " -> " + to + ": expected 0 to " + (COUNT - 1));
        }
        System.arraycopy(packed, from, packed, to, length);
    }
}
