package org.tfl4j.models;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DualEncoderConfigTest {

    /** Two groups (an LSTM over ids, a FLOAT and a categorical feature; a CNN over genres), every field set. */
    static final String VALID = """
            {"input_config": {
               "activity_feature_groups": [
                 {"features": [
                    {"feature_name": "movie_id", "feature_type": "INT", "vocab_size": 100, "embedding_dim": 8, "feature_length": 6},
                    {"feature_name": "rating", "feature_type": "FLOAT", "feature_length": 6},
                    {"feature_name": "year", "feature_type": "INT", "vocab_size": 30, "embedding_dim": 3, "feature_length": 6}],
                  "encoder_type": "LSTM"},
                 {"features": [
                    {"feature_name": "genre", "feature_type": "INT", "vocab_size": 19, "embedding_dim": 4, "feature_length": 12}],
                  "encoder_type": "CNN"}],
               "label_feature": {"feature_name": "label", "feature_type": "INT", "vocab_size": 100, "embedding_dim": 8}},
             "model_config": {"hidden_layer_dims": [16, 8], "conv_num_filter_ratios": [2, 1], "conv_kernel_size": 4,
                              "lstm_num_units": 5, "num_predictions": 10},
             "seed": 7}
            """;

    @Test
    void parsesEveryField() {
        DualEncoderConfig c = DualEncoderConfig.parse(VALID);
        assertEquals(7, c.seed());
        assertEquals(2, c.inputConfig().activityFeatureGroups().size());
        DualEncoderConfig.FeatureGroup g0 = c.inputConfig().activityFeatureGroups().get(0);
        assertEquals(DualEncoderConfig.EncoderType.LSTM, g0.encoderType());
        assertEquals(8 + 1 + 3, g0.channels());
        assertEquals(6, g0.length());
        assertEquals(DualEncoderConfig.FeatureType.FLOAT, g0.features().get(1).featureType());
        assertEquals(List.of(16, 8), c.modelConfig().hiddenLayerDims());
        assertEquals(List.of(2, 1), c.modelConfig().convNumFilterRatios());
        assertEquals(4, c.modelConfig().convKernelSize());
        assertEquals(5, c.modelConfig().lstmNumUnits());
        assertEquals(10, c.modelConfig().numPredictions());
        assertEquals(GruForm.WHILE, c.modelConfig().gruForm(), "WHILE by default, as the converter emits a Keras GRU");
        assertEquals(List.of("genre", "movie_id", "rating", "year"),
                c.featuresByName().stream().map(DualEncoderConfig.Feature::featureName).toList());
    }

    @Test
    void everyExampleConfigParses() throws IOException {
        Path dir = Path.of("configs");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> configs = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            assertTrue(configs.size() >= 5, "example configs in " + dir.toAbsolutePath() + ": " + configs);
            for (Path p : configs) DualEncoderConfig.read(p);
        }
    }

    @Test
    void acceptsTheExampleFieldsInferenceDoesNotUse() {
        DualEncoderConfig.parse(VALID.replace("\"num_predictions\": 10", "\"num_predictions\": 10, \"eval_top_k\": [1, 5]")
                .replace("\"feature_name\": \"genre\",", "\"feature_name\": \"genre\", \"vocab_name\": \"genres\","));
    }

    /** Each bad config names the JSON path of the field at fault and says what it found. */
    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "\"embedding_dim\": 4, |\"embedding_dim\": -3, |input_config.activity_feature_groups[1].features[0].embedding_dim: must be > 0, got -3",
            "\"embedding_dim\": 3, |\"embedding_dim\": 3.5, |input_config.activity_feature_groups[0].features[2].embedding_dim: must be an integer, got 3.5",
            "\"vocab_size\": 19, |\"vocab_size\": \"19\", |input_config.activity_feature_groups[1].features[0].vocab_size: must be an integer, got the string \"19\"",
            "\"encoder_type\": \"CNN\"|\"encoder_type\": \"RNN\"|input_config.activity_feature_groups[1].encoder_type: must be one of BOW, CNN, LSTM, GRU, got \"RNN\"",
            "\"feature_type\": \"FLOAT\"|\"feature_type\": \"STRING\"|input_config.activity_feature_groups[0].features[1].feature_type: STRING features are not supported",
            "\"hidden_layer_dims\"|\"hiden_layer_dims\"|model_config.hiden_layer_dims: unknown field",
            "\"hidden_layer_dims\": [16, 8]|\"hidden_layer_dims\": [16, 0]|model_config.hidden_layer_dims[1]: must be > 0, got 0",
            "\"num_predictions\": 10|\"num_predictions\": 101|model_config.num_predictions: must be at most the label vocab_size (100), got 101",
            "\"num_predictions\": 10|\"eval_top_k\": [10]|model_config.num_predictions: missing",
            "\"conv_kernel_size\": 4,|\"conv_kernel_size\": null,|model_config.conv_kernel_size: missing (a CNN group needs it)",
            "\"conv_num_filter_ratios\": [2, 1]|\"conv_num_filter_ratios\": []|model_config.conv_num_filter_ratios: a CNN group needs at least one ratio",
            "\"lstm_num_units\": 5,|\"lstm_num_units\": 0,|model_config.lstm_num_units: must be > 0, got 0",
            "\"lstm_num_units\": 5,|\"lstm_num_units\": 5, \"gru_form\": \"LOOP\",|model_config.gru_form: must be one of UNROLLED, WHILE, got \"LOOP\"",
            "\"feature_name\": \"rating\", \"feature_type\": \"FLOAT\", \"feature_length\": 6|\"feature_name\": \"rating\", \"feature_type\": \"FLOAT\", \"feature_length\": 7|input_config.activity_feature_groups[0].features[1].feature_length: must equal the group's first feature's (6)",
            "\"feature_name\": \"year\"|\"feature_name\": \"genre\"|input_config.activity_feature_groups[1].features[0].feature_name: 'genre' is also the name of input_config.activity_feature_groups[0].features[2]",
            "\"feature_name\": \"genre\"|\"feature_name\": \"movie genre\"|input_config.activity_feature_groups[1].features[0].feature_name: must be 1 to 128 of A-Z a-z 0-9 _ . -",
            "\"feature_type\": \"FLOAT\", |\"feature_type\": \"FLOAT\", \"embedding_dim\": 2, |input_config.activity_feature_groups[0].features[1].embedding_dim: a FLOAT feature has no embedding",
            "\"vocab_size\": 19, \"embedding_dim\": 4|\"vocab_size\": 190000000, \"embedding_dim\": 4|input_config.activity_feature_groups[1].features[0].vocab_size: vocab_size x embedding_dim (the embedding table) = 760000000 elements",
            "\"label\", \"feature_type\": \"INT\"|\"label\", \"feature_type\": \"FLOAT\"|input_config.label_feature.feature_type: the label feature must be INT, got FLOAT",
            "\"label_feature\": {\"feature_name\": \"label\", \"feature_type\": \"INT\", \"vocab_size\": 100, |\"label_feature\": {\"feature_name\": \"label\", \"feature_type\": \"INT\", |input_config.label_feature.vocab_size: missing",
            "\"seed\": 7|\"seed\": [7]|seed: must be an integer, got an array",
            "\"activity_feature_groups\": [|\"global_feature_groups\": [{}], \"activity_feature_groups\": [|input_config.global_feature_groups: not supported by tfl4j's builder",
            "\"seed\": 7}|\"seed\": 7,}|(config): not JSON",
    })
    void namesTheFieldOfEachError(String from, String to, String expected) {
        assertTrue(VALID.contains(from), "the valid config holds " + from);
        String bad = VALID.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
        if (from.equals("\"embedding_dim\": 4, ")) bad = VALID.replace("\"embedding_dim\": 4, \"feature_length\": 12", "\"embedding_dim\": -3, \"feature_length\": 12");
        if (from.equals("\"vocab_size\": 19, ")) bad = VALID.replace("\"vocab_size\": 19, ", to);
        String config = bad;
        ModelConfigException e = assertThrows(ModelConfigException.class, () -> DualEncoderConfig.parse(config));
        assertTrue(e.getMessage().startsWith(expected), "expected '" + expected + "...', got '" + e.getMessage() + "'");
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertEquals(expected.substring(0, expected.indexOf(':')), e.field());
    }

    @Test
    void namesAFieldOfTheWrongKind() {
        String config = VALID.substring(0, VALID.indexOf("\"model_config\"")) + "\"model_config\": 3}";
        ModelConfigException e = assertThrows(ModelConfigException.class, () -> DualEncoderConfig.parse(config));
        assertEquals("model_config: must be a JSON object, got 3", e.getMessage());
    }

    @Test
    void aGroupNeedsAnIntFeatureToMaskIt() {
        String onlyFloat = VALID.replace(
                "{\"feature_name\": \"genre\", \"feature_type\": \"INT\", \"vocab_size\": 19, \"embedding_dim\": 4, \"feature_length\": 12}",
                "{\"feature_name\": \"weight\", \"feature_type\": \"FLOAT\", \"feature_length\": 12}");
        ModelConfigException e = assertThrows(ModelConfigException.class, () -> DualEncoderConfig.parse(onlyFloat));
        assertEquals("input_config.activity_feature_groups[1].features", e.field(), e.getMessage());
    }

    @Test
    void aConfigBuiltInJavaIsCheckedToo() {
        DualEncoderConfig c = DualEncoderConfig.parse(VALID);
        DualEncoderConfig.ModelConfig m = c.modelConfig();
        DualEncoderConfig bad = new DualEncoderConfig(c.inputConfig(), new DualEncoderConfig.ModelConfig(m.hiddenLayerDims(),
                m.convNumFilterRatios(), m.convKernelSize(), m.lstmNumUnits(), 0, m.gruForm()), 1);
        ModelConfigException e = assertThrows(ModelConfigException.class, () -> DualEncoderBuilder.build(bad));
        assertEquals("model_config.num_predictions: must be > 0, got 0", e.getMessage());
    }
}
