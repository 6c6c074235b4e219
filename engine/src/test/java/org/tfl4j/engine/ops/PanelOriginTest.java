package org.tfl4j.engine.ops;

import org.junit.jupiter.api.Test;
import org.tfl4j.kernels.simd.PanelOrigins;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PanelOrigin}: when it tunes (one origin per run), that each run of a tuning gets the origin it timed with the
 * data there, that it keeps the origin its pass ran fastest at and leaves the data there, that every timed pass finds
 * the data at the origin it is given, that a garbage collection since a tuning began brings another one (up to a cap),
 * and that a tuning allocates nothing. The pass is a spin of known length per origin.
 */
class PanelOriginTest {
    private static final int LENGTH = 64;

    /** Timed passes that found the data somewhere else than at their origin. */
    private int misplaced;

    /** 1 to LENGTH, then the room for the origins, then one float that stays last (as F32GemvTopK's largest weight). */
    private static float[] template() {
        float[] packed = new float[LENGTH + PanelOrigins.COUNT];
        for (int i = 0; i < LENGTH; i++) packed[i] = i + 1;
        packed[packed.length - 1] = -7f;
        return packed;
    }

    private PanelOrigin.TimedPass spinning(long fastNanos, long slowNanos, int fast) {
        return (packed, origin) -> {
            if (packed[origin] != 1f || packed[origin + LENGTH - 1] != LENGTH) misplaced++;
            spin(origin == fast ? fastNanos : slowNanos);
        };
    }

    @Test
    void keepsTheFastestOriginAndTunesOnSchedule() {
        int fast = 11;
        float[] template = template();
        PanelOrigin placement = new PanelOrigin(template, LENGTH, spinning(20_000, 200_000, fast));
        assertNotSame(template, placement.packed(), "the interpreter's own copy");
        for (int run = 1; run < PanelOrigin.FIRST_TUNING; run++) assertEquals(0, placement.originForRun());
        assertEquals(0, placement.tunings());
        tune(placement, PanelOrigin.FIRST_TUNING, fast);
        assertEquals(1, placement.tunings());
        for (int run = 1; run < PanelOrigin.SECOND_TUNING; run++) assertEquals(fast, placement.originForRun());
        assertEquals(1, placement.tunings());
        tune(placement, PanelOrigin.SECOND_TUNING, fast);
        assertEquals(2, placement.tunings(), "the second tuning, " + PanelOrigin.SECOND_TUNING + " runs later");
        assertEquals(fast, placement.originForRun(), "after the second tuning");
        assertEquals(0, misplaced, "timed passes that found the data elsewhere than at their origin");
        assertArrayEquals(template(), template, "the shared template is never moved");
    }

    @Test
    void tunesAgainAfterACollection() {
        int fast = 5;
        long[] collections = {3};
        PanelOrigin placement = new PanelOrigin(template(), LENGTH, spinning(20_000, 200_000, fast),
                () -> collections[0]);
        for (int run = 1; run < PanelOrigin.FIRST_TUNING; run++) placement.originForRun();
        tune(placement, PanelOrigin.FIRST_TUNING, fast);
        for (int run = 0; run < 3 * PanelOrigin.COLLECTION_CHECK; run++) {
            assertEquals(fast, placement.originForRun(), "no collection, no tuning: run " + run);
        }
        collections[0]++;
        int runs = untilATuningBegins(placement);
        assertTrue(runs <= PanelOrigin.COLLECTION_CHECK, "a tuning began " + runs + " runs after a collection");
        for (int candidate = 1; candidate < PanelOrigins.COUNT; candidate++) {
            if (candidate == 7) collections[0]++; // a collection during the tuning: its data may have moved since
            int origin = placement.originForRun();
            assertEquals(candidate == PanelOrigins.COUNT - 1 ? fast : candidate, origin, "step " + candidate);
        }
        assertEquals(2, placement.tunings());
        runs = untilATuningBegins(placement);
        assertTrue(runs <= PanelOrigin.COLLECTION_CHECK, "a collection during a tuning: the next began after " + runs);
        assertEquals(0, misplaced, "timed passes that found the data elsewhere than at their origin");
    }

    @Test
    void collectionsBringAtMostSoManyTunings() {
        long[] collections = {0};
        PanelOrigin placement = new PanelOrigin(template(), LENGTH, spinning(1_000, 10_000, 3), () -> collections[0]);
        for (int run = 1; run < PanelOrigin.FIRST_TUNING + PanelOrigins.COUNT; run++) placement.originForRun();
        assertEquals(1, placement.tunings());
        for (int n = 1; n <= PanelOrigin.COLLECTION_TUNINGS + 2; n++) {
            collections[0]++;
            for (int run = 0; run < PanelOrigin.COLLECTION_CHECK + PanelOrigins.COUNT; run++) placement.originForRun();
            int expected = 1 + Math.min(n, PanelOrigin.COLLECTION_TUNINGS);
            assertEquals(expected, placement.tunings(), "tunings after " + n + " collections");
        }
        assertEquals(0, misplaced, "timed passes that found the data elsewhere than at their origin");
    }

    /** Runs {@code placement} until a tuning's first run (at origin 0, the data there): how many runs before it. */
    private static int untilATuningBegins(PanelOrigin placement) {
        int runs = 0;
        while (placement.originForRun() != 0) {
            if (++runs > 2 * PanelOrigin.COLLECTION_CHECK) return runs;
        }
        assertDataAt(placement, 0, "a tuning's first run");
        return runs;
    }

    /** The runs of one tuning, from its first: each at the origin it timed, the last at the fastest. */
    private static void tune(PanelOrigin placement, int firstRun, int fast) {
        for (int candidate = 0; candidate < PanelOrigins.COUNT - 1; candidate++) {
            String run = "run " + (firstRun + candidate) + ", the tuning's step " + candidate;
            assertEquals(candidate, placement.originForRun(), run);
            assertDataAt(placement, candidate, run);
        }
        assertEquals(fast, placement.originForRun(), "the tuning's last run, at the fastest origin");
        assertDataAt(placement, fast, "the data is left at the chosen origin");
    }

    @Test
    void aTuningAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        float[] template = template();
        long best = Long.MAX_VALUE;
        for (int tuning = 0; tuning < 5; tuning++) { // the first tunings run interpreted: the best must be zero
            PanelOrigin placement = new PanelOrigin(template, LENGTH, spinning(1_000, 1_000, 0));
            for (int run = 1; run < PanelOrigin.FIRST_TUNING; run++) placement.originForRun();
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int step = 0; step < PanelOrigins.COUNT; step++) placement.originForRun();
            best = Math.min(best, threads.getCurrentThreadAllocatedBytes() - before);
            assertEquals(1, placement.tunings());
        }
        assertEquals(0, best, "bytes allocated by a tuning");
        assertEquals(0, misplaced, "timed passes that found the data elsewhere than at their origin");
    }

    private static void assertDataAt(PanelOrigin placement, int origin, String what) {
        float[] packed = placement.packed();
        assertArrayEquals(Arrays.copyOfRange(template(), 0, LENGTH), Arrays.copyOfRange(packed, origin,
                origin + LENGTH), what);
        assertEquals(-7f, packed[packed.length - 1], what + ": the last float stays");
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) Thread.onSpinWait();
    }
}
