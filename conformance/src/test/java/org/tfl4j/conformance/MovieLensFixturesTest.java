package org.tfl4j.conformance;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The app's input building (spec §5) on hand-made vocabularies, and the coverage of the fixture histories. */
class MovieLensFixturesTest {

    private static final List<String> GENRES = List.of("UNK", "Drama", "Comedy", "Action");

    private static MovieLensFixtures.Movie movie(int id, String... genres) {
        return new MovieLensFixtures.Movie(id, "movie " + id, List.of(genres), 1);
    }

    @Test
    void movieIdsInSelectionOrderPaddedAtTheEnd() {
        MovieLensFixtures.History h = new MovieLensFixtures.History("three", List.of(movie(5), movie(7), movie(9)));
        assertArrayEquals(new int[] {5, 7, 9, 0, 0, 0, 0, 0, 0, 0}, MovieLensFixtures.movieFeature(h));
        assertArrayEquals(new int[10], MovieLensFixtures.movieFeature(new MovieLensFixtures.History("empty", List.of())));
    }

    @Test
    void selectionsBeyondTenAreIgnoredForMovieIds() {
        List<MovieLensFixtures.Movie> twelve = new ArrayList<>();
        for (int id = 101; id <= 112; id++) twelve.add(movie(id));
        assertArrayEquals(new int[] {101, 102, 103, 104, 105, 106, 107, 108, 109, 110},
                MovieLensFixtures.movieFeature(new MovieLensFixtures.History("twelve", twelve)));
    }

    @Test
    void genresInVocabOrderPerMovieUnknownBecomesZero() {
        MovieLensFixtures fx = new MovieLensFixtures(List.of(), GENRES);
        MovieLensFixtures.History h = new MovieLensFixtures.History("three",
                List.of(movie(5, "Comedy", "Drama"), movie(7, "IMAX"), movie(9, "Action"), movie(5, "Comedy", "Drama")));
        int[] want = new int[32];
        int[] head = {2, 1, 0, 3, 2, 1};
        System.arraycopy(head, 0, want, 0, head.length);
        assertArrayEquals(want, fx.genreFeature(h));
    }

    @Test
    void genresComeFromAllSelectedMoviesAndStopAt32() {
        MovieLensFixtures fx = new MovieLensFixtures(List.of(), GENRES);
        // 12 movies x 3 genres = 36 > 32: movies 1..10 fill 30 slots, movie 11 its first two, movie 12 nothing.
        List<MovieLensFixtures.Movie> twelve = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            twelve.add(i == 11 ? movie(i, "Action", "Comedy", "Drama") : movie(i, "Drama", "Drama", "Comedy"));
        }
        int[] got = fx.genreFeature(new MovieLensFixtures.History("twelve", twelve));
        assertEquals(32, got.length);
        for (int m = 0; m < 10; m++) {
            assertArrayEquals(new int[] {1, 1, 2}, new int[] {got[3 * m], got[3 * m + 1], got[3 * m + 2]}, "movie " + (m + 1));
        }
        assertEquals(3, got[30]);
        assertEquals(2, got[31]);
    }

    @Test
    void fixtureHistoriesAreDeterministicAndCoverTheRequiredCases() throws IOException {
        MovieLensFixtures fx = MovieLensFixtures.load(MovieLensFixtures.modelsDir());
        List<MovieLensFixtures.History> a = fx.histories();
        List<MovieLensFixtures.History> b = fx.histories();
        assertEquals(a, b, "histories must be the same on every call (seeded)");
        assertTrue(a.size() >= 25, "at least 25 histories, got " + a.size());
        assertEquals(a.size(), a.stream().map(MovieLensFixtures.History::name).collect(Collectors.toSet()).size(), "unique names");

        assertTrue(a.stream().anyMatch(h -> h.selected().isEmpty()), "an empty history");
        assertTrue(a.stream().anyMatch(h -> h.selected().size() == 1), "a one-movie history");
        assertTrue(a.stream().anyMatch(h -> h.selected().size() == 10), "a full history");
        assertTrue(a.stream().anyMatch(h -> h.selected().size() > 10), "a history longer than 10");
        assertTrue(a.stream().anyMatch(h -> new HashSet<>(h.ids()).size() < h.ids().size()), "repeated ids");
        assertTrue(a.stream().anyMatch(h -> h.selected().stream().mapToInt(m -> m.genres().size()).sum() > 32), "genre overflow");
        int lastRankedCount = fx.movies().get(fx.movies().size() - 1).count();
        assertTrue(a.stream().anyMatch(h -> !h.selected().isEmpty() && h.selected().stream().allMatch(m -> m.count() <= 10 && m.count() >= lastRankedCount)),
                "a long-tail history");
        for (MovieLensFixtures.History h : a) {
            for (int id : MovieLensFixtures.movieFeature(h)) {
                assertTrue(id >= 0 && id < MovieLensFixtures.ITEM_VOCAB_SIZE, h + ": id " + id + " outside the model's vocabulary");
            }
        }
    }
}
