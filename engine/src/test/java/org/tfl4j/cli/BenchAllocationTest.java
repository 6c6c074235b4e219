package org.tfl4j.cli;

import org.junit.jupiter.api.Test;
import org.tfl4j.engine.Interpreter;
import org.tfl4j.engine.Model;
import org.tfl4j.recommend.Fixtures;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** bench's timed loop allocates nothing; a class of its own, so a JVM of its own (see ZeroAllocationTest). */
class BenchAllocationTest {

    @Test
    void theTimedLoopAllocatesNothing() {
        Path file = Fixtures.file("recommendation_cnn_i10o100.tflite");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "this JVM does not count allocated bytes");
        Model model = Model.load(file);
        Object[] values = BenchInputs.generated(model, 1, null).values();
        long[] samples = new long[500];
        try (Interpreter interpreter = new Interpreter(model, new Interpreter.Options())) {
            for (int i = 0; i < 10; i++) BenchCommand.timeRuns(interpreter, values, samples, samples.length, 0); // JIT
            // A one-off allocation (a late JIT event) can land in a round; one per run lands in every round.
            // Rounds go on up to 30 s while C2 may still be compiling the vector kernels (a loaded machine).
            long best = Long.MAX_VALUE;
            long deadline = System.nanoTime() + 30_000_000_000L;
            int round = 0;
            for (; best != 0 && (round < 5 || System.nanoTime() < deadline); round++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                int n = BenchCommand.timeRuns(interpreter, values, samples, samples.length, 0);
                best = Math.min(best, threads.getCurrentThreadAllocatedBytes() - before);
                assertEquals(samples.length, n);
            }
            assertEquals(0, best, "bytes allocated by 500 timed runs (best of " + round + " rounds)");
        }
    }
}
