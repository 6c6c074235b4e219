package org.tfl4j.models;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.Operator;
import org.tfl4j.parser.SignatureDef;
import org.tfl4j.parser.Subgraph;
import org.tfl4j.parser.Tensor;
import org.tfl4j.parser.TensorType;
import org.tfl4j.parser.TfliteModel;
import org.tfl4j.parser.TfliteParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DualEncoderBuilderTest {

    @Test
    void everyExampleConfigBuildsAFileTheParserReads() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("configs"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                DualEncoderConfig config = DualEncoderConfig.read(p);
                byte[] model = DualEncoderBuilder.build(config);
                TfliteModel m = TfliteParser.parse(model);
                Subgraph g = m.mainSubgraph();
                assertEquals(config.featuresByName().size(), g.inputs().length, p.toString());
                assertEquals(2, g.outputs().length, p.toString());
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameBytesAnotherSeedOtherWeights() {
        DualEncoderConfig c = DualEncoderConfig.parse(DualEncoderConfigTest.VALID);
        byte[] a = DualEncoderBuilder.build(c);
        byte[] b = DualEncoderBuilder.build(DualEncoderConfig.parse(DualEncoderConfigTest.VALID));
        assertArrayEquals(a, b);
        byte[] other = DualEncoderBuilder.build(DualEncoderConfig.parse(DualEncoderConfigTest.VALID.replace("\"seed\": 7", "\"seed\": 8")));
        assertEquals(a.length, other.length, "only the weights change");
        assertFalse(Arrays.equals(a, other));
    }

    /** Inputs by sorted feature name, outputs scores then ids, the serving_default signature of the published v2 model. */
    @Test
    void interfaceIsTheConvertersInterface() {
        DualEncoderConfig c = DualEncoderConfig.parse(DualEncoderConfigTest.VALID);
        TfliteModel m = TfliteParser.parse(DualEncoderBuilder.build(c));
        Subgraph g = m.mainSubgraph();
        String[] names = {"genre", "movie_id", "rating", "year"};
        TensorType[] types = {TensorType.INT32, TensorType.INT32, TensorType.FLOAT32, TensorType.INT32};
        int[] lengths = {12, 6, 6, 6};
        for (int k = 0; k < names.length; k++) {
            Tensor t = g.tensor(g.inputs()[k]);
            assertEquals("serving_default_" + names[k] + ":0", t.name());
            assertEquals(types[k], t.type());
            assertArrayEquals(new int[] {lengths[k]}, t.shape());
        }
        Tensor scores = g.tensor(g.outputs()[0]);
        Tensor ids = g.tensor(g.outputs()[1]);
        assertEquals("StatefulPartitionedCall:1", scores.name());
        assertEquals(TensorType.FLOAT32, scores.type());
        assertArrayEquals(new int[] {10}, scores.shape());
        assertEquals("StatefulPartitionedCall:0", ids.name());
        assertEquals(TensorType.INT32, ids.type());
        SignatureDef s = m.signatureDefs().get(0);
        assertEquals("serving_default", s.key());
        assertEquals(List.of(names), new ArrayList<>(s.inputs().keySet()));
        for (int k = 0; k < names.length; k++) assertEquals(g.inputs()[k], s.inputs().get(names[k]));
        assertEquals(Map.of("top_prediction_ids", g.outputs()[1], "top_prediction_scores", g.outputs()[0]), s.outputs());
        assertTrue(m.description().contains("LSTM(movie_id[6]:100x8 rating[6]:float year[6]:30x3), CNN(genre[12]:19x4)"), m.description());
    }

    /**
     * The configs of the four published models (the v1 ones as v2 configs: their last hidden layer is v2's proj_layer)
     * give the published files' graphs: the same ops with the same options, input and output shapes and constant
     * inputs (execution order aside; the converter runs the genre branch first).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "model_history10_top100.tflite, BOW, '', 16, 0, [],  0, 0",
            "recommendation_cnn_i10o100.tflite, CNN, '', 16, 0, '[2, 4]', 4, 0",
            "recommendation_rnn_i10o100.tflite, LSTM, '', 16, 0, [], 0, 16",
            "recommendation_cnn_i10i32o100.tflite, CNN, 32, 32, 8, '[2, 4]', 4, 0"})
    void publishedModelsConfigsGiveThePublishedGraphs(String file, String encoder, String hidden, int dim, int genreDim,
                                                      String ratios, int kernel, int units) throws IOException {
        Path published = Path.of(System.getProperty("tfl4j.models", "../../shared/models/movielens"), file);
        Assumptions.assumeTrue(Files.isRegularFile(published), "published model absent: " + published);
        String groups = "{\"features\": [{\"feature_name\": \"context_movie_id\", \"feature_type\": \"INT\", \"vocab_size\": 3953,"
                + " \"embedding_dim\": " + dim + ", \"feature_length\": 10}], \"encoder_type\": \"" + encoder + "\"}";
        if (genreDim > 0) {
            groups += ", {\"features\": [{\"feature_name\": \"context_movie_genre\", \"feature_type\": \"INT\", \"vocab_size\": 19,"
                    + " \"embedding_dim\": " + genreDim + ", \"feature_length\": 32}], \"encoder_type\": \"" + encoder + "\"}";
        }
        String json = "{\"input_config\": {\"activity_feature_groups\": [" + groups + "], \"label_feature\": {\"feature_name\":"
                + " \"label_movie_id\", \"vocab_size\": 3953, \"embedding_dim\": " + dim + "}}, \"model_config\": {\"hidden_layer_dims\": ["
                + (hidden.isEmpty() ? dim : hidden + ", " + hidden) + "], \"conv_num_filter_ratios\": " + ratios
                + ", \"conv_kernel_size\": " + Math.max(kernel, 1) + ", \"lstm_num_units\": " + Math.max(units, 1)
                + ", \"num_predictions\": 100}, \"seed\": 1}";
        TfliteModel built = TfliteParser.parse(DualEncoderBuilder.build(DualEncoderConfig.parse(json)));
        TfliteModel expected = TfliteParser.parse(published);
        assertEquals(describeOps(expected), describeOps(built), file);
        assertEquals(expected.mainSubgraph().tensors().size(), built.mainSubgraph().tensors().size(), file + ": tensors");
    }

    /** One line per op (sorted): its name, options, and inputs and outputs by kind, type and shape. */
    private static List<String> describeOps(TfliteModel m) {
        Subgraph g = m.mainSubgraph();
        List<String> lines = new ArrayList<>();
        for (Operator op : g.operators()) {
            StringBuilder s = new StringBuilder(op.opName()).append(' ').append(options(op.options())).append(" (");
            for (int in : op.inputs()) {
                if (in < 0) {
                    s.append("- ");
                    continue;
                }
                Tensor t = g.tensor(in);
                s.append(t.isConstant() ? "const " : t.isVariable() ? "var " : "").append(t.type()).append(Arrays.toString(t.shape())).append(' ');
            }
            s.append(") -> ");
            for (int out : op.outputs()) s.append(g.tensor(out).type()).append(Arrays.toString(g.tensor(out).shape())).append(' ');
            lines.add(s.toString());
        }
        lines.sort(null);
        return lines;
    }

    private static String options(OpOptions o) {
        // RESHAPE's new shape comes from its second input in these files (options absent or not); CAST's types are its tensors'.
        if (o instanceof OpOptions.Reshape || o instanceof OpOptions.Cast) return "";
        return o.toString();
    }

    @Test
    void weightsFromNpyFilesReplaceTheSeededOnes(@TempDir Path dir) throws IOException {
        DualEncoderConfig c = DualEncoderConfig.parse(DualEncoderConfigTest.VALID);
        WeightSource seeded = WeightSource.seeded(c.seed());
        List<WeightSource.Weight> weights = DualEncoderBuilder.weights(c);
        assertEquals(List.of("embedding_movie_id", "embedding_year", "group0_lstm_input_kernel"),
                weights.subList(0, 3).stream().map(WeightSource.Weight::name).toList());
        for (WeightSource.Weight w : weights) Files.write(dir.resolve(w.name() + ".npy"), npy("<f4", w.shape(), seeded.values(w)));
        assertArrayEquals(DualEncoderBuilder.build(c), DualEncoderBuilder.build(c, WeightSource.npyFolder(dir)));
    }

    @Test
    void badWeightFilesAreNamed(@TempDir Path dir) throws IOException {
        DualEncoderConfig c = DualEncoderConfig.parse(DualEncoderConfigTest.VALID);
        WeightSource folder = WeightSource.npyFolder(dir);
        ModelConfigException missing = assertThrows(ModelConfigException.class, () -> DualEncoderBuilder.build(c, folder));
        assertEquals(dir.resolve("embedding_movie_id.npy") + ": missing: the weights folder needs embedding_movie_id.npy,"
                + " float32 of shape [100, 8]", missing.getMessage());
        Files.write(dir.resolve("embedding_movie_id.npy"), npy("<f4", new int[] {8, 100}, new float[800]));
        ModelConfigException shape = assertThrows(ModelConfigException.class, () -> DualEncoderBuilder.build(c, folder));
        assertEquals(dir.resolve("embedding_movie_id.npy") + ": shape [8, 100], expected [100, 8]", shape.getMessage());
        Files.write(dir.resolve("embedding_movie_id.npy"), npy("<f8", new int[] {100, 8}, new float[800]));
        ModelConfigException dtype = assertThrows(ModelConfigException.class, () -> DualEncoderBuilder.build(c, folder));
        assertEquals(dir.resolve("embedding_movie_id.npy") + ": dtype '<f8', weights must be float32 little-endian ('<f4')",
                dtype.getMessage());
        Files.write(dir.resolve("embedding_movie_id.npy"), "not numpy".getBytes(StandardCharsets.US_ASCII));
        assertThrows(ModelConfigException.class, () -> DualEncoderBuilder.build(c, folder));
    }

    /** The seeded initializer's values lie in their stated ranges (ReLU layers biased open, LSTM forget gate at 1). */
    @Test
    void seededWeightsStayInTheirRanges() {
        DualEncoderConfig c = DualEncoderConfig.parse(DualEncoderConfigTest.VALID);
        WeightSource seeded = WeightSource.seeded(c.seed());
        for (WeightSource.Weight w : DualEncoderBuilder.weights(c)) {
            float[] v = seeded.values(w);
            for (float x : v) {
                assertTrue(x >= w.center() - w.limit() && x <= w.center() + w.limit(), w + ": " + x);
            }
            if (w.name().endsWith("_bias") && !w.name().contains("lstm")) assertTrue(w.center() - w.limit() >= 0, w.toString());
            if (w.name().equals("group0_lstm_forget_bias")) assertEquals(1f, w.center());
        }
    }

    private static byte[] npy(String descr, int[] shape, float[] values) {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) dims.append(d).append(", ");
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        int elementBytes = descr.equals("<f8") ? 8 : 4;
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + values.length * elementBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        for (float v : values) {
            if (elementBytes == 8) b.putDouble(v);
            else b.putFloat(v);
        }
        return b.array();
    }

    @Test
    void builtModelOpsAreTheSpecsLowering() {
        DualEncoderConfig c = DualEncoderConfig.parse(DualEncoderConfigTest.VALID);
        TfliteModel m = TfliteParser.parse(DualEncoderBuilder.build(c));
        List<String> ops = m.mainSubgraph().operators().stream().map(Operator::opName).toList();
        // Group 0 (LSTM over movie_id, rating, year): per INT feature RESHAPE, NOT_EQUAL, CAST, GATHER; masks multiplied.
        assertEquals(List.of("RESHAPE", "NOT_EQUAL", "CAST", "GATHER", "RESHAPE", "NOT_EQUAL", "CAST", "MUL", "GATHER",
                "RESHAPE", "RESHAPE", "CONCATENATION", "MUL", "UNIDIRECTIONAL_SEQUENCE_LSTM", "STRIDED_SLICE"), ops.subList(0, 15));
        assertEquals(List.of("CONCATENATION", "FULLY_CONNECTED", "FULLY_CONNECTED", "FULLY_CONNECTED", "FULLY_CONNECTED",
                "RESHAPE", "TOPK_V2", "LOGISTIC"), ops.subList(ops.size() - 8, ops.size()));
        assertEquals(2, ops.stream().filter(o -> o.equals("CONV_2D")).count());
        assertTrue(ops.contains("REDUCE_MAX"));
        Operator labelTable = m.mainSubgraph().operators().get(ops.size() - 4);
        assertEquals(BuiltinOp.FULLY_CONNECTED, labelTable.opcode());
        assertEquals(-1, labelTable.inputs()[2], "the label table has no bias");
    }
}
