package org.tfl4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfl4j.engine.io.Npy;
import org.tfl4j.engine.io.NpyArray;
import org.tfl4j.parser.TensorType;
import org.tfl4j.recommend.Fixtures;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

class MainTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
        List<String> outLines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }

        /** Asserts a failure with this code and a single "tfl4j: ..." line on stderr containing {@code part}. */
        Result fails(int expectedCode, String part) {
            assertEquals(expectedCode, code, "exit code; stderr: " + err);
            assertTrue(err.startsWith("tfl4j: "), err);
            assertEquals(1, err.split("\n").length, "one line: " + err);
            assertTrue(err.contains(part), "stderr: " + err + "\nexpected to contain: " + part);
            return this;
        }

        Result succeeds() {
            assertEquals(0, code, "exit code; stderr: " + err);
            assertEquals("", err);
            return this;
        }
    }

    private Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, tmp.resolve("home").toString());
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** With no model folder anywhere. */
    private Result run(String... args) {
        return run(Map.of(), args);
    }

    private Result runWithRealModels(String... args) {
        return run(Map.of("TFL4J_MODELS", Fixtures.modelsDir().toString()), args);
    }

    // ---- usage ----

    @Test
    void helpGoesToStdoutWithExitZero() {
        assertTrue(run("--help").succeeds().out.startsWith("Usage: tfl4j COMMAND"));
        assertTrue(run("help").succeeds().out.startsWith("Usage: tfl4j COMMAND"));
        assertTrue(run("help", "run").succeeds().out.startsWith("Usage: tfl4j run MODEL"));
        assertTrue(run("recommend", "--help").succeeds().out.startsWith("Usage: tfl4j recommend"));
        assertTrue(run("inspect", "-h").succeeds().out.startsWith("Usage: tfl4j inspect"));
        assertTrue(run("run", "x.tflite", "--help").succeeds().out.startsWith("Usage: tfl4j run"));
    }

    @Test
    void conformPointsToTheLauncher() {
        String help = run("--help").succeeds().out;
        assertTrue(help.contains("  conform MODEL [IN.npy ...]"), help);
        assertTrue(help.contains("runs through './tfl4j conform' (needs the conformance module and the"), help);
        assertTrue(run("help", "conform").succeeds().out.startsWith("Usage: ./tfl4j conform MODEL"));
        run("conform", "x.tflite").fails(2, "conform runs through './tfl4j conform'");
        run("conform", "x.tflite", "in.npy", "--json").fails(2, "official TFLite 2.21 runtime (linux-x86_64)");
        run("conform").fails(2, "which the engine jar does not carry");
    }

    @Test
    void badUsageIsExitTwoWithOneLine() {
        assertEquals("tfl4j: no command; see 'tfl4j --help'\n", run().fails(2, "no command").err);
        run("--top", "3").fails(2, "no command before --top");
        run("frobnicate").fails(2, "unknown command 'frobnicate' (commands: recommend, inspect, run, bench, build-model, conform, help)");
        run("help", "frobnicate").fails(2, "unknown command 'frobnicate'");
        run("recommend", "--bogus", "Toy Story").fails(2, "unknown option --bogus for 'recommend'");
        run("recommend").fails(2, "recommend needs at least one movie title or id");
        run("recommend", "Toy Story", "--top", "0").fails(2, "--top must be a positive integer, got '0'");
        run("recommend", "Toy Story", "--top").fails(2, "--top needs a value");
        run("recommend", "Toy Story", "--top=x").fails(2, "--top must be a positive integer, got 'x'");
        run("recommend", "Toy Story", "--top", "3", "--top", "4").fails(2, "--top is given twice");
        run("recommend", "Toy Story", "--model", "gpt").fails(2, "unknown --model 'gpt' (choose one of bow, cnn, rnn, cnn-genre)");
        run("inspect").fails(2, "inspect takes one MODEL, got 0");
        run("run", "cnn").fails(2, "run needs --out DIR");
        run("run", "cnn", "--out", tmp.toString()).fails(2, "run needs .npy inputs or --cases DIR");
        run("run", "cnn", "a.npy", "--cases", "c", "--out", "o").fails(2, "either .npy inputs or --cases DIR, not both");
        run("recommend", "Toy Story", "--models", tmp.resolve("nope").toString()).fails(2, "--models " + tmp.resolve("nope") + ": not a directory");
    }

    // ---- finding model files ----

    @Test
    void missingFilesSayWhereTheyWereSearchedAndWhereToDownload() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Result r = run(Map.of("TFL4J_MODELS", tmp.resolve("env-models").toString()), "recommend", "Toy Story", "--models", empty.toString());
        r.fails(2, "config_cnn_i10i32o100.json not found in " + empty + " (--models), " + tmp.resolve("env-models")
                + " ($TFL4J_MODELS, missing), " + tmp.resolve("home/.cache/tfl4j/models") + " (per-user cache, missing); "
                + "download it from https://storage.googleapis.com/download.tensorflow.org/models/tflite/recommendation/20210317/config_cnn_i10i32o100.json"
                + " into one of them (or name the folder holding the models with --models DIR or $TFL4J_MODELS)");
        run("inspect", "bow").fails(2, "model_history10_top100.tflite not found in " + tmp.resolve("home/.cache/tfl4j/models")
                + " (per-user cache, missing); download it from https://storage.googleapis.com/download.tensorflow.org/models/tflite/recommendation/20200720/model_history10_top100.tflite");
        run("recommend", "1", "--model", "bow").fails(2, "sorted_movie_vocab.json not found");
        run("inspect", "rnn").fails(2, "/20200823/recommendation_rnn_i10o100.tflite into one of them");
        run("inspect", tmp.resolve("absent.tflite").toString()).fails(2, "model file not found: " + tmp.resolve("absent.tflite"));
    }

    @Test
    void folderOrderIsModelsOptionThenEnvironmentThenCache() throws IOException {
        Path xdg = tmp.resolve("xdg");
        Path home = tmp.resolve("home");
        Path env = tmp.resolve("env");
        Path opt = tmp.resolve("opt");
        for (Path p : List.of(xdg.resolve("tfl4j/models"), home.resolve(".cache/tfl4j/models"), env, opt)) Files.createDirectories(p);

        TinyModels.scaleAndReshape(home.resolve(".cache/tfl4j/models"), "m.tflite");
        assertTrue(run("inspect", "m.tflite").succeeds().out.contains(home.resolve(".cache/tfl4j/models/m.tflite").toString()));
        // XDG_CACHE_HOME replaces ~/.cache (a relative one is ignored, as the XDG spec says).
        run(Map.of("XDG_CACHE_HOME", xdg.toString()), "inspect", "m.tflite").fails(2, "model file not found: m.tflite");
        assertTrue(run(Map.of("XDG_CACHE_HOME", "relative"), "inspect", "m.tflite").succeeds().out.contains(home.toString()));
        TinyModels.scaleAndReshape(xdg.resolve("tfl4j/models"), "m.tflite");
        assertTrue(run(Map.of("XDG_CACHE_HOME", xdg.toString()), "inspect", "m.tflite").succeeds().out.contains(xdg.toString()));
        TinyModels.scaleAndReshape(env, "m.tflite");
        assertTrue(run(Map.of("TFL4J_MODELS", env.toString(), "XDG_CACHE_HOME", xdg.toString()), "inspect", "m.tflite")
                .succeeds().out.contains(env.resolve("m.tflite").toString()));
        TinyModels.scaleAndReshape(opt, "m.tflite");
        assertTrue(run(Map.of("TFL4J_MODELS", env.toString()), "inspect", "m.tflite", "--models", opt.toString())
                .succeeds().out.contains(opt.resolve("m.tflite").toString()));
    }

    // ---- bad files ----

    @Test
    void malformedModelIsExitTwoAndDebugAddsTheTrace() throws IOException {
        Path junk = Files.write(tmp.resolve("junk.tflite"), "this is not a flatbuffer at all".getBytes(StandardCharsets.US_ASCII));
        Result r = run("inspect", junk.toString());
        r.fails(2, "tfl4j: ");
        assertFalse(r.err.contains("Exception"), r.err);
        Result debug = run("inspect", junk.toString(), "--debug");
        assertEquals(2, debug.code);
        assertEquals(r.err.split("\n")[0], debug.err.split("\n")[0]);
        assertTrue(debug.err.contains("ModelFormatException") && debug.err.contains("\tat org.tfl4j."), debug.err);

        run("run", junk.toString(), "a.npy", "--out", tmp.toString()).fails(2, "tfl4j: ");
        run("inspect", tmp.toString()).fails(2, "is a directory, not a .tflite file");
    }

    // ---- inspect ----

    @Test
    void inspectCountsParametersOfConstantInputs() throws IOException {
        Path model = TinyModels.scaleAndReshape(tmp, "tiny.tflite");
        List<String> lines = run("inspect", model.toString()).succeeds().outLines();
        String all = String.join("\n", lines);
        assertTrue(all.contains("subgraphs    1: 0 \"main\" 7 tensors, 3 ops"), all);
        assertTrue(all.matches("(?s).*inputs\n  0  x +float32\\[2,3\\] +\\(tensor 0\\)\n  1  ids +int32\\[4\\] +\\(tensor 2\\)\noutputs\n"
                + "  0  z +int32\\[2,2\\] +\\(tensor 6\\)\n  1  w +float32\\[2,3\\] +\\(tensor 5\\)\n.*"), all);
        assertTrue(all.contains("signatures   none"), all);
        // c = float32[3] (3 params, 12 bytes) in both MULs; shape = int32[2] (2 params, 8 bytes).
        assertTrue(all.matches("(?s).*\n +0  MUL +3 +12  float32\\[2,3\\], const float32\\[3\\] -> float32\\[2,3\\]\n.*"), all);
        assertTrue(all.matches("(?s).*\n +1  MUL +3 +12  float32\\[2,3\\], const float32\\[3\\] -> float32\\[2,3\\]\n.*"), all);
        assertTrue(all.matches("(?s).*\n +2  RESHAPE +2 +8  int32\\[4\\], const int32\\[2\\] -> int32\\[2,2\\]\n.*"), all);
        // Totals count the shared constant once.
        assertEquals("total        3 ops, 5 parameters, 20 bytes in 2 constant tensors", lines.get(lines.size() - 1));
    }

    /** A WHILE model: the main subgraph's ops, then cond's and body's, each with its role, inputs and outputs. */
    @Test
    void inspectShowsCalledSubgraphs() throws IOException {
        org.tfl4j.models.TfliteWriter w = new org.tfl4j.models.TfliteWriter();
        org.tfl4j.models.TfliteWriter.Graph g = w.graph("main");
        org.tfl4j.models.TfliteWriter.Graph cond = w.graph("loop_cond");
        int ci = cond.tensor("i", org.tfl4j.parser.TensorType.INT32);
        int limit = cond.constant("limit", new int[0], new int[] {100});
        int go = cond.tensor("go", org.tfl4j.parser.TensorType.BOOL);
        cond.op(org.tfl4j.parser.BuiltinOp.LESS, null, new int[] {ci, limit}, new int[] {go});
        cond.inputs(ci).outputs(go);
        org.tfl4j.models.TfliteWriter.Graph body = w.graph("loop_body");
        int bi = body.tensor("i", org.tfl4j.parser.TensorType.INT32);
        int two = body.constant("two", new int[0], new int[] {2});
        int next = body.tensor("next", org.tfl4j.parser.TensorType.INT32);
        body.op(org.tfl4j.parser.BuiltinOp.MUL, new org.tensorflow.lite.schema.MulOptionsT(), new int[] {bi, two}, new int[] {next});
        body.inputs(bi).outputs(next);
        int i = g.tensor("i", org.tfl4j.parser.TensorType.INT32);
        int o = g.tensor("o", org.tfl4j.parser.TensorType.INT32);
        org.tensorflow.lite.schema.WhileOptionsT options = new org.tensorflow.lite.schema.WhileOptionsT();
        options.setCondSubgraphIndex(1);
        options.setBodySubgraphIndex(2);
        g.op(org.tfl4j.parser.BuiltinOp.WHILE, options, new int[] {i}, new int[] {o});
        g.inputs(i).outputs(o);
        Path model = tmp.resolve("loop.tflite");
        java.nio.file.Files.write(model, w.toBytes());
        List<String> lines = run("inspect", model.toString()).succeeds().outLines();
        String all = String.join("\n", lines);
        assertTrue(all.contains("subgraphs    3: 0 \"main\" 2 tensors, 1 ops; 1 \"loop_cond\" 3 tensors, 1 ops; 2 \"loop_body\" 3 tensors, 1 ops"), all);
        assertTrue(all.matches("(?s).*\n +0  WHILE +0 +0  int32\\[\\] -> int32\\[\\]  \\(cond subgraph 1 \"loop_cond\", body subgraph 2 \"loop_body\"\\)\n.*"), all);
        assertTrue(all.contains("ops of subgraph 1 \"loop_cond\" (cond of subgraph 0 op 0 WHILE)\n  inputs   int32[] 'i'\n  outputs  bool[] 'go'"), all);
        assertTrue(all.matches("(?s).*\n +0  LESS +1 +4  int32\\[\\], const int32\\[\\] -> bool\\[\\]\n.*"), all);
        assertTrue(all.contains("ops of subgraph 2 \"loop_body\" (body of subgraph 0 op 0 WHILE)"), all);
        assertEquals("total        3 ops in 3 subgraphs, 2 parameters, 8 bytes in 2 constant tensors", lines.get(lines.size() - 1));
    }

    @Test
    void inspectRealModels() {
        for (String name : List.of("bow", "cnn", "rnn", "cnn-genre")) {
            runWithRealModels("inspect", name).succeeds();
        }
        String rnn = runWithRealModels("inspect", "rnn").succeeds().out;
        // Spec 2.1: the context embedding is [3953, 16] float32 = 63,248 params, 252,992 bytes.
        assertTrue(rnn.matches("(?s).*\n +4  GATHER +63,248 +252,992  const float32\\[3953,16\\], int32\\[1,10\\] -> float32\\[1,10,16\\]\n.*"), rnn);
        assertTrue(rnn.contains("var float32[1,16]"), rnn);
        assertTrue(rnn.contains("subgraphs    2: 0 \"main\" 44 tensors, 14 ops; 1 \"NoOp\" 0 tensors, 0 ops"), rnn);
        String genre = runWithRealModels("inspect", "cnn-genre").succeeds().out;
        assertTrue(genre.contains("  serving_default (subgraph 0)"), genre);
        assertTrue(genre.matches("(?s).*    input  context_movie_id +tensor 0 int32\\[10\\].*"), genre);
        assertTrue(genre.matches("(?s).*  1  StatefulPartitionedCall:0 +int32\\[100\\] +\\(tensor 60\\).*"), genre);
    }

    // ---- run ----

    private static final float[] X = {1, 2, 3, -4, 0.5f, -0f};
    private static final float[] W = {1, 8, 48, -4, 2, -0f}; // X * {1, 4, 16}, exact in float
    private static final int[] IDS = {5, -6, 7, 8};

    @Test
    void runWritesEveryOutput() throws IOException {
        Path model = TinyModels.scaleAndReshape(tmp, "tiny.tflite");
        Path in0 = tmp.resolve("x.npy");
        Path in1 = tmp.resolve("ids.npy");
        Npy.write(in0, NpyArray.ofFloats(new int[] {2, 3}, X));
        Npy.write(in1, NpyArray.ofInts(new int[] {4}, IDS));
        Path out = tmp.resolve("out");
        run("run", model.toString(), in0.toString(), in1.toString(), "--out", out.toString()).succeeds();
        assertEquals(NpyArray.ofInts(new int[] {2, 2}, IDS), Npy.read(out.resolve("out0.npy")));
        assertEquals(NpyArray.ofFloats(new int[] {2, 3}, W), Npy.read(out.resolve("out1.npy")));
        // Same element count in another shape is accepted.
        Npy.write(in1, NpyArray.ofInts(new int[] {2, 2}, IDS));
        run("run", model.toString(), in0.toString(), in1.toString(), "--out", out.toString()).succeeds();
    }

    @Test
    void runRejectsInputsThatDoNotFit() throws IOException {
        Path model = TinyModels.scaleAndReshape(tmp, "tiny.tflite");
        Path f32 = tmp.resolve("x.npy");
        Npy.write(f32, NpyArray.ofFloats(new int[] {2, 3}, X));
        Path i64 = tmp.resolve("ids64.npy");
        Npy.write(i64, new NpyArray(TensorType.INT64, new int[] {4}, new long[] {5, -6, 7, 8}));
        Path short32 = tmp.resolve("ids3.npy");
        Npy.write(short32, NpyArray.ofInts(new int[] {3}, 1, 2, 3));
        Path bad = Files.write(tmp.resolve("bad.npy"), new byte[] {1, 2, 3});
        String out = tmp.resolve("o").toString();
        String m = model.toString();
        run("run", m, f32.toString(), "--out", out).fails(2, "the model has 2 inputs, got 1 .npy file");
        run("run", m, f32.toString(), i64.toString(), "--out", out)
                .fails(2, i64 + " is <i8, input 1 'ids' INT32[4] needs <i4 (save a.astype(np.int32))");
        run("run", m, f32.toString(), short32.toString(), "--out", out)
                .fails(2, short32 + " has shape [3] (3 elements), input 1 'ids' INT32[4] needs 4");
        run("run", m, f32.toString(), bad.toString(), "--out", out).fails(2, bad + ": not a .npy file");
        run("run", m, f32.toString(), tmp.resolve("none.npy").toString(), "--out", out).fails(2, "file not found: " + tmp.resolve("none.npy"));
        Npy.write(i64, NpyArray.ofInts(new int[] {4}, IDS));
        run("run", m, f32.toString(), i64.toString(), "--out", f32.resolve("sub").toString())
                .fails(2, "cannot create the output folder " + f32.resolve("sub"));
    }

    @Test
    void runCasesWritesOneFolderPerCase() throws IOException {
        Path model = TinyModels.scaleAndReshape(tmp, "tiny.tflite");
        Path cases = tmp.resolve("cases");
        Path a = Files.createDirectories(cases.resolve("a"));
        Path b = Files.createDirectories(cases.resolve("b"));
        Files.writeString(cases.resolve("README.txt"), "not a case");
        Npy.write(a.resolve("in0.npy"), NpyArray.ofFloats(new int[] {2, 3}, X));
        Npy.write(a.resolve("in1.npy"), NpyArray.ofInts(new int[] {4}, IDS));
        Npy.write(b.resolve("in0.npy"), NpyArray.ofFloats(new int[] {2, 3}, 0, 0, 0, 1, 1, 1));
        Npy.write(b.resolve("in1.npy"), NpyArray.ofInts(new int[] {4}, 0, 1, 2, 3));
        Path out = tmp.resolve("out");
        assertEquals("ran 2 cases, outputs in " + out + "\n",
                run("run", model.toString(), "--cases", cases.toString(), "--out", out.toString()).succeeds().out);
        assertArrayEquals(W, Npy.read(out.resolve("a/out1.npy")).floats());
        assertArrayEquals(IDS, Npy.read(out.resolve("a/out0.npy")).ints());
        assertArrayEquals(new float[] {0, 0, 0, 1, 4, 16}, Npy.read(out.resolve("b/out1.npy")).floats());
        assertArrayEquals(new int[] {0, 1, 2, 3}, Npy.read(out.resolve("b/out0.npy")).ints());

        Files.delete(b.resolve("in1.npy"));
        run("run", model.toString(), "--cases", cases.toString(), "--out", out.toString())
                .fails(2, "case b: in1.npy is missing (the model has 2 inputs)");
        Npy.write(b.resolve("in1.npy"), NpyArray.ofInts(new int[] {4}, 0, 1, 2, 3));
        Npy.write(b.resolve("in2.npy"), NpyArray.ofInts(new int[] {4}, 0, 1, 2, 3));
        run("run", model.toString(), "--cases", cases.toString(), "--out", out.toString())
                .fails(2, "case b: has in2.npy but the model has only 2 inputs");
        run("run", model.toString(), "--cases", tmp.resolve("home").toString(), "--out", out.toString()).fails(2, "not a directory");
        run("run", model.toString(), "--cases", Files.createDirectories(tmp.resolve("nocases")).toString(), "--out", out.toString())
                .fails(2, "no case folders in it");
    }

    // ---- recommend ----

    @Test
    void recommendPrintsTenLinesForEveryModel() {
        for (String model : List.of("bow", "cnn", "rnn", "cnn-genre")) {
            List<String> lines = runWithRealModels("recommend", "Toy Story", "Lion King", "--model", model).succeeds().outLines();
            assertEquals(10, lines.size(), model + ":\n" + String.join("\n", lines));
            for (int i = 0; i < lines.size(); i++) {
                String rank = String.format("%2d. ", i + 1);
                assertTrue(lines.get(i).startsWith(rank) && lines.get(i).matches(".*\\(\\d{4}\\) +id +\\d+  score [01]\\.\\d{6}"),
                        model + ": " + lines.get(i));
            }
        }
        // The default model is the feature-based CNN; the reference runtime's first pick is id 1210 (RecommenderTest).
        List<String> lines = runWithRealModels("recommend", "Toy Story", "Lion King", "--top", "3").succeeds().outLines();
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).matches("1\\. Star Wars: Episode VI - Return of the Jedi \\(1983\\) +id 1210  score 0\\.\\d{6}"), lines.get(0));
        // Ids work as well as titles.
        assertEquals(lines, runWithRealModels("recommend", "1", "364", "--top=3", "--model=cnn-genre").succeeds().outLines());
    }

    @Test
    void recommendRejectsUnknownAndAmbiguousTitles() {
        runWithRealModels("recommend", "Toy Story", "Star Wars").fails(2, "\"Star Wars\" matches ");
        runWithRealModels("recommend", "Zzyzx Road").fails(2, "no movie title matches \"Zzyzx Road\"");
        runWithRealModels("recommend", "51").fails(2, "movie id 51 is not in sorted_movie_vocab.json");
        runWithRealModels("recommend", "--", "-1").fails(2, "no movie title matches \"-1\"");
    }
}
