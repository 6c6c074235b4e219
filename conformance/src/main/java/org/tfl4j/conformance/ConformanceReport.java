package org.tfl4j.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The conformance report: one row per subject (model or op) and reference configuration, collected from
 * every {@link Comparison} the tests record. Each {@link #record} rewrites the report files, so whatever ran
 * last is on disk even when a later test fails:
 * <ul>
 *   <li>{@code report.md} and {@code report.tsv} in the folder named by system property
 *       {@code tfl4j.conformance.reportDir} (the build sets {@code conformance/target/conformance});</li>
 *   <li>with {@code -Dtfl4j.updateDocs=true}, the table between the markers of {@code docs/conformance.md}
 *       (system property {@code tfl4j.conformance.docs}).</li>
 * </ul>
 */
public final class ConformanceReport {

    static final String BEGIN = "<!-- conformance-report:begin (generated; do not edit by hand) -->";
    static final String END = "<!-- conformance-report:end -->";

    private static final ConformanceReport GLOBAL = new ConformanceReport(
            path(System.getProperty("tfl4j.conformance.reportDir")),
            Boolean.getBoolean("tfl4j.updateDocs") ? path(System.getProperty("tfl4j.conformance.docs")) : null);

    private final Path reportDir;
    private final Path docs;
    private final Map<String, Comparison> rows = new LinkedHashMap<>();

    /**
     * A report written to {@code reportDir} (null: nowhere) and, when {@code docs} is not null, into the
     * generated part of that markdown file, on every {@link #record}.
     */
    public ConformanceReport(Path reportDir, Path docs) {
        this.reportDir = reportDir;
        this.docs = docs;
    }

    private static Path path(String property) {
        return property == null || property.isBlank() ? null : Path.of(property);
    }

    /** The report of this JVM, configured by the system properties above. */
    public static ConformanceReport global() {
        return GLOBAL;
    }

    /** Adds or replaces the row of {@code c}'s subject and configuration, then rewrites the report files. */
    public synchronized void record(Comparison c) {
        rows.put(c.kind() + "\u0000" + c.subject() + "\u0000" + c.configuration(), c);
        if (reportDir != null) write(reportDir);
        if (docs != null) updateDocs(docs);
    }

    public synchronized List<Comparison> rows() {
        List<Comparison> sorted = new ArrayList<>(rows.values());
        sorted.sort(Comparator.comparing((Comparison c) -> c.kind().equals("model") ? 0 : 1)
                .thenComparing(Comparison::subject)
                .thenComparing(Comparison::configuration));
        return sorted;
    }

    /** Writes {@code report.md} and {@code report.tsv} into {@code dir}. */
    public synchronized void write(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("report.md"), header() + "\n" + table(), StandardCharsets.UTF_8);
            StringBuilder tsv = new StringBuilder("kind\tsubject\tconfiguration\tcases\tfloat_values\tbit_identical\tmax_ulp"
                    + "\tulp_bound\tinteger_values\tinteger_mismatches\tfailures\n");
            for (Comparison c : rows()) {
                tsv.append(String.join("\t", c.kind(), c.subject(), c.configuration(), "" + c.cases(), "" + c.floatValues(),
                        "" + c.bitIdentical(), Ulp.describe(c.maxUlp()), "" + c.ulpBound(), "" + c.integerValues(),
                        "" + c.integerMismatches(), "" + c.failureCount())).append('\n');
            }
            Files.writeString(dir.resolve("report.tsv"), tsv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the conformance report to " + dir, e);
        }
    }

    /** Replaces the generated part of {@code docs} (between the markers) with the current table. */
    public synchronized void updateDocs(Path docs) {
        try {
            String text = Files.readString(docs, StandardCharsets.UTF_8);
            int begin = text.indexOf(BEGIN);
            int end = text.indexOf(END);
            if (begin < 0 || end < begin) {
                throw new IllegalStateException(docs + " lacks the markers " + BEGIN + " ... " + END);
            }
            String updated = text.substring(0, begin + BEGIN.length()) + "\n" + header() + "\n" + table() + text.substring(end);
            Files.writeString(docs, updated, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update " + docs, e);
        }
    }

    private static String header() {
        String version;
        try {
            version = TfliteReference.unavailableReason() == null ? TfliteReference.version() : "unavailable";
        } catch (Throwable t) {
            version = "unavailable";
        }
        return String.format("Measured %s: TFLite %s (JavaCPP build, linux-x86_64) against tfl4j on %s %s, %s.%n",
                LocalDate.now(), version, System.getProperty("java.vm.name"), System.getProperty("java.version"), cpu());
    }

    private static String cpu() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).strip();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    /** The markdown table. */
    public synchronized String table() {
        StringBuilder s = new StringBuilder();
        s.append("| kind | subject | reference | cases | float values | bit-identical | max ULP | bound | ids / indices / masks compared | mismatches |\n");
        s.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Comparison c : rows()) {
            s.append(String.format("| %s | %s | %s | %d | %d | %d | %s | %d | %d | %d |%n", c.kind(), c.subject(), c.configuration(),
                    c.cases(), c.floatValues(), c.bitIdentical(), Ulp.describe(c.maxUlp()), c.ulpBound(), c.integerValues(),
                    c.integerMismatches()));
        }
        return s.toString();
    }
}
