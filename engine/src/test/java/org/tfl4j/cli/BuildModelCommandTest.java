package org.tfl4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfl4j.parser.TfliteModel;
import org.tfl4j.parser.TfliteParser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tfl4j build-model}: writes the model, reports bad configs and weight files in one line with exit 2. */
class BuildModelCommandTest {
    @TempDir
    Path tmp;

    private static final Path EXAMPLES = Path.of("").toAbsolutePath().resolveSibling("models").resolve("configs");

    record Result(int code, String out, String err) {
    }

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), tmp.resolve("home").toString());
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private void fails(String expected, String... args) {
        Result r = run(args);
        assertEquals(2, r.code(), "exit code; stderr: " + r.err());
        assertTrue(r.err().startsWith("tfl4j: "), r.err());
        assertEquals(1, r.err().split("\n").length, "one line, no stack trace: " + r.err());
        assertTrue(r.err().contains(expected), "stderr: " + r.err() + "\nexpected to contain: " + expected);
    }

    @Test
    void writesTheModelAndInspectShowsItsStructure() throws IOException {
        Path out = tmp.resolve("cnn.tflite");
        Result r = run("build-model", "--config", EXAMPLES.resolve("cnn_features.json").toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("wrote " + out), r.out());
        TfliteModel m = TfliteParser.parse(out);
        assertEquals(2, m.mainSubgraph().inputs().length);

        Result inspect = run("inspect", out.toString());
        assertEquals(0, inspect.code(), inspect.err());
        String text = inspect.out();
        assertTrue(text.contains("tfl4j dual encoder: CNN(context_movie_id[10]:3953x32), CNN(context_movie_genre[32]:19x8);"
                + " hidden [32, 32]; label label_movie_id 3953x32; top 100"), text);
        assertTrue(text.contains("0  serving_default_context_movie_genre:0"), text);
        assertTrue(text.contains("1  serving_default_context_movie_id:0"), text);
        assertTrue(text.contains("input  context_movie_genre") && text.contains("output top_prediction_scores"), text);
        assertTrue(text.contains("CONV_2D") && text.contains("REDUCE_MAX") && text.contains("TOPK_V2"), text);
    }

    @Test
    void listsTheWeightsAConfigNeeds() {
        Result r = run("build-model", "--config", EXAMPLES.resolve("lstm_ids.json").toString(), "--list-weights");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("embedding_context_movie_id float32[3953, 16]\n"), r.out());
        assertTrue(r.out().contains("group0_lstm_forget_recurrent_kernel float32[16, 16]"), r.out());
        assertTrue(r.out().contains("label_embedding float32[3953, 16]"), r.out());
    }

    @Test
    void aBadConfigNamesTheField() throws IOException {
        String json = Files.readString(EXAMPLES.resolve("multi_group.json"))
                .replace("\"vocab_size\": 19, \"embedding_dim\": 8", "\"vocab_size\": 19, \"embedding_dim\": -3");
        Path config = tmp.resolve("bad.json");
        Files.writeString(config, json);
        Path out = tmp.resolve("never.tflite");
        fails("input_config.activity_feature_groups[1].features[0].embedding_dim: must be > 0, got -3",
                "build-model", "--config", config.toString(), "--out", out.toString());
        assertFalse(Files.exists(out), "nothing written");
        Files.writeString(config, "{\"input_config\": ");
        fails("(config): not JSON", "build-model", "--config", config.toString(), "--out", out.toString());
    }

    @Test
    void usageErrors() {
        String bow = EXAMPLES.resolve("bow_ids.json").toString();
        fails("build-model needs --config", "build-model", "--out", "x.tflite");
        fails("build-model needs --out", "build-model", "--config", bow);
        fails("file not found: " + tmp.resolve("absent.json"), "build-model", "--config", tmp.resolve("absent.json").toString(), "--out", "x");
        fails("is not a directory", "build-model", "--config", bow, "--out", tmp.resolve("m.tflite").toString(), "--weights",
                tmp.resolve("nowhere").toString());
        fails("takes no positional arguments", "build-model", "extra", "--config", bow);
        assertTrue(run("build-model", "--help").out().startsWith("Usage: tfl4j build-model"));
        assertTrue(run("--help").out().contains("build-model --config CONFIG.json --out MODEL.tflite"));
    }

    @Test
    void aMissingWeightFileIsNamed() throws IOException {
        Path weights = Files.createDirectory(tmp.resolve("weights"));
        fails(weights.resolve("embedding_context_movie_id.npy") + ": missing: the weights folder needs embedding_context_movie_id.npy,"
                + " float32 of shape [3953, 16]", "build-model", "--config", EXAMPLES.resolve("bow_ids.json").toString(),
                "--out", tmp.resolve("m.tflite").toString(), "--weights", weights.toString());
    }
}
