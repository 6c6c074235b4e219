package org.tfl4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tfl4j.recommend.Fixtures;
import org.tfl4j.recommend.MovieVocabulary;
import org.tfl4j.recommend.MovieVocabulary.Movie;

import java.util.List;

class TitleResolverTest {
    private static final TitleResolver SMALL = new TitleResolver(Fixtures.smallMovies());

    private static String error(TitleResolver r, String arg) {
        UsageException e = assertThrows(UsageException.class, () -> r.resolve(arg));
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void exactTitleWinsOverSubstrings() {
        assertEquals(1, SMALL.resolve("Toy Story"));          // also a substring of "Toy Story 2 (1999)"
        assertEquals(1, SMALL.resolve("toy story (1995)"));
        assertEquals(1, SMALL.resolve("  TOY   story "));
        assertEquals(3114, SMALL.resolve("Toy Story 2"));
        assertEquals(3114, SMALL.resolve("story 2"));
    }

    @Test
    void substringsAndMovedArticles() {
        assertEquals(364, SMALL.resolve("Lion King"));
        assertEquals(364, SMALL.resolve("The Lion King"));
        assertEquals(364, SMALL.resolve("the lion king (1994)"));
        assertEquals(364, SMALL.resolve("Lion King, The"));
        assertEquals(50, SMALL.resolve("usual"));
        assertEquals(2858, SMALL.resolve("beauty (1999)"));
    }

    @Test
    void numbersAreIds() {
        assertEquals(364, SMALL.resolve("364"));
        assertEquals("movie id 2 is not in small_vocab.json (5 movies, ids 1..3114)", error(SMALL, "2"));
        assertEquals("movie id 0 is out of range: small_vocab.json has ids 1..3114", error(SMALL, "0"));
        assertEquals("movie id 99999999999 is out of range", error(SMALL, "99999999999"));
    }

    @Test
    void ambiguousTitlesListTheCandidates() {
        assertEquals("\"toy\" matches 2 movies: Toy Story (1995) [id 1]; Toy Story 2 (1999) [id 3114]; "
                + "give more of the title, with the year, or the id", error(SMALL, "toy"));
        TitleResolver hamlets = new TitleResolver(MovieVocabulary.of(List.of(
                new Movie(1411, "Hamlet (1996)", List.of("Drama"), 300),
                new Movie(3723, "Hamlet (1990)", List.of("Drama"), 100),
                new Movie(2, "Hamlet (2000)", List.of("Drama"), 50)), "h.json"));
        assertTrue(error(hamlets, "Hamlet").startsWith("\"Hamlet\" matches 3 movies: Hamlet (1996) [id 1411]; Hamlet (1990) [id 3723]; Hamlet (2000) [id 2]"));
        assertEquals(3723, hamlets.resolve("hamlet (1990)"));
    }

    @Test
    void unknownTitlesSuggestSimilarOnes() {
        assertEquals("no movie title matches \"Zzyzx Road\"", error(SMALL, "Zzyzx Road"));
        assertEquals("no movie title matches \"Lion Queen\"; similar: Lion King, The (1994) [id 364]", error(SMALL, "Lion Queen"));
        assertEquals("empty movie title", error(SMALL, "  "));
    }

    @Test
    void resolveAllKeepsOrderAndRejectsRepeats() {
        assertArrayEquals(new int[] {364, 1, 50}, SMALL.resolveAll(List.of("lion king", "Toy Story", "50")));
        UsageException e = assertThrows(UsageException.class, () -> SMALL.resolveAll(List.of("Toy Story", "1")));
        assertEquals("\"1\" and \"Toy Story\" are the same movie, Toy Story (1995) [id 1]", e.getMessage());
    }

    @Test
    void realTitles() {
        TitleResolver r = new TitleResolver(Fixtures.realMovies());
        assertEquals(1, r.resolve("Toy Story"));
        assertEquals(3114, r.resolve("Toy Story 2"));
        assertEquals(364, r.resolve("Lion King"));
        assertEquals(364, r.resolve("The Lion King"));
        assertEquals(260, r.resolve("Star Wars: Episode IV"));
        String starWars = error(r, "Star Wars");
        assertTrue(starWars.startsWith("\"Star Wars\" matches "), starWars);
        assertTrue(starWars.contains("Star Wars: Episode IV - A New Hope (1977) [id 260]"), starWars);
        // Ten at most, then how many more.
        String the = error(r, "the");
        assertEquals(10, the.split("\\[id ").length - 1, the);
        assertTrue(the.matches(".*; and \\d+ more; give more of the title.*"), the);
    }
}
