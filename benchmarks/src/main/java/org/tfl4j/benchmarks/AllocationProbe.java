package org.tfl4j.benchmarks;

import java.lang.management.ManagementFactory;

/**
 * Measures the Java heap one inference allocates: after the timed loop of each JMH iteration, on the benchmark
 * thread and with the code as warm as JMH left it, {@value #INFERENCES} inferences between two readings of the
 * thread's allocation counter. {@link InferenceAllocationProfiler} reports the result.
 *
 * <p>Why not JMH's {@code gc.alloc.rate.norm} alone: in sample-time mode JMH's own per-iteration bookkeeping (the
 * sample buffers and results, on the benchmark thread, and its other threads) comes to hundreds of kilobytes per
 * iteration, tens of bytes per inference at 50 to 500 µs per inference, native TFLite included. The counter read
 * here sees only the inferences.
 */
public final class AllocationProbe {

    static final int INFERENCES = 256;

    private static final com.sun.management.ThreadMXBean THREADS = threads();
    private static volatile double lastBytesPerInference = Double.NaN;

    private AllocationProbe() {
    }

    private static com.sun.management.ThreadMXBean threads() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (bean instanceof com.sun.management.ThreadMXBean) {
            com.sun.management.ThreadMXBean b = (com.sun.management.ThreadMXBean) bean;
            if (b.isThreadAllocatedMemorySupported()) {
                b.setThreadAllocatedMemoryEnabled(true);
                return b;
            }
        }
        return null; // this JVM cannot count per-thread allocation: no measurement
    }

    /** Runs {@link #INFERENCES} inferences and records the bytes each allocated on average. */
    public static void measure(Inference inference) {
        if (THREADS == null) return;
        long start = THREADS.getCurrentThreadAllocatedBytes();
        long idle = THREADS.getCurrentThreadAllocatedBytes() - start; // what reading the counter itself costs
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < INFERENCES; i++) inference.run();
        long after = THREADS.getCurrentThreadAllocatedBytes();
        lastBytesPerInference = Math.max(0, after - before - idle) / (double) INFERENCES;
    }

    /** The last measurement, once (NaN when none since the previous call). */
    static double takeLast() {
        double v = lastBytesPerInference;
        lastBytesPerInference = Double.NaN;
        return v;
    }
}
