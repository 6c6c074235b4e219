/**
 * The {@code tfl4j} command-line tool ({@link org.tfl4j.cli.Main}): {@code recommend} movies with the
 * MovieLens models, {@code inspect} a model file, {@code run} a model on {@code .npy} inputs, {@code bench}
 * its latency, memory and per-op time, {@code build-model} write a dual-encoder model from a config.
 * The launcher script {@code ./tfl4j} at the repository root builds and starts it.
 */
package org.tfl4j.cli;
