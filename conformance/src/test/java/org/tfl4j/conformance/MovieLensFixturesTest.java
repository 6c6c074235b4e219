package org.tfl4j.conformance;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The app's input building (spec §5) on hand-made vocabularies, raw inputs, and the coverage and counts of the fixtures. */
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
    void rawFixturesAreCutAndPaddedLikeTheAppsInputs() {
        int[] twelveIds = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        int[] fortyGenres = new int[40];
        Arrays.fill(fortyGenres, 7);
        fortyGenres[31] = 3;
        MovieLensFixtures.Fixture f = new MovieLensFixtures.Fixture(MovieLensFixtures.Family.GENRE_OVERFLOW, "f", twelveIds, fortyGenres);
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, f.movieIds());
        assertEquals(32, f.genreIds().length);
        assertEquals(3, f.genreIds()[31]);
        MovieLensFixtures.Fixture shortOne = new MovieLensFixtures.Fixture(MovieLensFixtures.Family.ZERO_IN_THE_MIDDLE, "s",
                new int[] {5, 0, 6}, new int[] {2});
        assertArrayEquals(new int[] {5, 0, 6, 0, 0, 0, 0, 0, 0, 0}, shortOne.movieIds());
        int[] genres = new int[32];
        genres[0] = 2;
        assertArrayEquals(genres, shortOne.genreIds());
    }

    @Test
    void aHistoryFixtureHoldsTheAppsInputs() {
        MovieLensFixtures fx = new MovieLensFixtures(List.of(), GENRES);
        MovieLensFixtures.History h = new MovieLensFixtures.History("two", List.of(movie(5, "Comedy", "Drama"), movie(7, "Action")));
        MovieLensFixtures.Fixture f = fx.fixture(MovieLensFixtures.Family.HAND_MADE, h);
        assertArrayEquals(MovieLensFixtures.movieFeature(h), f.movieIds());
        assertArrayEquals(fx.genreFeature(h), f.genreIds());
    }

    @Test
    void fixturesAreDeterministicAndEachFamilyHasItsDocumentedCount() throws IOException {
        MovieLensFixtures fx = MovieLensFixtures.load(MovieLensFixtures.modelsDir());
        List<MovieLensFixtures.Fixture> a = fx.all();
        List<MovieLensFixtures.Fixture> b = MovieLensFixtures.load(MovieLensFixtures.modelsDir()).all();
        assertEquals(a, b, "fixtures must be the same on every load (seeded)");
        assertTrue(a.size() >= 1000, "at least 1,000 fixtures, got " + a.size());
        assertEquals(a.size(), a.stream().map(MovieLensFixtures.Fixture::toString).collect(Collectors.toSet()).size(), "unique names");
        Map<MovieLensFixtures.Family, Long> counts = a.stream()
                .collect(Collectors.groupingBy(MovieLensFixtures.Fixture::family, () -> new EnumMap<>(MovieLensFixtures.Family.class),
                        Collectors.counting()));
        for (MovieLensFixtures.Family family : MovieLensFixtures.Family.values()) {
            assertEquals(family.count, counts.getOrDefault(family, 0L), family.label + " (the class comment documents the count)");
        }
        assertEquals(Arrays.stream(MovieLensFixtures.Family.values()).mapToInt(f -> f.count).sum(), a.size());
        System.out.println("fixtures " + a.size() + ": " + counts);
    }

    @Test
    void fixturesCoverTheRequiredCases() throws IOException {
        MovieLensFixtures fx = MovieLensFixtures.shared();
        List<MovieLensFixtures.Fixture> a = fx.all();
        int genreCount = fx.genreList().size();
        for (MovieLensFixtures.Fixture f : a) {
            for (int id : f.movieIds()) assertTrue(id >= 0 && id < MovieLensFixtures.ITEM_VOCAB_SIZE, f + ": movie id " + id);
            for (int g : f.genreIds()) assertTrue(g >= 0 && g < genreCount, f + ": genre id " + g);
        }
        for (int length = 0; length <= MovieLensFixtures.MAX_GENERATED_LENGTH; length++) {
            int n = length;
            for (MovieLensFixtures.Family family : List.of(MovieLensFixtures.Family.POPULAR, MovieLensFixtures.Family.UNIFORM,
                    MovieLensFixtures.Family.GENRE_COHERENT, MovieLensFixtures.Family.LONG_TAIL, MovieLensFixtures.Family.MID_POPULARITY)) {
                assertTrue(a.stream().anyMatch(f -> f.family() == family && f.offeredIds().length == n), family.label + " of length " + n);
            }
        }
        assertTrue(a.stream().anyMatch(f -> f.offeredIds().length == 0), "empty");
        assertTrue(a.stream().anyMatch(f -> Arrays.stream(f.movieIds()).allMatch(id -> id == 0)
                && Arrays.stream(f.genreIds()).allMatch(g -> g == 0)), "all zero");
        assertTrue(a.stream().anyMatch(f -> f.offeredIds().length == 1), "one id");
        assertTrue(a.stream().anyMatch(f -> Arrays.stream(f.movieIds()).allMatch(id -> id != 0)), "a full input");
        assertTrue(a.stream().anyMatch(f -> f.offeredIds().length > MovieLensFixtures.MOVIE_INPUT_LENGTH), "more than 10 ids");
        assertTrue(a.stream().anyMatch(f -> zeroBetweenIds(f.movieIds())), "0 between movie ids");
        assertTrue(a.stream().anyMatch(f -> f.movieIds()[0] == 0 && Arrays.stream(f.movieIds()).anyMatch(id -> id != 0)), "leading padding");
        for (int position = 0; position < MovieLensFixtures.MOVIE_INPUT_LENGTH; position++) {
            int p = position;
            assertTrue(a.stream().anyMatch(f -> f.movieIds()[p] == MovieLensFixtures.MAX_ID), "id 3952 at position " + p);
        }
        Set<Integer> used = new HashSet<>();
        a.forEach(f -> Arrays.stream(f.movieIds()).forEach(used::add));
        List<Integer> absent = fx.absentIds();
        assertEquals(246, absent.size(), "ids in 1..3952 missing from sorted_movie_vocab.json");
        assertTrue(used.containsAll(absent), "every absent id in some input");
        assertTrue(a.stream().anyMatch(f -> repeats(f.movieIds())), "repeated ids");
        assertTrue(a.stream().anyMatch(f -> f.offeredGenres().length > MovieLensFixtures.GENRE_INPUT_LENGTH
                && f.family() == MovieLensFixtures.Family.HAND_MADE), "a history's genres cut at 32");
        assertTrue(a.stream().filter(f -> f.offeredGenres().length > MovieLensFixtures.GENRE_INPUT_LENGTH).count() >= 20, "genre overflow");
        assertTrue(a.stream().anyMatch(f -> zeroBetweenIds(f.genreIds())), "genre 0 between genre ids");
        int lastRankedCount = fx.movies().get(fx.movies().size() - 1).count();
        List<MovieLensFixtures.History> hand = fx.histories();
        assertTrue(hand.stream().anyMatch(h -> !h.selected().isEmpty()
                        && h.selected().stream().allMatch(m -> m.count() <= 10 && m.count() >= lastRankedCount)), "a long-tail history");
    }

    private static boolean zeroBetweenIds(int[] ids) {
        for (int i = 1; i + 1 < ids.length; i++) {
            if (ids[i] == 0 && Arrays.stream(ids, 0, i).anyMatch(id -> id != 0) && Arrays.stream(ids, i + 1, ids.length).anyMatch(id -> id != 0)) {
                return true;
            }
        }
        return false;
    }

    private static boolean repeats(int[] ids) {
        Set<Integer> seen = new HashSet<>();
        for (int id : ids) if (id != 0 && !seen.add(id)) return true;
        return false;
    }
}
