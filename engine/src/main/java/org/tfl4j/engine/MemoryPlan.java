package org.tfl4j.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Greedy, lifetime-based placement of activation tensors in one arena (tflite-micro's greedy
 * planner): tensors are placed largest first, each at the lowest offset where it overlaps no
 * already-placed tensor that is alive at the same time. Sizes and offsets are in elements.
 */
final class MemoryPlan {
    /** Offsets are multiples of this many elements (64 bytes of float), so vector loads start aligned. */
    static final int ALIGNMENT = 16;

    /** One buffer to place: alive from op {@code first} to op {@code last}, inclusive. */
    record Request(int tensor, int size, int first, int last) {}

    private final int[] offsetByTensor;
    private final int arenaSize;

    private MemoryPlan(int[] offsetByTensor, int arenaSize) {
        this.offsetByTensor = offsetByTensor;
        this.arenaSize = arenaSize;
    }

    static MemoryPlan place(List<Request> requests, int tensorCount) {
        int[] offsets = new int[tensorCount];
        java.util.Arrays.fill(offsets, -1);
        List<Request> bySize = new ArrayList<>(requests);
        bySize.sort(Comparator.comparingInt(Request::size).reversed().thenComparingInt(Request::tensor));
        List<Request> placed = new ArrayList<>();
        long arena = 0;
        for (Request r : bySize) {
            // Candidate offsets: 0 and the end of every placed buffer that is alive at the same time.
            List<long[]> busy = new ArrayList<>(); // [start, end) of time-overlapping placed buffers
            for (Request p : placed) {
                if (p.first() <= r.last() && r.first() <= p.last()) {
                    long start = offsets[p.tensor()];
                    busy.add(new long[] {start, start + p.size()});
                }
            }
            busy.sort(Comparator.comparingLong(b -> b[0]));
            long candidate = 0;
            for (long[] b : busy) {
                if (candidate + r.size() <= b[0]) break;
                candidate = Math.max(candidate, align(b[1]));
            }
            if (candidate + r.size() > Integer.MAX_VALUE - ALIGNMENT) {
                throw new InvalidModelException("tensor " + r.tensor() + ": activations need more than 2^31 elements");
            }
            offsets[r.tensor()] = (int) candidate;
            arena = Math.max(arena, align(candidate + r.size()));
            placed.add(r);
        }
        return new MemoryPlan(offsets, (int) arena);
    }

    /**
     * This plan with every tensor {@code t} whose {@code storageOwner[t] != t} placed at its owner's offset (when
     * the owner is in this arena). Owners were planned with the lifetimes of all the tensors sharing them.
     */
    MemoryPlan withSharedStorage(int[] storageOwner) {
        int[] offsets = offsetByTensor.clone();
        for (int t = 0; t < offsets.length; t++) {
            int owner = storageOwner[t];
            if (owner != t && offsetByTensor[owner] >= 0) offsets[t] = offsetByTensor[owner];
        }
        return new MemoryPlan(offsets, arenaSize);
    }

    private static long align(long x) {
        return (x + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** Offset of a tensor placed by this plan, or -1 when it is not in this arena. */
    int offset(int tensor) {
        return offsetByTensor[tensor];
    }

    /** Elements the arena needs. */
    int arenaSize() {
        return arenaSize;
    }
}
