package org.tfl4j.benchmarks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@code docs/performance.md} from the JSON result files of {@link EndToEndBenchmark} runs (JMH
 * {@code -rf json}, one file per JDK): per model, engine and JDK the median and p99 µs per inference, the ratio of
 * the median to TFLite-XNNPACK's in the same run, and the bytes allocated per inference ({@code -prof gc}).
 *
 * <pre>java -cp benchmarks.jar org.tfl4j.benchmarks.PerformanceReport --out docs/performance.md
 *     [--command "how it was run"] [--note "a line about the machine"] [--profile bench.json]...
 *     [--round round.json]... result.json...</pre>
 * Each {@code --profile} file holds the JSON line of {@code tfl4j bench MODEL --json} for one model: the page then
 * shows where tfl4j's time goes, op by op. Each {@code --round} file holds one paired round ({@link Round}): one fork
 * of tfl4j and one of TFLite-XNNPACK per model, back to back; with rounds the target table judges each model by the
 * median of its rounds' ratios, which a host's drift between the engines' runs moves far less.
 */
public final class PerformanceReport {

    /** The engine every ratio divides by. */
    static final String BASELINE = "tflite-xnnpack";
    /** Goal of the performance issue: tfl4j median at most half of TFLite-XNNPACK's. */
    static final double TARGET_RATIO = 0.5;
    /**
     * An average below one byte per inference means no inference allocates as a rule (the smallest Java object
     * takes 16 bytes); a rare allocation (a deoptimization, a lazily built table) shows as a fraction.
     */
    static final double ZERO_ALLOCATION_BYTES = 1.0;

    private static final List<String> ENGINE_ORDER = List.of("tfl4j", "tfl4j-numerics4t", "tflite-builtin", "tflite-xnnpack");
    private static final Map<String, String> ENGINE_NOTES = new LinkedHashMap<>();

    static {
        ENGINE_NOTES.put("tfl4j", "tfl4j, TFLite's 1-thread arithmetic (the default numerics, bit-identical to TFLite builtin)");
        ENGINE_NOTES.put("tfl4j-numerics4t", "tfl4j reproducing TFLite's 4-thread arithmetic, still computed on the calling thread");
        ENGINE_NOTES.put("tflite-builtin", "official TFLite 2.21 (JavaCPP build), builtin kernels, 1 thread");
        ENGINE_NOTES.put("tflite-xnnpack", "official TFLite 2.21 (JavaCPP build), default XNNPACK delegate, 1 thread");
    }

    /** One benchmark result: a model on an engine in one JMH run. Times in µs; null where JMH gave none. */
    record Result(String model, String engine, Double medianMicros, Double p99Micros, Double meanMicros,
                  Double bytesPerOp, Double allThreadsBytesPerOp) {
    }

    /**
     * One JDK's JMH results (one JSON file, or several of the same JDK merged): {@code results} over the one repeated
     * representative history (EndToEndBenchmark's default, what the target is judged on), {@code varied} over
     * {@code variedHistories} histories in turn (none when that run was not made).
     */
    record Run(String source, String jdkVersion, String vmName, String vmVersion, String jmhVersion, String settings,
               List<Result> results, List<Result> varied, int variedHistories) {
        Run {
            results = List.copyOf(results);
            varied = List.copyOf(varied);
        }

        /** The same JDK's results over the varied histories, kept apart from the one-history results. */
        Run variedOnly() {
            return new Run(source, jdkVersion, vmName, vmVersion, jmhVersion, settings, varied, List.of(), 0);
        }
    }

    /**
     * One paired round ({@code run.sh --rounds}): one JMH fork of tfl4j and one of TFLite-XNNPACK on one model, back to
     * back; {@code first} is the engine that ran first (the rounds alternate it).
     */
    record Round(String jdkVersion, String settings, String model, String first, Result tfl4j, Result baseline) {
        /** tfl4j's median over XNNPACK's in this round; null when either is missing. */
        Double ratio() {
            Double t = tfl4j.medianMicros(), x = baseline.medianMicros();
            return t == null || x == null || x == 0 ? null : t / x;
        }
    }

    /** Where and how the runs were made, for the page header. */
    record Environment(String date, String cpu, String command, List<String> notes) {
    }

    private PerformanceReport() {
    }

    public static void main(String[] args) throws IOException {
        Path out = null;
        String command = null;
        List<String> notes = new ArrayList<>();
        List<Path> inputs = new ArrayList<>();
        List<Path> profiles = new ArrayList<>();
        List<Path> roundFiles = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out": out = Path.of(value(args, ++i, "--out")); break;
                case "--command": command = value(args, ++i, "--command"); break;
                case "--note": notes.add(value(args, ++i, "--note")); break;
                case "--profile": profiles.add(Path.of(value(args, ++i, "--profile"))); break;
                case "--round": roundFiles.add(Path.of(value(args, ++i, "--round"))); break;
                default: inputs.add(Path.of(args[i]));
            }
        }
        if (out == null || inputs.isEmpty()) {
            System.err.println("usage: PerformanceReport --out FILE.md [--command TEXT] [--note TEXT]... [--profile BENCH.json]..."
                    + " [--round ROUND.json]... RESULT.json...");
            System.exit(2);
        }
        List<Run> parsed = new ArrayList<>();
        for (Path p : inputs) parsed.add(parse(Files.readString(p, StandardCharsets.UTF_8), p.getFileName().toString()));
        List<Run> runs = mergeByJdk(parsed);
        List<Round> rounds = new ArrayList<>();
        for (Path p : roundFiles) {
            rounds.addAll(rounds(parse(Files.readString(p, StandardCharsets.UTF_8), p.getFileName().toString())));
        }
        Environment env = new Environment(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")),
                cpuModel(), command, notes);
        List<JsonObject> profileLines = new ArrayList<>();
        for (Path p : profiles) profileLines.add(lastJsonLine(Files.readString(p, StandardCharsets.UTF_8), p.toString()));
        String markdown = render(runs, rounds, env) + renderProfiles(profileLines);
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        Files.writeString(out, markdown, StandardCharsets.UTF_8);
        System.out.println("wrote " + out);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
        return args[i];
    }

    /** Reads one JMH JSON result file (a list of benchmark entries). Only {@code EndToEndBenchmark} entries are kept. */
    static Run parse(String json, String source) {
        JsonArray entries = JsonParser.parseString(json).getAsJsonArray();
        List<Result> results = new ArrayList<>();
        List<Result> varied = new ArrayList<>();
        int variedHistories = 0;
        String jdk = null, vmName = null, vmVersion = null, jmh = null, settings = null;
        for (JsonElement e : entries) {
            JsonObject entry = e.getAsJsonObject();
            if (!string(entry, "benchmark").endsWith("EndToEndBenchmark.inference")) continue;
            jdk = string(entry, "jdkVersion");
            vmName = string(entry, "vmName");
            vmVersion = string(entry, "vmVersion");
            jmh = string(entry, "jmhVersion");
            settings = "mode " + string(entry, "mode") + ", " + string(entry, "forks") + " fork(s), warmup "
                    + string(entry, "warmupIterations") + " × " + string(entry, "warmupTime") + ", measurement "
                    + string(entry, "measurementIterations") + " × " + string(entry, "measurementTime")
                    + ", " + string(entry, "threads") + " thread";
            JsonObject params = entry.getAsJsonObject("params");
            int histories = params.has("histories") ? Integer.parseInt(string(params, "histories")) : 1;
            JsonObject primary = entry.getAsJsonObject("primaryMetric");
            double toMicros = microsPer(string(primary, "scoreUnit"));
            JsonObject percentiles = primary.has("scorePercentiles") ? primary.getAsJsonObject("scorePercentiles") : new JsonObject();
            Double median = scaled(percentiles, "50.0", toMicros);
            Double p99 = scaled(percentiles, "99.0", toMicros);
            Double mean = primary.get("score").getAsDouble() * toMicros;
            Double bytes = null;
            Double allThreadsBytes = null;
            JsonObject secondary = entry.has("secondaryMetrics") ? entry.getAsJsonObject("secondaryMetrics") : new JsonObject();
            for (Map.Entry<String, JsonElement> m : secondary.entrySet()) {
                double score = m.getValue().getAsJsonObject().get("score").getAsDouble();
                // JMH names it "gc.alloc.rate.norm" (older versions put a middle dot in front)
                String key = m.getKey().replace("\u00b7", "");
                if (key.equals("gc.alloc.rate.norm")) allThreadsBytes = score;
                if (key.equals(InferenceAllocationProfiler.METRIC)) bytes = score;
            }
            Result result = new Result(string(params, "model"), string(params, "engine"), median, p99, mean, bytes, allThreadsBytes);
            if (histories == 1) {
                results.add(result);
            } else {
                if (variedHistories != 0 && variedHistories != histories) {
                    throw new IllegalArgumentException(source + ": runs over " + variedHistories + " and " + histories
                            + " histories; the report takes one count besides 1");
                }
                variedHistories = histories;
                varied.add(result);
            }
        }
        if (results.isEmpty() && varied.isEmpty()) throw new IllegalArgumentException(source + ": no EndToEndBenchmark results");
        return new Run(source, jdk, vmName, vmVersion, jmh, settings, results, varied, variedHistories);
    }

    /**
     * The runs with one JDK version merged into one (run.sh writes the one-history and the varied-history runs of a
     * JDK to two files), in first-seen order; the first file's JVM and JMH settings describe the merged run.
     */
    static List<Run> mergeByJdk(List<Run> runs) {
        Map<String, Run> byJdk = new LinkedHashMap<>();
        for (Run r : runs) {
            Run m = byJdk.get(r.jdkVersion());
            if (m == null) {
                byJdk.put(r.jdkVersion(), r);
                continue;
            }
            if (m.variedHistories() != 0 && r.variedHistories() != 0 && m.variedHistories() != r.variedHistories()) {
                throw new IllegalArgumentException(m.source() + ", " + r.source() + ": runs over " + m.variedHistories()
                        + " and " + r.variedHistories() + " histories; the report takes one count besides 1");
            }
            List<Result> results = new ArrayList<>(m.results());
            results.addAll(r.results());
            List<Result> varied = new ArrayList<>(m.varied());
            varied.addAll(r.varied());
            byJdk.put(r.jdkVersion(), new Run(m.source() + " + " + r.source(), m.jdkVersion(), m.vmName(), m.vmVersion(),
                    m.jmhVersion(), m.settings(), results, varied, Math.max(m.variedHistories(), r.variedHistories())));
        }
        return new ArrayList<>(byJdk.values());
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o == null ? null : o.get(key);
        return e == null || e.isJsonNull() ? "?" : e.getAsString();
    }

    private static Double scaled(JsonObject o, String key, double factor) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsDouble() * factor;
    }

    private static double microsPer(String unit) {
        switch (unit) {
            case "ns/op": return 1e-3;
            case "us/op": return 1;
            case "ms/op": return 1e3;
            case "s/op": return 1e6;
            default: throw new IllegalArgumentException("time unit " + unit + " is not a time per operation");
        }
    }

    /**
     * The paired rounds in one round file: per model that has both a tfl4j and a TFLite-XNNPACK result, one round
     * (the entries are in the order JMH ran them, which gives the engine that went first).
     */
    static List<Round> rounds(Run run) {
        List<Round> rounds = new ArrayList<>();
        for (String model : models(run)) {
            Result t = find(run, model, "tfl4j");
            Result x = find(run, model, BASELINE);
            if (t == null || x == null) continue;
            String first = run.results().indexOf(t) < run.results().indexOf(x) ? t.engine() : x.engine();
            rounds.add(new Round(run.jdkVersion(), run.settings(), model, first, t, x));
        }
        if (rounds.isEmpty()) throw new IllegalArgumentException(run.source() + ": no model with both tfl4j and " + BASELINE);
        return rounds;
    }

    /** The median of the values (the mean of the middle two for an even count); null for none. */
    static Double median(List<Double> values) {
        if (values.isEmpty()) return null;
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** tfl4j's (or any engine's) median over TFLite-XNNPACK's for the same model in the same run; null when either is missing. */
    static Double ratioToBaseline(Run run, Result r) {
        for (Result b : run.results()) {
            if (b.engine().equals(BASELINE) && b.model().equals(r.model())) {
                if (r.medianMicros() == null || b.medianMicros() == null || b.medianMicros() == 0) return null;
                return r.medianMicros() / b.medianMicros();
            }
        }
        return null;
    }

    static String render(List<Run> runs, List<Round> rounds, Environment env) {
        StringBuilder md = new StringBuilder();
        md.append("# Performance\n\n");
        md.append("<!-- Generated by benchmarks/run.sh (org.tfl4j.benchmarks.PerformanceReport); do not edit by hand. -->\n\n");
        md.append("End-to-end time of one recommendation inference (copy the history in, invoke, read the 100 ids and scores)\n")
                .append("for each published MovieLens model, measured by JMH (`EndToEndBenchmark`, sample time, one thread), with\n")
                .append("native TFLite 2.21 measured in the same run. Ratios divide a median by TFLite-XNNPACK's median for the same\n")
                .append("model on the same JDK. Bytes per inference: the Java heap the benchmark thread allocates over ")
                .append(AllocationProbe.INFERENCES).append("\n")
                .append("inferences after each iteration's timed loop (`AllocationProbe`, `-prof org.tfl4j.benchmarks.InferenceAllocationProfiler`).\n")
                .append("Beside it JMH's `gc.alloc.rate.norm` (`-prof gc`), which also counts JMH's own per-iteration bookkeeping\n")
                .append("(sample buffers, results; hundreds of KB per iteration, so tens of bytes per operation at these speeds,\n")
                .append("native TFLite included).\n\n");
        md.append("Target: tfl4j median / TFLite-XNNPACK median ≤ ").append(TARGET_RATIO)
                .append(" per model, single thread; 0 bytes allocated per inference.\n\n");
        md.append("- Date: ").append(env.date()).append('\n');
        md.append("- CPU: ").append(env.cpu()).append('\n');
        for (Run run : runs) {
            md.append("- JDK ").append(run.jdkVersion()).append(": ").append(run.vmName()).append(' ').append(run.vmVersion())
                    .append("; JMH ").append(run.jmhVersion()).append(", ").append(run.settings()).append('\n');
        }
        if (env.command() != null) md.append("- Command: `").append(env.command()).append("`\n");
        for (String note : env.notes()) md.append("- ").append(note).append('\n');
        md.append('\n');

        md.append(renderTarget(runs, rounds));

        for (Run run : runs) {
            md.append("## JDK ").append(run.jdkVersion()).append("\n\n");
            md.append("| model | engine | median µs | p99 µs | median / TFLite-XNNPACK | bytes / inference | gc.alloc.rate.norm B/op |\n");
            md.append("|---|---|---:|---:|---:|---:|---:|\n");
            for (String model : models(run)) {
                for (String engine : engines(run)) {
                    Result r = find(run, model, engine);
                    if (r == null) continue;
                    md.append("| ").append(model).append(" | ").append(engine).append(" | ").append(micros(r.medianMicros()))
                            .append(" | ").append(micros(r.p99Micros())).append(" | ").append(ratio(ratioToBaseline(run, r)))
                            .append(" | ").append(bytes(r.bytesPerOp())).append(" | ").append(bytes(r.allThreadsBytesPerOp())).append(" |\n");
                }
            }
            md.append('\n');
        }
        md.append(renderVaried(runs));

        md.append("## What runs\n\n");
        md.append("Models (`-p model=`): bow = `model_history10_top100.tflite`, cnn = `recommendation_cnn_i10o100.tflite`,\n")
                .append("rnn = `recommendation_rnn_i10o100.tflite`, cnn-genre = `recommendation_cnn_i10i32o100.tflite`.\n")
                .append("Input: the 10 most rated movies of `sorted_movie_vocab.json` (and for cnn-genre their 32 genre ids, built\n")
                .append("as the Android app does). Every engine starts the LSTM state from zero on each inference (TFLite's variable\n")
                .append("tensors are reset before each `Invoke()`), so all compute the same function; setup refuses to run an engine\n")
                .append("whose ids differ from the reference's.\n\n");
        md.append("Engines (`-p engine=`):\n\n");
        for (Map.Entry<String, String> e : ENGINE_NOTES.entrySet()) {
            md.append("- `").append(e.getKey()).append("`: ").append(e.getValue()).append('\n');
        }
        md.append("\nAn average below ").append(ZERO_ALLOCATION_BYTES)
                .append(" byte per inference counts as zero (the smallest Java object takes 16 bytes, so no inference\n")
                .append("allocates as a rule). The probe calls the inference from its own, colder loop: an allocation that C2's\n")
                .append("escape analysis removes only once the inference is inlined into JMH's hot loop still counts, since the\n")
                .append("engine's code should not allocate at all. Native TFLite's C++ memory is not Java heap and is not counted.\n")
                .append("\n")
                .append("Zero bytes per inference does not rest on the JIT's type profiles. Many of the kernels' vectors are loaded,\n")
                .append("broadcast, loop-carried or merged values whose static type is the abstract `FloatVector`; C2 compiles the Vector\n")
                .append("API calls on such a value into instructions, and keeps the vector out of the heap, only when it knows the value's\n")
                .append("class: from the code, or from a type profile that names one vector class. Until the kernels cast those values to\n")
                .append("their exact class (`VectorWidth.FLOAT_VECTOR`), the profile decided: without receiver profiles\n")
                .append("(`-XX:TypeProfileWidth=0`) the models allocated 1.2 MB (bow), 1.5 MB (cnn), 1.6 MB (rnn) and 4.6 MB (cnn-genre) per\n")
                .append("inference and ran 40-60x slower; in a JVM that first ran Vector API code at other widths, a cnn-genre recommendation\n")
                .append("allocated 0.9 to 4.6 MB; and one CI run saw 460 KB per cnn-genre recommendation, steady for 30 s, from an ordinary\n")
                .append("start (most likely this; the allocation tests now name the allocating op). With the casts every model allocates\n")
                .append("nothing in both cases, at the same speed; the engine's allocation tests run a third time with\n")
                .append("`-XX:TypeProfileWidth=0`. `tfl4j bench MODEL` prints the bytes a run allocates, op by op, so an application can\n")
                .append("check its own JVM.\n");
        return md.toString();
    }

    /**
     * The target table: per JDK and model, tfl4j against TFLite-XNNPACK. With paired rounds of that JDK and model the
     * medians are the medians of the rounds' medians and the verdict takes the median of the rounds' ratios; without,
     * the JDK's main run gives both medians and their ratio. The bytes are the most tfl4j allocated in any of them.
     */
    static String renderTarget(List<Run> runs, List<Round> rounds) {
        StringBuilder md = new StringBuilder();
        md.append("## Against the target\n\n");
        if (!rounds.isEmpty()) {
            md.append("JMH runs its parameters engine by engine, so in the tables further down tfl4j and TFLite-XNNPACK of one model\n")
                    .append("ran minutes apart, and a shared host's drift over those minutes lands in their ratio. Here each model ran in\n")
                    .append("paired rounds (`run.sh --rounds`): one JMH fork of tfl4j and one of TFLite-XNNPACK back to back, the engine\n")
                    .append("that goes first alternating from round to round. A round's ratio divides the two forks' medians; the verdict\n")
                    .append("takes the median of the rounds' ratios (three decimals, so that one just above the target shows), and the\n")
                    .append("µs columns the median of the rounds' medians, which need not divide to it.\n");
            rounds.stream().map(r -> "JDK " + major(r.jdkVersion()) + ": " + r.settings()).distinct()
                    .forEach(settings -> md.append("Rounds on ").append(settings).append(".\n"));
            md.append('\n');
        }
        md.append("| model | JDK | paired rounds | tfl4j median µs | TFLite-XNNPACK median µs | tfl4j / XNNPACK by round | tfl4j / XNNPACK"
                + " | tfl4j bytes / inference | target met |\n");
        md.append("|---|---|---:|---:|---:|---|---:|---:|---|\n");
        for (Run run : runs) {
            List<String> present = new ArrayList<>(models(run));
            rounds.stream().filter(r -> r.jdkVersion().equals(run.jdkVersion())).map(Round::model).forEach(present::add);
            for (String model : ordered(present.stream().distinct().toList(), MODEL_ORDER)) {
                Result t = find(run, model, "tfl4j");
                Result x = find(run, model, BASELINE);
                List<Round> paired = rounds.stream()
                        .filter(r -> r.jdkVersion().equals(run.jdkVersion()) && r.model().equals(model)).toList();
                if (t == null && paired.isEmpty()) continue;
                Double tfl4jMicros = t == null ? null : t.medianMicros();
                Double baselineMicros = x == null ? null : x.medianMicros();
                Double ratio = t == null ? null : ratioToBaseline(run, t);
                Double bytes = t == null ? null : t.bytesPerOp();
                String byRound = "—";
                if (!paired.isEmpty()) {
                    List<Double> ratios = new ArrayList<>();
                    List<Double> tfl4j = new ArrayList<>();
                    List<Double> baseline = new ArrayList<>();
                    List<String> shown = new ArrayList<>();
                    for (Round r : paired) {
                        if (r.ratio() != null) ratios.add(r.ratio());
                        tfl4j.add(r.tfl4j().medianMicros());
                        baseline.add(r.baseline().medianMicros());
                        shown.add(ratio(r.ratio()));
                        Double b = r.tfl4j().bytesPerOp();
                        if (b != null) bytes = bytes == null ? b : Math.max(bytes, b);
                    }
                    tfl4jMicros = median(tfl4j.stream().filter(v -> v != null).toList());
                    baselineMicros = median(baseline.stream().filter(v -> v != null).toList());
                    ratio = median(ratios);
                    byRound = String.join(", ", shown);
                }
                md.append("| ").append(model).append(" | ").append(major(run.jdkVersion())).append(" | ").append(paired.size())
                        .append(" | ").append(micros(tfl4jMicros)).append(" | ").append(micros(baselineMicros)).append(" | ")
                        .append(byRound).append(" | ").append(paired.isEmpty() ? ratio(ratio) : preciseRatio(ratio))
                        .append(" | ").append(bytes(bytes)).append(" | ")
                        .append(verdict(ratio, bytes)).append(" |\n");
            }
        }
        md.append('\n');
        return md.toString();
    }

    /**
     * The runs over varied histories, when there are any: per JDK, model and engine, the median and p99 over the
     * histories in turn and the ratio to TFLite-XNNPACK over the same histories.
     */
    static String renderVaried(List<Run> runs) {
        int histories = runs.stream().mapToInt(Run::variedHistories).max().orElse(0);
        if (histories == 0) return "";
        StringBuilder md = new StringBuilder();
        md.append("## Over ").append(histories).append(" histories in turn\n\n");
        md.append("The tables above feed every inference the same history, as TFLite's `benchmark_model` feeds one input, and a\n")
                .append("CPU's branch predictor then learns the data-dependent branches of that one input. Here every engine gets the\n")
                .append("same sequence of ").append(histories).append(" histories in turn (`-p histories=").append(histories)
                .append("`: the representative one, then 10 movies drawn from the ")
                .append(EndToEndBenchmark.VARIED_FROM_MOST_RATED).append("\n")
                .append("most rated, seed ").append(EndToEndBenchmark.VARIED_SEED)
                .append("; setup checks every one's ids against the reference engine), closer to a service answering\n")
                .append("different users. On the AMD machine of the earlier reports, tfl4j's difference was mostly TOPK_V2's sort, whose\n")
                .append("branches a repeated row teaches the CPU; that sort is now a bucket selection (see What bounds it). Neither\n")
                .append("engine was profiled op by op over these histories here. The target is judged on the tables above.\n\n");
        md.append("| model | JDK | engine | median µs | p99 µs | median / TFLite-XNNPACK | bytes / inference |\n");
        md.append("|---|---|---|---:|---:|---:|---:|\n");
        for (Run full : runs) {
            Run run = full.variedOnly();
            for (String model : models(run)) {
                for (String engine : engines(run)) {
                    Result r = find(run, model, engine);
                    if (r == null) continue;
                    md.append("| ").append(model).append(" | ").append(major(run.jdkVersion())).append(" | ").append(engine)
                            .append(" | ").append(micros(r.medianMicros())).append(" | ").append(micros(r.p99Micros()))
                            .append(" | ").append(ratio(ratioToBaseline(run, r))).append(" | ").append(bytes(r.bytesPerOp()))
                            .append(" |\n");
                }
            }
        }
        md.append('\n');
        return md.toString();
    }

    /** The last line of {@code tfl4j bench --json} output, parsed. */
    static JsonObject lastJsonLine(String output, String source) {
        String[] lines = output.strip().split("\n");
        String last = lines[lines.length - 1];
        if (!last.startsWith("{")) throw new IllegalArgumentException(source + ": the last line is not a JSON object");
        return JsonParser.parseString(last).getAsJsonObject();
    }

    /** Where the time goes: per model, the ops of {@code tfl4j bench}'s profile that take 3% or more. */
    static String renderProfiles(List<JsonObject> profiles) {
        if (profiles.isEmpty()) return "";
        StringBuilder md = new StringBuilder();
        md.append("\n## Where tfl4j's time goes\n\n");
        md.append("Per-op profile of `tfl4j bench MODEL --json` (`Interpreter.invokeProfiled`: one `System.nanoTime()` per op, in\n")
                .append("runs apart from the timed ones), same machine, right after the JMH runs. Ops under 3% are summed in the last row.\n\n");
        for (JsonObject p : profiles) {
            String model = Path.of(string(p, "model")).getFileName().toString();
            md.append("**").append(model).append("** (").append(string(p, "jdk")).append(", ").append(string(p, "vector_width"))
                    .append("): median ").append(String.format(Locale.ROOT, "%.2f", p.get("median_us").getAsDouble()))
                    .append(" µs, profiled total ").append(String.format(Locale.ROOT, "%.2f", p.get("profile_total_us").getAsDouble()))
                    .append(" µs\n\n");
            md.append("| op # | op | output | avg µs | % |\n|---:|---|---|---:|---:|\n");
            double restUs = 0, restPercent = 0;
            int restOps = 0;
            for (JsonElement e : p.getAsJsonArray("ops")) {
                JsonObject op = e.getAsJsonObject();
                double percent = op.get("percent").getAsDouble();
                double us = op.get("avg_us").getAsDouble();
                if (percent < 3) {
                    restUs += us;
                    restPercent += percent;
                    restOps++;
                    continue;
                }
                md.append("| ").append(op.get("index").getAsInt()).append(" | ").append(string(op, "op")).append(" | `")
                        .append(string(op, "output")).append("` | ").append(String.format(Locale.ROOT, "%.2f", us)).append(" | ")
                        .append(String.format(Locale.ROOT, "%.1f", percent)).append(" |\n");
            }
            if (restOps > 0) {
                md.append("| | ").append(restOps).append(" other ops | | ").append(String.format(Locale.ROOT, "%.2f", restUs))
                        .append(" | ").append(String.format(Locale.ROOT, "%.1f", restPercent)).append(" |\n");
            }
            if (p.has("fusions") && p.getAsJsonArray("fusions").size() > 0) {
                md.append("\nFused (each chain runs, and is timed, at its last op):");
                for (JsonElement f : p.getAsJsonArray("fusions")) md.append(" ").append(f.getAsString()).append(";");
                md.setLength(md.length() - 1);
                md.append(".\n");
            }
            md.append('\n');
        }
        md.append(WHAT_BOUNDS_IT);
        return md.toString();
    }

    /** Why the ops above cost what they do: the mechanisms, which stay true from run to run (the numbers are above). */
    static final String WHAT_BOUNDS_IT = "### What bounds it\n\n"
            + "- **This machine**: an Intel Xeon VM (AVX-512 and AMX; 16 float lanes; 2 MB of L2 per core; 2 vCPUs; CPU model\n"
            + "  167 as the VM reports it), the one of the report of 2026-12-06. The reports of 2026-12-05 came from another\n"
            + "  Intel Xeon VM (model 207, AVX-512, 2 MB of L2 per core) and, at 15:14, from an AMD EPYC VM of family 26 (Zen 5,\n"
            + "  AVX-512, 1 MB of L2 per core); earlier ones from an AMD EPYC VM with AVX2 (8 lanes). Ratios from different\n"
            + "  machines do not compare: TFLite-XNNPACK took 9-16 µs on cnn-genre on the Zen 5 VM, 17.8-40 µs on the model 207\n"
            + "  VM and 17.7-18.2 µs here. The host is shared and its speed drifts: on the model 207 VM timings moved by 10-30%\n"
            + "  within minutes with nothing else running, and both engines' medians by up to 80% between forks. Since\n"
            + "  2026-12-05 22:35 the target table takes paired rounds (see there): in the main run JMH measures the two\n"
            + "  engines of a model three minutes apart (it runs its parameters engine by engine), so that drift went into the\n"
            + "  ratio. The median of five rounds is what the verdict reads. This host was quieter: single JMH forks of tfl4j on\n"
            + "  cnn-genre (JDK 17) took 9.3-10.5 µs over the session, and one fork in four came out some 10% slower than the\n"
            + "  others (the JIT's code differs from fork to fork). Below, findings dated 2026-12-05, \"here\" in them and \"the\n"
            + "  Intel VM\" are the model 207 VM's; this session's (2026-12-06) say so.\n"
            + "  Measured on the model 207 VM (JMH, scratch kernels, not kept): from L1, a multiply and an add over 16 weights\n"
            + "  take 0.34 ns with eight independent sums (0.42 ns per 16 weights with 256-bit vectors); from L2, one stream of\n"
            + "  adds over 365 KB takes 1.9 µs when every 64-byte load is aligned and 3.7 µs when none is. TFLite's exact order, a\n"
            + "  multiply and a separate add per weight, costs twice XNNPACK's FMA in float operations. On the Zen 5 VM the large\n"
            + "  passes were bound by L2's bandwidth instead (390 KB of adds from L2 in 2.9-3.0 µs, about 130 GB/s; from L1 a\n"
            + "  multiply and an add cost no more than an FMA). Each JMH row merges two forks; on bow and rnn, `tfl4j` and\n"
            + "  `tfl4j-numerics4t` run the same ops, so their difference shows the noise.\n"
            + "- **Alignment, tuned at run time** (`PanelOrigin`, `PanelOrigins`): a 64-byte vector load that is not 64-byte\n"
            + "  aligned spans two cache lines, and the Java heap aligns arrays to 8 bytes only, so each JVM drew one of eight\n"
            + "  alignments for the label table and for each filter, and forks of one build fell into fast and slow groups.\n"
            + "  Java shows no array's address; instead every packed weight array has room for its data to start at any of its\n"
            + "  first 16 floats, its kernels take that origin, and each interpreter's node (with its own copy of the data) tunes\n"
            + "  it after 2,000 runs, one origin per run over the next 16: each run moves the data to the next origin, times the\n"
            + "  kernel 5 times there and runs at it, and the last moves the data to the fastest. Again after 60,000 runs, then\n"
            + "  every 2^20 runs, and after a garbage collection since the last tuning began (looked for every 4,096 runs, at\n"
            + "  most 16 times): G1 copies a young array at each collection it survives, each copy drawing another alignment,\n"
            + "  and in a JMH fork of cnn-genre it ran twelve young collections in the first 1.9 s, past the second tuning (the\n"
            + "  runs of 18:19 and 18:37 had no retuning after collections). A tuning allocates nothing; cnn-genre's five\n"
            + "  nodes, tuning together, took 90-140 µs per run over the 16 runs of the tuning at run 62,000, where the one run\n"
            + "  that tried every origin (before 2026-12-05 18:20) took 1.5 ms (10.5 µs untuned). The bits never depend on it.\n"
            + "  Measured here,\n"
            + "  JDK 17, the fused scoring pass alone on the models' tables and representative input, one JVM per line, 8 even\n"
            + "  origins: cnn-genre 6.4-6.6 µs at one origin against 7.7-8.4 at the seven others, cnn 4.4-4.8\n"
            + "  against 5.3-6.3, a different origin fast in each JVM. `tfl4j bench` (JDK 17): cnn 6.7-7.0 µs before, 5.6-6.1\n"
            + "  with the table tuned; cnn-genre 13.8-15.9 before, 13.2-13.4 over six JVMs with the table and the filters tuned.\n"
            + "  On the Zen 5 VM the same sums had taken 3.0-3.1 µs aligned against 4.2-4.5 unaligned.\n"
            + "  `-Dtfl4j.tunePanelOrigin=false` keeps every origin at 0 (the old behaviour), for comparison.\n"
            + "- **Scoring pass** (the label table's FULLY_CONNECTED + RESHAPE + TOPK_V2, fused as `F32GemvTopK`): 3953 x 16\n"
            + "  float32 weights (253 KB; x 32 and 506 KB for cnn-genre) against one input row, each unit's sum in Eigen's\n"
            + "  `dot4` order (four partial sums, a multiply then an add, never an FMA) so that the scores keep TFLite's bits.\n"
            + "  The table is packed once in a fixed shuffled order of its units and by input column, one panel per input. The\n"
            + "  input row comes out of a ReLU, and the pass reads only the panels of its non-zero inputs: on the representative\n"
            + "  histories 7 of 16 (bow), 12 of 16 (cnn, rnn) and 23 of 32 (cnn-genre). That is exact because each of dot4's\n"
            + "  partial sums starts at +0 and only adds products: such a sum is never -0, so adding a product of zero (±0, the\n"
            + "  weights being finite) leaves it unchanged. The non-zero inputs of two partial sums go in rounds, sixteen\n"
            + "  independent sums per round over 128 units (eight vectors): one pass over the even inputs' pair (l0, l2), then one\n"
            + "  over the odd inputs' (l1, l3). The first eighth of the units (a random sample) is scored first; its exact\n"
            + "  20th-largest score is the threshold (the ranks that reach the lanes' bound gathered from the bits of one compare\n"
            + "  pass over the sample), the sample is compared with it in a second such pass, and the rest compare each step's\n"
            + "  scores with it right after the odd pass stores them, reading them back from L1. The set bits are counted (fewer\n"
            + "  than 100: a second try at the sample's 24th, one compare pass over the stored scores), and only the 140-250\n"
            + "  units that reach it are visited again, counted into 128 buckets by rank, and the best 100 are sorted within\n"
            + "  their buckets (the threshold was the 24th until 2026-12-06: 150-270 units). End to end against the dense pass\n"
            + "  of the commit before (Intel VM, JDK 17, four alternating runs): bow 5.5-6.2 to 5.1-5.3 µs, cnn-genre 14.9-16.3\n"
            + "  to 13.6-14.6 µs, cnn and rnn within the noise.\n"
            + "  - On the Intel VM, the parts of the pass, kernel alone on cnn's table and representative input (12 non-zero inputs;\n"
            + "    scratch JMH runs, not kept, of the kernel cut after each part), JDK 17: the sums about 2.2-2.5 µs (12 x 3953\n"
            + "    weights at 0.65 ns per 16: 1.9 µs), the lanes' threshold about 0.2 µs, the compares inside the GEMV 0.45 µs (0.24\n"
            + "    on JDK 25, whose `VectorMask.toLong` is an intrinsic), the exact sample rank 0.25, the sample's compares and the\n"
            + "    bit count 0.27, collecting the 187 keys 0.63 and the bucket selection 0.57 µs. Taking the sample's ranks and keys\n"
            + "    from compare bits (was a compare, a first-true lane and a rank test per lane, and `firstTrue` is no intrinsic on\n"
            + "    JDK 17) gave, end to end, JDK 17, two alternating rounds of three forks: bow 5.28/5.42 to 4.86/4.41 µs, cnn\n"
            + "    7.04/7.07 to 6.05/6.30, rnn 9.17/8.90 to 8.74/8.26, cnn-genre 15.18/14.86 to 14.26/13.62.\n"
            + "  - The same parts on the Zen 5 VM, a scratch copy of the pass on a random 32 x 3953 table with 24 non-zero inputs,\n"
            + "    under `-XX:ObjectAlignmentInBytes=64` (panels unaligned in every fork), three forks per cut\n"
            + "    (µs, JDK 17 / JDK 25): the sums alone 3.97 / 3.91; with the sample first and the lanes' threshold 4.36 / 3.80;\n"
            + "    with the exact sample rank 4.40 / 3.94; with the sample's and the GEMV's compare bits 4.96 / 4.23; with the keys\n"
            + "    collected 5.23 (JDK 17); the whole pass 5.74 / 5.16. The threshold and compare bits cost about 1 µs on JDK 17\n"
            + "    against 0.3 µs on JDK 25: on JDK 17 each mask goes through a vector and back before its blend, and the bits take\n"
            + "    two 16-lane OR reductions per step (read with a disassembler: a capstone build of hsdis, not kept).\n"
            + "  - Not taken, on the Intel VM, kernel alone on cnn's data: the compare bits transposed (one int per lane and block\n"
            + "    of 32 vectors, a blend and an OR per vector, no reduction) cost 1.1 µs inside the GEMV against 0.45; the compares\n"
            + "    as a pass of their own after the GEMV 0.9 µs more; a per-step helper shared by both compare sites, reloading the\n"
            + "    step's four vectors from L1, 0.5 µs more; decoding the bits two ints at a time, within the noise.\n"
            + "  - The panels' alignment: see above.\n"
            + "  - One term loop per partial sum (four chains of four vectors) was slower at depth 16: cnn 6.8-7.0 against\n"
            + "    6.6-6.7 µs for the dense pass, in alternating runs of three forks each.\n"
            + "  - Rounds of all four partial sums over two vectors were slower still: cnn 8.0 against 6.7-6.8 µs for one\n"
            + "    loop per sum.\n"
            + "  - Panels 3968 floats apart started at only 8 offsets modulo 4 KB; they are now padded to 256 bytes apart.\n"

            + "  - Kernel-alone timings (ScoringBenchmark) moved by up to 2 µs between forks on the Intel VM during that work; the\n"
            + "    end-to-end runs above alternate the two builds.\n"
            + "  - Measured and not taken on the Intel VM: one pass over both halves of the x 16 dense table with its 16 broadcasts\n"
            + "    in registers (7.4 against 4.7 µs), decoding the reaching bits without branches (5.4 against 4.6 µs), collecting\n"
            + "    inside the last pass (no gain), 256 or 512 buckets (slower than 128).\n"
            + "  - Exactness rules out FMA and other summation orders, and bounds cannot skip units: over 200 seeded histories\n"
            + "    per model the 100th best score stayed below |w| |x| for (nearly) every unit. With the table's first 4 to 12\n"
            + "    principal directions kept exactly and the rest bounded by their norms, 3100 to 3953 of the 3953 units still\n"
            + "    could reach it.\n"
            + "  - Measured on the AVX2 AMD machine: a pass over a bfloat16 copy of the table (half the bytes, per-row error bounds)\n"
            + "    left 190 to 235 candidates with the exact top 100 on 64 histories, but rescoring them cost more than the pass\n"
            + "    saved. The ReLU zeros skipped by column tiles or compacted index lists over the dense layout ran 1.4 to 1.8 times\n"
            + "    slower per weight; the column panels above are what made skipping pay.\n"
            + "  - Built and measured here, not kept: that bounded first pass in full (two units' weights in one int, the high\n"
            + "    half read as a float with the low half in place, the low half shifted up; FMAs over the non-zero inputs; per\n"
            + "    unit a rigorous bound ||x|| (||w' - w|| + γ(||w|| + ||w'||)) on its distance from dot4, from the stored weights;\n"
            + "    the sample's threshold on the lower bounds; every unit whose upper bound reaches it rescored exactly from a\n"
            + "    row-major copy). Kernel alone, JDK 17, 300 varied histories, tables unaligned: on cnn-genre the bound pass took\n"
            + "    3.6-3.8 µs against 6.2 for the exact pass's sums, but the upper bounds and their bits 0.9 µs and rescoring the\n"
            + "    207 candidates 2.7-2.9 µs (6-7 ns each even alone: 32 dependent 4-lane multiply-adds and a reduction), 11.4 µs\n"
            + "    in all against 9.8; bow 7.6 against 6.2. The shift that unpacks the low half takes a vector port as an FMA\n"
            + "    does, so the pass does 1.5 operations per weight against the exact pass's 2.\n"
            + "  - Collecting the keys from bits flattened to positions without a branch per bit, and one insertion sort over\n"
            + "    the bucket-ordered best instead of one per bucket: kernel alone at its fastest origin, 0.3-1.1 µs faster over 64\n"
            + "    varied histories but 0.1-0.35 µs slower on the representative history repeated (whose branches the CPU\n"
            + "    learns), and two runs of unchanged code differed by up to 0.8 µs on varied input in that harness: not taken.\n"
            + "  - What bounds the sums on this machine (2026-12-05 from 17:30; scratch harnesses, not kept; cnn-genre's table\n"
            + "    shape with 23 non-zero inputs, the panels at their fastest origin, JDK 17): the instructions around the float\n"
            + "    work, not L2. With every term's loads pointed at one panel, so that the data stays in L1, the sums took the same\n"
            + "    3.0-3.4 µs as from L2, against 1.9 µs for their 5704 multiply-add pairs at the L1 rate above. In the JIT's code\n"
            + "    (read with a capstone build of hsdis, not kept) each round of 16 float operations carries five range-check\n"
            + "    compares and about ten integer operations: every vector load's index comes from the term list, so C2 checks each\n"
            + "    one (it folds one in four). Kept (2026-12-05 from 19:45): eight vectors per step instead of four, which halves\n"
            + "    those integer instructions per float operation, in two passes (the even inputs' pair, then the odd inputs' with\n"
            + "    the compare bits), since both pairs at eight vectors in one method ran C1 out of virtual registers. Kernel alone,\n"
            + "    both forms in one JVM, alternating in ABBA order (a harness that always ran the new form second favoured it by\n"
            + "    up to 1 µs), JDK 17: cnn-genre's table shape 5.4-5.7 to 4.7-5.0 µs, cnn's shape 4.3-4.8 to 3.8-4.2 µs; faster\n"
            + "    at 8 and 4 lanes as well. Four vectors per step in two passes was slower than in one, and the compares kept\n"
            + "    inside the register loop (as before) 0.05-0.2 µs slower than reading the step's scores back. Tried and not kept:\n"
            + "    - Methods unrolled per number of rounds, the panel offsets and broadcast inputs in locals, so that C2 checks every\n"
            + "      load once before the loop: the sums 2.6 µs against 3.1-3.2 (six rounds per pair). But from three rounds at four\n"
            + "      vectors per step, or six at two, C1 runs out of virtual registers, and a JVM that had compiled such a method at\n"
            + "      tier 2 stayed there, boxing every vector (50-350 µs per inference, 0.3-1 MB allocated); with a helper per\n"
            + "      multiply-add C2 stopped inlining at 28 calls (NodeCountInliningCutoff), with the same result.\n"
            + "    - Passes of at most four rounds, the partial sums kept in memory between two passes (blocks of 1,024 units so\n"
            + "      that they stay in L1) and the compares as a pass of their own: end to end (JMH, JDK 17, alternating builds)\n"
            + "      cnn 4.8-5.3 against 5.1-5.6 µs, cnn-genre 10.5-11.9 against 10.4-10.7 µs: nothing for the model that misses\n"
            + "      the target.\n"
            + "    - The table in blocks of 64 units, each block's 32 columns contiguous (one stream instead of 23 panels): the sums\n"
            + "      3.7 µs against 3.3-3.4.\n"
            + "    - Found on the way: a vector that is a constant on one path and a load on another is merged as an object, and C2\n"
            + "      then allocated every vector of the loop (8 µs against 2.3 for a pass of five rounds).\n"
            + "  - This session (2026-12-06, this machine; both builds in one JVM as described under cnn-genre below, JDK 17,\n"
            + "    cnn-genre's representative history unless said). Kept: the first try's threshold at the sample's rank 20\n"
            + "    (`F32GemvTopK.firstSampleRank`: k / 8 plus two standard deviations; TopKFilter's 24 adds 2 and rounds up to 8)\n"
            + "    with a second try at 24 when fewer than 100 reach it: 164 keys instead of 199 on cnn-genre's history, 143\n"
            + "    instead of 187 on cnn's; over 64 varied histories per model the first try fell short in 0 or 1 (rank 18: in 3\n"
            + "    to 8, and on cnn's representative history). 3.6% faster (six JVMs, all faster); cnn, bow and rnn faster or even.\n"
            + "    What the parts cost, each left out (a wrong answer, the same harness): the bucket selection 5.9% of the\n"
            + "    inference (about 0.55 µs); collecting the keys, selecting and writing the 100 13.6% (about 1.3 µs; writing\n"
            + "    the 100 about 1.5% of it, so collecting the 164 keys about 6%); the sample's threshold about 1.6%; the GEMV's\n"
            + "    compare bits on JDK 17 about 1.7%; the packing order's lookups under 1%. Not kept: the keys made from positions\n"
            + "    flattened without a branch per bit (1% slower); with that, one insertion sort over the bucket-ordered best\n"
            + "    (3.5% slower); each key also written to one of 8 slots of its bucket, so that no scatter pass is needed (1%\n"
            + "    slower); each key's place counted without a branch against its neighbours in a window, with 8-lane long\n"
            + "    vectors (3.5% slower); the positions flattened inside the odd pass (5% slower: the GEMV's own loop slowed); the\n"
            + "    even and odd passes taken step by step, so that a step's scores stay in L1 (2.5% slower on average, mixed);\n"
            + "    the table as [step][input][128 units] (scratch, the sums alone at their fastest origins: 3.10 µs against\n"
            + "    2.72-2.92 for the panels); 256 buckets (3% slower); a first try at rank 16 with an adaptive second try (the\n"
            + "    missing units at the rate the first try showed, plus 2): no gain with 121 keys instead of 164, so the gain of\n"
            + "    rank 20 is not in proportion to the keys (rank 16 and 20 as plain first tries both gave about 3%).\n"
            + "- **TOPK_V2** where it is not fused (k = 100 of 3953): a threshold from a 1-in-8 sample (one element of every\n"
            + "  eight), one vector pass collecting the values that reach it (the compares of 64 values become the bits of one\n"
            + "  long: through `VectorMask.toLong()` on JDK 21 and later, blended lane bits on JDK 17, where `toLong()` is\n"
            + "  computed lane by lane), then the same bucket selection; exact for any row (a row with NaN takes the replay of\n"
            + "  TFLite's heap). The sample keeps about 48 lane-best ranks whatever the width (96 at 16 lanes cost 0.9 of a\n"
            + "  2.8 µs TOPK_V2) and its j-th largest is counted without a reduction per candidate: TopKFilter alone on the\n"
            + "  models' logits 2.8 to 2.2 µs for one row. The buckets replaced a partial quicksort whose branches depend on\n"
            + "  the data: 3.2-3.5 to about 1.1 µs over the logits of 64 varied histories (0.8 to 0.7 µs for one row repeated,\n"
            + "  whose branches the CPU learns).\n"
            + "- **UNIDIRECTIONAL_SEQUENCE_LSTM** (rnn): 10 dependent steps, each the four gates' products (two 64 x 16\n"
            + "  GEMVs, the gates stacked), Eigen's logistic and tanh and the cell update in TFLite's order: short, serial work.\n"
            + "- **CONV_2D**: the same lanes-across-channels kernels in TFLite's GEMM or GEMV order, every load indexed from its\n"
            + "  loop's own counter (with a second induction variable JDK 17's C2 kept a bounds check on every vector load and\n"
            + "  did not unroll: 17 to 35% more time). The sequential sums' filters are packed four blocks per stream; a last,\n"
            + "  partial group's blocks run two at a time (at 16 lanes cnn's first convolution has two blocks: 0.37 to 0.33 µs\n"
            + "  alone). In the model the filters come from L2, the scoring pass having evicted L1. Measured and not taken:\n"
            + "  leaving out the zero inputs of the one-position convolutions (dot4; cnn's second, cnn-genre's movie branch,\n"
            + "  patches 45-60% zeros with the SAME padding) as the scoring pass does. Groups of four channel blocks over the\n"
            + "  non-zero inputs took 2.0 against 1.6 µs on a patch a quarter zeros (ConvBenchmark cnnGenre-19) and gained\n"
            + "  under 0.1 µs in the model: at 128 channels a round has too few vectors to hide the per-input work.\n"
            + "  The filters' origins are tuned as the label table's (above): in `tfl4j bench`'s profile of cnn-genre here (JDK 17,\n"
            + "  a few JVMs each) its two-position convolution took 2.07-2.11 µs against 2.29-2.46 before, its one-position one\n"
            + "  1.37-1.49 against 1.30-1.80 (1.85 and 1.24 in the profile of the report of 16:36).\n"
            + "  On the Zen 5 VM the convolutions alone (ConvBenchmark, JDK 17 / 25): cnn-genre's 0.40 / 0.32 (8 KB of filter,\n"
            + "  float work), 1.14 / 0.86 (128 KB, two positions), 0.49 and 1.07 µs (128 KB, one position): the 128 KB filters\n"
            + "  at about L2's bandwidth on JDK 17. The two-position one runs 25% faster on JDK 25 also when both JDKs get the\n"
            + "  same alignment (-XX:ObjectAlignmentInBytes=64: 1.14 against 0.89 µs), and its inner loop compiles to the same\n"
            + "  instructions on both (read with a disassembler): the difference lies around that loop, not found yet. Leaving\n"
            + "  out the zero inputs of the one-position convolution, measured again here on its 256 x 128 shape\n"
            + "  (scratch JMH): 1.63 (a quarter zeros) and 0.96-1.16 µs (half) against 1.03 µs dense, also with eight blocks per\n"
            + "  round over paired inputs (1.66 and 1.16 µs): the skipped rows break the eight block streams' sequential reads.\n"
            + "  The same for the sequential sums (2026-12-05, 22:00; scratch harness, not kept): cnn-genre's two-position\n"
            + "  convolution reads a ReLU output, 43% zeros (32% for the one-position one); a loop over the indices where either\n"
            + "  patch is non-zero (80% of them) took 2.42 µs against 2.24 for all 256, and listing them another 0.37 µs: each\n"
            + "  step's loads then take their index from the list, with a range check apiece. Its inner loop (read with a\n"
            + "  disassembler) is the 16 float operations, 4 loads and 2 broadcasts per step and some 15 integer instructions;\n"
            + "  the two patches interleaved in one array, to free registers, were slower with the copy (2.10 against 2.02 µs).\n"
            + "  Kept (2026-12-05, 23:25): a contiguous range instead, the patch values of a position that can hold input\n"
            + "  (`Conv2D.summedRange`; exact with finite weights, as above): the first and last of the three positions of\n"
            + "  cnn-genre's movie branch and cnn's first convolution have a filter column in the SAME padding. A pair sums\n"
            + "  the union of its two ranges, a lone position its own (the last: 96 of 128 values). Both builds in one JVM\n"
            + "  (below): cnn-genre 3.3% faster (all ten JVMs), cnn 1.2%. Every position on its own, to use both ranges in\n"
            + "  full, was no faster (eight JVMs).\n"
            + "  This session (2026-12-06, this machine): the sequential sums over each patch's listed non-zero values, two\n"
            + "  channel groups at a time (eight sums), instead of the pair over all values: cnn-genre's two-position\n"
            + "  convolution alone (scratch) 1.78 µs against 1.65, and 0.38 µs more to list its 512 values without a branch; 9%\n"
            + "  slower end to end. Each non-zero filter row is then read once per patch (8 loads per 16 float operations, where\n"
            + "  the pair shares each load between its patches), and L2 bounds it. A patch's zero ends left out at run time (the\n"
            + "  feature model's padded genre slots): even on the representative history (all 32 slots filled), 1% slower over\n"
            + "  64 varied histories (15-28 slots filled; the loops' varying lengths cost what the skipped work saved). The\n"
            + "  one-position convolution's input is 32-41% zeros on cnn-genre (39-49% on cnn): listing them costs about 0.7 ns\n"
            + "  per value without a branch, against about 1.4 ns of L2 reads saved per value on average; not tried.\n"
            + "  Kept (2026-12-05, 20:50): the one-position convolutions' last filter column meets only the SAME padding's +0\n"
            + "  (cnn-genre's movie branch: 64 of 256 patch values, cnn's: 32 of 128), and dot4 now leaves those rows out\n"
            + "  (`Conv2D.gemvDepth`: exact with finite weights, as for the scoring pass's zero inputs; a contiguous tail, so the\n"
            + "  streams stay sequential): a quarter of those filters' reads and float work. ConvBenchmark, JDK 17, three\n"
            + "  alternating runs on a noisy host: cnnGenre-19 1.6-1.9 to 0.7-1.5 µs, cnn-8 0.22-0.35 to 0.23-0.28 µs.\n"
            + "- **Where cnn stands**: met on both JDKs in this run (0.421 on JDK 17, 0.393 on JDK 25, paired rounds) and in the\n"
            + "  two runs of 2026-12-05 with paired rounds on the model 207 VM (0.418 / 0.392, 0.432 / 0.396).\n"
            + "- **Why cnn-genre stays above 0.5**: 0.524 on JDK 17 (rounds 0.55, 0.54, 0.52, 0.52, 0.52) and 0.539 on JDK 25\n"
            + "  (0.49, 0.55, 0.57, 0.54, 0.53) in this run (2026-12-06 01:06-01:32, the final code, a quieter host: XNNPACK\n"
            + "  17.7-18.3 µs); 0.525 / 0.510 in the last run on the model 207 VM. It needs about 5% more on JDK 17 and 7% on\n"
            + "  JDK 25, whose forks of tfl4j varied more here (8.7-9.9 µs in single forks over the session, against 9.3-10.2 on\n"
            + "  JDK 17). In this run's profile (JDK 17, median 10.1 µs) the scoring pass takes 5.5 µs: 23 of its 32 inputs are\n"
            + "  non-zero, their panels 365 KB read from L2 in about 3.2 µs (some 40 bytes per cycle; the float work alone\n"
            + "  would take about 2 µs); the rest is the threshold, compare bits, keys and selection (measured by leaving each\n"
            + "  out, see the scoring pass: the selection about 0.55 µs, the keys and the 100 written about 0.75). The four\n"
            + "  convolutions take 3.9 µs (0.71, 1.62, 0.70 and 0.92): the two-position one runs at the two float ports' rate\n"
            + "  of the exact order (16 float operations per step of four loads), the one-position one reads 96 KB from L2. The\n"
            + "  other 25 ops take 2.2 µs (the first FC, 0.46, among them; each op's timer, some 30-40 ns, included). So the\n"
            + "  floor of the exact order on this machine is the L2 traffic and the float ports, about 6 µs of the 9.5, with\n"
            + "  some 3 µs of integer work (threshold, keys, selection, small ops) around it; this session's attempts at that\n"
            + "  work are listed under the scoring pass and CONV_2D. Exactness rules out XNNPACK's FMA; the bounded first pass\n"
            + "  did not pay (above); the convolutions' weights cannot be read approximately without losing the bits, and\n"
            + "  leaving out their ReLU zeros did not pay (see CONV_2D). On the Zen 5 VM (L2-bound, XNNPACK 15.5-16.0 µs) it\n"
            + "  stood at 0.70 / 0.58 before the origin tuning.\n"
            + "  Kept on 2026-12-05 from 21:46, together 2.6% of cnn-genre's inference (geometric mean over ten JVMs,\n"
            + "  each running the build before and after in one JVM through two class loaders, alternating batches of 4,000\n"
            + "  inferences, the two builds' roles swapped from JVM to JVM; a scratch harness, not kept): the FULLY_CONNECTED\n"
            + "  weights' origin tuned as the filters' (the 256 x 32 layer alone, in L1: 0.20 µs aligned against 0.26-0.29),\n"
            + "  the interpreter's run loop without the 12 nodes that do nothing (fused ops, RESHAPEs sharing storage), and\n"
            + "  LOGISTIC's last vector overlapping the one before it instead of four scalar elements. With the convolutions'\n"
            + "  ranges (see CONV_2D, 3.3% more) about 6% in all.\n"
            + "  Profiled by instruction on 2026-12-06 from 02:15 (this machine, JDK 17): `perf record -e cpu-clock` works here\n"
            + "  (a software event; the VM has no hardware counters), and its sampled addresses, matched to C2's listing in the\n"
            + "  same JVM (a capstone build of hsdis; neither kept), give each source line its share. Of cnn-genre's inference:\n"
            + "  the convolutions' sequential sums over pairs of positions 20% (at the float ports' rate); the scoring pass's\n"
            + "  even and odd passes 17% and 11% (about 1.25% per 16 KB panel, some 44 bytes per cycle from L2), its compare bits\n"
            + "  6% (JDK 17's OR reductions; left out they saved only 1.7%, their work overlapping the L2 stream), collecting the\n"
            + "  keys 5.4%, the bucket scatter 2.5%, the sorts within buckets 1.5%, writing the 100 1%, the sample's threshold\n"
            + "  0.7%; the dot4 GEMVs (the FC layers, the one-position convolution) 10%, the convolutions' bias and clamp 3%, the\n"
            + "  masked embedding rows 2%, the megamorphic calls' stubs 2% (4% on JDK 25). Tried then, both builds in one JVM (as\n"
            + "  above; some 2-3% of noise per JVM), none faster: each bucket's insertion sort written inline (4 JVMs); the keys\n"
            + "  collected by a counted inner loop without the subnormal test when the threshold is a positive normal score (4);\n"
            + "  the keys collected inside the GEMV's compare-bit calls, so that their integer work overlaps the L2 stream (10);\n"
            + "  the bias add's two flushes left out when no bias can make a sum subnormal (each ±0, NaN or at least 2^-103 in\n"
            + "  magnitude; 4). In scratch: the scores array's alignment made no difference; the genre branch's two-position\n"
            + "  convolution (float-bound) interleaved in one loop with the movie branch's one-position one (L2-bound), to use\n"
            + "  both resources at once, boxed its vectors on JDK 17 (25 KB per call) and took 4.8 against 3.5 µs apart on JDK 25\n"
            + "  (24 live accumulators). And the one-position convolution's filter packed by input (one 512-byte panel per\n"
            + "  input, the even inputs' panels first), read as the scoring pass reads its table, only the non-zero inputs'\n"
            + "  panels in two passes: 1.15-1.22 against 1.26-1.32 µs for the channel blocks' dot4 over every input (scratch,\n"
            + "  the filter from L2, a third of the inputs zero, the same bits): about 0.1 µs of the inference. And the\n"
            + "  two-position convolution over each patch's non-zero inputs (43% zeros), in chunks of 32 filter rows so that\n"
            + "  the second patch finds its rows in L1 (scratch, the same bits): 2.1 against 2.35 µs for the pair over every\n"
            + "  input with the lists given, 2.6 with listing them (branch-free); JDK 25, as JDK 17 boxed its 16 sums.\n"
            + "  Tried on 2026-12-06 from 03:05 (this machine, JDK 17; the scoring kernel alone on each model's own table and the\n"
            + "  input its pass gets on the representative history, captured from the interpreter, the data at its fastest\n"
            + "  origin), not kept:\n"
            + "  - The bounded first pass (see the scoring pass) built again, with cheaper exact scores: two units' bfloat16\n"
            + "    weights to an int, eight FMA sums per step over the non-zero inputs, a bound per unit stored at load, the\n"
            + "    sample's rank 20 of the approximate scores as the threshold, and every unit whose upper bound reaches it\n"
            + "    scored exactly from a row-major float32 copy (a 128-bit vector, one lane per partial sum of dot4), then the\n"
            + "    same keys and buckets. All kernels' tests passed at every width. On cnn-genre 174 units were scored exactly\n"
            + "    (164 reach the exact pass's threshold; median 157 and at most 248 over the 65 histories, none declined). The\n"
            + "    kernel took 6.8 µs against 6.0-6.1 for the exact one (cnn: 4.8-4.9 against 4.4-4.5). Timed part by part:\n"
            + "    the first pass 2.7-2.9 µs, but listing the 174 units 0.25-0.3 and scoring them 1.15 (6.5 ns each; 6.0 a\n"
            + "    second time, their rows then in L1: some 65 instructions per unit in C2's code, the lanes' sum and the range\n"
            + "    checks included; 10 ns through a loop over the depth, 6.7 with four units per call). Lanes across units\n"
            + "    need the rows transposed: gathers (`fromArray` with an index map) took 7.5 µs for the 174 on JDK 17, and\n"
            + "    JDK 17's Vector API makes a two-vector shuffle of two one-vector shuffles and a blend (its source; not\n"
            + "    measured). Sixteen sums per step in one method, to spread each input's integer work over more FMAs, took\n"
            + "    12.7 µs, as when C1 ran out of registers before (see the scoring pass).\n"
            + "  - The keys' loop taking each word's first two bits without a branch (the rest as before): 6.7-7.1 against\n"
            + "    6.0-6.1 µs on the representative history repeated, whose branches the CPU learns; 7.0-7.4 against 7.3-7.5\n"
            + "    over the 65 histories in turn.\n"
            + "  - What the small ops between the large ones cost, end to end (both builds in one JVM, as above): cnn-genre's\n"
            + "    NOT_EQUAL and CAST nodes (four) each run twice per inference changed it by -1.6% to +4.8% over four JVMs\n"
            + "    (about 0 in the middle); its two REDUCE_MAX nodes and the CONCATENATION each run twice, by -0.4% and +1.4%\n"
            + "    (two JVMs). Fusing such nodes away, an idea of earlier notes, would save under 1%.\n"
            + "  - A paired JMH fork at 03:35 gave 11.8 against 20.1 µs (0.587) on this code, where this run measured 9.5\n"
            + "    against 18.1: the host had slowed both, tfl4j more (not looked into).\n"
            + "  Tried on 2026-12-06 from 04:06 (this machine, JDK 17, scratch harnesses on the models' own weights and the inputs\n"
            + "  captured from the interpreter; the host still slow: a paired fork gave 11.9 against 21.0 µs, 0.567, and the bench\n"
            + "  command timed the large ops 9-26% longer than after this run), none kept:\n"
            + "  - Pruning the label table by its geometry, further than the principal directions found above (see the scoring pass):\n"
            + "    cnn-genre's table has a flat spectrum, its singular values falling only from 1 to 0.68 over the first 31 of 32;\n"
            + "    and the exact sum over the largest inputs plus a Cauchy-Schwarz bound on the rest (the rest's norms taken per\n"
            + "    query, more than a kernel could afford) keeps all 3953 units as candidates until 20 of the 23 non-zero inputs are\n"
            + "    summed (numpy, the 65 captured inputs). Every unit needs its exact score or a bound as tight as the bfloat16\n"
            + "    pass's.\n"
            + "  - The two-position convolution over each patch's non-zero inputs, again: one loop for both patches, sixteen sums\n"
            + "    over all 128 channels, the shorter list padded with a zero input, the lists built cheaply (the compare bits by JDK\n"
            + "    17's OR reduction, then a table of each byte's bit positions: 0.12 µs for the 512 values). 1.53 against 1.74 µs at\n"
            + "    the fastest origin with the loop reading x through the lists; with each round's values gathered first, as the\n"
            + "    scoring pass does, 1.74-1.89 against 1.71-1.74; and in 2 of 4 JVMs C2 left the sixteen sums boxed (10.4-10.7 µs).\n"
            + "    The pair over every input reads its 128 KB filter at some 75 GB/s, and only the 22% of inputs that are zero in\n"
            + "    both patches save reads.\n"
            + "  - The even and odd passes in chunks of 256 to 8192 units, so that the scores stay in L1 between them: 6.05-6.65\n"
            + "    against 6.05-6.34 µs (the scoring kernel alone). The pair's loop over k unrolled by two: 10% faster at depth 32\n"
            + "    (the genre branch's first convolution), 6-15% slower at depths 128 and 256.\n"
            + "  - Where the float work stands. 512-bit adds from registers took 0.145 ns each (two ports: about 3.45 GHz). The\n"
            + "    pair's loop with its filter in L1 took about 2.9-3.4 ns per step of 16 multiplies and adds, some 10-12 cycles\n"
            + "    against the ports' 8 (C2's loop also carries about 13 integer instructions and a spilled pointer). cnn-genre's\n"
            + "    exact order needs about 230,000 multiply-adds per inference, each a multiply and a separate add: some 14,400\n"
            + "    cycles at 32 lane operations per cycle, about 4.2 µs at that clock. tfl4j's 9.5 µs is that, what the JIT's code\n"
            + "    costs over C's in the scoring pass (0.5-0.7 µs for the whole pass; see below), the L2 reads of that pass and of\n"
            + "    the convolutions, about 1.5-2 µs of selection, the convolution loops' ports at 70-80%, and the small ops. The\n"
            + "    per-function profile of a JMH fork (perf) on JDK 17: the scoring pass's even and odd passes 19.8% and 14.7%, the\n"
            + "    rest of its selection (keys, buckets, sorts) 11.9% and its compare bits 5%; the convolutions' paired sums 18.2%,\n"
            + "    the dot4 GEMVs 8.8%, the convolutions' bias and clamp 2.8%. On JDK 25 (10.8 µs that fork, against JDK 17's 11.9):\n"
            + "    17.8%, 12.7%, 14.7% and 2.8%; 20.7%, 10.7% and 2.0%; the call stubs 2.2%.\n"
            + "  Measured on 2026-12-06 from 04:53 (this machine; scratch copies of the loops on cnn-genre's weights and captured\n"
            + "  inputs, the data 64-byte aligned (`-XX:ObjectAlignmentInBytes=64` and the fastest origin), against the same loops in\n"
            + "  C: gcc 12.2 `-O2 -mavx512f -ffp-contract=off`, AVX-512 intrinsics, the same layout and order, hence the same bits),\n"
            + "  none kept in the engine:\n"
            + "  - What the exact order can reach here. The scoring pass's sums from L2 (both passes over 3968 units, the table's own\n"
            + "    panels, the representative input's 12 rounds): C 3.6 µs, tfl4j's loops 3.7 µs on JDK 17 and 3.5 on JDK 25. On a\n"
            + "    synthetic layout reading as many bytes (12 panels, each read twice) C took 3.0 µs, 3.2 with six range checks per\n"
            + "    round as C2 places them. With the data in L1 (every round on the same two panels): C 2.0 µs, tfl4j 2.9 (JDK 17)\n"
            + "    and 2.75 (JDK 25). So on this machine L2 bounds the pass, at about 1 KB per 8-10 ns (some 100-130 GB/s) even for\n"
            + "    C, whose loop takes 5.4 ns per round from L1: the JIT's extra instructions cost about 0.9 µs from L1 but\n"
            + "    0.1-0.3 µs from L2. This revises the finding above that the sums took as long with their data in L1 (the\n"
            + "    model 207 VM's): here they take 0.8 µs less.\n"
            + "  - The genre branch's two-position convolution (its 128 KB filter from L2): C 1.63 µs, tfl4j's pair loop 1.59-1.63\n"
            + "    (JDK 17) and 1.69 (JDK 25): at C's speed. C's loop takes 9.4 cycles per step from L1 (at 3.45 GHz), against the\n"
            + "    ports' 8.\n"
            + "  - With FMA (gcc's contraction, as a fast mode would sum): the scoring sums on the synthetic layout 2.8 µs from L2\n"
            + "    (1.6 from L1), the convolution 1.32. An opt-in fast mode would gain about 0.2 µs on the scoring pass, which L2\n"
            + "    bounds, and 0.3 on this convolution: less than the 1-1.5 µs that earlier notes estimated from the float operations\n"
            + "    alone.\n"
            + "  - So against C the exact mode has 0.5-0.7 µs left, in the scoring pass (its whole kernel, measured below). Closing\n"
            + "    all of it would take cnn-genre from 11.3 to about 10.7 µs on the host as it was at 04:54 (0.53 against XNNPACK's\n"
            + "    20.1 in that paired fork), or from this run's 9.5 to about 9.0 (0.50).\n"
            + "  - Where the sums' extra instructions lie: not in the range checks. With the Vector API's bounds checks switched off\n"
            + "    (`-Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0`, as an experiment only) the sums took as long (3.8 µs), since\n"
            + "    C2 then computes every load's address with three integer instructions, no longer folding the constant offsets. In\n"
            + "    C2's code the loop keeps the term list and the step's base in vector registers and moves them back in every round\n"
            + "    (five moves on the float ports), and it strip-mines the loop over rounds. Bounding the number of rounds\n"
            + "    (`rounds & 31`: no strip mining, fewer moves) made the sums 6-7% faster from L1 (2.93 to 2.75 µs on JDK\n"
            + "    17, 2.78 to 2.61 on JDK 25) but 1% (JDK 17) and 2.5% (JDK 25) from L2, within the noise end to end.\n"
            + "  - Also no faster: the term list interleaved (a round's two panel offsets and two values side by side, one index per\n"
            + "    round) with each step a method of its own, fewer values live (3.51-3.69 against 3.48-3.65 µs); a step's loads\n"
            + "    ordered by panel, highest offset first, for C2 to merge more range checks (no change); sixteen sums per step in\n"
            + "    the pair, both 64-channel groups at once from two filter streams (1.61-1.70 against 1.59-1.63 µs on JDK 17; 1.51\n"
            + "    against 1.69 on JDK 25); the first convolutions' positions four at a time (the genre branch's eight, sixteen sums:\n"
            + "    0.37-0.38 against 0.35-0.36 µs for the pairs' loops) or three (the movie branch's, twelve sums: 0.50-0.51 against\n"
            + "    0.51-0.52 µs for a pair and a single).\n"
            + "  - The per-function profile of a JMH fork (perf, JDK 17, median 11.8 µs that fork, of which the µs below are shares):\n"
            + "    the pair sums 20.3%, the scoring pass's even and odd passes 16.6% and 10.9%, the rest of its selection 13.6% and\n"
            + "    its compare bits 5.6%, the dot4 GEMVs 11.7%, the convolutions' bias and clamp 3.0%, the masked embedding rows\n"
            + "    2.2%, the megamorphic calls' stubs 1.7%. So the pair sums run at C's speed and the scoring sums 0.1-0.3 µs above\n"
            + "    it; the dot4 GEMVs' 136 KB of weights would take about 1.05 µs at L2's rate, against about 1.4 µs in this fork;\n"
            + "    for the selection see the next point. Shares of samples overstate what a part costs where it overlaps the L2\n"
            + "    stream: left out, the compare bits saved about 1.7% (see the scoring pass).\n"
            + "  - The whole fused scoring kernel in C, the same algorithm (the sample first, its lanes' best ranks and exact rank\n"
            + "    20, the compare bits from AVX-512 mask registers, the keys, buckets, sorts and the 100 written; the same packing\n"
            + "    order, hence the same 164 keys): 5.2-5.6 µs, against tfl4j's kernel 5.9-6.3 µs on JDK 17 and 5.7-5.9 on JDK 25\n"
            + "    (runs alternating, the Java kernels each at its fastest origin). C's, cut after each part: the sums 3.6 µs, the\n"
            + "    sample's threshold and exact rank 0.55, the compare bits and their count 0.2, collecting the keys 0.6, the\n"
            + "    buckets, sorts and writing 0.5. So the engine's scoring pass takes some 10-15% longer than C's with the same\n"
            + "    algorithm (medians 6.06 and 5.88 against 5.35 µs), and its convolutions run at C's speed: what the exact mode\n"
            + "    still lacks on this machine lies in the algorithm, not in the JIT's code.\n"
            + "  - A paired JMH fork at 04:54 (JDK 17) gave about 11.3 against 20.1 µs (0.56) on this code, and `tfl4j bench` timed\n"
            + "    the large ops 11-24% longer than after this run.\n"
            + "  Measured on 2026-12-06 from 05:48 (this machine; C as above, the same kernel on cnn-genre's table and captured\n"
            + "  input), none kept:\n"
            + "  - The host: a paired JMH fork (JDK 17) gave 11.5 against 19.5 µs (0.59) on this code.\n"
            + "  - L2's rate for one sequential stream, in C (adds of 64-byte aligned loads, eight sums): 365 KB in 2.15 µs, some\n"
            + "    174 GB/s or 50 bytes per cycle. The exact sums over as many bytes take 3.1-3.4 µs in C here (3.6 in the\n"
            + "    measurement above; tfl4j 3.7), so even in C the reads and the multiply-adds overlap only in part; none of the\n"
            + "    following moved that.\n"
            + "  - Software prefetch in C (`_mm_prefetch` to L1 of each round's 16 lines, 128, 256 or 512 floats ahead): the sums\n"
            + "    3.1-3.4, 3.5-3.6 and 4.1-4.3 µs against 3.1-3.4 without. The Vector API has no prefetch, and a load used as one\n"
            + "    would cost a load slot: not worth trying in Java.\n"
            + "  - The table laid out by step (each 128 units' inputs side by side, the even pass's inputs first, so that a pass\n"
            + "    reads one nearly sequential stream instead of one per non-zero input), in C: the sums 3.2-3.4 µs against 3.1-3.4\n"
            + "    for the panels, the same keys and top 100. So the 23 streams are not what costs.\n"
            + "  - Huge pages: in C, the table on a 2 MB page (`madvise`; this kernel's transparent huge pages are in madvise mode):\n"
            + "    the whole kernel 4.9-5.0 µs against 4.8-5.0. End to end, `-XX:+UseTransparentHugePages` (tfl4j alone, alternating\n"
            + "    forks): 11.52 and 10.90 µs against 11.58 and 10.91 without. The TLB is not what costs.\n"
            + "- Everything else (gathers, masks, pooling, small FCs, LOGISTIC on 100 values, RESHAPE as a no-op) is about 0.5-1 µs\n"
            + "  per model in all (about 1-1.5 µs for cnn-genre's two branches). cnn-genre's genre rows are 8 floats: they took the\n"
            + "  scalar code at 16 lanes until a row's last elements became one more vector running on into the next row\n"
            + "  (EmbeddingBenchmark 32x19x8: 285 to 127 ns; GATHER + MUL in the profile 0.30 to 0.17 µs).\n\n";

    /** "yes", or what misses the target, or what was not measured. */
    static String verdict(Double ratio, Double bytesPerOp) {
        if (ratio == null) return "no XNNPACK result";
        if (bytesPerOp == null) return ratio <= TARGET_RATIO ? "time yes; allocation not measured" : "no (time); allocation not measured";
        boolean fast = ratio <= TARGET_RATIO;
        boolean lean = bytesPerOp < ZERO_ALLOCATION_BYTES;
        if (fast && lean) return "yes";
        if (!fast && !lean) return "no (time, allocation)";
        return fast ? "no (allocation)" : "no (time)";
    }

    private static final List<String> MODEL_ORDER =
            Arrays.stream(MovieLensModel.values()).map(MovieLensModel::shortName).toList();

    private static List<String> models(Run run) {
        return ordered(run.results().stream().map(Result::model).distinct().toList(), MODEL_ORDER);
    }

    private static List<String> engines(Run run) {
        return ordered(run.results().stream().map(Result::engine).distinct().toList(), ENGINE_ORDER);
    }

    /** {@code present} sorted by position in {@code order}; names not in it keep their order, at the end. */
    private static List<String> ordered(List<String> present, List<String> order) {
        List<String> out = new ArrayList<>();
        for (String o : order) if (present.contains(o)) out.add(o);
        for (String p : present) if (!out.contains(p)) out.add(p);
        return out;
    }

    private static Result find(Run run, String model, String engine) {
        for (Result r : run.results()) if (r.model().equals(model) && r.engine().equals(engine)) return r;
        return null;
    }

    private static String major(String jdkVersion) {
        if (jdkVersion == null) return "?";
        String[] parts = jdkVersion.split("[.+\\-]");
        return parts.length == 0 ? jdkVersion : parts[0];
    }

    static String micros(Double us) {
        if (us == null) return "—";
        return String.format(Locale.ROOT, us < 10 ? "%.2f" : us < 1000 ? "%.1f" : "%.0f", us);
    }

    static String ratio(Double r) {
        return r == null ? "—" : String.format(Locale.ROOT, "%.2f", r);
    }

    /** A ratio the verdict is read from, to three decimals (0.503 shows as not met, where 0.50 would look met). */
    static String preciseRatio(Double r) {
        return r == null ? "—" : String.format(Locale.ROOT, "%.3f", r);
    }

    static String bytes(Double b) {
        if (b == null) return "—";
        return String.format(Locale.ROOT, b < 10 ? "%.3f" : "%.0f", b);
    }

    /** "AMD EPYC (2 logical CPUs)" from /proc/cpuinfo, or the JVM's architecture elsewhere. */
    static String cpuModel() {
        Path info = Path.of("/proc/cpuinfo");
        int cpus = Runtime.getRuntime().availableProcessors();
        try {
            if (Files.isReadable(info)) {
                for (String line : Files.readAllLines(info, StandardCharsets.UTF_8)) {
                    if (line.startsWith("model name")) {
                        return line.substring(line.indexOf(':') + 1).strip() + " (" + cpus + " logical CPUs available)";
                    }
                }
            }
        } catch (IOException e) {
            // fall through to the architecture
        }
        return System.getProperty("os.arch") + " (" + cpus + " logical CPUs available)";
    }
}
