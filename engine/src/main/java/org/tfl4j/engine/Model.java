package org.tfl4j.engine;

import org.tfl4j.parser.TfliteModel;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A loaded model: parsed, verified, every op prepared and the memory plan made. Immutable and
 * safe to share between threads; each thread runs it through its own {@link Interpreter}.
 */
public final class Model {

    /** Loads and prepares a model file with the reference numerics (TFLite with 1 thread). */
    public static Model load(Path file) {
        return load(file, new Interpreter.Options());
    }

    public static Model load(Path file, Interpreter.Options options) {
        throw new UnsupportedOperationException("TODO");
    }

    public static Model load(ByteBuffer bytes, Interpreter.Options options) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The parsed file. */
    public TfliteModel parsed() {
        throw new UnsupportedOperationException("TODO");
    }
}
