package org.tfl4j.engine.ops;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PanelOrigin}: when it tunes, that it keeps the origin its pass ran fastest at and leaves the panels there,
 * and that a tuning allocates nothing. The pass is a spin of known length per origin.
 */
class PanelOriginTest {

    /** Where the fake panels are, as the mover moves them; a move from anywhere else is an error. */
    private int at;
    private int moves;

    @Test
    void keepsTheFastestOriginAndTunesOnSchedule() {
        int fast = 11;
        PanelOrigin placement = new PanelOrigin(this::move, origin -> spin(origin == fast ? 20_000 : 200_000));
        for (int run = 1; run < PanelOrigin.FIRST_TUNING; run++) assertEquals(0, placement.originForRun());
        assertEquals(0, placement.tunings());
        assertEquals(fast, placement.originForRun(), "the first tuning, at run " + PanelOrigin.FIRST_TUNING);
        assertEquals(fast, at, "the panels are left at the chosen origin");
        assertEquals(1, placement.tunings());
        for (int run = 1; run < PanelOrigin.SECOND_TUNING; run++) placement.originForRun();
        assertEquals(1, placement.tunings());
        placement.originForRun();
        assertEquals(2, placement.tunings(), "the second tuning, " + PanelOrigin.SECOND_TUNING + " runs later");
        assertEquals(fast, at);
    }

    @Test
    void aTuningAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        PanelOrigin placement = new PanelOrigin(this::move, origin -> spin(1_000));
        long best = Long.MAX_VALUE;
        for (int tuning = 0; tuning < 5; tuning++) { // the first tunings run interpreted: the best must be zero
            for (int run = 1; run < PanelOrigin.FIRST_TUNING; run++) placement.originForRun();
            long before = threads.getCurrentThreadAllocatedBytes();
            placement.originForRun();
            best = Math.min(best, threads.getCurrentThreadAllocatedBytes() - before);
            placement = new PanelOrigin(this::move, origin -> spin(1_000));
            at = 0; // a new node's panels start at origin 0
        }
        assertEquals(0, best, "bytes allocated by a tuning");
        assertTrue(moves > 0);
    }

    private void move(int from, int to) {
        assertEquals(at, from, "moved from where the panels are not");
        at = to;
        moves++;
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) Thread.onSpinWait();
    }
}
