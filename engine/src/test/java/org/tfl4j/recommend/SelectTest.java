package org.tfl4j.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.util.List;

/** The app's post-processing on hand-made model outputs. */
class SelectTest {
    private static final MovieVocabulary MOVIES = Fixtures.smallMovies();

    // Output order as a model would give it: 0 (padding) and 9999 / 2 / -5 (not movies of the
    // list) are skipped, 1 is in the history.
    private static final int[] IDS = {0, 3114, 1, 9999, 364, 2, -5, 2858, 50};
    private static final float[] SCORES = {0.99f, 0.98f, 0.97f, 0.96f, 0.95f, 0.94f, 0.93f, 0.92f, 0.91f};

    private static List<Integer> ids(List<Recommendation> recs) {
        return recs.stream().map(Recommendation::id).toList();
    }

    @Test
    void skipsNonMoviesAndHistoryAndStopsAtK() {
        List<Recommendation> r = Recommender.select(IDS, SCORES, new int[] {1}, MOVIES, 3);
        assertEquals(List.of(3114, 364, 2858), ids(r));
        assertEquals(new Recommendation(3114, "Toy Story 2 (1999)", List.of("Animation", "Children's", "Comedy"), 0.98f), r.get(0));
        assertEquals(0.95f, r.get(1).score());
        assertEquals(0.92f, r.get(2).score());
    }

    @Test
    void returnsFewerWhenTheOutputRunsOut() {
        assertEquals(List.of(3114, 2858, 50), ids(Recommender.select(IDS, SCORES, new int[] {1, 364}, MOVIES, 10)));
        assertEquals(List.of(), ids(Recommender.select(new int[] {0, 2, 1}, new float[3], new int[] {1}, MOVIES, 10)));
    }

    @Test
    void kOfOne() {
        assertEquals(List.of(3114), ids(Recommender.select(IDS, SCORES, new int[0], MOVIES, 1)));
        assertEquals(List.of(3114, 1), ids(Recommender.select(IDS, SCORES, new int[0], MOVIES, 2)));
    }
}
