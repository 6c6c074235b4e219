package org.tfl4j.kernels;

import org.tfl4j.kernels.simd.TopKFilter;

/**
 * TOPK_V2 over the last dimension: for each row, the {@code k} largest values in descending order
 * with their positions; equal values (+0.0 and -0.0 are equal) keep the smaller position first.
 * Float comparisons run under DAZ as in TFLite: subnormals rank as zeros (tied with ±0). Values are
 * bit copies of the selected inputs.
 *
 * <p>Two ways to the answer. For rows without NaN the ranking is a total order, so any correct top-k is
 * TFLite's answer: the fast path ({@link TopKFilter}, a vector threshold filter in front of a heap of
 * {@code k} keys) computes it, and the overloads taking a {@code long[] keys} scratch use it. With NaN
 * TFLite's comparison is no ordering and the answer depends on its exact sequence of comparisons, which
 * the replay below reproduces; the fast overloads hand such rows to it, and the float32 overload without
 * {@code keys} replays every row (the reference the fast path is tested against). Ints are totally ordered, so
 * int32 rows always take the fast path (its tests check it against a plain sort).
 *
 * <p>The replay follows TFLite 2.21's TopContainer step for step: the first {@code k + 1}
 * positions become a heap (ordered so its root is the worst of them), the root is dropped, then
 * every later position that beats the root replaces it; finally the heap is sorted. The heap moves
 * are those of libstdc++'s {@code make_heap}/{@code pop_heap}/{@code push_heap}/{@code sort_heap}
 * (sift the hole down to a leaf, then the value up); a replacement pops the root, overwrites the
 * last slot and pushes. (Some TFLite sources instead write into a spare slot k and pop over k + 1;
 * that sequence does not reproduce 2.21's answers with NaN, this one does.) With NaN
 * the comparison is no ordering at all (NaN neither beats nor loses to anything, so ties are
 * decided by position) and the outcome depends on the exact sequence of comparisons. When {@code k}
 * equals the row length TFLite skips the heap and calls {@code std::sort}, which is replayed too
 * (libstdc++'s introsort, see {@link StdSort}); only where NaN drives that sort past the ends of the
 * row, undefined behaviour in TFLite, does tfl4j fall back to a heap sort.
 *
 * <p>Cost per row of the replay: one comparison with the cached worst value per element once the heap
 * is full, plus {@code O(log k)} per replacement (about {@code k ln(n/k)} of them for values in random
 * order) and {@code O(k log k)} to sort; for 3953 logits and k = 100, a few thousand comparisons. The
 * fast path replaces most of the replacements by a threshold taken from a sample (see {@link TopKFilter}).
 * {@code scratch} must hold {@link #scratchNeeded} ints ({@code k + 1} for the replay alone) and {@code keys}
 * {@link TopKFilter#keysNeeded} longs (k for int32); {@code k >= 1} and {@code k <= rowSize}.
 */
public final class TopKV2 {
    private TopKV2() {}

    /** The ints of {@code scratch} for the fast path's {@link #float32}: the replay's heap, or the filter's ranks. */
    public static int scratchNeeded(int k) {
        return Math.max(k + 1, TopKFilter.ranksNeeded());
    }

    /** Every row by the fast path, a row holding NaN by the replay of TFLite's steps. */
    public static void float32(float[] x, int xOffset, int rows, int rowSize, int k,
                               float[] values, int valuesOffset, int[] indices, int indicesOffset,
                               int[] scratch, long[] keys) {
        for (int row = 0; row < rows; row++) {
            int base = xOffset + row * rowSize;
            int vo = valuesOffset + row * k, io = indicesOffset + row * k;
            if (!TopKFilter.float32Row(x, base, rowSize, k, values, vo, indices, io, keys, scratch)) {
                replayRow(x, base, rowSize, k, values, vo, indices, io, scratch);
            }
        }
    }

    /** Every row by the replay of TFLite's steps (the reference). */
    public static void float32(float[] x, int xOffset, int rows, int rowSize, int k,
                               float[] values, int valuesOffset, int[] indices, int indicesOffset, int[] scratch) {
        for (int row = 0; row < rows; row++) {
            replayRow(x, xOffset + row * rowSize, rowSize, k, values, valuesOffset + row * k,
                    indices, indicesOffset + row * k, scratch);
        }
    }

    /** TFLite's TopContainer steps on one row. */
    private static void replayRow(float[] x, int base, int rowSize, int k,
                                  float[] values, int valuesOffset, int[] indices, int indicesOffset, int[] scratch) {
        int[] heap = scratch;
        int kept = Math.min(k + 1, rowSize);
        for (int c = 0; c < kept; c++) heap[c] = c;
        if (rowSize > k) {
            makeHeap(x, base, heap, k + 1);
            popHeap(x, base, heap, k + 1); // drop the worst of the first k + 1
            float worst = TfliteMath.ftz(x[base + heap[0]]);
            for (int c = k + 1; c < rowSize; c++) {
                // A later position loses ties, so only a strictly larger value beats the root
                // (exactly TFLite's comparison, NaN included: it never beats and is never beaten).
                if (TfliteMath.ftz(x[base + c]) > worst) {
                    popHeap(x, base, heap, k);
                    heap[k - 1] = c;
                    pushHeap(x, base, heap, k);
                    worst = TfliteMath.ftz(x[base + heap[0]]);
                }
            }
            sortHeap(x, base, heap, k);
        } else if (!StdSort.sort(x, base, heap, k)) {
            // k == rowSize: TFLite calls std::sort, replayed above. Only when NaN makes that sort run past
            // the ends of the row (undefined behaviour in TFLite) is a heap sort used instead.
            for (int c = 0; c < k; c++) heap[c] = c;
            makeHeap(x, base, heap, k);
            sortHeap(x, base, heap, k);
        }
        for (int j = 0; j < k; j++) {
            indices[indicesOffset + j] = heap[j];
            values[valuesOffset + j] = x[base + heap[j]];
        }
    }

    /** True when position {@code a} ranks before {@code b}: a larger value, or an equal one earlier. */
    private static boolean before(float[] x, int base, int a, int b) {
        float va = TfliteMath.ftz(x[base + a]);
        float vb = TfliteMath.ftz(x[base + b]);
        if (vb < va) return true;
        if (vb > va) return false;
        return a < b;
    }

    /** Moves the hole at {@code hole} down to a leaf along the later-ranked children, then sifts {@code value} up. */
    private static void adjustHeap(float[] x, int base, int[] heap, int hole, int len, int value) {
        int top = hole;
        int child = hole;
        while (child < (len - 1) / 2) {
            child = 2 * (child + 1);
            if (before(x, base, heap[child], heap[child - 1])) child--;
            heap[hole] = heap[child];
            hole = child;
        }
        if ((len & 1) == 0 && child == (len - 2) / 2) {
            child = 2 * (child + 1);
            heap[hole] = heap[child - 1];
            hole = child - 1;
        }
        siftUp(x, base, heap, hole, top, value);
    }

    private static void siftUp(float[] x, int base, int[] heap, int hole, int top, int value) {
        int parent = (hole - 1) / 2;
        while (hole > top && before(x, base, heap[parent], value)) {
            heap[hole] = heap[parent];
            hole = parent;
            parent = (hole - 1) / 2;
        }
        heap[hole] = value;
    }

    private static void makeHeap(float[] x, int base, int[] heap, int len) {
        if (len < 2) return;
        for (int parent = (len - 2) / 2; ; parent--) {
            adjustHeap(x, base, heap, parent, len, heap[parent]);
            if (parent == 0) return;
        }
    }

    /** Moves the root to {@code heap[len - 1]} and restores the heap on the first {@code len - 1}. */
    private static void popHeap(float[] x, int base, int[] heap, int len) {
        if (len < 2) return;
        int last = len - 1;
        int value = heap[last];
        heap[last] = heap[0];
        adjustHeap(x, base, heap, 0, last, value);
    }

    /** Adds {@code heap[len - 1]} to the heap on the first {@code len - 1}. */
    private static void pushHeap(float[] x, int base, int[] heap, int len) {
        siftUp(x, base, heap, len - 1, 0, heap[len - 1]);
    }

    /** Sorts a heap into ranking order (best first). */
    private static void sortHeap(float[] x, int base, int[] heap, int len) {
        while (len > 1) {
            len--;
            int value = heap[len];
            heap[len] = heap[0];
            adjustHeap(x, base, heap, 0, len, value);
        }
    }

    /**
     * libstdc++'s {@code std::sort} (GCC 11, the compiler of the reference build) over positions with
     * TFLite's comparison: introsort (median of three moved to the front, unguarded partition, depth limit
     * 2 floor(log2 n), then heap sort), runs of 16 or fewer left alone, and a final insertion sort (guarded
     * over the first 16, unguarded after). With NaN the comparison is no ordering, and the unguarded loops
     * can then run past either end of the row, reading memory that is not part of it; {@link #sort} returns
     * false in that case, where TFLite's result is undefined.
     */
    private static final class StdSort {
        private static final int THRESHOLD = 16;

        private StdSort() {}

        /** Sorts {@code a[0, len)} best first; false (and {@code a} in some order) when std::sort would leave the row. */
        static boolean sort(float[] x, int base, int[] a, int len) {
            if (len < 2) return true;
            int depthLimit = 2 * (31 - Integer.numberOfLeadingZeros(len));
            return introsortLoop(x, base, a, 0, len, depthLimit, len) && finalInsertionSort(x, base, a, len);
        }

        private static boolean introsortLoop(float[] x, int base, int[] a, int first, int last, int depthLimit, int len) {
            while (last - first > THRESHOLD) {
                if (depthLimit == 0) {
                    heapSort(x, base, a, first, last - first); // partial_sort(first, last, last)
                    return true;
                }
                depthLimit--;
                int cut = partitionPivot(x, base, a, first, last, len);
                if (cut < 0) return false;
                if (!introsortLoop(x, base, a, cut, last, depthLimit, len)) return false;
                last = cut;
            }
            return true;
        }

        /** The cut of {@code __unguarded_partition_pivot}, or -1 when a scan would leave {@code [0, len)}. */
        private static int partitionPivot(float[] x, int base, int[] a, int first, int last, int len) {
            int mid = first + (last - first) / 2;
            moveMedianToFirst(x, base, a, first, first + 1, mid, last - 1);
            int pivot = a[first];
            int lo = first + 1;
            int hi = last;
            while (true) {
                while (before(x, base, a[lo], pivot)) {
                    if (++lo >= len) return -1;
                }
                --hi;
                while (before(x, base, pivot, a[hi])) {
                    if (--hi < 0) return -1;
                }
                if (lo >= hi) return lo;
                swap(a, lo, hi);
                if (++lo >= len) return -1;
            }
        }

        private static void moveMedianToFirst(float[] x, int base, int[] a, int result, int p, int q, int r) {
            if (before(x, base, a[p], a[q])) {
                if (before(x, base, a[q], a[r])) swap(a, result, q);
                else if (before(x, base, a[p], a[r])) swap(a, result, r);
                else swap(a, result, p);
            } else if (before(x, base, a[p], a[r])) {
                swap(a, result, p);
            } else if (before(x, base, a[q], a[r])) {
                swap(a, result, r);
            } else {
                swap(a, result, q);
            }
        }

        private static boolean finalInsertionSort(float[] x, int base, int[] a, int len) {
            if (len <= THRESHOLD) return insertionSort(x, base, a, len);
            if (!insertionSort(x, base, a, THRESHOLD)) return false;
            for (int i = THRESHOLD; i < len; i++) if (!unguardedLinearInsert(x, base, a, i)) return false;
            return true;
        }

        private static boolean insertionSort(float[] x, int base, int[] a, int last) {
            for (int i = 1; i < last; i++) {
                int value = a[i];
                if (before(x, base, value, a[0])) {
                    System.arraycopy(a, 0, a, 1, i);
                    a[0] = value;
                } else if (!unguardedLinearInsert(x, base, a, i)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean unguardedLinearInsert(float[] x, int base, int[] a, int last) {
            int value = a[last];
            int next = last - 1;
            while (before(x, base, value, a[next])) {
                a[last] = a[next];
                last = next;
                if (--next < 0) return false;
            }
            a[last] = value;
            return true;
        }

        /** make_heap then sort_heap on {@code a[first, first + len)}, the same moves as the outer class's. */
        private static void heapSort(float[] x, int base, int[] a, int first, int len) {
            for (int parent = (len - 2) / 2; len >= 2 && parent >= 0; parent--) adjust(x, base, a, first, parent, len, a[first + parent]);
            while (len > 1) {
                len--;
                int value = a[first + len];
                a[first + len] = a[first];
                adjust(x, base, a, first, 0, len, value);
            }
        }

        /** libstdc++'s {@code __adjust_heap} on the heap {@code a[first, first + len)}. */
        private static void adjust(float[] x, int base, int[] a, int first, int hole, int len, int value) {
            int top = hole;
            int child = hole;
            while (child < (len - 1) / 2) {
                child = 2 * (child + 1);
                if (before(x, base, a[first + child], a[first + child - 1])) child--;
                a[first + hole] = a[first + child];
                hole = child;
            }
            if ((len & 1) == 0 && child == (len - 2) / 2) {
                child = 2 * (child + 1);
                a[first + hole] = a[first + child - 1];
                hole = child - 1;
            }
            int parent = (hole - 1) / 2;
            while (hole > top && before(x, base, a[first + parent], value)) {
                a[first + hole] = a[first + parent];
                hole = parent;
                parent = (hole - 1) / 2;
            }
            a[first + hole] = value;
        }

        private static void swap(int[] a, int i, int j) {
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    // ---- int32 -------------------------------------------------------------------------------

    /** Every row by the fast path ({@link TopKFilter}; ints are totally ordered, so any correct top-k is TFLite's). */
    public static void int32(int[] x, int xOffset, int rows, int rowSize, int k,
                             int[] values, int valuesOffset, int[] indices, int indicesOffset, long[] keys) {
        for (int row = 0; row < rows; row++) {
            TopKFilter.int32Row(x, xOffset + row * rowSize, rowSize, k, values, valuesOffset + row * k,
                    indices, indicesOffset + row * k, keys);
        }
    }
}
