package org.tfl4j.engine.ops;

import org.tfl4j.kernels.simd.PanelOrigins;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * One interpreter's copy of a node's packed weights, and where in it their data starts (its origin), chosen by timing.
 *
 * <p>Why: a kernel whose vector loads straddle cache lines runs markedly slower (the scoring pass on the models' label
 * tables: about 20% slower at seven of eight origins, see {@code PanelOrigins}), and Java shows no array's address, so
 * the origin that starts the data on a 64-byte boundary can only be found by trying. After {@link #FIRST_TUNING} runs
 * (by then the JIT has compiled the kernel) the node tunes: over the next {@code PanelOrigins.COUNT} runs, each run
 * first moves the data to the next origin and times its kernel {@link #TIMED_RUNS} times there on the current input,
 * then runs at that origin; the last of them then moves the data to the fastest origin, kept until the next tuning:
 * again after {@link #SECOND_TUNING} runs, then every {@link #RETUNING} runs; and after a garbage collection since the
 * last tuning began (looked for every {@link #COLLECTION_CHECK} runs), up to {@link #COLLECTION_TUNINGS} times. The
 * collector moves the array: a young array is copied each time it survives a collection, up to fifteen times, and each
 * copy draws another alignment; after that it rarely moves. In a JMH fork of the feature model G1 ran twelve young
 * collections in the first 1.9 s, past the second tuning at run 62,000, so the fork measured whatever alignment the
 * last copy left. One origin per run keeps each run's extra work to one move of the data and a few kernel runs: the
 * feature model's five nodes (the label table, four filters) tuning at once took 90 to 140 µs per run over the sixteen
 * runs of its tuning at run 62,000, against 1.5 ms for the one run that tried all sixteen origins before (10.5 µs
 * untuned; Intel Xeon VM, JDK 17). A tuning allocates nothing. The outputs never depend on the origin (the same
 * arithmetic on the same values), only the time does. The copy is the interpreter's own because tuning moves its data.
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
    /** Runs between two looks at the collectors' counts (a look costs about 60-90 ns). */
    static final int COLLECTION_CHECK = 4_096;
    /**
     * Tunings a collection may bring: a young array is copied at most fifteen times before it is old, and each such
     * tuning costs sixteen runs some 100 µs longer, which a service that collects often should not pay forever.
     */
    static final int COLLECTION_TUNINGS = 16;

    /**
     * The JVM's collectors, whose summed collection counts tell that one has run. Looked up once, when the first model
     * with such a node loads (about 20 ms in a fresh JVM, the platform's management beans starting up), and only when
     * tuning is on: at the first tuning instead it would be a 20 ms run.
     */
    private static final GarbageCollectorMXBean[] COLLECTORS = ENABLED
            ? ManagementFactory.getGarbageCollectorMXBeans().toArray(new GarbageCollectorMXBean[0])
            : new GarbageCollectorMXBean[0];

    /** Collections the JVM has run so far (each collector's count; concurrent cycles count too, harmlessly). */
    static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean collector : COLLECTORS) n += Math.max(0, collector.getCollectionCount());
        return n;
    }

    /** One run of the kernel on {@code packed} with its data at {@code origin}, on the node's current input. */
    @FunctionalInterface
    interface TimedPass {
        void run(float[] packed, int origin);
    }

    private final float[] packed;
    private final int length;
    private final TimedPass pass;
    private final LongSupplier collections;
    private int origin;
    private int runsUntilTuning = FIRST_TUNING;
    private int runsUntilCheck = COLLECTION_CHECK;
    /** {@link #collections} when the last tuning began. */
    private long collectionsAtTuning;
    private int tunings;
    private int collectionTunings;
    /** The origin the tuning under way times next, or -1 between tunings. */
    private int candidate = -1;
    private int best;
    private long bestNanos;

    /**
     * A copy of {@code packed}, whose {@code length} floats of data start at origin 0 and are followed by the room
     * {@link PanelOrigins} asks for (and possibly more that stays where it is, such as F32GemvTopK's largest weight).
     */
    PanelOrigin(float[] packed, int length, TimedPass pass) {
        this(packed, length, pass, PanelOrigin::collections);
    }

    /** As above, with the collection counts from {@code collections} (for tests). */
    PanelOrigin(float[] packed, int length, TimedPass pass, LongSupplier collections) {
        this.packed = packed.clone();
        this.length = length;
        this.pass = pass;
        this.collections = collections;
    }

    /** This interpreter's copy of the packed weights. */
    float[] packed() {
        return packed;
    }

    /** The data's origin for this run: counts the run, and takes a step of a tuning first when one is under way. */
    int originForRun() {
        if (!ENABLED) return origin;
        if (candidate < 0 && tuningDue()) {
            candidate = 0;
            bestNanos = Long.MAX_VALUE; // so the first candidate sets best
            collectionsAtTuning = collections.getAsLong();
        }
        if (candidate >= 0) tuningStep();
        return origin;
    }

    /** How many tunings have ended (for tests). */
    int tunings() {
        return tunings;
    }

    /**
     * True when a tuning is due: by the schedule, or after the first, when a collection has run since the last one
     * began (at most {@link #COLLECTION_TUNINGS} times).
     */
    private boolean tuningDue() {
        if (--runsUntilTuning <= 0) return true;
        if (tunings == 0 || collectionTunings == COLLECTION_TUNINGS || --runsUntilCheck > 0) return false;
        runsUntilCheck = COLLECTION_CHECK;
        if (collections.getAsLong() == collectionsAtTuning) return false;
        collectionTunings++;
        return true;
    }

    /** Times the next candidate origin; after the last one, moves the data to the fastest and ends the tuning. */
    private void tuningStep() {
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
        if (++candidate < PanelOrigins.COUNT) return;
        moveTo(best);
        candidate = -1;
        tunings++;
        runsUntilTuning = tunings == 1 ? SECOND_TUNING : RETUNING;
        runsUntilCheck = COLLECTION_CHECK;
    }

    private void moveTo(int to) {
        PanelOrigins.move(packed, origin, to, length);
        origin = to;
    }
}
