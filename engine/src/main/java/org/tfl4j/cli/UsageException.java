package org.tfl4j.cli;

/** Bad command-line input (usage, option, title, missing file): exit code 2 with a one-line message. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
