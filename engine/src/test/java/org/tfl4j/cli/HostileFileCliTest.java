package org.tfl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfl4j.engine.fuzz.FuzzCorpus;
import org.tfl4j.engine.fuzz.Mutator;
import org.tfl4j.engine.io.Npy;
import org.tfl4j.engine.io.NpyArray;

/**
 * The command line on hostile model files: {@code inspect}, {@code run}, {@code bench} and
 * {@code recommend} on empty, garbage, truncated, structurally corrupt, missing and directory "models"
 * exit with code 2 and exactly one line on stderr naming the problem, never a stack trace (unless
 * {@code --debug}) and never the internal-error code 1. Then the same for a few hundred fuzzed files.
 */
class HostileFileCliTest {
    @TempDir
    Path tmp;

    private record Result(int code, String out, String err) {}

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), tmp.resolve("home").toString());
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Exit 2, one "tfl4j: ..." line containing {@code part}, no exception class names or stack frames. */
    private static void assertOneLineFailure(Result r, String what, String part) {
        assertEquals(2, r.code, what + ": exit code; stderr: " + r.err);
        assertTrue(r.err.startsWith("tfl4j: "), what + ": " + r.err);
        assertTrue(r.err.endsWith("\n") && r.err.indexOf('\n') == r.err.length() - 1, what + ": one line: " + r.err);
        assertFalse(r.err.contains("\tat ") || r.err.contains("Exception"), what + ": no stack trace: " + r.err);
        assertTrue(r.err.contains(part), what + ": stderr: " + r.err + "\nexpected to contain: " + part);
    }

    /** The hostile files, each with a fragment its message must contain. */
    private Map<Path, String> hostileFiles() throws IOException {
        byte[] valid = FuzzCorpus.written().get(0).bytes();
        Map<Path, String> files = new LinkedHashMap<>();
        files.put(Files.write(tmp.resolve("empty.tflite"), new byte[0]), "too short");
        byte[] garbage = new byte[4096];
        new Random(1).nextBytes(garbage);
        files.put(Files.write(tmp.resolve("garbage.tflite"), garbage), "not a TensorFlow Lite model");
        files.put(Files.write(tmp.resolve("text.tflite"), "this is not a flatbuffer at all".getBytes(StandardCharsets.US_ASCII)),
                "not a TensorFlow Lite model");
        files.put(Files.write(tmp.resolve("truncated.tflite"), Arrays.copyOf(valid, valid.length / 2)), "past the end");
        byte[] hugeRoot = valid.clone();
        hugeRoot[0] = (byte) 0xF0; // root offset far past the end of the file
        hugeRoot[1] = (byte) 0xFF;
        hugeRoot[2] = (byte) 0xFF;
        hugeRoot[3] = (byte) 0x7F;
        files.put(Files.write(tmp.resolve("root-offset.tflite"), hugeRoot), "root offset");
        files.put(tmp.resolve("missing.tflite"), "model file not found");
        files.put(Files.createDirectories(tmp.resolve("folder.tflite")), "is a directory");
        return files;
    }

    @Test
    void everyCommandRejectsHostileFilesWithExitTwoAndOneLine() throws IOException {
        Path in = tmp.resolve("x.npy");
        Npy.write(in, NpyArray.ofFloats(new int[] {1, 4}, 1, 2, 3, 4));
        Path out = tmp.resolve("out");
        for (Map.Entry<Path, String> e : hostileFiles().entrySet()) {
            String file = e.getKey().toString();
            String name = e.getKey().getFileName().toString();
            assertOneLineFailure(run("inspect", file), "inspect " + name, e.getValue());
            assertOneLineFailure(run("run", file, in.toString(), "--out", out.toString()), "run " + name, e.getValue());
            assertOneLineFailure(run("bench", file, "--runs", "1"), "bench " + name, e.getValue());
            assertOneLineFailure(run("bench", file, "--json"), "bench --json " + name, e.getValue());
        }
    }

    @Test
    void recommendRejectsAHostileModelFileWithExitTwoAndOneLine() throws IOException {
        Path models = Files.createDirectories(tmp.resolve("models"));
        Files.writeString(models.resolve("sorted_movie_vocab.json"),
                "[{\"title\": \"Toy Story (1995)\", \"id\": 1, \"genres\": [\"Animation\"], \"count\": 10}]");
        Path bow = models.resolve("model_history10_top100.tflite");
        for (Map.Entry<Path, String> e : hostileFiles().entrySet()) {
            Files.deleteIfExists(bow);
            if (Files.isDirectory(e.getKey())) {
                Files.createDirectories(bow);
            } else if (Files.exists(e.getKey())) {
                Files.copy(e.getKey(), bow);
            }
            String expected = Files.isDirectory(e.getKey()) || !Files.exists(e.getKey())
                    ? "model_history10_top100.tflite not found" : e.getValue();
            assertOneLineFailure(run("recommend", "1", "--model", "bow", "--models", models.toString()),
                    "recommend with " + e.getKey().getFileName(), expected);
            if (Files.isDirectory(bow)) Files.delete(bow);
        }
    }

    @Test
    void debugShowsTheStackTrace() throws IOException {
        Path empty = Files.write(tmp.resolve("empty.tflite"), new byte[0]);
        Result r = run("inspect", empty.toString(), "--debug");
        assertEquals(2, r.code);
        assertTrue(r.err.startsWith("tfl4j: file of 0 bytes is too short"), r.err);
        assertTrue(r.err.contains("ModelFormatException") && r.err.contains("\tat org.tfl4j."), r.err);
    }

    /** Fuzzed files through inspect and run: exit 0 or 2, never 1; on 2 one line and no trace. */
    @Test
    void fuzzedFilesNeverCauseAnInternalError() throws IOException {
        Path in = tmp.resolve("x.npy");
        Npy.write(in, NpyArray.ofFloats(new int[] {1, 4}, 0.5f, -1, 2, 0));
        Path out = tmp.resolve("out");
        List<FuzzCorpus.Seed> seeds = new ArrayList<>(FuzzCorpus.written());
        Map<String, Integer> codes = new TreeMap<>();
        Random random = new Random(6);
        for (int c = 0; c < 300; c++) {
            FuzzCorpus.Seed seed = seeds.get(c % seeds.size());
            Mutator.Mutant m = Mutator.mutate(seed.bytes(), seed.map(), seeds.get(random.nextInt(seeds.size())).bytes(), random);
            Path file = Files.write(tmp.resolve("fuzzed.tflite"), m.bytes());
            String what = "case " + c + " (" + seed.name() + ", " + m.kind() + " at byte " + m.offset() + ": " + m.detail() + ")";
            for (String[] args : List.of(new String[] {"inspect", file.toString()},
                    new String[] {"run", file.toString(), in.toString(), "--out", out.toString()})) {
                Result r = run(args);
                codes.merge(args[0] + " exit " + r.code, 1, Integer::sum);
                if (r.code != 0) assertOneLineFailure(r, args[0] + " " + what, "tfl4j: ");
            }
        }
        System.out.println("fuzzed files through the CLI: " + codes);
        assertFalse(codes.keySet().stream().anyMatch(k -> k.endsWith("exit 1")), codes.toString());
    }
}
