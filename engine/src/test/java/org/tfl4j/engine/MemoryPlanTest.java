package org.tfl4j.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class MemoryPlanTest {

    @Test
    void chainReusesTheBufferOfTensorsThatAreNoLongerAlive() {
        // a -> op0 -> b -> op1 -> c -> op2 -> d: a and c never live at the same time, nor b and d.
        List<MemoryPlan.Request> r = List.of(
                new MemoryPlan.Request(0, 16, -1, 0),
                new MemoryPlan.Request(1, 16, 0, 1),
                new MemoryPlan.Request(2, 16, 1, 2),
                new MemoryPlan.Request(3, 16, 2, 3));
        MemoryPlan plan = MemoryPlan.place(r, 4);
        assertEquals(0, plan.offset(0));
        assertEquals(16, plan.offset(1));
        assertEquals(0, plan.offset(2));
        assertEquals(16, plan.offset(3));
        assertEquals(32, plan.arenaSize());
    }

    @Test
    void offsetsAreAlignedAndTensorsOutsideThePlanHaveNone() {
        MemoryPlan plan = MemoryPlan.place(List.of(
                new MemoryPlan.Request(0, 10, 0, 1),
                new MemoryPlan.Request(2, 3, 0, 1)), 3);
        assertEquals(0, plan.offset(0));
        assertEquals(16, plan.offset(2));
        assertEquals(-1, plan.offset(1));
        assertEquals(32, plan.arenaSize());
    }

    @Test
    void randomPlansNeverOverlapLiveTensors() {
        Random rnd = new Random(42);
        for (int trial = 0; trial < 500; trial++) {
            int n = 1 + rnd.nextInt(30);
            List<MemoryPlan.Request> reqs = new ArrayList<>();
            long total = 0;
            for (int t = 0; t < n; t++) {
                int first = rnd.nextInt(20) - 1;
                int size = 1 + rnd.nextInt(100);
                reqs.add(new MemoryPlan.Request(t, size, first, first + rnd.nextInt(5)));
                total += (size + 15) / 16 * 16;
            }
            MemoryPlan plan = MemoryPlan.place(reqs, n);
            assertTrue(plan.arenaSize() <= total, "trial " + trial + ": arena larger than no reuse at all");
            for (MemoryPlan.Request a : reqs) {
                assertEquals(0, plan.offset(a.tensor()) % MemoryPlan.ALIGNMENT);
                assertTrue(plan.offset(a.tensor()) + a.size() <= plan.arenaSize());
                for (MemoryPlan.Request b : reqs) {
                    if (a.tensor() >= b.tensor()) continue;
                    boolean together = a.first() <= b.last() && b.first() <= a.last();
                    int oa = plan.offset(a.tensor());
                    int ob = plan.offset(b.tensor());
                    boolean overlap = oa < ob + b.size() && ob < oa + a.size();
                    if (together && overlap) {
                        fail("trial " + trial + ": tensors " + a + " at " + oa + " and " + b + " at " + ob + " overlap");
                    }
                }
            }
        }
    }

    /**
     * Regression (docs/security.md): the greedy search compared every tensor with every placed one, so a
     * 2.9 MB file chaining 40,000 ops took 10 s to plan. Lifetimes are now indexed; a chain of 200,000
     * tensors plans in well under a second, still reusing memory.
     */
    @Test
    void longChainsPlanInLinearTime() {
        int n = 200_000;
        List<MemoryPlan.Request> reqs = new ArrayList<>();
        for (int t = 0; t < n; t++) reqs.add(new MemoryPlan.Request(t, 16, t - 1, t));
        MemoryPlan plan = assertTimeoutPreemptively(java.time.Duration.ofSeconds(3), () -> MemoryPlan.place(reqs, n));
        assertEquals(32, plan.arenaSize());
        for (int t = 0; t < n; t++) assertEquals(t % 2 == 0 ? 0 : 16, plan.offset(t), "tensor " + t);
    }

    /**
     * When every tensor lives at once the greedy search is quadratic whatever the index; past
     * the search budget the plan gives each tensor its own place, in linear time.
     */
    @Test
    void tensorsAllAliveAtOnceFallBackToNoReuseQuickly() {
        int n = 40_000;
        List<MemoryPlan.Request> reqs = new ArrayList<>();
        for (int t = 0; t < n; t++) reqs.add(new MemoryPlan.Request(t, 1 + t % 5, t % 7 - 1, 1000));
        MemoryPlan plan = assertTimeoutPreemptively(java.time.Duration.ofSeconds(3), () -> MemoryPlan.place(reqs, n));
        long[] ranges = new long[n];
        for (int t = 0; t < n; t++) {
            assertEquals(0, plan.offset(t) % MemoryPlan.ALIGNMENT);
            ranges[t] = (long) plan.offset(t) << 8 | (1 + t % 5);
        }
        java.util.Arrays.sort(ranges);
        for (int i = 1; i < n; i++) {
            assertTrue((ranges[i - 1] >> 8) + (ranges[i - 1] & 0xFF) <= ranges[i] >> 8, "overlap at " + i);
        }
        assertEquals(n * MemoryPlan.ALIGNMENT, plan.arenaSize());
    }
}
