package org.tfl4j.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

/**
 * Inputs against arrays derived by hand from the app's {@code RecommendationClient.preprocess}:
 * ids in selection order then pad; genres of every selected movie, flattened, then unknownGenre.
 * Genre ids (movie_genre_vocab.txt line numbers): Drama 1, Comedy 2, Thriller 4, Children's 9,
 * Crime 10, Musical 13, Animation 15.
 */
class InputBuilderTest {
    private static final String MOVIE_AND_GENRE = "{\"inputs\": ["
            + "{\"name\": \"movieFeature\", \"index\": 0, \"inputLength\": 10},"
            + "{\"name\": \"genreFeature\", \"index\": 1, \"inputLength\": 32}], \"genreList\": \"g.txt\"}";

    private static int[] padded(int length, int fill, int... head) {
        int[] a = new int[length];
        Arrays.fill(a, fill);
        System.arraycopy(head, 0, a, 0, head.length);
        return a;
    }

    private static InputBuilder builder(String json) {
        return new InputBuilder(RecommenderConfig.parse(json, "c.json"), Fixtures.smallMovies(), Fixtures.smallGenres());
    }

    @Test
    void threePicksAreIdsThenPadding() {
        int[][] in = builder(MOVIE_AND_GENRE).fill(new int[] {1, 364, 2858});
        assertArrayEquals(new int[] {1, 364, 2858, 0, 0, 0, 0, 0, 0, 0}, in[0]);
        // Toy Story: Animation, Children's, Comedy; Lion King: Animation, Children's, Musical;
        // American Beauty: Comedy, Drama.
        assertArrayEquals(padded(32, 0, 15, 9, 2, 15, 9, 13, 2, 1), in[1]);
    }

    @Test
    void twelvePicksUseTheFirstTenIdsButTheGenresOfAll() {
        // 1 -> 15 9 2 | 364 -> 15 9 13 | 2858 -> 2 1 | 50 -> 10 (Noir-ish: unknown) 0 4 | 3114 -> 15 9 2
        int[] history = {1, 364, 2858, 50, 3114, 1, 364, 2858, 50, 3114, 2858, 364};
        int[][] in = builder(MOVIE_AND_GENRE).fill(history);
        assertArrayEquals(new int[] {1, 364, 2858, 50, 3114, 1, 364, 2858, 50, 3114}, in[0]);
        int[] fiveMovies = {15, 9, 2, 15, 9, 13, 2, 1, 10, 0, 4, 15, 9, 2};
        int[] want = new int[32];
        System.arraycopy(fiveMovies, 0, want, 0, 14);
        System.arraycopy(fiveMovies, 0, want, 14, 14);
        // The 11th pick (2858) adds 2 1; the 12th (364) adds 15 9 and is cut at 32.
        want[28] = 2;
        want[29] = 1;
        want[30] = 15;
        want[31] = 9;
        assertArrayEquals(want, in[1]);
    }

    @Test
    void genresStopAtTheInputLengthInsideAMovie() {
        InputBuilder b = builder("{\"inputs\": ["
                + "{\"name\": \"movieFeature\", \"index\": 0, \"inputLength\": 10},"
                + "{\"name\": \"genreFeature\", \"index\": 1, \"inputLength\": 4}], \"genreList\": \"g.txt\"}");
        assertArrayEquals(new int[] {15, 9, 2, 15}, b.fill(new int[] {1, 364})[1]);
    }

    @Test
    void padAndUnknownGenreComeFromTheConfig() {
        InputBuilder b = builder("{\"inputs\": ["
                + "{\"name\": \"movieFeature\", \"index\": 0, \"inputLength\": 5},"
                + "{\"name\": \"genreFeature\", \"index\": 1, \"inputLength\": 6}], \"genreList\": \"g.txt\","
                + "\"pad\": 7, \"unknownGenre\": 3}");
        int[][] in = b.fill(new int[] {50});
        assertArrayEquals(new int[] {50, 7, 7, 7, 7}, in[0]);
        // Usual Suspects: Crime 10, "Noir-ish" (not in the list) -> unknownGenre 3, Thriller 4; then unknownGenre.
        assertArrayEquals(new int[] {10, 3, 4, 3, 3, 3}, in[1]);
    }

    @Test
    void inputsFollowTheModelInputIndexNotTheFeatureOrder() {
        InputBuilder b = builder("{\"inputs\": ["
                + "{\"name\": \"movieFeature\", \"index\": 1, \"inputLength\": 3},"
                + "{\"name\": \"genreFeature\", \"index\": 0, \"inputLength\": 2}], \"genreList\": \"g.txt\"}");
        int[][] in = b.fill(new int[] {2858, 1});
        assertArrayEquals(new int[] {2, 1}, in[0]);            // genres, full after the first movie
        assertArrayEquals(new int[] {2858, 1, 0}, in[1]);      // ids
    }

    @Test
    void movieOnlyConfigAndEmptyHistory() {
        InputBuilder b = builder("{\"inputLength\": 10}");
        int[][] in = b.fill(new int[0]);
        assertEquals(1, in.length);
        assertArrayEquals(new int[10], in[0]);
    }

    @Test
    void arraysAreReusedAndFullyOverwritten() {
        InputBuilder b = builder(MOVIE_AND_GENRE);
        int[][] first = b.fill(new int[] {1, 364, 2858, 50});
        int[] movieArray = first[0];
        int[] genreArray = first[1];
        int[][] second = b.fill(new int[] {3114});
        assertSame(movieArray, second[0]);
        assertSame(genreArray, second[1]);
        assertArrayEquals(padded(10, 0, 3114), second[0]);
        assertArrayEquals(padded(32, 0, 15, 9, 2), second[1]);
    }
}
