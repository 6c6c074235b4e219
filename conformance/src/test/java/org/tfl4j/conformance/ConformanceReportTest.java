package org.tfl4j.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConformanceReportTest {

    private static Comparison row(String kind, String subject, String configuration, float tfl4jValue) {
        Comparison c = new Comparison(subject, kind, configuration, 0);
        c.addCase("case", "", new Object[] {new float[] {1f, 2f}, new int[] {7}}, new Object[] {new float[] {1f, tfl4jValue}, new int[] {7}});
        return c;
    }

    @Test
    void writesOneRowPerSubjectAndConfigurationModelsFirst(@TempDir Path dir) throws IOException {
        ConformanceReport report = new ConformanceReport(dir, null);
        report.record(row("op", "TOPK_V2", "builtin, 1 thread", 2f));
        report.record(row("model", "m.tflite", "builtin, 1 thread", Math.nextUp(2f)));
        report.record(row("model", "m.tflite", "builtin, 1 thread", 2f)); // replaces the row above

        List<String> tsv = Files.readAllLines(dir.resolve("report.tsv"));
        assertEquals(3, tsv.size(), String.join("\n", tsv));
        assertEquals(List.of("model", "m.tflite", "builtin, 1 thread", "1", "2", "2", "0", "0", "1", "0", "0"),
                List.of(tsv.get(1).split("\t")));
        assertTrue(tsv.get(2).startsWith("op\tTOPK_V2\t"), tsv.get(2));
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("| model | m.tflite | builtin, 1 thread | 1 | 2 | 2 | 0 | 0 | 1 | 0 |"), md);
    }

    @Test
    void reportsTheMaxUlpOfADifferingRow(@TempDir Path dir) throws IOException {
        ConformanceReport report = new ConformanceReport(dir, null);
        report.record(row("op", "MUL", "builtin, 1 thread", Math.nextUp(Math.nextUp(2f))));
        String line = Files.readAllLines(dir.resolve("report.tsv")).get(1);
        assertEquals(List.of("op", "MUL", "builtin, 1 thread", "1", "2", "1", "2", "0", "1", "0", "1"), List.of(line.split("\t")));
    }

    @Test
    void rewritesOnlyTheGeneratedPartOfTheDocs(@TempDir Path dir) throws IOException {
        Path docs = dir.resolve("conformance.md");
        Files.writeString(docs, "# Title\nprose before\n" + ConformanceReport.BEGIN + "\nold table\n" + ConformanceReport.END + "\nprose after\n");
        new ConformanceReport(null, docs).record(row("op", "CAST", "builtin, 1 thread", 2f));
        String text = Files.readString(docs);
        assertTrue(text.startsWith("# Title\nprose before\n" + ConformanceReport.BEGIN + "\n"), text);
        assertTrue(text.endsWith(ConformanceReport.END + "\nprose after\n"), text);
        assertTrue(text.contains("| op | CAST | builtin, 1 thread |") && !text.contains("old table"), text);
    }

    @Test
    void refusesDocsWithoutMarkers(@TempDir Path dir) throws IOException {
        Path docs = dir.resolve("conformance.md");
        Files.writeString(docs, "no markers here\n");
        ConformanceReport report = new ConformanceReport(null, docs);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> report.record(row("op", "CAST", "c", 2f)));
        assertTrue(e.getMessage().contains("markers"), e.getMessage());
    }
}
