package org.tfl4j.engine.ops;

import org.tfl4j.kernels.simd.PanelOrigins;

/**
 * One interpreter's copy of a node's packed weights, and where in it their data starts (its origin), chosen by timing.
 *
 * <p>Why: a kernel whose vector loads straddle cache lines runs markedly slower (the scoring pass on the models'
 * label tables: about 20% slower at seven of eight origins, see {@code PanelOrigins}), and Java shows no
 * array's address, so the origin that starts the data on a 64-byte boundary can only be found by trying. After
 * {@link #FIRST_TUNING} runs (by then the JIT has compiled the kernel) the node moves its data to each origin in
 * turn, times its kernel {@link #TIMED_RUNS} times on the current input, and keeps the fastest origin; again after
 * {@link #SECOND_TUNING} runs, then every {@link #RETUNING} runs, as the garbage collector may move the array (young
 * arrays are copied when they survive a collection; after that they rarely move). A tuning costs
 * {@code 16 * TIMED_RUNS} kernel runs and 17 moves of the data, and allocates nothing: the feature model's inference
 * that tunes all five of its nodes (the label table, four filters) took 1.9 ms at run 62,000 against 13 µs (8.9 ms
 * at run 2,000, where the JIT was still at work). The outputs never depend on the origin (the same arithmetic on the
 * same values), only the time does. The copy is the interpreter's own because tuning moves its data.
 *
 * <p>Off with {@code -Dtfl4j.tunePanelOrigin=false} (the data stays at origin 0), to measure what it gains.
 */
final class PanelOrigin {
    /** The system property that turns tuning off. */
    static final String PROPERTY = "tfl4j.tunePanelOrigin";
    private static final boolean ENABLED = !"false".equals(System.getProperty(PROPERTY));

    static final int FIRST_TUNING = 2_000;
    static final int SECOND_TUNING = 60_000;
    static final int RETUNING = 1 << 20;
    static final int TIMED_RUNS = 5;

    /** One run of the kernel on {@code packed} with its data at {@code origin}, on the node's current input. */
    @FunctionalInterface
    interface TimedPass {
        void run(float[] packed, int origin);
    }

    private final float[] packed;
    private final int length;
    private final TimedPass pass;
    private int origin;
    private int runsUntilTuning = FIRST_TUNING;
    private int tunings;

    /**
     * A copy of {@code packed}, whose {@code length} floats of data start at origin 0 and are followed by the room
     * {@link PanelOrigins} asks for (and possibly more that stays where it is, such as F32GemvTopK's largest weight).
     */
    PanelOrigin(float[] packed, int length, TimedPass pass) {
        this.packed = packed.clone();
        this.length = length;
        this.pass = pass;
    }

    /** This interpreter's copy of the packed weights. */
    float[] packed() {
        return packed;
    }

    /** The data's origin for this run: counts the run, and tunes first when one is due. */
    int originForRun() {
        if (ENABLED && --runsUntilTuning <= 0) tune();
        return origin;
    }

    /** How many tunings have run (for tests). */
    int tunings() {
        return tunings;
    }

    private void tune() {
        int best = origin;
        long bestNanos = Long.MAX_VALUE;
        for (int candidate = 0; candidate < PanelOrigins.COUNT; candidate++) {
            moveTo(candidate);
            long fastest = Long.MAX_VALUE;
            for (int r = 0; r < TIMED_RUNS; r++) {
                long start = System.nanoTime();
                pass.run(packed, candidate);
                fastest = Math.min(fastest, System.nanoTime() - start);
            }
            if (fastest < bestNanos) {
                bestNanos = fastest;
                best = candidate;
            }
        }
        moveTo(best);
        tunings++;
        runsUntilTuning = tunings == 1 ? SECOND_TUNING : RETUNING;
    }

    private void moveTo(int to) {
        PanelOrigins.move(packed, origin, to, length);
        origin = to;
    }
}
