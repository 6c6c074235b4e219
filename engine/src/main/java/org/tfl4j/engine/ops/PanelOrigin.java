package org.tfl4j.engine.ops;

import org.tfl4j.kernels.simd.PanelOrigins;

/**
 * Where one node's packed weight panels start in their array, chosen by timing, for one interpreter.
 *
 * <p>Why: a kernel whose vector loads straddle cache lines runs markedly slower (the scoring pass on the models'
 * label tables: about 20% slower at seven of eight origins, see {@code PanelOrigins}), and Java shows no
 * array's address, so the origin that starts the panels on a 64-byte boundary can only be found by trying. After
 * {@link #FIRST_TUNING} runs (by then the JIT has compiled the kernel) the node moves its panels to each origin in
 * turn, times its kernel {@link #TIMED_RUNS} times on the current input, and keeps the fastest origin; again after
 * {@link #SECOND_TUNING} runs, then every {@link #RETUNING} runs, as the garbage collector may move the array (young
 * arrays are copied when they survive a collection; after that they rarely move). A tuning costs
 * {@code 16 * TIMED_RUNS} kernel runs and 17 moves of the data, and allocates nothing: the feature model's inference
 * that tunes all five of its nodes (the label table, four filters) took 1.9 ms at run 62,000 against 13 µs (8.9 ms at
 * run 2,000, where the JIT was still at work). The outputs never depend on the origin (the same arithmetic on the same values), only the
 * time does.
 *
 * <p>Off with {@code -Dtfl4j.tunePanelOrigin=false} (the panels stay at origin 0), to measure what it gains.
 */
final class PanelOrigin {
    /** The system property that turns tuning off. */
    static final String PROPERTY = "tfl4j.tunePanelOrigin";
    private static final boolean ENABLED = !"false".equals(System.getProperty(PROPERTY));

    static final int FIRST_TUNING = 2_000;
    static final int SECOND_TUNING = 60_000;
    static final int RETUNING = 1 << 20;
    static final int TIMED_RUNS = 5;

    /** Moves the panels from one origin to another. */
    @FunctionalInterface
    interface Mover {
        void move(int from, int to);
    }

    /** One run of the kernel with the panels at {@code origin}, on the node's current input. */
    @FunctionalInterface
    interface TimedPass {
        void run(int origin);
    }

    private final Mover mover;
    private final TimedPass pass;
    private int origin;
    private int runsUntilTuning = FIRST_TUNING;
    private int tunings;

    PanelOrigin(Mover mover, TimedPass pass) {
        this.mover = mover;
        this.pass = pass;
    }

    /** The panels' origin for this run: counts the run, and tunes first when one is due. */
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
            mover.move(origin, candidate);
            origin = candidate;
            long fastest = Long.MAX_VALUE;
            for (int r = 0; r < TIMED_RUNS; r++) {
                long start = System.nanoTime();
                pass.run(candidate);
                fastest = Math.min(fastest, System.nanoTime() - start);
            }
            if (fastest < bestNanos) {
                bestNanos = fastest;
                best = candidate;
            }
        }
        mover.move(origin, best);
        origin = best;
        tunings++;
        runsUntilTuning = tunings == 1 ? SECOND_TUNING : RETUNING;
    }
}
