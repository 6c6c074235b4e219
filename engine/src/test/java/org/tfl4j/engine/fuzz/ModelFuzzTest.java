package org.tfl4j.engine.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tfl4j.engine.EngineException;
import org.tfl4j.engine.Interpreter;
import org.tfl4j.engine.Model;
import org.tfl4j.engine.TensorInfo;
import org.tfl4j.engine.fuzz.FuzzCorpus.Seed;
import org.tfl4j.engine.fuzz.Mutator.Mutant;
import org.tfl4j.engine.fuzz.Mutator.Mutation;
import org.tfl4j.parser.ModelFormatException;

/**
 * Structured fuzzing of the whole load path: each case mutates a seed model ({@link FuzzCorpus}: the
 * published MovieLens models and small written ones) with one {@link Mutator} mutation, then parses it,
 * loads it (prepares every op, plans memory), and when that succeeds builds an interpreter and runs one
 * inference on valid inputs. Every case must end in success or in one of tfl4j's own exceptions
 * ({@link ModelFormatException}, {@link EngineException} and its subclasses); never another exception or
 * error, never more than {@link #CPU_LIMIT_NANOS} of CPU, never more allocation than
 * {@link #allocationBound(int)} for the file's size.
 *
 * <p>Reproducible: case {@code c} of seed {@code S} always makes the same file. A failure names the seed,
 * case, seed model, mutation kind and byte offset, and saves the file under {@code target/fuzz-failures/}.
 * Properties: {@code tfl4j.fuzz.cases} (default 15,000), {@code tfl4j.fuzz.seed}, {@code tfl4j.fuzz.case}
 * (replay one case). The summary goes to the log and {@code target/fuzz/summary.txt}; with
 * {@code -Dtfl4j.updateDocs=true} it also replaces the block between the fuzz markers of docs/security.md.
 */
class ModelFuzzTest {

    static final long DEFAULT_SEED = 20261204L;
    static final int DEFAULT_CASES = 15_000;
    /** A case may use this much CPU on its thread (parse, load, interpreter, one run). */
    static final long CPU_LIMIT_NANOS = 1_000_000_000L;
    /** Wall-clock limit after which a case counts as hung (generous: the machine may be busy). */
    static final long HANG_LIMIT_SECONDS = 20;

    /**
     * The memory bound tfl4j documents (docs/security.md): parsing and loading a file of {@code n} bytes,
     * building one interpreter and running it once allocate at most {@code 4 T + 64 n + 16 MiB}, where
     * {@code T} is the tensor-bytes limit ({@link Model#defaultMaxTensorBytes}: {@code max(16 n, 32 MiB)}),
     * so at most {@code 128 n + 144 MiB} with the defaults. T bounds the decoded constants, the arenas and the
     * ops' index tables; {@code 64 n} the parser's objects (its work limit is linear in n).
     */
    static long allocationBound(int fileSize) {
        return 4 * Model.defaultMaxTensorBytes(fileSize) + 64L * fileSize + (16L << 20);
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static ExecutorService worker;

    @BeforeAll
    static void startWorker() {
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-worker");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stopWorker() {
        worker.shutdownNow();
    }

    /** What one case did. */
    record Result(String outcome, String messageKind, String message, Throwable unexpected,
                  long cpuNanos, long wallNanos, long allocatedBytes) {}

    @Test
    void mutatedModelsLoadRunOrFailWithOwnExceptions() throws Exception {
        long seed = Long.getLong("tfl4j.fuzz.seed", DEFAULT_SEED);
        int cases = Integer.getInteger("tfl4j.fuzz.cases", DEFAULT_CASES);
        int only = Integer.getInteger("tfl4j.fuzz.case", -1);

        List<Seed> published = FuzzCorpus.published();
        List<Seed> written = FuzzCorpus.written();
        if (published.isEmpty()) {
            System.out.println("fuzz: the published MovieLens models were not found (set -Dtfl4j.models or $TFL4J_MODELS);"
                    + " fuzzing the written models only");
        }
        List<Seed> all = new ArrayList<>(published);
        all.addAll(written);
        for (Seed s : all) {
            Result r = run(s.bytes());
            assertTrue(r.unexpected() == null, () -> "seed " + s.name() + " itself: " + r.unexpected());
            if (!s.name().equals("while-self")) assertEquals("valid", r.outcome(), "seed " + s.name() + " must run: " + r.message());
        }

        Map<String, Integer> outcomes = new TreeMap<>();
        Map<String, Integer> kinds = new TreeMap<>();          // "Exception: message template" -> count
        Map<String, int[]> byMutation = new TreeMap<>();       // kind -> {cases, valid}
        Map<String, int[]> bySeed = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long maxCpu = 0;
        long maxWall = 0;
        String maxCpuCase = "";
        double maxAllocRatio = 0; // allocation / bound
        String maxAllocCase = "";
        long start = System.nanoTime();
        int publishedCases = 0;

        for (int c = only >= 0 ? only : 0; c < (only >= 0 ? only + 1 : cases); c++) {
            Random random = new Random(seed * 0x9E3779B97F4A7C15L + c);
            // One case in eight on the published models (larger, slower to load); the rest on the written ones.
            boolean onPublished = !published.isEmpty() && c % 8 == 0;
            Seed s = onPublished ? published.get((c / 8) % published.size()) : written.get(c % written.size());
            if (onPublished) publishedCases++;
            Seed other = all.get(random.nextInt(all.size()));
            Mutant m = Mutator.mutate(s.bytes(), s.map(), other.bytes(), random);
            String id = "fuzz case " + c + " (seed " + seed + ", model " + s.name() + ", mutation " + m.kind()
                    + " at byte " + m.offset() + ": " + m.detail() + ")";

            Future<Result> future = worker.submit(() -> run(m.bytes()));
            Result r;
            try {
                r = future.get(HANG_LIMIT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                save(c, m.bytes());
                fail(id + ": no result after " + HANG_LIMIT_SECONDS + " s (hang); replay with -Dtfl4j.fuzz.seed=" + seed
                        + " -Dtfl4j.fuzz.case=" + c);
                return;
            }
            outcomes.merge(r.outcome(), 1, Integer::sum);
            byMutation.computeIfAbsent(m.kind().name(), k -> new int[2])[0]++;
            bySeed.computeIfAbsent(s.name(), k -> new int[2])[0]++;
            if (r.outcome().equals("valid")) {
                byMutation.get(m.kind().name())[1]++;
                bySeed.get(s.name())[1]++;
            }
            if (r.messageKind() != null) kinds.merge(r.outcome() + ": " + r.messageKind(), 1, Integer::sum);
            String problem = null;
            if (r.unexpected() != null) {
                problem = "threw " + r.unexpected();
            } else if (r.cpuNanos() > CPU_LIMIT_NANOS) {
                problem = "used " + r.cpuNanos() / 1_000_000 + " ms of CPU (limit " + CPU_LIMIT_NANOS / 1_000_000 + " ms)";
            } else if (r.allocatedBytes() > allocationBound(m.bytes().length)) {
                problem = "allocated " + r.allocatedBytes() + " bytes for a " + m.bytes().length
                        + "-byte file (bound " + allocationBound(m.bytes().length) + ")";
            }
            if (problem != null) {
                save(c, m.bytes());
                String line = id + ": " + problem + "; replay with -Dtfl4j.fuzz.seed=" + seed + " -Dtfl4j.fuzz.case=" + c;
                failures.add(line);
                if (r.unexpected() != null && failures.size() <= 3) r.unexpected().printStackTrace(System.out);
                System.out.println(line);
            }
            maxWall = Math.max(maxWall, r.wallNanos());
            if (r.cpuNanos() > maxCpu) {
                maxCpu = r.cpuNanos();
                maxCpuCase = "case " + c + ", " + s.name() + ", " + m.kind();
            }
            double ratio = (double) r.allocatedBytes() / allocationBound(m.bytes().length);
            if (ratio > maxAllocRatio) {
                maxAllocRatio = ratio;
                maxAllocCase = r.allocatedBytes() + " bytes for a " + m.bytes().length + "-byte file (case " + c + ", "
                        + s.name() + ", " + m.kind() + ")";
            }
        }
        long seconds = Math.round((System.nanoTime() - start) / 1e9);
        int total = outcomes.values().stream().mapToInt(Integer::intValue).sum();

        String summary = summary(seed, total, publishedCases, published.size(), seconds, outcomes, kinds, byMutation,
                bySeed, failures.size(), maxCpu, maxCpuCase, maxWall, maxAllocRatio, maxAllocCase);
        System.out.println(summary);
        if (only < 0) writeSummary(summary);
        if (!failures.isEmpty()) {
            fail(failures.size() + " fuzz cases failed:\n" + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
        }
        if (only < 0) assertTrue(total >= Math.min(cases, DEFAULT_CASES), "ran " + total + " cases");
    }

    /** Parse, load, build an interpreter, run once on valid inputs; classifies the outcome. Runs on the worker. */
    /** The harness's WHILE limit (a mutated cond may never turn false). */
    static final long MAX_WHILE_ITERATIONS = 10_000;

    static Result run(byte[] bytes) {
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        long tfl4jAllocated = 0; // the harness's own input and output arrays are left out
        long mark = allocated();
        String outcome;
        String kind = null;
        String message = null;
        Throwable unexpected = null;
        try {
            // A WHILE whose cond never turns false runs forever in TFLite and, by default, in tfl4j: a service
            // loading untrusted models sets a limit (docs/security.md), as the harness does.
            Interpreter.Options options = new Interpreter.Options().setMaxWhileIterations(MAX_WHILE_ITERATIONS);
            Model model = Model.load(ByteBuffer.wrap(bytes), options);
            try (Interpreter interpreter = new Interpreter(model, options)) {
                tfl4jAllocated += allocated() - mark;
                Object[] in = new Object[interpreter.getInputTensorCount()];
                for (int k = 0; k < in.length; k++) in[k] = validInput(interpreter.getInputTensor(k));
                Object[] out = new Object[interpreter.getOutputTensorCount()];
                for (int k = 0; k < out.length; k++) out[k] = validInput(interpreter.getOutputTensor(k));
                mark = allocated();
                for (int k = 0; k < in.length; k++) interpreter.setInput(k, in[k]);
                interpreter.invoke();
                for (int k = 0; k < out.length; k++) interpreter.getOutput(k, out[k]);
            }
            outcome = "valid";
        } catch (ModelFormatException | EngineException e) {
            outcome = e.getClass().getSimpleName();
            message = e.getMessage();
            kind = template(message);
        } catch (Throwable t) {
            outcome = "UNHANDLED " + t.getClass().getName();
            unexpected = t;
        }
        tfl4jAllocated += allocated() - mark;
        long wall = System.nanoTime() - wall0;
        long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        return new Result(outcome, kind, message, unexpected, cpu, wall, tfl4jAllocated);
    }

    private static long allocated() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** A valid input for a tensor: zeros (id 0 is the models' padding id, in every table's range). */
    private static Object validInput(TensorInfo t) {
        int n = t.numElements();
        switch (t.dataType()) {
            case FLOAT32: {
                float[] v = new float[n];
                java.util.Arrays.fill(v, 0.5f);
                return v;
            }
            case INT32: return new int[n];
            case INT64: return new long[n];
            case BOOL: return new boolean[n];
            default: throw new IllegalStateException("input type " + t.dataType());
        }
    }

    /** A message with its numbers, names and lists blanked: what kind of problem it reports. */
    static String template(String message) {
        return message.replaceAll("'[^']*'", "'_'")
                .replaceAll("\"[^\"]*\"", "\"_\"")
                .replaceAll("\\[[^\\]]*\\]", "[_]")
                .replaceAll("(?<![A-Za-z_0-9])-?\\d+(\\.\\d+)?(?![A-Za-z_0-9])", "N");
    }

    private static String summary(long seed, int total, int publishedCases, int publishedModels, long seconds,
                                  Map<String, Integer> outcomes, Map<String, Integer> kinds, Map<String, int[]> byMutation,
                                  Map<String, int[]> bySeed, int failures, long maxCpu, String maxCpuCase,
                                  long maxWall, double maxAllocRatio, String maxAllocCase) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "ModelFuzzTest: seed %d, %,d cases (%,d on %d published models, %,d on %d written"
                        + " ones) in %d s%n", seed, total, publishedCases, publishedModels, total - publishedCases,
                FuzzCorpus.written().size(), seconds));
        s.append("  outcomes:");
        outcomes.forEach((k, v) -> s.append(String.format(Locale.ROOT, " %s %,d;", k, v)));
        s.setLength(s.length() - 1);
        s.append('\n');
        Map<String, Integer> kindsPerException = new TreeMap<>();
        for (String k : kinds.keySet()) kindsPerException.merge(k.substring(0, k.indexOf(':')), 1, Integer::sum);
        s.append(String.format(Locale.ROOT, "  distinct failure kinds (message templates): %d", kinds.size()));
        kindsPerException.forEach((k, v) -> s.append(String.format(Locale.ROOT, "; %s %d", k, v)));
        s.append('\n');
        s.append(String.format(Locale.ROOT, "  unhandled (other exceptions, over %d ms CPU, over the memory bound): %d%n",
                CPU_LIMIT_NANOS / 1_000_000, failures));
        s.append("  by mutation (cases/still valid):");
        byMutation.forEach((k, v) -> s.append(String.format(Locale.ROOT, " %s %d/%d,", k, v[0], v[1])));
        s.setLength(s.length() - 1);
        s.append('\n');
        s.append("  by seed model (cases/still valid):");
        bySeed.forEach((k, v) -> s.append(String.format(Locale.ROOT, " %s %d/%d,", k, v[0], v[1])));
        s.setLength(s.length() - 1);
        s.append('\n');
        s.append("  most frequent failure kinds:\n");
        kinds.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(8).forEach(e -> s.append(
                String.format(Locale.ROOT, "    %,7d  %s%n", e.getValue(), e.getKey().length() > 150 ? e.getKey().substring(0, 150) + "..." : e.getKey())));
        s.append(String.format(Locale.ROOT, "  most CPU for one case: %d ms (%s); longest wall time: %d ms%n", maxCpu / 1_000_000,
                maxCpuCase, maxWall / 1_000_000));
        s.append(String.format(Locale.ROOT, "  closest to the memory bound 4 T + 64 n + 16 MiB: %.1f%% of it, %s", 100 * maxAllocRatio,
                maxAllocCase));
        return s.toString();
    }

    private static void writeSummary(String summary) throws IOException {
        Path dir = Path.of("target", "fuzz");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("summary.txt"), summary + "\n", StandardCharsets.UTF_8);
        if (!Boolean.getBoolean("tfl4j.updateDocs")) return;
        Path docs = Path.of("..", "docs", "security.md");
        if (!Files.isRegularFile(docs)) return;
        String text = Files.readString(docs, StandardCharsets.UTF_8);
        String begin = "<!-- fuzz-summary:begin -->";
        String end = "<!-- fuzz-summary:end -->";
        int a = text.indexOf(begin);
        int b = text.indexOf(end);
        if (a < 0 || b < a) return;
        Files.writeString(docs, text.substring(0, a + begin.length()) + "\n```\n" + summary + "\n```\n" + text.substring(b),
                StandardCharsets.UTF_8);
    }

    private static void save(int c, byte[] bytes) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "fuzz-failures"));
            Files.write(dir.resolve("case-" + c + ".tflite"), bytes);
        } catch (IOException e) {
            System.out.println("could not save case " + c + ": " + e);
        }
    }
}
