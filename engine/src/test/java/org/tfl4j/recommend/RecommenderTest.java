package org.tfl4j.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tfl4j.engine.Model;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The recommender on the real models. The expected top 10 for the history Toy Story (1), Lion King
 * (364) come from the official TFLite 2.21 runtime (reference-runtime {@code refrt.sh tflite221},
 * builtin kernels) fed the hand-derived inputs [1, 364, 0 x 8] and, for the genre model,
 * [15, 9, 2, 15, 9, 13, 0 x 26], then filtered as the app does (skip ids not in the movie list
 * and the history), in Python.
 */
class RecommenderTest {
    private static final int[] TOY_STORY_LION_KING = {1, 364};

    private static List<Integer> ids(List<Recommendation> recs) {
        return recs.stream().map(Recommendation::id).toList();
    }

    private static Recommender withConfig(String config) throws IOException {
        return Recommender.load(Fixtures.file(config));
    }

    @Test
    void featureBasedCnnMatchesTheReferenceRuntime() throws IOException {
        try (Recommender r = withConfig("config_cnn_i10i32o100.json")) {
            List<Recommendation> recs = r.recommend(TOY_STORY_LION_KING);
            assertEquals(List.of(1210, 260, 1196, 356, 110, 1097, 1193, 2028, 593, 1721), ids(recs));
            assertEquals("Star Wars: Episode VI - Return of the Jedi (1983)", recs.get(0).title());
            assertNotNull(r.genres());
        }
    }

    @Test
    void cnnMatchesTheReferenceRuntime() throws IOException {
        try (Recommender r = withConfig("config_cnn_i10o100.json")) {
            assertEquals(List.of(1210, 1193, 1198, 356, 260, 1196, 527, 2028, 858, 2858), ids(r.recommend(TOY_STORY_LION_KING)));
        }
    }

    @Test
    void rnnMatchesTheReferenceRuntimeInBothConfigFormats() throws IOException {
        List<Integer> want = List.of(1843, 2226, 582, 1868, 1815, 696, 658, 1601, 843, 2545);
        try (Recommender r = withConfig("config_rnn_i10o100.json")) {
            assertEquals(want, ids(r.recommend(TOY_STORY_LION_KING)));
        }
        try (Recommender r = withConfig("config_v1_rnn_i10o100.json")) {
            assertEquals(want, ids(r.recommend(TOY_STORY_LION_KING)));
        }
    }

    @Test
    void bagOfWordsWithoutConfigMatchesTheReferenceRuntime() {
        try (Recommender r = Recommender.withoutConfig(Fixtures.file("model_history10_top100.tflite"), Fixtures.realMovies())) {
            RecommenderConfig c = r.config();
            assertEquals(List.of(new RecommenderConfig.Feature("movieFeature", 0, 10)), c.inputs());
            assertEquals(0, c.outputIdsIndex());   // README: output 0 = ids int32[100]
            assertEquals(1, c.outputScoresIndex());
            assertEquals(100, c.outputLength());
            assertEquals(List.of(3290, 3460, 701, 133, 90, 3149, 758, 1412, 3647, 3213), ids(r.recommend(TOY_STORY_LION_KING)));
        }
    }

    @Test
    void graphContractOfTheCnnFindsIdsByType() {
        // cnn_i10o100 puts the scores first (README): the int32 output is index 1.
        RecommenderConfig c = RecommenderConfig.fromModel(Model.load(Fixtures.file("recommendation_cnn_i10o100.tflite")), "cnn.tflite");
        assertEquals(1, c.outputIdsIndex());
        assertEquals(0, c.outputScoresIndex());
        RecommenderException e = assertThrows(RecommenderException.class,
                () -> RecommenderConfig.fromModel(Model.load(Fixtures.file("recommendation_cnn_i10i32o100.tflite")), "g.tflite"));
        assertTrue(e.getMessage().contains("has 2 inputs"), e.getMessage());
    }

    @Test
    void resultsAreMoviesOutsideTheHistoryInScoreOrder() throws IOException {
        MovieVocabulary movies = Fixtures.realMovies();
        // Twelve picks: the model sees the first ten, all twelve are excluded from the results.
        int[] history = {2858, 260, 1196, 1210, 480, 2028, 589, 2571, 1270, 593, 1580, 1198};
        for (String config : List.of("config_cnn_i10i32o100.json", "config_cnn_i10o100.json", "config_rnn_i10o100.json")) {
            try (Recommender r = withConfig(config)) {
                List<Recommendation> recs = r.recommend(history);
                assertEquals(10, recs.size(), config);
                Set<Integer> seen = new HashSet<>();
                for (int i = 0; i < recs.size(); i++) {
                    Recommendation rec = recs.get(i);
                    assertTrue(seen.add(rec.id()), config + ": duplicate " + rec);
                    for (int h : history) assertFalse(rec.id() == h, config + ": history id " + h + " recommended");
                    assertEquals(movies.get(rec.id()).title(), rec.title());
                    // TOPK_V2 sorts by logit and LOGISTIC is monotone: scores never increase.
                    if (i > 0) assertTrue(rec.score() <= recs.get(i - 1).score(), config + " at " + i + ": " + recs);
                }
            }
        }
    }

    @Test
    void callsAreIndependentAndTopKCuts() throws IOException {
        try (Recommender r = withConfig("config_rnn_i10o100.json")) {
            List<Recommendation> first = r.recommend(TOY_STORY_LION_KING);
            r.recommend(2858, 260, 1196, 1210, 480, 2028, 589, 2571, 1270, 593);
            // The LSTM starts from zero state every call, and the reused arrays hold no stale values.
            assertEquals(first, r.recommend(List.of(1, 364)));
            assertEquals(first.subList(0, 3), r.recommend(TOY_STORY_LION_KING, 3));
            assertThrows(RecommenderException.class, () -> r.recommend(TOY_STORY_LION_KING, 0));
        }
    }

    @Test
    void historyIdsThatAreNotMoviesAreNamed() throws IOException {
        try (Recommender r = withConfig("config_cnn_i10o100.json")) {
            assertEquals("history[1]: movie id 0 is out of range: sorted_movie_vocab.json has ids 1..3952",
                    assertThrows(RecommenderException.class, () -> r.recommend(1, 0)).getMessage());
            assertEquals("history[0]: movie id 3953 is out of range: sorted_movie_vocab.json has ids 1..3952",
                    assertThrows(RecommenderException.class, () -> r.recommend(3953)).getMessage());
            // MovieID 51 is not in MovieLens 1M's movies.dat, so not in the list either.
            assertFalse(r.movies().contains(51));
            assertTrue(assertThrows(RecommenderException.class, () -> r.recommend(1, 364, 51)).getMessage()
                    .startsWith("history[2]: movie id 51 is not in sorted_movie_vocab.json"));
        }
    }

    @Test
    void aConfigThatDoesNotFitTheModelIsRejected() throws IOException {
        MovieVocabulary movies = Fixtures.realMovies();
        Model rnn = Model.load(Fixtures.file("recommendation_rnn_i10o100.tflite"));
        RecommenderConfig cnnConfig = RecommenderConfig.load(Fixtures.file("config_cnn_i10o100.json"));
        RecommenderException e = assertThrows(RecommenderException.class, () -> new Recommender(rnn, cnnConfig, movies, null));
        assertTrue(e.getMessage().contains("'outputIdsIndex' 1 expects INT32[100]"), e.getMessage());

        RecommenderConfig genreConfig = RecommenderConfig.load(Fixtures.file("config_cnn_i10i32o100.json"));
        e = assertThrows(RecommenderException.class, () -> new Recommender(rnn, genreConfig, movies, Fixtures.realGenres()));
        assertTrue(e.getMessage().contains("lists 2 input(s)"), e.getMessage());
        e = assertThrows(RecommenderException.class, () -> new Recommender(rnn, genreConfig, movies, null));
        assertTrue(e.getMessage().contains("needs the genre list"), e.getMessage());

        RecommenderConfig longer = RecommenderConfig.parse("{\"inputLength\": 12}", "c.json");
        e = assertThrows(RecommenderException.class, () -> new Recommender(rnn, longer, movies, null));
        assertTrue(e.getMessage().contains("is int32[12]"), e.getMessage());
    }
}
