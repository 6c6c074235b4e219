package org.tfl4j.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tfl4j.recommend.RecommenderConfig.Feature;

import java.io.IOException;
import java.util.List;

class RecommenderConfigTest {

    private static final Feature MOVIES_10 = new Feature("movieFeature", 0, 10);

    // Values from the spec, section 5 ("official values"), and the files' README.

    @Test
    void readsTheFeatureBasedCnnConfig() throws IOException {
        RecommenderConfig c = RecommenderConfig.load(Fixtures.file("config_cnn_i10i32o100.json"));
        assertEquals("recommendation_cnn_i10i32o100.tflite", c.model());
        assertEquals(List.of(MOVIES_10, new Feature("genreFeature", 1, 32)), c.inputs());
        assertEquals("sorted_movie_vocab.json", c.movieList());
        assertEquals("movie_genre_vocab.txt", c.genreList());
        assertTrue(c.usesGenres());
        assertEquals(1, c.outputIdsIndex());
        assertEquals(0, c.outputScoresIndex());
        assertEquals(100, c.outputLength());
        assertEquals(10, c.topK());
        assertAppDefaults(c);
    }

    @Test
    void readsTheCnnConfig() throws IOException {
        RecommenderConfig c = RecommenderConfig.load(Fixtures.file("config_cnn_i10o100.json"));
        assertEquals("recommendation_cnn_i10o100.tflite", c.model());
        assertEquals(List.of(MOVIES_10), c.inputs());
        assertNull(c.genreList());
        assertFalse(c.usesGenres());
        assertEquals(1, c.outputIdsIndex());
        assertEquals(0, c.outputScoresIndex());
        assertEquals(100, c.outputLength());
        assertEquals(10, c.topK());
        assertAppDefaults(c);
    }

    @Test
    void readsTheRnnConfig() throws IOException {
        RecommenderConfig c = RecommenderConfig.load(Fixtures.file("config_rnn_i10o100.json"));
        assertEquals("recommendation_rnn_i10o100.tflite", c.model());
        assertEquals(List.of(MOVIES_10), c.inputs());
        assertNull(c.genreList());
        assertEquals(0, c.outputIdsIndex());
        assertEquals(1, c.outputScoresIndex());
        assertEquals(100, c.outputLength());
        assertEquals(10, c.topK());
        assertAppDefaults(c);
    }

    @Test
    void readsTheOldSingleInputConfig() throws IOException {
        RecommenderConfig c = RecommenderConfig.load(Fixtures.file("config_v1_rnn_i10o100.json"));
        assertEquals("recommendation_rnn_i10o100.tflite", c.model());
        assertEquals(List.of(MOVIES_10), c.inputs());
        assertEquals("sorted_movie_vocab.json", c.movieList());
        assertNull(c.genreList());
        assertEquals(100, c.outputLength());
        assertEquals(10, c.topK());
        // Not in the old file: the app's defaults (ids first, as in the RNN file).
        assertEquals(0, c.outputIdsIndex());
        assertEquals(1, c.outputScoresIndex());
        assertAppDefaults(c);
    }

    private static void assertAppDefaults(RecommenderConfig c) {
        assertEquals(0, c.pad());
        assertEquals(0, c.unknownGenre());
        assertEquals(100, c.favoriteListSize());
    }

    @Test
    void emptyObjectIsTheOldFormatWithTheAppDefaults() {
        RecommenderConfig c = RecommenderConfig.parse("{}", "c.json");
        assertEquals("recommendation_rnn_i10o100.tflite", c.model());
        assertEquals(List.of(MOVIES_10), c.inputs());
        assertEquals("sorted_movie_vocab.json", c.movieList());
        assertEquals(10, c.topK());
        assertEquals(100, c.outputLength());
        assertEquals(0, c.outputIdsIndex());
        assertEquals(1, c.outputScoresIndex());
    }

    @Test
    void oldFormatHonoursItsOptionalFields() {
        RecommenderConfig c = RecommenderConfig.parse(
                "{\"inputLength\": 7, \"outputIdsIndex\": 1, \"outputScoresIndex\": 0, \"pad\": 3, \"extra\": [1]}", "c.json");
        assertEquals(List.of(new Feature("movieFeature", 0, 7)), c.inputs());
        assertEquals(1, c.outputIdsIndex());
        assertEquals(3, c.pad());
    }

    @Test
    void inputsAreSortedByIndex() {
        RecommenderConfig c = RecommenderConfig.parse("{\"inputs\": ["
                + "{\"name\": \"genreFeature\", \"index\": 1, \"inputLength\": 32},"
                + "{\"name\": \"movieFeature\", \"index\": 0, \"inputLength\": 10}],"
                + "\"genreList\": \"g.txt\"}", "c.json");
        assertEquals("movieFeature", c.inputs().get(0).name());
        assertEquals("genreFeature", c.inputs().get(1).name());
        assertEquals(32, c.feature("genreFeature").inputLength());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"topK\": 0}                                        | 'topK' must be >= 1, got 0",
            "{\"topK\": \"ten\"}                                  | 'topK' must be an integer, got \"ten\"",
            "{\"topK\": 2.5}                                      | 'topK' must be an integer, got 2.5",
            "{\"outputLength\": -1}                               | 'outputLength' must be >= 1, got -1",
            "{\"outputIdsIndex\": 1}                              | 'outputIdsIndex' and 'outputScoresIndex' are both 1",
            "{\"outputScoresIndex\": -2}                          | 'outputScoresIndex' must be >= 0, got -2",
            "{\"pad\": -1}                                        | 'pad' must be >= 0, got -1",
            "{\"unknownGenre\": true}                             | 'unknownGenre' must be an integer, got true",
            "{\"model\": 5}                                       | 'model' must be a string, got 5",
            "{\"movieList\": \"\"}                                | 'movieList' must be a file name",
            "{\"inputLength\": 0}                                 | 'inputLength' must be >= 1, got 0",
            "{\"inputLength\": 10, \"inputs\": []}                | both 'inputs' (current format) and 'inputLength' (old format)",
            "{\"inputs\": []}                                     | 'inputs' must list at least one input",
            "{\"inputs\": {}}                                     | 'inputs' must be an array, got an object",
            "{\"inputs\": [3]}                                    | 'inputs[0]' must be an object, got 3",
            "{\"inputs\": [{\"index\": 0, \"inputLength\": 10}]}  | 'inputs[0].name' is missing",
            "{\"inputs\": [{\"name\": \"rating\", \"index\": 0, \"inputLength\": 10}]} | 'inputs[0].name' must be \"movieFeature\" or \"genreFeature\", got \"rating\"",
            "{\"inputs\": [{\"name\": \"movieFeature\", \"inputLength\": 10}]}         | 'inputs[0].index' is missing",
            "{\"inputs\": [{\"name\": \"movieFeature\", \"index\": 0}]}                | 'inputs[0].inputLength' is missing",
            "{\"inputs\": [{\"name\": \"movieFeature\", \"index\": 0, \"inputLength\": 0}]}  | 'inputs[0].inputLength' must be >= 1, got 0",
            "{\"inputs\": [{\"name\": \"movieFeature\", \"index\": -1, \"inputLength\": 9}]} | 'inputs[0].index' must be >= 0, got -1",
            "{\"inputs\": [{\"name\": \"movieFeature\", \"index\": 1, \"inputLength\": 10}]} | 'inputs': the indices must be 0..0, each once; got [1]",
            "{\"inputs\": [{\"name\": \"movieFeature\", \"index\": 0, \"inputLength\": 10}, {\"name\": \"movieFeature\", \"index\": 1, \"inputLength\": 10}]} | feature \"movieFeature\" is listed twice",
            "{\"inputs\": [{\"name\": \"movieFeature\", \"index\": 0, \"inputLength\": 10}, {\"name\": \"genreFeature\", \"index\": 1, \"inputLength\": 32}]} | 'genreList' is missing",
            "{\"genreList\": \"movie_genre_vocab.txt\"}           | 'genreList' is set but no input is a \"genreFeature\"",
            "[1, 2]                                               | a config must be a JSON object, got an array",
            "{\"topK\": 10,                                       | not valid JSON",
    })
    void badConfigsNameTheFileAndTheField(String json, String expected) {
        RecommenderException e = assertThrows(RecommenderException.class, () -> RecommenderConfig.parse(json, "my_config.json"));
        assertTrue(e.getMessage().startsWith("my_config.json: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage() + "\nexpected to contain: " + expected);
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void withTopKKeepsTheRest() {
        RecommenderConfig c = RecommenderConfig.parse("{\"outputLength\": 50}", "c.json").withTopK(3);
        assertEquals(3, c.topK());
        assertEquals(50, c.outputLength());
        assertThrows(RecommenderException.class, () -> c.withTopK(0));
    }
}
