package org.tfl4j.conformance.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.GatherOptionsT;
import org.tensorflow.lite.schema.MulOptionsT;
import org.tfl4j.conformance.TfliteReference;
import org.tfl4j.engine.io.Npy;
import org.tfl4j.engine.io.NpyArray;
import org.tfl4j.engine.ops.OpRegistry;
import org.tfl4j.models.TfliteWriter;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.TensorType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tfl4j conform} called as a method: the four MovieLens models are bit-identical on generated and on
 * {@code .npy} inputs, generated ids stay inside the GATHER table, a wrong kernel is caught with its positions,
 * and usage errors, refused models and a missing runtime end with exit 2 and one line.
 */
class ConformCommandTest {

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
        List<String> outLines() {
            return List.of(out.split("\n"));
        }

        JsonObject json() {
            List<String> lines = outLines();
            return JsonParser.parseString(lines.get(lines.size() - 1)).getAsJsonObject();
        }

        /** Exit 2 with a single "tfl4j: ..." line on stderr containing {@code part}. */
        Result refused(String part) {
            assertEquals(2, code, "exit code; stdout:\n" + out + "\nstderr: " + err);
            assertTrue(err.startsWith("tfl4j: "), err);
            assertEquals(1, err.split("\n").length, "one line: " + err);
            assertTrue(err.contains(part), "stderr: " + err + "\nexpected to contain: " + part);
            return this;
        }

        Result identical() {
            assertEquals(0, code, "exit code; stdout:\n" + out + "\nstderr: " + err);
            assertEquals("", err);
            assertTrue(out.contains("verdict  bit-identical"), out);
            return this;
        }
    }

    private static Result run(Supplier<String> unavailable, OpRegistry registry, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ConformCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), unavailable, registry);
        Result r = new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        System.out.println("conform " + String.join(" ", args) + " -> exit " + code + "\n" + r.out + r.err);
        return r;
    }

    private static Result run(String... args) {
        return run(TfliteReference::unavailableReason, OpRegistry.builtins(), args);
    }

    private static void assumeReference() {
        String reason = TfliteReference.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "official TFLite 2.21 reference unavailable, skipping: " + reason);
    }

    private static Path movieLensModel(String file) {
        assumeReference();
        String dir = System.getProperty("tfl4j.models");
        Assumptions.assumeTrue(dir != null, "system property tfl4j.models not set, skipping");
        Path model = Path.of(dir, file);
        Assumptions.assumeTrue(Files.isRegularFile(model), () -> model + " absent, skipping");
        return model;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }

    // ---- the published models ----

    @Test
    void movieLensModelsAreBitIdenticalOnGeneratedInputs() {
        // Row counts of the embedding tables, from the model spec (recommendation-models.md §2).
        Result bow = run(movieLensModel("model_history10_top100.tflite").toString()).identical();
        assertTrue(bow.out.contains("ids uniform in [0, 3953)"), bow.out);
        assertTrue(bow.out.contains("20 cases generated with seed 1"), bow.out);
        run(movieLensModel("recommendation_rnn_i10o100.tflite").toString(), "--cases", "8").identical();
        Result genre = run(movieLensModel("recommendation_cnn_i10i32o100.tflite").toString(), "--seed", "7").identical();
        assertTrue(genre.out.contains("input 0 'serving_default_context_movie_id:0' int32[10]: ids uniform in [0, 3953)"), genre.out);
        assertTrue(genre.out.contains("input 1 'serving_default_context_movie_genre:0' int32[32]: ids uniform in [0, 19)"), genre.out);

        Result cnn = run(movieLensModel("recommendation_cnn_i10o100.tflite").toString(), "--threads", "2", "--json").identical();
        JsonObject json = cnn.json();
        assertEquals("bit-identical", json.get("verdict").getAsString());
        assertEquals(20, json.get("cases").getAsInt());
        assertEquals(2, json.get("threads").getAsInt());
        JsonArray outputs = json.getAsJsonArray("outputs");
        assertEquals(2, outputs.size());
        for (int k = 0; k < 2; k++) {
            JsonObject o = outputs.get(k).getAsJsonObject();
            assertEquals(20 * 100, o.get("values").getAsLong());
            assertEquals(20 * 100, o.get("bitIdentical").getAsLong());
            assertEquals(0, o.get("maxUlp").getAsLong());
            assertEquals(0, o.get("integerMismatches").getAsLong());
        }
    }

    @Test
    void npyInputIsOneCase() throws IOException {
        Path model = movieLensModel("recommendation_cnn_i10o100.tflite");
        Path ids = write("ids.npy", Npy.toBytes(NpyArray.ofInts(new int[] {10}, 1, 260, 1196, 2571, 3952, 0, 0, 0, 0, 0)));
        Result r = run(model.toString(), ids.toString(), "--json").identical();
        assertTrue(r.out.contains("inputs   1 case from " + ids), r.out);
        JsonObject json = r.json();
        assertEquals("npy", json.get("inputs").getAsString());
        assertEquals(1, json.get("cases").getAsInt());
        assertEquals(100, json.getAsJsonArray("outputs").get(0).getAsJsonObject().get("values").getAsLong());

        Path floats = write("floats.npy", Npy.toBytes(NpyArray.ofFloats(new int[] {10}, new float[10])));
        run(model.toString(), floats.toString()).refused(floats + " is <f4, input 0 'serving_default_context:0' int32[10] needs <i4");
        Path shortIds = write("short.npy", Npy.toBytes(NpyArray.ofInts(new int[] {3}, 1, 2, 3)));
        run(model.toString(), shortIds.toString()).refused("has shape [3] (3 elements), input 0");
        run(model.toString(), ids.toString(), ids.toString()).refused("the model has 1 input, got 2 .npy files");
        run(model.toString(), tmp.resolve("absent.npy").toString()).refused("file not found: " + tmp.resolve("absent.npy"));
        // Both runtimes reject an id past the table: the inputs are bad, not the engine.
        Path outOfRange = write("bad.npy", Npy.toBytes(NpyArray.ofInts(new int[] {10}, 5000, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
        run(model.toString(), outOfRange.toString()).refused("npy: both runtimes reject the inputs");
    }

    // ---- hand-made models ----

    /** ids int32[6] -> RESHAPE [2, 3] -> GATHER from a [7, 2] table: every generated id must be below 7. */
    private byte[] gatherModel() {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int ids = g.tensor("ids", TensorType.INT32, 6);
        int shape = g.constant("shape", new int[] {2}, new int[] {2, 3});
        int reshaped = g.tensor("ids_2x3", TensorType.INT32, 2, 3);
        float[] rows = new float[14];
        for (int i = 0; i < rows.length; i++) rows[i] = 0.1f * i - 0.65f;
        int table = g.constant("table", new int[] {7, 2}, rows);
        int out = g.tensor("rows", TensorType.FLOAT32, 2, 3, 2);
        g.op(BuiltinOp.RESHAPE, null, new int[] {ids, shape}, new int[] {reshaped});
        GatherOptionsT gather = new GatherOptionsT();
        gather.setAxis(0);
        g.op(BuiltinOp.GATHER, gather, new int[] {table, reshaped}, new int[] {out});
        g.inputs(ids).outputs(out);
        return w.toBytes();
    }

    @Test
    void generatedIdsStayInsideTheGatherTable() throws IOException {
        assumeReference();
        // Small ints would reach 9 and make both runtimes reject the inputs (exit 2) if the bound were not read.
        assertTrue(InputGenerator.SMALL_INT_LIMIT > 7);
        Result r = run(write("gather.tflite", gatherModel()).toString(), "--cases", "40").identical();
        assertTrue(r.out.contains("ids uniform in [0, 7) (GATHER op 1 table [7, 2], axis 0)"), r.out);
        assertTrue(r.out.contains("output 0 'rows' float32[2, 3, 2]: 480 values, 480 bit-identical, max ULP 0"), r.out);
    }

    /** y = x * c over float32[8]. */
    private byte[] mulModel() {
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int x = g.tensor("x", TensorType.FLOAT32, 8);
        int c = g.constant("c", new int[] {8}, new float[] {2f, 2f, 2f, 2f, 2f, 2f, 2f, 2f});
        int y = g.tensor("y", TensorType.FLOAT32, 8);
        g.op(BuiltinOp.MUL, new MulOptionsT(), new int[] {x, c}, new int[] {y});
        g.inputs(x).outputs(y);
        return w.toBytes();
    }

    @Test
    void aWrongKernelIsReportedWithItsPositions() throws IOException {
        assumeReference();
        Path model = write("mul.tflite", mulModel());
        run(model.toString()).identical();

        // tfl4j divides where TFLite multiplies: every nonzero value differs, the zeros case does not.
        OpRegistry wrong = OpRegistry.builtins().withKernel(BuiltinOp.MUL, OpRegistry.builtins().kernel(BuiltinOp.DIV));
        Result r = run(TfliteReference::unavailableReason, wrong, model.toString(), "--cases", "3", "--json");
        assertEquals(1, r.code, r.out + r.err);
        assertTrue(r.out.contains("output 0 'y' float32[8]: 24 values, 8 bit-identical"), r.out);
        assertTrue(r.out.contains("verdict  differs: output 0 y: 16 of 24 values not bit-identical"), r.out);
        assertTrue(r.out.contains("    case 0 [0]: TFLite "), r.out);
        assertTrue(r.out.contains("ULP"), r.out);
        JsonObject json = r.json();
        assertEquals("differs", json.get("verdict").getAsString());
        JsonObject o = json.getAsJsonArray("outputs").get(0).getAsJsonObject();
        assertEquals(8, o.get("bitIdentical").getAsLong());
        assertEquals(OutputComparison.KEPT_DIFFERENCES, o.getAsJsonArray("differences").size());
        // The first difference is x[0] of case 0 times 2 against divided by 2: both values are shown.
        JsonObject first = o.getAsJsonArray("differences").get(0).getAsJsonObject();
        float tflite = Float.parseFloat(first.get("tflite").getAsString().split(" ")[0]);
        float tfl4j = Float.parseFloat(first.get("tfl4j").getAsString().split(" ")[0]);
        assertEquals(tflite, tfl4j * 4f, Math.abs(tflite) * 1e-6f);
    }

    @Test
    void aModelTfl4jDoesNotRunIsRefusedInOneLine() throws IOException {
        assumeReference();
        Assumptions.assumeTrue(OpRegistry.builtins().kernel(BuiltinOperator.HARD_SWISH) == null, "tfl4j now runs HARD_SWISH");
        TfliteWriter w = new TfliteWriter();
        TfliteWriter.Graph g = w.graph("main");
        int x = g.tensor("x", TensorType.FLOAT32, 4);
        int y = g.tensor("y", TensorType.FLOAT32, 4);
        g.op(BuiltinOperator.HARD_SWISH, null, new int[] {x}, new int[] {y});
        g.inputs(x).outputs(y);
        Path model = write("hard_swish.tflite", w.toBytes());
        Result r = run(model.toString()).refused("tfl4j cannot run " + model + ": op 0 HARD_SWISH is not supported by tfl4j");
        assertEquals("", r.out);

        Path garbage = write("garbage.tflite", "not a model".getBytes(StandardCharsets.US_ASCII));
        run(garbage.toString()).refused("tfl4j cannot run " + garbage);
    }

    // ---- usage and platform ----

    @Test
    void usageErrorsExitTwoWithOneLine() throws IOException {
        Result help = run("--help");
        assertEquals(0, help.code);
        assertTrue(help.out.startsWith("Usage: tfl4j conform MODEL"), help.out);
        run().refused("conform needs a MODEL");
        run("m.tflite", "--bogus").refused("unknown option --bogus for 'conform'");
        run("m.tflite", "--cases", "0").refused("--cases must be a positive integer, got '0'");
        run("m.tflite", "--threads=x").refused("--threads must be a positive integer, got 'x'");
        run("m.tflite", "--seed").refused("--seed needs a value");
        run("m.tflite", "--json", "--json").refused("--json is given twice");
        run("m.tflite", "--json=yes").refused("--json takes no value");
        run("m.tflite", "in.npy", "--cases", "3").refused("--cases and --seed apply to generated inputs");
        run(tmp.resolve("absent.tflite").toString()).refused("model file not found: " + tmp.resolve("absent.tflite"));
    }

    @Test
    void noOfficialRuntimeIsExitTwoSayingWhy() throws IOException {
        Path model = write("mul.tflite", mulModel());
        Result r = run(() -> "the official TFLite native library is bundled for linux-x86_64 only; this is simulated",
                OpRegistry.builtins(), model.toString());
        r.refused("conform needs the official TFLite 2.21 runtime, which cannot run here: the official TFLite native library"
                + " is bundled for linux-x86_64 only; this is simulated");
        assertFalse(r.out.contains("verdict"), r.out);
    }
}
