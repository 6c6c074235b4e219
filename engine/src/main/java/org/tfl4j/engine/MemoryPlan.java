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

    /**
     * Placed-buffer visits the greedy search may make for one arena: this many, plus
     * {@link #SEARCH_VISITS_PER_TENSOR} per tensor. Finding a buffer's neighbours in time is output-sensitive
     * (an interval index over the op steps), so a chain of 200,000 ops plans in milliseconds; but a crafted
     * graph whose tensors all live at once would make the greedy search quadratic. Past the budget the plan
     * gives every tensor its own place instead (no reuse): linear time, and the arena is still bounded by the
     * model's tensor-bytes limit.
     */
    static final long SEARCH_BUDGET = 1_000_000L;
    static final long SEARCH_VISITS_PER_TENSOR = 64;

    static MemoryPlan place(List<Request> requests, int tensorCount) {
        int[] offsets = new int[tensorCount];
        java.util.Arrays.fill(offsets, -1);
        List<Request> bySize = new ArrayList<>(requests);
        bySize.sort(Comparator.comparingInt(Request::size).reversed().thenComparingInt(Request::tensor));
        if (bySize.isEmpty()) return new MemoryPlan(offsets, 0);
        long budget = SEARCH_BUDGET + SEARCH_VISITS_PER_TENSOR * bySize.size();
        PlacedIndex placed = new PlacedIndex(bySize);
        long arena = 0;
        // [start, end) of the time-overlapping placed buffers, packed start << 32 | end: sorting sorts by start.
        long[][] busy = {new long[16]};
        int[] busyCount = new int[1];
        for (Request r : bySize) {
            // Candidate offsets: 0 and the end of every placed buffer that is alive at the same time.
            busyCount[0] = 0;
            placed.overlapping(r.first(), r.last(), p -> {
                if (busyCount[0] == busy[0].length) busy[0] = java.util.Arrays.copyOf(busy[0], 2 * busy[0].length);
                long start = offsets[p.tensor()];
                busy[0][busyCount[0]++] = start << 32 | (start + p.size());
            });
            if (placed.visits > budget) return withoutReuse(bySize, tensorCount);
            java.util.Arrays.sort(busy[0], 0, busyCount[0]);
            long candidate = 0;
            for (int i = 0; i < busyCount[0]; i++) {
                long start = busy[0][i] >>> 32;
                long end = busy[0][i] & 0xFFFFFFFFL;
                if (candidate + r.size() <= start) break;
                candidate = Math.max(candidate, align(end));
            }
            checkFits(r, candidate);
            offsets[r.tensor()] = (int) candidate;
            arena = Math.max(arena, align(candidate + r.size()));
            placed.add(r);
        }
        return new MemoryPlan(offsets, (int) arena);
    }

    /** Every tensor in a place of its own, in the given order. */
    private static MemoryPlan withoutReuse(List<Request> requests, int tensorCount) {
        int[] offsets = new int[tensorCount];
        java.util.Arrays.fill(offsets, -1);
        long next = 0;
        for (Request r : requests) {
            checkFits(r, next);
            offsets[r.tensor()] = (int) next;
            next = align(next + r.size());
        }
        return new MemoryPlan(offsets, (int) next);
    }

    private static void checkFits(Request r, long offset) {
        if (offset + r.size() > Integer.MAX_VALUE - ALIGNMENT) {
            throw new InvalidModelException("tensor " + r.tensor() + ": activations need more than 2^31 elements");
        }
    }

    /**
     * The placed requests, found by lifetime: a segment tree over the first step of each request that keeps,
     * per node, the latest last step below it, so a query visits only subtrees holding an overlapping request.
     */
    private static final class PlacedIndex {
        private final int minStep;
        private final int leaves;
        private final int[] maxLast;              // per node; Integer.MIN_VALUE when empty
        private final List<List<Request>> atFirst; // per leaf: placed requests whose first step it is
        long visits;

        PlacedIndex(List<Request> requests) {
            int lo = Integer.MAX_VALUE;
            int hi = Integer.MIN_VALUE;
            for (Request r : requests) {
                lo = Math.min(lo, r.first());
                hi = Math.max(hi, r.first());
            }
            this.minStep = lo;
            int n = 1;
            while (n < hi - lo + 1) n <<= 1;
            this.leaves = n;
            this.maxLast = new int[2 * n];
            java.util.Arrays.fill(maxLast, Integer.MIN_VALUE);
            this.atFirst = new ArrayList<>(java.util.Collections.nCopies(n, (List<Request>) null));
        }

        void add(Request r) {
            int leaf = r.first() - minStep;
            if (atFirst.get(leaf) == null) atFirst.set(leaf, new ArrayList<>());
            atFirst.get(leaf).add(r);
            for (int node = leaf + leaves; node >= 1; node >>= 1) maxLast[node] = Math.max(maxLast[node], r.last());
        }

        /** Calls {@code each} for every placed request alive at some step of [first, last]. */
        void overlapping(int first, int last, java.util.function.Consumer<Request> each) {
            visit(1, 0, leaves - 1, (long) last - minStep, first, each);
        }

        private void visit(int node, int lo, int hi, long lastLeaf, int first, java.util.function.Consumer<Request> each) {
            visits++;
            if (lo > lastLeaf || maxLast[node] < first) return;
            if (lo == hi) {
                for (Request p : atFirst.get(lo)) {
                    visits++;
                    if (p.last() >= first) each.accept(p);
                }
                return;
            }
            int mid = (lo + hi) >>> 1;
            visit(2 * node, lo, mid, lastLeaf, first, each);
            visit(2 * node + 1, mid + 1, hi, lastLeaf, first, each);
        }
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
