package org.tfl4j.recommend;

import org.junit.jupiter.api.Test;
import org.tfl4j.engine.Model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile input to the recommender: null histories and ids, ids that are not movies, and vocabularies or configs
 * that could send the model an id outside its embedding tables (refused when the recommender is built, not on
 * some later request). Every case is a {@link RecommenderException} with the place named; the recommender keeps
 * working after a rejected history.
 */
class RecommenderInputsTest {

    @Test
    void badHistoriesAreNamedAndTheRecommenderKeepsWorking() throws IOException {
        try (Recommender r = Recommender.load(Fixtures.file("config_cnn_i10i32o100.json"))) {
            List<Recommendation> good = r.recommend(1, 364);
            assertMessage(assertThrows(RecommenderException.class, () -> r.recommend((int[]) null)), "history is null");
            assertMessage(assertThrows(RecommenderException.class, () -> r.recommend((List<Integer>) null)), "history is null");
            assertMessage(assertThrows(RecommenderException.class, () -> r.recommend(Arrays.asList(1, null, 364))),
                    "history[1] is null");
            assertMessage(assertThrows(RecommenderException.class, () -> r.recommend(1, -5)),
                    "history[1]: movie id -5 is out of range");
            assertMessage(assertThrows(RecommenderException.class, () -> r.recommend(1, Integer.MAX_VALUE)),
                    "history[1]: movie id 2147483647 is out of range");
            assertMessage(assertThrows(RecommenderException.class, () -> r.recommend(3953)), "movie id 3953 is out of range");
            assertMessage(assertThrows(RecommenderException.class, () -> r.recommend(new int[] {1}, -1)), "topK must be >= 1");
            assertEquals(good, r.recommend(1, 364));
            // An empty history and a very long one are histories: the app pads and cuts.
            assertEquals(10, r.recommend().size());
            int[] many = new int[5_000];
            List<MovieVocabulary.Movie> movies = r.movies().movies();
            for (int i = 0; i < many.length; i++) many[i] = movies.get(i % movies.size()).id();
            assertTrue(r.recommend(many).size() <= 10);
        }
    }

    @Test
    void vocabulariesThatExceedTheModelsTablesAreRefusedAtConstruction() throws IOException {
        Model model = Model.load(Fixtures.file("recommendation_cnn_i10i32o100.tflite"));
        RecommenderConfig config = RecommenderConfig.load(Fixtures.file("config_cnn_i10i32o100.json"));
        MovieVocabulary movies = Fixtures.realMovies();
        GenreVocabulary genres = Fixtures.realGenres();
        new Recommender(model, config, movies, genres).close(); // the published files fit

        List<MovieVocabulary.Movie> more = new ArrayList<>(Fixtures.smallMovies().movies());
        more.add(new MovieVocabulary.Movie(5000, "Beyond the Table (2031)", List.of("Drama"), 1));
        MovieVocabulary tooMany = MovieVocabulary.of(more, "big_vocab.json");
        assertMessage(assertThrows(RecommenderException.class, () -> new Recommender(model, config, tooMany, genres)),
                "the config's input 0 \"movieFeature\" takes ids 0..3952 in model recommendation_cnn_i10i32o100.tflite,"
                        + " but big_vocab.json has movie ids up to 5000");

        List<String> names = new ArrayList<>(genres.names());
        for (int i = 0; i < 5; i++) names.add("Invented " + i);
        GenreVocabulary tooManyGenres = GenreVocabulary.of(names, "big_genres.txt");
        assertMessage(assertThrows(RecommenderException.class, () -> new Recommender(model, config, movies, tooManyGenres)),
                "the config's input 1 \"genreFeature\" takes ids 0..18 in model recommendation_cnn_i10i32o100.tflite,"
                        + " but big_genres.txt has genre ids up to 23");

        RecommenderConfig badPad = new RecommenderConfig(config.model(), config.inputs(), config.movieList(),
                config.genreList(), config.topK(), config.outputLength(), config.outputIdsIndex(),
                config.outputScoresIndex(), 4000, config.unknownGenre(), config.favoriteListSize());
        assertMessage(assertThrows(RecommenderException.class, () -> new Recommender(model, badPad, movies, genres)),
                "and pad is 4000");
        RecommenderConfig badUnknown = new RecommenderConfig(config.model(), config.inputs(), config.movieList(),
                config.genreList(), config.topK(), config.outputLength(), config.outputIdsIndex(),
                config.outputScoresIndex(), config.pad(), 19, config.favoriteListSize());
        assertMessage(assertThrows(RecommenderException.class, () -> new Recommender(model, badUnknown, movies, genres)),
                "and unknownGenre is 19");
    }

    private static void assertMessage(Exception e, String part) {
        assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
    }
}
