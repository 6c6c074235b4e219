package org.tfl4j.benchmarks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link AllocationProbe} sees an allocation per inference, and none where there is none. */
class AllocationProbeTest {

    /** A stand-in inference that allocates one {@code int[4]} (32 bytes with the header) per run, or nothing. */
    private static final class FakeInference implements Inference {
        private final boolean allocate;
        private final int[] ids = new int[4];
        private final float[] scores = new float[4];
        private int[] last = ids;

        FakeInference(boolean allocate) {
            this.allocate = allocate;
        }

        @Override
        public void run() {
            if (allocate) last = new int[4];
            last[0]++;
            ids[0] = last[0];
        }

        @Override
        public int[] ids() {
            return ids;
        }

        @Override
        public float[] scores() {
            return scores;
        }

        @Override
        public String describe() {
            return allocate ? "allocating fake" : "non-allocating fake";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void countsTheBytesOfAnArrayPerInference() {
        FakeInference fake = new FakeInference(true);
        AllocationProbe.takeLast();
        AllocationProbe.measure(fake);
        double bytes = AllocationProbe.takeLast();
        assertTrue(bytes >= 16 && bytes <= 64, "an int[4] per inference measured as " + bytes + " B");
        assertTrue(Double.isNaN(AllocationProbe.takeLast()), "a measurement is taken once");
    }

    @Test
    void reportsZeroForAnInferenceThatAllocatesNothing() {
        FakeInference fake = new FakeInference(false);
        AllocationProbe.measure(fake); // first pass: class initialization and profiling out of the way
        AllocationProbe.measure(fake);
        assertEquals(0.0, AllocationProbe.takeLast(), 0.5);
    }
}
