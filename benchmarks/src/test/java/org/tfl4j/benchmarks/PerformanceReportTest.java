package org.tfl4j.benchmarks;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link PerformanceReport} on hand-written JMH JSON: unit conversion, ratios to TFLite-XNNPACK, the tables. */
class PerformanceReportTest {

    private static String entry(String benchmark, String model, String engine, String unit, double p50, double p99,
                                Double workerBytes, double gcBytes) {
        String worker = workerBytes == null ? "" : ", \"inference.alloc.norm\": {\"score\": " + workerBytes + ", \"scoreUnit\": \"B/op\"}";
        return "{\"jmhVersion\": \"1.37\", \"benchmark\": \"" + benchmark + "\", \"mode\": \"sample\", \"threads\": 1,"
                + " \"forks\": 1, \"jdkVersion\": \"17.0.15\", \"vmName\": \"OpenJDK 64-Bit Server VM\","
                + " \"vmVersion\": \"17.0.15+6\", \"warmupIterations\": 3, \"warmupTime\": \"1 s\","
                + " \"measurementIterations\": 5, \"measurementTime\": \"1 s\","
                + " \"params\": {\"engine\": \"" + engine + "\", \"model\": \"" + model + "\"},"
                + " \"primaryMetric\": {\"score\": " + (p50 * 1.1) + ", \"scoreUnit\": \"" + unit + "\","
                + " \"scorePercentiles\": {\"0.0\": 1.0, \"50.0\": " + p50 + ", \"99.0\": " + p99 + ", \"100.0\": " + (p99 * 2) + "}},"
                + " \"secondaryMetrics\": {\"gc.alloc.rate.norm\": {\"score\": " + gcBytes + ", \"scoreUnit\": \"B/op\"}" + worker + "}}";
    }

    private static final String E2E = "org.tfl4j.benchmarks.EndToEndBenchmark.inference";

    private static final String JSON = "[\n"
            + entry(E2E, "cnn", "tflite-xnnpack", "us/op", 60.0, 80.0, 0.0, 20.0) + ",\n"
            + entry(E2E, "bow", "tfl4j", "ns/op", 30_000.0, 45_500.0, 0.0, 12.3) + ",\n"   // ns: 30 µs median
            + entry(E2E, "bow", "tflite-xnnpack", "us/op", 60.0, 75.0, 0.0, 15.0) + ",\n"
            + entry(E2E, "bow", "tflite-builtin", "us/op", 48.0, 70.0, 0.0, 14.0) + ",\n"
            + entry(E2E, "cnn", "tfl4j", "us/op", 90.0, 120.0, 24.0, 40.0) + ",\n"
            + entry("org.tfl4j.benchmarks.SomethingElse.run", "bow", "tfl4j", "us/op", 1.0, 2.0, 0.0, 0.0) + "\n"
            + "]";

    @Test
    void readsMediansP99AndBytesInMicroseconds() {
        PerformanceReport.Run run = PerformanceReport.parse(JSON, "jdk17.json");
        assertEquals(5, run.results().size(), "the other benchmark's entry is ignored");
        assertEquals("17.0.15", run.jdkVersion());
        PerformanceReport.Result bow = run.results().stream()
                .filter(r -> r.model().equals("bow") && r.engine().equals("tfl4j")).findFirst().orElseThrow();
        assertEquals(30.0, bow.medianMicros(), 1e-9);
        assertEquals(45.5, bow.p99Micros(), 1e-9);
        assertEquals(0.0, bow.bytesPerOp());
        assertEquals(12.3, bow.allThreadsBytesPerOp());
    }

    private static String withHistories(String entry, int histories) {
        return entry.replace("\"params\": {", "\"params\": {\"histories\": \"" + histories + "\", ");
    }

    @Test
    void runsOverSeveralHistoriesAreKeptApartAndMergedByJdk() {
        String one = withHistories(entry(E2E, "bow", "tfl4j", "us/op", 30.0, 40.0, 0.0, 1.0), 1);
        String xnnpackOne = withHistories(entry(E2E, "bow", "tflite-xnnpack", "us/op", 60.0, 70.0, 0.0, 1.0), 1);
        String varied = withHistories(entry(E2E, "bow", "tfl4j", "us/op", 40.0, 99.0, 0.0, 1.0), 64);
        String xnnpackVaried = withHistories(entry(E2E, "bow", "tflite-xnnpack", "us/op", 100.0, 120.0, 0.0, 1.0), 64);
        PerformanceReport.Run first = PerformanceReport.parse("[" + one + ",\n" + xnnpackOne + "]", "jdk17.json");
        PerformanceReport.Run second = PerformanceReport.parse("[" + varied + ",\n" + xnnpackVaried + "]", "jdk17-h64.json");
        assertEquals(0, first.variedHistories());
        assertEquals(64, second.variedHistories());
        assertEquals(0, second.results().size(), "runs over 64 histories are not one-history results");

        List<PerformanceReport.Run> merged = PerformanceReport.mergeByJdk(List.of(first, second));
        assertEquals(1, merged.size(), "one JDK");
        PerformanceReport.Run run = merged.get(0);
        assertEquals(30.0, find(run, "bow", "tfl4j").medianMicros(), 1e-9, "the target table keeps the one-history median");
        assertEquals(2, run.varied().size());
        assertEquals(0.4, PerformanceReport.ratioToBaseline(run.variedOnly(), run.varied().get(0)), 1e-12,
                "varied runs divide by XNNPACK over the same histories");

        String md = PerformanceReport.renderVaried(merged);
        assertTrue(md.startsWith("## Over 64 histories in turn"), md);
        assertTrue(md.contains("| bow | 17 | tfl4j | 40.0 | 99.0 | 0.40 | 0.000 |"), md);
        assertEquals("", PerformanceReport.renderVaried(List.of(first)), "no section without a varied run");

        String other = withHistories(entry(E2E, "bow", "tfl4j", "us/op", 40.0, 99.0, 0.0, 1.0), 16);
        assertThrows(IllegalArgumentException.class, () -> PerformanceReport.parse("[" + varied + ",\n" + other + "]", "x.json"),
                "two counts besides 1 would mix in one table");
    }

    @Test
    void ratiosDivideByXnnpackOfTheSameModel() {
        PerformanceReport.Run run = PerformanceReport.parse(JSON, "jdk17.json");
        assertEquals(0.5, PerformanceReport.ratioToBaseline(run, find(run, "bow", "tfl4j")), 1e-12);
        assertEquals(0.8, PerformanceReport.ratioToBaseline(run, find(run, "bow", "tflite-builtin")), 1e-12);
        assertEquals(1.5, PerformanceReport.ratioToBaseline(run, find(run, "cnn", "tfl4j")), 1e-12);
        assertEquals(1.0, PerformanceReport.ratioToBaseline(run, find(run, "cnn", "tflite-xnnpack")), 1e-12);
        PerformanceReport.Run noBaseline = PerformanceReport.parse("[" + entry(E2E, "rnn", "tfl4j", "us/op", 5, 6, 0.0, 1) + "]", "x");
        assertNull(PerformanceReport.ratioToBaseline(noBaseline, noBaseline.results().get(0)));
    }

    @Test
    void tablesListEveryResultInModelAndEngineOrderWithVerdicts() {
        PerformanceReport.Run run = PerformanceReport.parse(JSON, "jdk17.json");
        String md = PerformanceReport.render(List.of(run), List.of(),
                new PerformanceReport.Environment("2025-01-01 00:00 UTC", "Test CPU (2 logical CPUs available)", "benchmarks/run.sh --quick", List.of("a note")));
        assertTrue(md.contains("| bow | 17 | 0 | 30.0 | 60.0 | — | 0.50 | 0.000 | yes |"), md);
        assertTrue(md.contains("| cnn | 17 | 0 | 90.0 | 60.0 | — | 1.50 | 24 | no (time, allocation) |"), md);
        assertTrue(!md.contains("paired rounds (`run.sh --rounds`)"), "no rounds, no text about them");
        assertTrue(md.contains("## JDK 17.0.15"), md);
        String bowRows = "| bow | tfl4j | 30.0 | 45.5 | 0.50 | 0.000 | 12 |\n"
                + "| bow | tflite-builtin | 48.0 | 70.0 | 0.80 | 0.000 | 14 |\n"
                + "| bow | tflite-xnnpack | 60.0 | 75.0 | 1.00 | 0.000 | 15 |\n"
                + "| cnn | tfl4j | 90.0 | 120.0 | 1.50 | 24 | 40 |\n"
                + "| cnn | tflite-xnnpack | 60.0 | 80.0 | 1.00 | 0.000 | 20 |\n";
        assertTrue(md.contains(bowRows), md);
        assertTrue(md.contains("- CPU: Test CPU (2 logical CPUs available)"), md);
        assertTrue(md.contains("- Command: `benchmarks/run.sh --quick`"), md);
        assertTrue(md.contains("- a note"), md);
    }

    /** One paired round file: tfl4j and XNNPACK on one model, in the order given. */
    private static String round(String model, double tfl4j, double xnnpack, boolean tfl4jFirst, double tfl4jBytes) {
        String t = entry(E2E, model, "tfl4j", "us/op", tfl4j, tfl4j * 2, tfl4jBytes, 30.0);
        String x = entry(E2E, model, "tflite-xnnpack", "us/op", xnnpack, xnnpack * 2, 0.0, 30.0);
        return "[" + (tfl4jFirst ? t + ",\n" + x : x + ",\n" + t) + "]";
    }

    private static List<PerformanceReport.Round> roundsOf(String json, String source) {
        return PerformanceReport.rounds(PerformanceReport.parse(json, source));
    }

    @Test
    void pairedRoundsJudgeByTheMedianOfTheirRatios() {
        PerformanceReport.Run main = PerformanceReport.parse(JSON, "jdk17.json");   // bow 30 against 60 µs: 0.50
        List<PerformanceReport.Round> rounds = new ArrayList<>();
        // The host drifts: XNNPACK's medians move by 2x, each round's ratio stays between 0.40 and 0.55.
        rounds.addAll(roundsOf(round("bow", 8.0, 20.0, true, 0.0), "r1.json"));
        rounds.addAll(roundsOf(round("bow", 22.0, 40.0, false, 0.5), "r2.json"));
        rounds.addAll(roundsOf(round("bow", 9.0, 20.0, true, 0.0), "r3.json"));
        assertEquals(3, rounds.size());
        assertEquals("tfl4j", rounds.get(0).first());
        assertEquals("tflite-xnnpack", rounds.get(1).first(), "the file's order says which engine ran first");
        assertEquals(0.55, rounds.get(1).ratio(), 1e-12);

        String md = PerformanceReport.renderTarget(List.of(main), rounds);
        // medians of the rounds' medians (9 and 20 µs), median of the ratios 0.40, 0.55, 0.45; the most bytes of any
        assertTrue(md.contains("| bow | 17 | 3 | 9.00 | 20.0 | 0.40, 0.55, 0.45 | 0.450 | 0.500 | yes |"), md);
        assertTrue(md.contains("| cnn | 17 | 0 | 90.0 | 60.0 | — | 1.50 | 24 | no (time, allocation) |"),
                "a model without rounds keeps the main run's figures: " + md);
        assertTrue(md.contains("paired rounds (`run.sh --rounds`)"), md);
        assertTrue(md.contains("Rounds on JDK 17: mode sample, 1 fork(s)"), md);

        // A model only the rounds measured (the main run limited to others) still gets its row.
        rounds.addAll(roundsOf(round("rnn", 10.0, 40.0, true, 0.0), "r4.json"));
        assertTrue(PerformanceReport.renderTarget(List.of(main), rounds)
                .contains("| rnn | 17 | 1 | 10.0 | 40.0 | 0.25 | 0.250 | 0.000 | yes |\n"));

        // A round whose ratios straddle the target: the median decides, not the best round.
        List<PerformanceReport.Round> straddling = new ArrayList<>();
        straddling.addAll(roundsOf(round("bow", 9.0, 20.0, true, 0.0), "r1.json"));
        straddling.addAll(roundsOf(round("bow", 12.0, 20.0, false, 0.0), "r2.json"));
        straddling.addAll(roundsOf(round("bow", 11.0, 20.0, true, 0.0), "r3.json"));
        assertTrue(PerformanceReport.renderTarget(List.of(main), straddling)
                .contains("| 0.45, 0.60, 0.55 | 0.550 | 0.000 | no (time) |"));

        // Just above the target: three decimals, so the ratio does not read as 0.50 beside "no".
        List<PerformanceReport.Round> justAbove = roundsOf(round("bow", 10.068, 20.0, true, 0.0), "r1.json");
        assertTrue(PerformanceReport.renderTarget(List.of(main), justAbove).contains("| 0.50 | 0.503 | 0.000 | no (time) |"));

        assertThrows(IllegalArgumentException.class,
                () -> roundsOf("[" + entry(E2E, "bow", "tfl4j", "us/op", 5, 6, 0.0, 1) + "]", "x"),
                "a round needs both engines");
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, PerformanceReport.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, PerformanceReport.median(List.of(4.0, 1.0, 2.0, 3.0)));
        assertNull(PerformanceReport.median(List.of()));
    }

    @Test
    void profileShowsTheOpsOfThreePercentOrMoreAndSumsTheRest() {
        String bench = "model    x\n"
                + "{\"model\":\"/m/bow.tflite\",\"jdk\":\"17\",\"vector_width\":\"256-bit\",\"median_us\":8.5,"
                + "\"profile_total_us\":10.0,\"ops\":[{\"index\":0,\"op\":\"RESHAPE\",\"output\":\"int32[1,10]\","
                + "\"avg_us\":0.1,\"percent\":1.0},{\"index\":1,\"op\":\"TOPK_V2\",\"output\":\"float32[100]\","
                + "\"avg_us\":9.7,\"percent\":97.0},{\"index\":2,\"op\":\"CAST\",\"output\":\"float32[1,10]\","
                + "\"avg_us\":0.2,\"percent\":2.0}],\"fusions\":[\"ops 0, 1: A + B as C\",\"ops 2, 3: D as E\"]}";
        String md = PerformanceReport.renderProfiles(List.of(PerformanceReport.lastJsonLine(bench, "bench.json")));
        assertTrue(md.contains("**bow.tflite** (17, 256-bit): median 8.50 µs, profiled total 10.00 µs"), md);
        assertTrue(md.contains("| 1 | TOPK_V2 | `float32[100]` | 9.70 | 97.0 |"), md);
        assertTrue(md.contains("| | 2 other ops | | 0.30 | 3.0 |"), md);
        assertTrue(!md.contains("| RESHAPE |"), md);
        assertTrue(md.contains("Fused (each chain runs, and is timed, at its last op): ops 0, 1: A + B as C; ops 2, 3: D as E."), md);
        assertTrue(md.contains("### What bounds it"), md);
        assertThrows(IllegalArgumentException.class, () -> PerformanceReport.lastJsonLine("no json", "x"));
    }

    @Test
    void verdictNamesWhatMissesTheTarget() {
        assertEquals("yes", PerformanceReport.verdict(0.5, 0.2));
        assertEquals("no (time)", PerformanceReport.verdict(0.51, 0.0));
        assertEquals("no (allocation)", PerformanceReport.verdict(0.3, 16.0));
        assertEquals("no (time); allocation not measured", PerformanceReport.verdict(2.0, null));
        assertEquals("no XNNPACK result", PerformanceReport.verdict(null, 0.0));
    }

    @Test
    void refusesAFileWithoutEndToEndResults() {
        assertThrows(IllegalArgumentException.class, () -> PerformanceReport.parse("[]", "empty.json"));
    }

    private static PerformanceReport.Result find(PerformanceReport.Run run, String model, String engine) {
        return run.results().stream().filter(r -> r.model().equals(model) && r.engine().equals(engine)).findFirst().orElseThrow();
    }
}
