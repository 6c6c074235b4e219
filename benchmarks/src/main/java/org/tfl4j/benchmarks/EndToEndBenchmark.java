package org.tfl4j.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One recommendation inference per operation, per published model and engine, on one thread: copy the
 * representative history into the input tensor(s), invoke, read the 100 ids and scores into arrays prepared once.
 *
 * <p>Engines: {@code tfl4j} (TFLite's 1-thread arithmetic, the default numerics), {@code tfl4j-numerics4t}
 * (TFLite's 4-thread arithmetic, still computed on the calling thread), and the official TFLite 2.21 runtime with
 * its builtin kernels ({@code tflite-builtin}) or its default XNNPACK delegate ({@code tflite-xnnpack}), both set to
 * 1 thread. Sample time gives the median and p99 per inference; {@link AllocationProbe} measures the bytes one
 * inference allocates after each iteration ({@code -prof org.tfl4j.benchmarks.InferenceAllocationProfiler}
 * reports them; {@code -prof gc} adds JMH's own, coarser figure).
 *
 * <p>{@code histories}: 1 (the default, what {@code docs/performance.md} reports) feeds the representative
 * history to every inference, as TFLite's {@code benchmark_model} feeds one input; more feeds that many
 * ({@link RepresentativeHistory#varied}: the representative one, then histories of 10 of the 1000 most rated
 * movies, seed 42) in turn, every engine the same sequence. One repeated input lets the CPU's branch predictor
 * learn the data-dependent branches (TOPK_V2's above all); {@code -p histories=64} shows what they cost when it
 * cannot.
 *
 * <p>Setup checks each engine against another one (tfl4j against TFLite builtin with the same thread count's
 * arithmetic; TFLite against tfl4j) on every history, twice over (so no state leaks from run to run), and refuses to
 * run when the ids differ, so a benchmark cannot time garbage.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xss8m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
public class EndToEndBenchmark {

    @Param({"bow", "cnn", "rnn", "cnn-genre"})
    public String model;

    @Param({"tfl4j", "tfl4j-numerics4t", "tflite-builtin", "tflite-xnnpack"})
    public String engine;

    @Param({"1"})
    public int histories;

    private Inference inference;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path dir = ModelsDirectory.find();
        Path file = dir.resolve(MovieLensModel.byShortName(model).fileName());
        List<RepresentativeHistory> fed = histories == 1
                ? List.of(RepresentativeHistory.load(dir))
                : RepresentativeHistory.varied(dir, histories, VARIED_FROM_MOST_RATED, VARIED_SEED);
        inference = open(engine, file, fed);
        try (Inference reference = openReference(engine, file, fed)) {
            // Both cycle through the same histories; the second pass must give the same answers (no state leaks).
            for (int pass = 0; pass < 2; pass++) {
                for (int h = 0; h < fed.size(); h++) {
                    reference.run();
                    inference.run();
                    Agreement agreement = Agreement.of(inference, reference);
                    if (pass == 0 && h == 0) {
                        System.out.println("[tfl4j] " + model + " (" + file + "), " + fed.get(0)
                                + (fed.size() == 1 ? "" : " and " + (fed.size() - 1) + " more histories"));
                        System.out.println("[tfl4j] " + inference.describe() + " vs " + reference.describe() + ": " + agreement);
                    }
                    if (!agreement.idsEqual()) {
                        throw new IllegalStateException(model + ", history " + h + " (" + fed.get(h) + "): "
                                + inference.describe() + " and " + reference.describe() + " disagree on the ids: " + agreement);
                    }
                }
            }
        }
        if (inference instanceof NativeTflite && !((NativeTflite) inference).pointersCurrent()) {
            throw new IllegalStateException(model + ": TFLite moved a tensor buffer after the first invocation");
        }
    }

    @Benchmark
    public int inference() {
        inference.run();
        return inference.ids()[0];
    }

    /** Outside the timed loop: the heap one inference allocates ({@link InferenceAllocationProfiler} reports it). */
    @TearDown(Level.Iteration)
    public void probeAllocation() {
        AllocationProbe.measure(inference);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (inference != null) inference.close();
    }

    /** {@code histories > 1}: drawn from this many most rated movies, with this seed. */
    static final int VARIED_FROM_MOST_RATED = 1000;
    static final long VARIED_SEED = 42;

    static Inference open(String engine, Path file, List<RepresentativeHistory> history) {
        switch (engine) {
            case "tfl4j": return new Tfl4jInference(file, history, 1);
            case "tfl4j-numerics4t": return new Tfl4jInference(file, history, 4);
            case "tflite-builtin": return new NativeTflite(file, history, false, 1);
            case "tflite-xnnpack": return new NativeTflite(file, history, true, 1);
            default: throw new IllegalArgumentException("unknown engine '" + engine + "'");
        }
    }

    /** The engine whose ids {@code engine}'s must equal: TFLite builtin with the same arithmetic for tfl4j, tfl4j for TFLite. */
    private static Inference openReference(String engine, Path file, List<RepresentativeHistory> history) {
        switch (engine) {
            case "tfl4j": return new NativeTflite(file, history, false, 1);
            case "tfl4j-numerics4t": return new NativeTflite(file, history, false, 4);
            default: return new Tfl4jInference(file, history, 1);
        }
    }

    /** How two engines' outputs of one inference compare: ids exactly, scores bit for bit and by size. */
    static final class Agreement {
        private final boolean idsEqual;
        private final int scoresBitEqual;
        private final int scoreCount;
        private final double maxScoreDifference;
        private final String idsA;
        private final String idsB;

        private Agreement(boolean idsEqual, int scoresBitEqual, int scoreCount, double maxScoreDifference, String idsA, String idsB) {
            this.idsEqual = idsEqual;
            this.scoresBitEqual = scoresBitEqual;
            this.scoreCount = scoreCount;
            this.maxScoreDifference = maxScoreDifference;
            this.idsA = idsA;
            this.idsB = idsB;
        }

        static Agreement of(Inference a, Inference b) {
            boolean idsEqual = Arrays.equals(a.ids(), b.ids());
            int n = Math.min(a.scores().length, b.scores().length);
            int bitEqual = 0;
            double max = 0;
            for (int i = 0; i < n; i++) {
                float x = a.scores()[i];
                float y = b.scores()[i];
                if (Float.floatToRawIntBits(x) == Float.floatToRawIntBits(y)) bitEqual++;
                max = Math.max(max, Math.abs((double) x - y));
            }
            return new Agreement(idsEqual, bitEqual, n, max, Arrays.toString(a.ids()), Arrays.toString(b.ids()));
        }

        boolean idsEqual() {
            return idsEqual;
        }

        @Override
        public String toString() {
            return (idsEqual ? "ids equal" : "ids DIFFER: " + idsA + " vs " + idsB)
                    + ", scores bit-identical " + scoresBitEqual + "/" + scoreCount + ", max |difference| " + maxScoreDifference;
        }
    }
}
