package org.tfl4j.engine;

/**
 * A run stopped before its end: a WHILE loop reached the iteration limit of
 * {@link Interpreter.Options#setMaxWhileIterations}, or the thread was interrupted while a loop ran (its interrupt
 * status stays set). The message names the WHILE op. The interpreter stays usable; its outputs are undefined until the
 * next complete run.
 */
public class RunAbortedException extends EngineException {
    private static final long serialVersionUID = 1L;

    public RunAbortedException(String message) {
        super(message);
    }
}
