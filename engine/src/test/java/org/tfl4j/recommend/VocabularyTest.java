package org.tfl4j.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

class VocabularyTest {

    @Test
    void realMovieListHasTheDocumentedShape() {
        MovieVocabulary v = Fixtures.realMovies();
        // README: 3,706 movies, ids are MovieLens MovieIDs (at most 3952), sorted by rating count.
        assertEquals(3706, v.size());
        assertEquals(3952, v.maxId());
        MovieVocabulary.Movie toyStory = v.get(1);
        assertEquals("Toy Story (1995)", toyStory.title());
        assertEquals(List.of("Animation", "Children's", "Comedy"), toyStory.genres());
        assertEquals("Lion King, The (1994)", v.get(364).title());
        assertEquals("American Beauty (1999)", v.movies().get(0).title());
        for (int i = 1; i < v.size(); i++) {
            assertTrue(v.movies().get(i - 1).count() >= v.movies().get(i).count(), "sorted by count at " + i);
        }
        assertNull(v.get(0));
        assertNull(v.get(3953));
        assertNull(v.get(-1));
    }

    @Test
    void realGenreListIdsAreLineNumbers() {
        GenreVocabulary g = Fixtures.realGenres();
        assertEquals(19, g.size());
        assertEquals(0, g.id("UNK"));
        assertEquals(1, g.id("Drama"));
        assertEquals(2, g.id("Comedy"));
        assertEquals(9, g.id("Children's"));
        assertEquals(13, g.id("Musical"));
        assertEquals(15, g.id("Animation"));
        assertEquals(18, g.id("Film-Noir"));
        assertEquals(-1, g.id("Noir-ish"));
        assertEquals("Animation", g.name(15));
    }

    @Test
    void parsesAMovieList() {
        MovieVocabulary v = MovieVocabulary.parse("[{\"title\": \"B (2000)\", \"id\": 7, \"genres\": [\"Drama\"], \"count\": 3},"
                + "{\"title\": \"A (1999)\", \"id\": 2}]", "v.json");
        assertEquals(2, v.size());
        assertEquals(7, v.maxId());
        assertEquals(List.of("Drama"), v.get(7).genres());
        assertEquals(List.of(), v.get(2).genres());
        assertEquals(0, v.get(2).count());
        assertTrue(v.contains(2));
        assertFalse(v.contains(3));
    }

    @Test
    void requireSaysWhyAnIdIsNotAMovie() {
        MovieVocabulary v = Fixtures.smallMovies();
        assertEquals("Toy Story (1995)", v.require(1).title());
        assertEquals("movie id 0 is out of range: small_vocab.json has ids 1..3114", assertThrows(RecommenderException.class, () -> v.require(0)).getMessage());
        assertEquals("movie id 4000 is out of range: small_vocab.json has ids 1..3114", assertThrows(RecommenderException.class, () -> v.require(4000)).getMessage());
        assertEquals("movie id 2 is not in small_vocab.json (5 movies, ids 1..3114)", assertThrows(RecommenderException.class, () -> v.require(2)).getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{}                                                 | a movie list must be a JSON array, got an object",
            "[1]                                                | movie [0] must be an object, got 1",
            "[{\"title\": \"A\"}]                               | '[0].id' is missing",
            "[{\"title\": \"A\", \"id\": \"x\"}]                | '[0].id' must be an integer, got \"x\"",
            "[{\"title\": \"A\", \"id\": 0}]                    | '[0].id' must be in [1, 4194304], got 0",
            "[{\"id\": 4}]                                      | '[0].title' is missing (movie id 4)",
            "[{\"title\": \"A\", \"id\": 4, \"genres\": \"Drama\"}] | '[0].genres' must be an array of strings, got \"Drama\"",
            "[{\"title\": \"A\", \"id\": 4, \"genres\": [\"Drama\", 3]}] | '[0].genres[1]' must be a string, got 3",
            "[{\"title\": \"A\", \"id\": 4, \"count\": -1}]     | '[0].count' must be >= 0, got -1",
            "[{\"title\": \"A\", \"id\": 4}, {\"title\": \"B\", \"id\": 4}] | movie [1] has id 4, like \"A\" before it",
            "[{\"title\": \"A\", \"id\": 4}                     | not valid JSON",
    })
    void badMovieListsNameTheEntryAndField(String json, String expected) {
        RecommenderException e = assertThrows(RecommenderException.class, () -> MovieVocabulary.parse(json, "v.json"));
        assertTrue(e.getMessage().startsWith("v.json: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage() + "\nexpected to contain: " + expected);
    }

    @Test
    void genreListLinesAndErrors() {
        GenreVocabulary g = GenreVocabulary.parse("UNK\r\nDrama\r\nComedy\r\n\r\n", "g.txt");
        assertEquals(List.of("UNK", "Drama", "Comedy"), g.names());
        assertEquals(2, g.id("Comedy"));
        assertEquals("g.txt: line 2 is empty", assertThrows(RecommenderException.class, () -> GenreVocabulary.parse("UNK\n\nDrama\n", "g.txt")).getMessage());
        assertEquals("g.txt: genre \"Drama\" is on line 2 and again on line 3",
                assertThrows(RecommenderException.class, () -> GenreVocabulary.parse("UNK\nDrama\nDrama", "g.txt")).getMessage());
        assertEquals("g.txt: no genres", assertThrows(RecommenderException.class, () -> GenreVocabulary.parse("\n\n", "g.txt")).getMessage());
    }
}
