package org.tfl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfl4j.engine.Interpreter;
import org.tfl4j.engine.Model;
import org.tfl4j.engine.io.Npy;
import org.tfl4j.engine.io.NpyArray;
import org.tfl4j.kernels.simd.VectorWidth;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.Operator;
import org.tfl4j.recommend.Fixtures;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

class BenchCommandTest {
    @TempDir
    Path tmp;

    /** Few runs and no timed warm-up: the tests check what is reported, not how fast. */
    private static final List<String> FEW_RUNS = List.of("--runs", "20", "--warmup-runs", "3", "--warmup-seconds", "0");

    private static final List<String> REQUIRED_KEYS = List.of("model", "jdk", "vector_width", "threads", "input_source",
            "input", "init_ms", "first_us", "warmup_runs", "warmup_avg_us", "runs", "avg_us", "min_us", "median_us",
            "p95_us", "max_us", "memory_bytes", "constant_bytes", "arena_bytes", "allocated_bytes_per_run", "allocation_runs",
            "profile_runs", "ops", "fusions");

    private MainTest.Result run(Map<String, String> env, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, tmp.resolve("home").toString());
        return new MainTest.Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private MainTest.Result run(String... args) {
        return run(Map.of(), List.of(args));
    }

    /** bench with the real models folder as $TFL4J_MODELS, few runs, and the given arguments. */
    private MainTest.Result benchReal(String... args) {
        List<String> all = new ArrayList<>(List.of("bench"));
        all.addAll(List.of(args));
        all.addAll(FEW_RUNS);
        return run(Map.of("TFL4J_MODELS", Fixtures.modelsDir().toString()), all);
    }

    private static JsonObject lastLineJson(MainTest.Result r) {
        List<String> lines = r.outLines();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("{") && last.endsWith("}"), last);
        return JsonParser.parseString(last).getAsJsonObject();
    }

    private static double number(JsonObject j, String key) {
        JsonElement e = j.get(key);
        assertTrue(e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber(), key + " is not a number: " + e);
        return e.getAsDouble();
    }

    // ---- MovieLens models ----

    @Test
    void benchOnTheCnnModelPrintsEveryFigureAndEndsWithJson() throws IOException {
        Path file = Fixtures.file("recommendation_cnn_i10o100.tflite");
        Model model = Model.load(file);
        List<Operator> operators = model.parsed().mainSubgraph().operators();

        MainTest.Result r = benchReal("cnn", "--json").succeeds();
        String text = r.out();
        List<String> lines = r.outLines();
        assertTrue(lines.get(0).startsWith("model      " + file + " (") && lines.get(0).endsWith(" bytes, 17 ops)"), lines.get(0));
        assertTrue(text.contains("\nruntime    JDK " + Runtime.version() + " "), text);
        assertTrue(text.contains(VectorWidth.describe() + ", TFLite arithmetic of 1 thread\n"), text);
        assertTrue(text.contains("\ninput      MovieLens history (as the JMH benchmarks): the 10 most rated movies of "
                + file.getParent().toAbsolutePath().normalize().resolve("sorted_movie_vocab.json")
                + " [2858,260,1196,1210,480,2028,589,2571,1270,593]\n"), text);
        assertTrue(text.matches("(?s).*\ninit       [0-9.]+ ms \\(Model.load and new Interpreter\\)\n.*"), text);
        assertTrue(text.matches("(?s).*\nfirst      [0-9,.]+ us\n.*"), text);
        assertTrue(text.matches("(?s).*\nwarm-up    [0-9,]+ runs in [0-9.]+ s, avg [0-9,.]+ us\n.*"), text);
        assertTrue(text.contains("\ninference  20 runs in "), text);
        assertTrue(text.matches("(?s).*\n +avg [0-9,.]+  min [0-9,.]+  median [0-9,.]+  p95 [0-9,.]+  max [0-9,.]+  std [0-9,.]+ us\n.*"), text);
        assertTrue(text.matches("(?s).*\nmemory     heap retained -?[0-9,]+ bytes .*"), text);
        assertTrue(text.contains("constant data 552,640 bytes in 18 tensors, arenas "
                + String.format(java.util.Locale.ROOT, "%,d", model.arenaBytes()) + " bytes\n"), text);
        assertTrue(text.matches("(?s).*\nallocated  [0-9,.]+ bytes per run \\(Java heap the thread allocated around each op, 20 runs .*"), text);
        assertTrue(text.contains("per-op profile: 20 runs of invokeProfiled"), text);
        assertTrue(text.matches("(?s).*\n +13  FULLY_CONNECTED  float32\\[1,3953\\] +[0-9.]+ +[0-9.]+ +[0-9.]+\n.*"), text);
        assertTrue(text.matches("(?s).*\n +15  TOPK_V2 +float32\\[100\\], int32\\[100\\] +[0-9.]+.*"), text);
        assertTrue(text.contains("\ntop 10 ops by time\n"), text);
        assertTrue(text.matches("(?s).*\n  FULLY_CONNECTED +3 +[0-9.]+ +[0-9.]+\n.*"), text);

        JsonObject j = lastLineJson(r);
        for (String key : REQUIRED_KEYS) assertTrue(j.has(key), "missing " + key + " in " + j);
        assertEquals(file.toString(), j.get("model").getAsString());
        assertEquals(VectorWidth.describe(), j.get("vector_width").getAsString());
        assertTrue(j.get("jdk").getAsString().startsWith(Runtime.version().toString()), j.get("jdk").getAsString());
        assertEquals(1, j.get("threads").getAsInt());
        assertEquals("movielens-history", j.get("input_source").getAsString());
        assertEquals(20, j.get("runs").getAsInt());
        assertEquals(20, j.get("profile_runs").getAsInt());
        assertTrue(j.get("warmup_runs").getAsInt() >= 3, j.toString());
        double min = number(j, "min_us");
        double median = number(j, "median_us");
        double p95 = number(j, "p95_us");
        double max = number(j, "max_us");
        double avg = number(j, "avg_us");
        assertTrue(0 < min && min <= median && median <= p95 && p95 <= max, j.toString());
        assertTrue(min <= avg && avg <= max, j.toString());
        assertTrue(number(j, "init_ms") > 0 && number(j, "first_us") > 0 && number(j, "warmup_avg_us") > 0, j.toString());
        assertEquals(552_640, number(j, "constant_bytes"));
        assertEquals(model.arenaBytes(), (long) number(j, "arena_bytes"));
        assertEquals(Files.size(file), (long) number(j, "model_file_bytes"));
        // The parsed file and decoded constants alone are over a megabyte; the GC-based measure cannot miss that.
        assertTrue(number(j, "memory_bytes") > 552_640, j.toString());

        assertEquals(model.fusions().size(), j.getAsJsonArray("fusions").size(), j.toString());
        assertTrue(j.getAsJsonArray("fusions").toString().contains("FULLY_CONNECTED + RESHAPE + TOPK_V2"), j.toString());
        JsonArray ops = j.getAsJsonArray("ops");
        assertEquals(operators.size(), ops.size());
        double percent = 0;
        for (int i = 0; i < ops.size(); i++) {
            JsonObject op = ops.get(i).getAsJsonObject();
            assertEquals(i, op.get("index").getAsInt());
            assertEquals(BuiltinOp.name(operators.get(i).opcode()), op.get("op").getAsString());
            assertTrue(number(op, "avg_us") >= 0, op.toString());
            percent += number(op, "percent");
        }
        assertEquals(100, percent, 0.5);
        // The allocation pass: as many runs as were timed (at most 1000), the total the sum of the ops' figures.
        assertEquals(20, j.get("allocation_runs").getAsInt());
        double allocated = 0;
        for (int i = 0; i < ops.size(); i++) {
            double opBytes = number(ops.get(i).getAsJsonObject(), "allocated_bytes_per_run");
            assertTrue(opBytes >= 0, ops.get(i).toString());
            allocated += opBytes;
        }
        assertEquals(number(j, "allocated_bytes_per_run"), allocated, 0.05 * ops.size() + 1e-9);

        // The text's average is the JSON's, rounded.
        Matcher m = Pattern.compile("\n +avg ([0-9,.]+)  min").matcher(text);
        assertTrue(m.find(), text);
        assertEquals(avg, Double.parseDouble(m.group(1).replace(",", "")), 0.006);
    }

    @Test
    void everyMovieLensModelBenchesWithItsHistory() {
        for (String name : List.of("bow", "rnn", "cnn-genre")) {
            MainTest.Result r = run(Map.of("TFL4J_MODELS", Fixtures.modelsDir().toString()),
                    List.of("bench", name, "--runs", "5", "--warmup-runs", "1", "--warmup-seconds", "0", "--json")).succeeds();
            JsonObject j = lastLineJson(r);
            assertEquals("movielens-history", j.get("input_source").getAsString(), name);
            assertEquals(5, j.get("runs").getAsInt(), name);
        }
        String genre = benchReal("cnn-genre").succeeds().out();
        // The benchmarks' genre input: every genre of the 10 movies in order until 32 slots are full.
        assertTrue(genre.contains("movie_genre_vocab.txt [2,1,3,7,16,8,3,7,1,8,11,3,7,5,8,11,3,7,8,3,1,11,3,8,4,3,8,4,2,8,1,4]\n"), genre);
    }

    @Test
    void otherModelsGetGeneratedIdsWithinTheirTables() throws IOException {
        Path real = Fixtures.file("recommendation_cnn_i10o100.tflite");
        Path renamed = Files.copy(real, tmp.resolve("mine.tflite"));
        MainTest.Result r = run(Map.of(), withFewRuns("bench", renamed.toString(), "--json", "--seed", "7")).succeeds();
        assertTrue(r.out().contains("\ninput      generated (seed 7): input 0 int32[10] ids in [1, 3953) "
                + "(GATHER op 4 table float32[3953,16], axis 0)\n"), r.out());
        JsonObject j = lastLineJson(r);
        assertEquals("generated", j.get("input_source").getAsString());
        assertEquals(7, j.get("seed").getAsInt());

        // The published file name without its config anywhere: generated, saying why.
        Path alone = Files.createDirectories(tmp.resolve("alone"));
        Path copy = Files.copy(real, alone.resolve("recommendation_cnn_i10o100.tflite"));
        String out = run(Map.of(), withFewRuns("bench", copy.toString())).succeeds().out();
        assertTrue(out.contains("\ninput      generated (seed 42; no MovieLens history: config_cnn_i10o100.json not found"
                + " beside the model or in the model folders): input 0 int32[10] ids in [1, 3953)"), out);
    }

    private static List<String> withFewRuns(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(FEW_RUNS);
        return all;
    }

    @Test
    void threadsAndMinimumTimeAreHonoured() {
        MainTest.Result r = run(Map.of("TFL4J_MODELS", Fixtures.modelsDir().toString()),
                List.of("bench", "cnn", "--threads", "2", "--runs", "1", "--min-seconds", "0.05", "--warmup-runs", "1",
                        "--warmup-seconds", "0", "--json")).succeeds();
        assertTrue(r.out().contains(", TFLite arithmetic of 2 threads\n"), r.out());
        JsonObject j = lastLineJson(r);
        assertEquals(2, j.get("threads").getAsInt());
        assertEquals(0.05, number(j, "min_seconds"));
        assertTrue(j.get("runs").getAsInt() > 1, j.toString());
        // A single cold warm-up run may overstate a run's time, and so undersize the sample array: then it says so.
        boolean cutShort = j.get("stopped_at_sample_limit").getAsBoolean();
        assertTrue(number(j, "seconds") >= 0.05 || cutShort, j.toString());
        assertEquals(cutShort, r.out().contains(", stopped at the sample limit before --min-seconds\n"), r.out());
    }

    @Test
    void timedRunsGoOnUntilTheMinimumTimeOrTheEndOfTheSamples() {
        Model model = Model.load(Fixtures.file("recommendation_cnn_i10o100.tflite"));
        Object[] values = BenchInputs.generated(model, 1, null).values();
        try (Interpreter interpreter = new Interpreter(model, new Interpreter.Options())) {
            long[] samples = new long[100_000];
            int n = BenchCommand.timeRuns(interpreter, values, samples, 1, 20_000_000L);
            long total = 0;
            for (int i = 0; i < n; i++) total += samples[i];
            assertTrue(n > 1 && total >= 20_000_000L && total - samples[n - 1] < 20_000_000L, n + " runs, " + total + " ns");
            assertEquals(7, BenchCommand.timeRuns(interpreter, values, samples, 7, 0));
            assertEquals(3, BenchCommand.timeRuns(interpreter, values, new long[3], 1, 3_600_000_000_000L));
        }
    }

    // ---- .npy inputs and generated inputs on a tiny model ----

    @Test
    void npyInputsAreCheckedAndUsed() throws IOException {
        Path model = TinyModels.scaleAndReshape(tmp, "tiny.tflite");
        Path x = tmp.resolve("x.npy");
        Path ids = tmp.resolve("ids.npy");
        Npy.write(x, NpyArray.ofFloats(new int[] {2, 3}, 1, 2, 3, -4, 0.5f, -0f));
        Npy.write(ids, NpyArray.ofInts(new int[] {2, 2}, 5, -6, 7, 8));
        MainTest.Result r = run(Map.of(), withFewRuns("bench", model.toString(), x.toString(), ids.toString(), "--json")).succeeds();
        assertTrue(r.out().contains("\ninput      .npy files: " + x + ", " + ids + "\n"), r.out());
        JsonObject j = lastLineJson(r);
        assertEquals("npy", j.get("input_source").getAsString());
        assertFalse(j.has("seed"));
        assertEquals(3, j.getAsJsonArray("ops").size());
        assertEquals("MUL", j.getAsJsonArray("ops").get(0).getAsJsonObject().get("op").getAsString());
        assertEquals("int32[2,2]", j.getAsJsonArray("ops").get(2).getAsJsonObject().get("output").getAsString());

        String m = model.toString();
        run("bench", m, x.toString()).fails(2, "the model has 2 inputs, got 1 .npy file");
        run("bench", m, x.toString(), ids.toString(), ids.toString()).fails(2, "the model has 2 inputs, got 3 .npy files");
        run("bench", m, ids.toString(), x.toString()).fails(2, ids + " is <i4, input 0 'x' FLOAT32[2, 3] needs <f4");
        Path short32 = tmp.resolve("ids3.npy");
        Npy.write(short32, NpyArray.ofInts(new int[] {3}, 1, 2, 3));
        run("bench", m, x.toString(), short32.toString()).fails(2, short32 + " has shape [3] (3 elements), input 1 'ids' INT32[4] needs 4");
        run("bench", m, x.toString(), tmp.resolve("none.npy").toString()).fails(2, "file not found: " + tmp.resolve("none.npy"));
        Path bad = Files.write(tmp.resolve("bad.npy"), new byte[] {1, 2, 3});
        run("bench", m, x.toString(), bad.toString()).fails(2, bad + ": not a .npy file");
    }

    @Test
    void withoutNpyFilesInputsAreGeneratedFromTheirTypes() throws IOException {
        Path model = TinyModels.scaleAndReshape(tmp, "tiny.tflite");
        String out = run(Map.of(), withFewRuns("bench", model.toString())).succeeds().out();
        assertTrue(out.contains("\ninput      generated (seed 42): input 0 float32[2,3] uniform in [-1, 1), input 1 int32[4] in [0, 10)\n"), out);
    }

    // ---- usage ----

    @Test
    void usageErrorsAreExitTwoWithOneLine() {
        assertTrue(run("bench", "--help").succeeds().out().startsWith("Usage: tfl4j bench MODEL"));
        assertTrue(run("help", "bench").succeeds().out().startsWith("Usage: tfl4j bench MODEL"));
        assertTrue(run("--help").succeeds().out().contains("\n  bench MODEL [IN.npy ...]"));
        run("bench").fails(2, "bench needs a MODEL");
        run("bench", "cnn", "--bogus").fails(2, "unknown option --bogus for 'bench'");
        run("bench", "cnn", "--runs", "0").fails(2, "--runs must be a positive integer, got '0'");
        run("bench", "cnn", "--runs", "x").fails(2, "--runs must be a positive integer, got 'x'");
        run("bench", "cnn", "--runs", "-5").fails(2, "--runs must be a positive integer, got '-5'");
        run("bench", "cnn", "--runs", "4000001").fails(2, "--runs must be at most 4,000,000, got 4000001");
        run("bench", "cnn", "--runs").fails(2, "--runs needs a value");
        run("bench", "cnn", "--warmup-runs", "0").fails(2, "--warmup-runs must be a positive integer, got '0'");
        run("bench", "cnn", "--warmup-seconds", "-1").fails(2, "--warmup-seconds must be a number of seconds from 0 to 3600, got '-1'");
        run("bench", "cnn", "--min-seconds", "NaN").fails(2, "--min-seconds must be a number of seconds from 0 to 3600, got 'NaN'");
        run("bench", "cnn", "--threads", "0").fails(2, "--threads must be -1 or a positive integer, got '0'");
        run("bench", "cnn", "--threads", "two").fails(2, "--threads must be -1 or a positive integer, got 'two'");
        run("bench", "cnn", "--seed", "1.5").fails(2, "--seed must be an integer, got '1.5'");
        run("bench", "cnn", "--json=yes").fails(2, "--json takes no value");
        run("bench", "cnn", "--runs", "3", "--runs", "4").fails(2, "--runs is given twice");
        run("bench", "cnn").fails(2, "recommendation_cnn_i10o100.tflite not found in ");
        run("bench", tmp.resolve("absent.tflite").toString()).fails(2, "model file not found: " + tmp.resolve("absent.tflite"));
    }

    // ---- parts ----

    @Test
    void latencyPercentilesAreNearestRank() {
        BenchCommand.Latency five = BenchCommand.Latency.of(new long[] {5, 1, 4, 2, 3, 99}, 5); // the 99 is past count
        assertEquals(new BenchCommand.Latency(5, 15, 3.0, 1, 3, 5, 5, Math.sqrt(2)), five);
        long[] twenty = new long[20];
        for (int i = 0; i < 20; i++) twenty[i] = 20 - i;
        BenchCommand.Latency l = BenchCommand.Latency.of(twenty, 20);
        assertEquals(10, l.median());
        assertEquals(19, l.p95());
        assertEquals(1, BenchCommand.Latency.of(new long[] {1}, 1).p95());
    }

    @Test
    void sampleCapacityCoversTheMinimumTimeWithMargin() {
        assertEquals(100, BenchCommand.capacity(100, 0, 1_000));
        assertEquals(1_500_016, BenchCommand.capacity(100, 1_000_000_000L, 1_000));
        assertEquals(BenchCommand.MAX_SAMPLES, BenchCommand.capacity(100, 3_600_000_000_000L, 10));
        assertEquals(2_000, BenchCommand.capacity(2_000, 1_000_000L, 1_000_000));
    }

    @Test
    void jsonLineEscapesStringsAndStaysOnOneLine() {
        String nasty = "a\"b\\c\nd\re\tf\bg\fh\u0001i\u001fj\u2028k\u2029l é ☃ \uD83C\uDFAC /";
        String json = new JsonLine().put("s", nasty).put("n", -3L).put("d", 1.0 / 3, 3).put("nan", Double.NaN, 2)
                .put("b", true).put("none", (String) null).putRaw("a", "[1,2]").toString();
        assertFalse(json.contains("\n") || json.contains("\r") || json.contains("\u2028"), json);
        JsonObject j = JsonParser.parseString(json).getAsJsonObject();
        assertEquals(nasty, j.get("s").getAsString());
        assertEquals(-3, j.get("n").getAsLong());
        assertEquals("0.333", j.get("d").getAsString());
        assertTrue(j.get("nan").isJsonNull());
        assertTrue(j.get("b").getAsBoolean());
        assertTrue(j.get("none").isJsonNull());
        assertEquals(2, j.getAsJsonArray("a").size());
        assertEquals("{}", new JsonLine().toString());
    }
}
