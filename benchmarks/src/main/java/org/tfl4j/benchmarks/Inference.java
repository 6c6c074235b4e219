package org.tfl4j.benchmarks;

/**
 * One engine loaded with one model and its inputs, ready to run inferences that allocate nothing: each
 * {@link #run()} copies the prepared inputs in, invokes, and copies the 100 ids and scores out into arrays the
 * inference owns.
 */
public interface Inference extends AutoCloseable {

    /** Copies the inputs in, invokes, reads the ids and scores. */
    void run();

    /** The ids of the last {@link #run()} (the inference's own array, overwritten by the next run). */
    int[] ids();

    /** The scores of the last {@link #run()} (the inference's own array). */
    float[] scores();

    /** What runs, for messages. */
    String describe();

    @Override
    void close();
}
