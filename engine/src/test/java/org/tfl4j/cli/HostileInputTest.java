package org.tfl4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfl4j.engine.io.Npy;
import org.tfl4j.engine.io.NpyArray;
import org.tfl4j.parser.TensorType;
import org.tfl4j.recommend.Fixtures;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI on hostile inputs (the model files are good: hostile model files are {@code HostileModelTest}'s): bad
 * {@code .npy} files (wrong dtype, shape, byte order, truncated, garbage or malicious headers, devices, folders),
 * ids outside the vocabulary, unknown titles and ids, non-numeric arguments. Every case exits 2 with exactly one
 * line on stderr, {@code "tfl4j: ..."}, and no stack trace; {@code --debug} adds the trace.
 */
class HostileInputTest {
    @TempDir
    Path tmp;

    private record Result(int code, String out, String err) {}

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("TFL4J_MODELS", Fixtures.modelsDir().toString()), tmp.resolve("home").toString());
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Exit 2, one "tfl4j: " line containing {@code part}, no trace; and with --debug the same line, then a trace. */
    private void failsWithOneLine(String part, String... args) {
        Result r = run(args);
        String what = String.join(" ", args) + " -> " + r.err;
        assertEquals(2, r.code, what);
        assertTrue(r.err.startsWith("tfl4j: ") && r.err.endsWith("\n"), what);
        assertEquals(1, r.err.split("\n", -1).length - 1, "exactly one line: " + what);
        assertFalse(r.err.contains("Exception") || r.err.contains("\tat "), "no stack trace: " + what);
        assertTrue(r.err.contains(part), what + "\nexpected to contain: " + part);
        String[] debugArgs = new String[args.length + 1];
        debugArgs[0] = "--debug"; // first: after "--" it would be a title
        System.arraycopy(args, 0, debugArgs, 1, args.length);
        Result d = run(debugArgs);
        assertEquals(2, d.code, what);
        assertEquals(r.err.split("\n")[0], d.err.split("\n")[0]);
        assertTrue(d.err.contains("\tat org.tfl4j."), "--debug shows the trace: " + d.err);
    }

    /** A version 1.0 .npy file with this header dictionary (padded as numpy does) and these data bytes. */
    private Path npy(String name, String dict, byte[] data) throws IOException {
        int length = 10 + dict.length() + 1;
        int pad = (64 - length % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return Files.write(tmp.resolve(name), b.array());
    }

    private static byte[] ints(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) b.putInt(v);
        return b.array();
    }

    private static final int[] HISTORY = {1, 364, 2858, 260, 0, 0, 0, 0, 0, 0};

    @Test
    void badNpyFilesExitTwoWithOneLine() throws IOException {
        String out = tmp.resolve("out").toString();
        Path good = npy("good.npy", "{'descr': '<i4', 'fortran_order': False, 'shape': (10,), }", ints(HISTORY));
        assertEquals(0, run("run", "bow", good.toString(), "--out", out).code);

        List<Object[]> cases = new ArrayList<>();
        cases.add(new Object[] {npy("f4.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (10,), }", new byte[40]),
            "is <f4, input 0 'context_input_placeholder' INT32[10] needs <i4"});
        cases.add(new Object[] {npy("f8.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (10,), }", new byte[80]),
            "dtype '<f8' is not supported"});
        cases.add(new Object[] {npy("u1.npy", "{'descr': '|u1', 'fortran_order': False, 'shape': (10,), }", new byte[10]),
            "dtype '|u1' is not supported"});
        cases.add(new Object[] {npy("obj.npy", "{'descr': '|O', 'fortran_order': False, 'shape': (10,), }", new byte[80]),
            "dtype '|O' is not supported"});
        cases.add(new Object[] {npy("big.npy", "{'descr': '>i4', 'fortran_order': False, 'shape': (10,), }", new byte[40]),
            "is big-endian"});
        cases.add(new Object[] {npy("shape.npy", "{'descr': '<i4', 'fortran_order': False, 'shape': (11,), }", new byte[44]),
            "has shape [11] (11 elements), input 0 'context_input_placeholder' INT32[10] needs 10"});
        cases.add(new Object[] {npy("short.npy", "{'descr': '<i4', 'fortran_order': False, 'shape': (10,), }", new byte[37]),
            "needs 40 data bytes, the file has 37"});
        cases.add(new Object[] {npy("huge.npy", "{'descr': '<i4', 'fortran_order': False, 'shape': (2147483647, 2147483647), }",
            new byte[8]), "is too large"});
        cases.add(new Object[] {npy("neg.npy", "{'descr': '<i4', 'fortran_order': False, 'shape': (-10,), }", new byte[40]),
            "expected a dimension"});
        cases.add(new Object[] {npy("fortran.npy", "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 5), }", new byte[40]),
            "Fortran-order data is not supported"});
        cases.add(new Object[] {npy("nodict.npy", "garbage", new byte[40]), ".npy"});
        cases.add(new Object[] {npy("unterminated.npy", "{'descr': '<i4", new byte[40]), ".npy"});
        cases.add(new Object[] {npy("extra.npy", "{'descr': '<i4', 'fortran_order': False, 'shape': (10,), 'x': 'y'}", new byte[40]),
            "unexpected header key 'x'"});
        cases.add(new Object[] {Files.write(tmp.resolve("magic-only.npy"), new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'}),
            "not a .npy file"});
        cases.add(new Object[] {Files.write(tmp.resolve("empty.npy"), new byte[0]), "not a .npy file"});
        byte[] pastEnd = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) 0xff, (byte) 0xff, '{'};
        cases.add(new Object[] {Files.write(tmp.resolve("past-end.npy"), pastEnd), "runs past the end of the file"});
        byte[] version9 = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 9, 0, 0, 0, 0, 0};
        cases.add(new Object[] {Files.write(tmp.resolve("v9.npy"), version9), "format version 9.0 is not supported"});
        cases.add(new Object[] {Files.write(tmp.resolve("text.npy"), "1 364 0 0 0 0 0 0 0 0\n".getBytes(StandardCharsets.US_ASCII)),
            "not a .npy file"});
        cases.add(new Object[] {Files.createDirectories(tmp.resolve("folder.npy")), "is a directory"});
        Path tooBig = tmp.resolve("too-big.npy");
        try (var f = new java.io.RandomAccessFile(tooBig.toFile(), "rw")) {
            f.setLength(RunCommand.HEADER_ALLOWANCE + 41); // sparse: no disk space used
        }
        cases.add(new Object[] {tooBig, "bytes, more than the"});
        cases.add(new Object[] {tmp.resolve("absent.npy"), "file not found: " + tmp.resolve("absent.npy")});
        Path device = Path.of("/dev/zero"); // never ends: must not be read
        if (Files.exists(device)) cases.add(new Object[] {device, "/dev/zero: not a regular file"});

        for (Object[] c : cases) {
            failsWithOneLine((String) c[1], "run", "bow", c[0].toString(), "--out", out);
        }
        // The genre model: a good first input, a bad second one; and too many or too few files.
        Path genres = npy("genres.npy", "{'descr': '<i4', 'fortran_order': False, 'shape': (32,), }", ints(new int[32]));
        failsWithOneLine("input 1 'serving_default_context_movie_genre:0' INT32[32] needs 32",
                "run", "cnn-genre", good.toString(), good.toString(), "--out", out);
        failsWithOneLine("the model has 2 inputs, got 1 .npy file", "run", "cnn-genre", good.toString(), "--out", out);
        failsWithOneLine("the model has 1 input, got 2 .npy files", "run", "bow", good.toString(), genres.toString(), "--out", out);
        // bench reads its inputs the same way.
        failsWithOneLine("not a .npy file", "bench", "bow", tmp.resolve("text.npy").toString(), "--runs", "1");
    }

    @Test
    void idsOutsideTheVocabularyExitTwoWithOneLine() throws IOException {
        String out = tmp.resolve("out").toString();
        for (int bad : new int[] {3953, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            int[] history = HISTORY.clone();
            history[3] = bad;
            Path f = tmp.resolve("oov" + bad + ".npy");
            Npy.write(f, NpyArray.ofInts(new int[] {10}, history));
            for (String model : new String[] {"bow", "cnn", "rnn"}) {
                failsWithOneLine("input 0 'serving_default_context:0' INT32[10]".replace("serving_default_context:0",
                        model.equals("bow") ? "context_input_placeholder" : "serving_default_context:0")
                        + ": id " + bad + " at [3] is outside the vocabulary, valid ids are 0 to 3952",
                        "run", model, f.toString(), "--out", out);
            }
        }
        Path ids = tmp.resolve("ids.npy");
        Npy.write(ids, NpyArray.ofInts(new int[] {10}, HISTORY));
        int[] genres = new int[32];
        genres[31] = 19;
        Path g = tmp.resolve("g.npy");
        Npy.write(g, NpyArray.ofInts(new int[] {1, 32}, genres));
        failsWithOneLine("input 1 'serving_default_context_movie_genre:0' INT32[32]: id 19 at [31] is outside the vocabulary,"
                + " valid ids are 0 to 18", "run", "cnn-genre", ids.toString(), g.toString(), "--out", out);
        // --cases: the failing case is named.
        Path cases = tmp.resolve("cases");
        Files.createDirectories(cases.resolve("a"));
        Files.createDirectories(cases.resolve("b"));
        Npy.write(cases.resolve("a/in0.npy"), NpyArray.ofInts(new int[] {10}, HISTORY));
        Npy.write(cases.resolve("b/in0.npy"), NpyArray.ofInts(new int[] {10}, 5000, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        failsWithOneLine("id 5000 at [0] is outside the vocabulary", "run", "bow", "--cases", cases.toString(), "--out", out);
    }

    @Test
    void floatNaNAndInfinityInputsAreData() throws IOException {
        // Not an error: NaN and infinities go through the ops as in TFLite (checked bit for bit in the conformance
        // module). Here: the tiny model of MainTest, x * {1, 4, 16}.
        Path model = TinyModels.scaleAndReshape(tmp, "tiny.tflite");
        Path x = tmp.resolve("x.npy");
        Npy.write(x, NpyArray.ofFloats(new int[] {2, 3}, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1, -0f, 3e38f));
        Path ids = tmp.resolve("ids.npy");
        Npy.write(ids, NpyArray.ofInts(new int[] {4}, 1, 2, 3, 4));
        Path out = tmp.resolve("out");
        Result r = run("run", model.toString(), x.toString(), ids.toString(), "--out", out.toString());
        assertEquals(0, r.code, r.err);
        float[] w = Npy.read(out.resolve("out1.npy")).floats();
        // MUL clamps to [-FLT_MAX, FLT_MAX] as TFLite's does (its activation range without an activation): an
        // infinity, given or from an overflow, comes out as +-FLT_MAX; NaN passes; signs of zero are kept.
        assertTrue(Float.isNaN(w[0]));
        assertEquals(Float.MAX_VALUE, w[1]);
        assertEquals(-Float.MAX_VALUE, w[2]);
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(w[4]));
        assertEquals(Float.MAX_VALUE, w[5]); // 3e38 * 4 overflows
    }

    @Test
    void hostileRecommendArgumentsExitTwoWithOneLine() {
        failsWithOneLine("no movie title matches \"Zzyzx Road\"", "recommend", "Zzyzx Road");
        failsWithOneLine("no movie title matches \"Toy Story 9 line two\"", "recommend", "Toy Story 9\nline two");
        failsWithOneLine("empty movie title", "recommend", "  ");
        failsWithOneLine("movie id 99999999999999999999 is out of range", "recommend", "99999999999999999999");
        failsWithOneLine("movie id 3953 is out of range", "recommend", "3953", "--model", "bow");
        failsWithOneLine("movie id 0 is out of range", "recommend", "0", "--model", "rnn");
        failsWithOneLine("no movie title matches \"-1\"", "recommend", "--", "-1");
        failsWithOneLine("are the same movie", "recommend", "1", "Toy Story (1995)");
        failsWithOneLine("--top must be a positive integer, got 'ten'", "recommend", "1", "--top", "ten");
        failsWithOneLine("--top must be a positive integer, got '99999999999'", "recommend", "1", "--top", "99999999999");
        failsWithOneLine("--top must be a positive integer, got '-3'", "recommend", "1", "--top=-3");
        failsWithOneLine("unknown --model", "recommend", "1", "--model", "../../etc/passwd");
        failsWithOneLine("matches", "recommend", "a");
        failsWithOneLine("no movie title matches", "recommend", "x".repeat(100_000));
        failsWithOneLine("--runs must be a positive integer", "bench", "bow", "--runs", "NaN");
    }
}
