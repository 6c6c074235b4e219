package org.tfl4j.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
