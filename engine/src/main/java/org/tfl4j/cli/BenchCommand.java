package org.tfl4j.cli;

import org.tfl4j.engine.Interpreter;
import org.tfl4j.engine.Model;
import org.tfl4j.engine.io.NpyArray;
import org.tfl4j.kernels.simd.VectorWidth;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.Operator;
import org.tfl4j.parser.Subgraph;
import org.tfl4j.parser.Tensor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * {@code tfl4j bench MODEL [IN.npy ...]}: the figures TFLite's {@code benchmark_model} reports, for tfl4j.
 * Initialization (load and prepare the model, create the interpreter), the first inference, a warm-up, timed
 * steady-state runs (average, min, median, p95, max), the memory footprint, the Java heap allocated per run (op by
 * op), and a per-op profile.
 *
 * <p>A run is what an application does per inference on the allocation-free path: copy every input in
 * ({@code setInput} with flat arrays) and {@code invoke}. Inputs are copied every run because an input tensor's
 * arena space may be reused by later tensors of the same run. Outputs are not read (as benchmark_model).
 * The timed loop allocates nothing: the sample array is sized before it starts.
 */
final class BenchCommand {
    static final Set<String> OPTIONS = Set.of("--runs", "--min-seconds", "--warmup-runs", "--warmup-seconds", "--threads",
            "--seed", "--models");
    static final Set<String> FLAGS = Set.of("--json");

    static final int DEFAULT_RUNS = 1000;
    static final int DEFAULT_WARMUP_RUNS = 1;
    /**
     * Three seconds: after one, C2 had not yet compiled the vector kernels (about 900 warm-up runs at 1 ms each, the
     * Vector API outside C2 being that slow), and cnn's timed runs gave a median of 10 to 16.6 µs against 8.8 µs
     * after three seconds, which JMH agrees with.
     */
    static final double DEFAULT_WARMUP_SECONDS = 3.0;
    static final long DEFAULT_SEED = 42;
    static final int DEFAULT_THREADS = 1;
    /** Most timed runs kept (8 bytes each); also bounds the runs {@code --min-seconds} may add. */
    static final int MAX_SAMPLES = 4_000_000;
    /** Longest accepted --min-seconds / --warmup-seconds. */
    static final double MAX_SECONDS = 3600;
    /** Rows of the "top by time" table. */
    static final int TOP_OPS = 10;
    /** Most runs of the allocation pass (after the profile; it needs no more to tell 0 from a boxed kernel). */
    static final int ALLOCATION_RUNS = 1000;

    static final String USAGE = String.join("\n",
            "Usage: tfl4j bench MODEL [IN0.npy ...] [--runs N] [--min-seconds S] [--warmup-runs N]",
            "                   [--warmup-seconds S] [--threads T] [--seed S] [--json]",
            "",
            "Measures MODEL as TFLite's benchmark_model does: initialization (Model.load and new Interpreter),",
            "the first inference, a warm-up, then timed runs (each: copy the inputs in, invoke) with their",
            "average, min, median, p95 and max; the memory footprint; and a per-op profile (as many runs",
            "again, of Interpreter.invokeProfiled, apart from the timed ones) in run order, top " + TOP_OPS + " by",
            "time and by op type.",
            "",
            "Inputs: the .npy files, one per model input in input order; else, for the published MovieLens",
            "models, the history the JMH benchmarks use (the 10 most rated movies and their genres; config and",
            "vocabularies beside the model or in the model folders); else values from a seed: ids uniform over",
            "the rows of the table they index except 0 (the padding id), other ints in [0, " + BenchInputs.SMALL_INT_LIMIT
                    + "), floats uniform",
            "in [-1, 1), bools at random.",
            "",
            "  MODEL               a .tflite path or one of bow, cnn, rnn, cnn-genre",
            "  --runs N            timed runs (default " + DEFAULT_RUNS + ", at most " + String.format(Locale.ROOT, "%,d", MAX_SAMPLES) + ")",
            "  --min-seconds S     and go on until the timed runs took S seconds (default 0)",
            "  --warmup-runs N     warm-up runs after the first inference (default " + DEFAULT_WARMUP_RUNS + ")",
            "  --warmup-seconds S  and go on warming up for S seconds, for the JIT (default " + (int) DEFAULT_WARMUP_SECONDS + ")",
            "  --threads T         reproduce TFLite's arithmetic with T threads (default 1; -1 is TFLite Java's",
            "                      default); tfl4j itself computes on one thread",
            "  --seed S            seed of generated inputs (default " + DEFAULT_SEED + ")",
            "  --json              end with one line of JSON holding the same figures",
            "  --models DIR        folder with the model files (then $TFL4J_MODELS, then ~/.cache/tfl4j/models)",
            "",
            "Memory: 'heap retained' is the used heap after System.gc() once the interpreter exists, minus the",
            "same before loading: the parsed file, decoded constants, weights packed by the ops, the arenas.",
            "'allocated' is the Java heap a run allocates in the steady state, op by op (up to " + ALLOCATION_RUNS + " runs after",
            "the profile): 0 expected; an op with more names the kernel this JVM's JIT compiled into an allocating form.");

    private BenchCommand() {}

    /** The command line, checked. */
    record Settings(String model, List<Path> npyFiles, int runs, double minSeconds, int warmupRuns, double warmupSeconds,
                    int threads, long seed, boolean json) {

        static Settings of(Args args) {
            if (args.positional.isEmpty()) throw new UsageException("bench needs a MODEL; see 'tfl4j bench --help'");
            List<Path> files = new ArrayList<>();
            for (String f : args.positional.subList(1, args.positional.size())) files.add(Path.of(f));
            int runs = args.positiveInt("--runs", DEFAULT_RUNS);
            if (runs > MAX_SAMPLES) {
                throw new UsageException(String.format(Locale.ROOT, "--runs must be at most %,d, got %d", MAX_SAMPLES, runs));
            }
            int threads = DEFAULT_THREADS;
            String t = args.value("--threads");
            if (t != null) {
                try {
                    threads = Integer.parseInt(t.trim());
                } catch (NumberFormatException notANumber) {
                    threads = 0; // rejected below
                }
                if (threads == 0 || threads < -1) throw new UsageException("--threads must be -1 or a positive integer, got '" + t + "'");
            }
            long seed = DEFAULT_SEED;
            String s = args.value("--seed");
            if (s != null) {
                try {
                    seed = Long.parseLong(s.trim());
                } catch (NumberFormatException notANumber) {
                    throw new UsageException("--seed must be an integer, got '" + s + "'");
                }
            }
            return new Settings(args.positional.get(0), List.copyOf(files), runs, seconds(args, "--min-seconds", 0),
                    args.positiveInt("--warmup-runs", DEFAULT_WARMUP_RUNS),
                    seconds(args, "--warmup-seconds", DEFAULT_WARMUP_SECONDS), threads, seed, args.has("--json"));
        }

        private static double seconds(Args args, String name, double fallback) {
            String v = args.value(name);
            if (v == null) return fallback;
            try {
                double d = Double.parseDouble(v.trim());
                if (d >= 0 && d <= MAX_SECONDS) return d;
            } catch (NumberFormatException notANumber) {
                // reported below
            }
            throw new UsageException(name + " must be a number of seconds from 0 to " + (int) MAX_SECONDS + ", got '" + v + "'");
        }
    }

    /** Latency figures of {@code count} runs, in nanoseconds. */
    record Latency(int count, long totalNanos, double avg, long min, long median, long p95, long max, double std) {

        /** Sorts a copy (after the timed loop); percentiles by nearest rank: the smallest sample with p% at or below it. */
        static Latency of(long[] samples, int count) {
            long[] sorted = Arrays.copyOf(samples, count);
            Arrays.sort(sorted);
            long total = 0;
            for (long v : sorted) total += v;
            double avg = (double) total / count;
            double squares = 0;
            for (long v : sorted) squares += (v - avg) * (v - avg);
            return new Latency(count, total, avg, sorted[0], rank(sorted, 50), rank(sorted, 95), sorted[count - 1],
                    Math.sqrt(squares / count));
        }

        private static long rank(long[] sorted, int percent) {
            int i = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        }
    }

    /** One op of the profile: its average wall time per run, in nanoseconds. */
    record OpTime(int index, String op, String output, double avgNanos) {}

    static int run(Args args, ModelStore store, PrintStream out) throws IOException {
        Settings settings = Settings.of(args);
        Path modelFile = store.model(settings.model());
        NpyArray[] npy = BenchInputs.read(settings.npyFiles());
        long fileBytes = Files.size(modelFile);
        Interpreter.Options options = new Interpreter.Options().setTfliteThreads(settings.threads());

        // Initialization as benchmark_model counts it: read, parse and prepare the model, then create the
        // interpreter (tfl4j allocates its arenas and binds the ops there).
        long heapBefore = usedHeapAfterGc();
        long initStart = System.nanoTime();
        Model model = Model.load(modelFile, options);
        try (Interpreter interpreter = new Interpreter(model, options)) {
            long initNanos = System.nanoTime() - initStart;
            long heapRetained = usedHeapAfterGc() - heapBefore;

            BenchInputs.Inputs inputs = settings.npyFiles().isEmpty()
                    ? BenchInputs.representative(modelFile, model, store, settings.seed())
                    : BenchInputs.fromNpy(model, settings.npyFiles(), npy);
            Object[] values = inputs.values();

            long firstStart = System.nanoTime();
            runOnce(interpreter, values);
            long firstNanos = System.nanoTime() - firstStart;

            long warmupNanos = 0;
            long warmupFastest = Long.MAX_VALUE;
            int warmupRuns = 0;
            long warmupMin = seconds(settings.warmupSeconds());
            while (warmupRuns < settings.warmupRuns() || warmupNanos < warmupMin) {
                long t0 = System.nanoTime();
                runOnce(interpreter, values);
                long t = System.nanoTime() - t0;
                warmupNanos += t;
                warmupFastest = Math.min(warmupFastest, t);
                warmupRuns++;
            }

            long minNanos = seconds(settings.minSeconds());
            long[] samples = new long[capacity(settings.runs(), minNanos, warmupFastest)];
            int count = timeRuns(interpreter, values, samples, settings.runs(), minNanos);
            Latency latency = Latency.of(samples, count);
            boolean cutShort = count == samples.length && latency.totalNanos() < minNanos;

            // The profile runs apart from the timed runs: its timer calls between ops would skew the latency.
            long[] nanosByOp = profile(interpreter, values, count, System::nanoTime);
            List<OpTime> ops = opTimes(model, nanosByOp, count);
            Allocation allocation = Allocation.measure(interpreter, values, Math.min(count, ALLOCATION_RUNS));

            Memory memory = Memory.of(model, fileBytes, heapRetained);
            printText(out, modelFile, model, settings, inputs, initNanos, firstNanos, warmupRuns, warmupNanos, latency,
                    cutShort, memory, allocation, ops);
            if (settings.json()) {
                out.println(json(modelFile, fileBytes, settings, inputs, initNanos, firstNanos, warmupRuns, warmupNanos,
                        latency, cutShort, memory, allocation, ops, model.fusions()));
            }
        }
        return 0;
    }

    /**
     * {@code runs} runs of {@link Interpreter#invokeProfiled(long[], LongSupplier)}, the inputs copied in first as in a
     * timed run: what {@code meter} grew while each op ran, summed over the runs, by op.
     */
    private static long[] profile(Interpreter interpreter, Object[] values, int runs, LongSupplier meter) {
        long[] byOp = new long[interpreter.opCount()];
        for (int i = 0; i < runs; i++) {
            for (int k = 0; k < values.length; k++) interpreter.setInput(k, values[k]);
            interpreter.invokeProfiled(byOp, meter);
        }
        return byOp;
    }

    private static long seconds(double s) {
        return (long) (s * 1e9);
    }

    /** The inputs copied in, then the graph run: one inference on the allocation-free path. */
    private static void runOnce(Interpreter interpreter, Object[] values) {
        for (int k = 0; k < values.length; k++) interpreter.setInput(k, values[k]);
        interpreter.invoke();
    }

    /**
     * Room for the timed runs: {@code runs}, or with a minimum time, the runs it takes at the pace of the fastest
     * warm-up run, with half again as margin for a JIT that is not done yet, at most {@link #MAX_SAMPLES}. The
     * loop stops at the end of the array (reported), as growing it would allocate between timed runs.
     */
    static int capacity(int runs, long minNanos, long fastestWarmupNanos) {
        if (minNanos <= 0) return runs;
        double expected = (double) minNanos / Math.max(1, fastestWarmupNanos);
        return (int) Math.max(runs, Math.min(MAX_SAMPLES, expected * 1.5 + 16));
    }

    /**
     * The timed runs: at least {@code runs} and until they took {@code minNanos} in all, at most
     * {@code samples.length}; each run's wall time in {@code samples}. Allocates nothing.
     *
     * @return the number of runs
     */
    static int timeRuns(Interpreter interpreter, Object[] values, long[] samples, int runs, long minNanos) {
        long total = 0;
        int n = 0;
        while (n < samples.length) {
            long t0 = System.nanoTime();
            for (int k = 0; k < values.length; k++) interpreter.setInput(k, values[k]);
            interpreter.invoke();
            long t = System.nanoTime() - t0;
            samples[n++] = t;
            total += t;
            if (n >= runs && total >= minNanos) break;
        }
        return n;
    }

    private static List<OpTime> opTimes(Model model, long[] nanosByOp, int runs) {
        Subgraph g = model.parsed().mainSubgraph();
        List<OpTime> ops = new ArrayList<>(nanosByOp.length);
        for (int i = 0; i < nanosByOp.length; i++) {
            Operator op = g.operators().get(i);
            StringBuilder output = new StringBuilder();
            for (int t : op.outputs()) output.append(output.length() == 0 ? "" : ", ").append(InspectCommand.typeAndShape(g.tensor(t)));
            ops.add(new OpTime(i, BuiltinOp.name(op.opcode()), output.toString(), (double) nanosByOp[i] / runs));
        }
        return ops;
    }

    /**
     * The Java heap each op allocated per run in the steady state (the thread's allocated bytes around each op, over
     * {@code runs} runs after the profile), or {@code bytesByOp} null when this JVM does not count allocated bytes.
     * tfl4j allocates nothing per inference; an op that does shows where this JVM's JIT compiled Vector API code
     * into an allocating form (vectors boxed), which costs time and garbage.
     */
    record Allocation(int runs, long[] bytesByOp) {
        static Allocation measure(Interpreter interpreter, Object[] values, int runs) {
            if (!(java.lang.management.ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                    || !threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
                return new Allocation(0, null);
            }
            return new Allocation(runs, profile(interpreter, values, runs, threads::getCurrentThreadAllocatedBytes));
        }

        boolean measured() {
            return bytesByOp != null && runs > 0;
        }

        double perRun(int op) {
            return (double) bytesByOp[op] / runs;
        }

        double totalPerRun() {
            double total = 0;
            for (int op = 0; op < bytesByOp.length; op++) total += perRun(op);
            return total;
        }
    }

    /** Sizes in bytes: the file, the distinct constant tensors the ops read, the arenas, the measured heap. */
    record Memory(long fileBytes, long constantBytes, int constantTensors, long arenaBytes, long heapRetained) {
        static Memory of(Model model, long fileBytes, long heapRetained) {
            Subgraph g = model.parsed().mainSubgraph();
            Set<Integer> seen = new HashSet<>();
            long constants = 0;
            for (Operator op : g.operators()) {
                for (int t : op.inputs()) {
                    if (t < 0) continue;
                    Tensor tensor = g.tensor(t);
                    if (tensor.isConstant() && seen.add(t)) constants += tensor.data().remaining();
                }
            }
            return new Memory(fileBytes, constants, seen.size(), model.arenaBytes(), heapRetained);
        }
    }

    /**
     * Used heap after a full collection. Two collections, so objects freed by the first (finalizable ones, soft
     * caches) are gone too; an approximation, as with any heap measurement.
     */
    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    static String jdk() {
        return Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")";
    }

    // ---- output ----

    private static double us(double nanos) {
        return nanos / 1e3;
    }

    private static void printText(PrintStream out, Path modelFile, Model model, Settings settings, BenchInputs.Inputs inputs,
                                  long initNanos, long firstNanos, int warmupRuns, long warmupNanos, Latency latency,
                                  boolean cutShort, Memory memory, Allocation allocation, List<OpTime> ops) {
        out.printf(Locale.ROOT, "model      %s (%,d bytes, %d ops)%n", modelFile, memory.fileBytes(), ops.size());
        out.printf(Locale.ROOT, "runtime    JDK %s, %s, TFLite arithmetic of %s%n", jdk(), VectorWidth.describe(),
                settings.threads() == 1 ? "1 thread" : settings.threads() + " threads");
        out.printf(Locale.ROOT, "input      %s%n", inputs.description());
        out.printf(Locale.ROOT, "init       %.2f ms (Model.load and new Interpreter)%n", initNanos / 1e6);
        out.printf(Locale.ROOT, "first      %,.2f us%n", us(firstNanos));
        out.printf(Locale.ROOT, "warm-up    %,d runs in %.2f s, avg %,.2f us%n", warmupRuns, warmupNanos / 1e9,
                us((double) warmupNanos / warmupRuns));
        out.printf(Locale.ROOT, "inference  %,d runs in %.2f s (each: copy inputs in, invoke)%s%n", latency.count(),
                latency.totalNanos() / 1e9, cutShort ? ", stopped at the sample limit before --min-seconds" : "");
        out.printf(Locale.ROOT, "           avg %,.2f  min %,.2f  median %,.2f  p95 %,.2f  max %,.2f  std %,.2f us%n",
                us(latency.avg()), us(latency.min()), us(latency.median()), us(latency.p95()), us(latency.max()), us(latency.std()));
        out.printf(Locale.ROOT, "memory     heap retained %,d bytes (used heap after System.gc(): after init minus before)%n",
                memory.heapRetained());
        out.printf(Locale.ROOT, "           model file %,d bytes, constant data %,d bytes in %d tensors, arenas %,d bytes%n",
                memory.fileBytes(), memory.constantBytes(), memory.constantTensors(), memory.arenaBytes());
        if (allocation.measured()) {
            out.printf(Locale.ROOT, "allocated  %,.1f bytes per run (Java heap the thread allocated around each op, %,d runs after the%n",
                    allocation.totalPerRun(), allocation.runs());
            out.printf(Locale.ROOT, "           profile; 0 expected: more means this JVM's JIT left vector code allocating)%n");
            for (OpTime o : ops) {
                if (allocation.perRun(o.index()) > 0) {
                    out.printf(Locale.ROOT, "           op %d %s: %,.1f bytes per run%n", o.index(), o.op(),
                            allocation.perRun(o.index()));
                }
            }
        } else {
            out.printf(Locale.ROOT, "allocated  not measured (this JVM does not count allocated bytes per thread)%n");
        }

        double total = 0;
        for (OpTime o : ops) total += o.avgNanos();
        int opWidth = "op".length();
        int outWidth = "output".length();
        for (OpTime o : ops) {
            opWidth = Math.max(opWidth, o.op().length());
            outWidth = Math.max(outWidth, o.output().length());
        }
        String row = "  %4s  %-" + opWidth + "s  %-" + outWidth + "s  %9s  %6s  %6s%n";
        String line = "  %4d  %-" + opWidth + "s  %-" + outWidth + "s  %9.3f  %6.1f  %6.1f%n";
        out.println();
        out.printf(Locale.ROOT, "per-op profile: %,d runs of invokeProfiled apart from the timed runs (times include a%n", latency.count());
        out.printf(Locale.ROOT, "System.nanoTime() per op); ops in run order%n");
        out.printf(Locale.ROOT, row, "#", "op", "output", "avg us", "%", "cum %");
        double cumulative = 0;
        for (OpTime o : ops) {
            cumulative += o.avgNanos();
            out.printf(Locale.ROOT, line, o.index(), o.op(), o.output(), us(o.avgNanos()), percent(o.avgNanos(), total),
                    percent(cumulative, total));
        }
        out.printf(Locale.ROOT, "  %4s  %-" + opWidth + "s  %-" + outWidth + "s  %9.3f%n", "", "total", "", us(total));
        if (!model.fusions().isEmpty()) {
            out.println("fused chains (each runs, and is timed, at its last op; its other ops do nothing):");
            for (String fusion : model.fusions()) out.println("  " + fusion);
        }

        List<OpTime> byTime = new ArrayList<>(ops);
        byTime.sort((a, b) -> Double.compare(b.avgNanos(), a.avgNanos())); // stable: ties keep run order
        out.println();
        out.printf(Locale.ROOT, "top %d ops by time%n", Math.min(TOP_OPS, byTime.size()));
        out.printf(Locale.ROOT, row, "#", "op", "output", "avg us", "%", "cum %");
        cumulative = 0;
        for (OpTime o : byTime.subList(0, Math.min(TOP_OPS, byTime.size()))) {
            cumulative += o.avgNanos();
            out.printf(Locale.ROOT, line, o.index(), o.op(), o.output(), us(o.avgNanos()), percent(o.avgNanos(), total),
                    percent(cumulative, total));
        }

        Map<String, double[]> byType = new LinkedHashMap<>(); // op -> {count, nanos}
        for (OpTime o : byTime) {
            double[] v = byType.computeIfAbsent(o.op(), k -> new double[2]);
            v[0]++;
            v[1] += o.avgNanos();
        }
        List<Map.Entry<String, double[]>> types = new ArrayList<>(byType.entrySet());
        types.sort((a, b) -> Double.compare(b.getValue()[1], a.getValue()[1]));
        out.println();
        out.println("by op type");
        out.printf(Locale.ROOT, "  %-" + opWidth + "s  %5s  %9s  %6s%n", "op", "count", "avg us", "%");
        for (Map.Entry<String, double[]> e : types) {
            out.printf(Locale.ROOT, "  %-" + opWidth + "s  %5d  %9.3f  %6.1f%n", e.getKey(), (int) e.getValue()[0],
                    us(e.getValue()[1]), percent(e.getValue()[1], total));
        }
    }

    private static double percent(double part, double total) {
        return total > 0 ? 100 * part / total : 0;
    }

    private static String json(Path modelFile, long fileBytes, Settings settings, BenchInputs.Inputs inputs, long initNanos,
                               long firstNanos, int warmupRuns, long warmupNanos, Latency latency, boolean cutShort,
                               Memory memory, Allocation allocation, List<OpTime> ops, List<String> fusions) {
        double total = 0;
        for (OpTime o : ops) total += o.avgNanos();
        StringBuilder array = new StringBuilder("[");
        for (OpTime o : ops) {
            if (array.length() > 1) array.append(',');
            JsonLine op = new JsonLine().put("index", o.index()).put("op", o.op()).put("output", o.output())
                    .put("avg_us", us(o.avgNanos()), 3).put("percent", percent(o.avgNanos(), total), 2);
            if (allocation.measured()) op.put("allocated_bytes_per_run", allocation.perRun(o.index()), 1);
            array.append(op);
        }
        array.append(']');
        JsonLine j = new JsonLine()
                .put("model", modelFile.toString())
                .put("model_file_bytes", fileBytes)
                .put("jdk", jdk())
                .put("vector_width", VectorWidth.describe())
                .put("threads", settings.threads())
                .put("input_source", inputs.source())
                .put("input", inputs.description());
        if (BenchInputs.GENERATED.equals(inputs.source())) j.put("seed", settings.seed());
        j.put("min_seconds", settings.minSeconds(), 3);
        j.put("init_ms", initNanos / 1e6, 3)
                .put("first_us", us(firstNanos), 3)
                .put("warmup_runs", warmupRuns)
                .put("warmup_seconds", warmupNanos / 1e9, 3)
                .put("warmup_avg_us", us((double) warmupNanos / warmupRuns), 3)
                .put("runs", latency.count())
                .put("seconds", latency.totalNanos() / 1e9, 3)
                .put("stopped_at_sample_limit", cutShort)
                .put("avg_us", us(latency.avg()), 3)
                .put("min_us", us(latency.min()), 3)
                .put("median_us", us(latency.median()), 3)
                .put("p95_us", us(latency.p95()), 3)
                .put("max_us", us(latency.max()), 3)
                .put("std_us", us(latency.std()), 3)
                .put("memory_bytes", memory.heapRetained())
                .put("memory_measure", "used heap after System.gc(), after init minus before loading")
                .put("constant_bytes", memory.constantBytes())
                .put("arena_bytes", memory.arenaBytes());
        if (allocation.measured()) {
            j.put("allocated_bytes_per_run", allocation.totalPerRun(), 1).put("allocation_runs", allocation.runs());
        }
        j
                .put("profile_runs", latency.count())
                .put("profile_total_us", us(total), 3)
                .putRaw("ops", array.toString());
        StringBuilder fused = new StringBuilder("[");
        for (String fusion : fusions) {
            if (fused.length() > 1) fused.append(',');
            JsonLine.quote(fused, fusion);
        }
        j.putRaw("fusions", fused.append(']').toString());
        return j.toString();
    }
}
