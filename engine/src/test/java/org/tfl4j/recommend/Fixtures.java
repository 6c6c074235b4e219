package org.tfl4j.recommend;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Test fixtures: the folder of the real MovieLens models, vocabularies and configs (system property
 * {@code tfl4j.models}; a test that needs it is skipped when it is absent), and a small movie list.
 */
public final class Fixtures {
    private Fixtures() {}

    /** The fixtures folder; skips the calling test when it is absent. */
    public static Path modelsDir() {
        String dir = System.getProperty("tfl4j.models");
        assumeTrue(dir != null && Files.isDirectory(Path.of(dir)),
                "MovieLens models not found (system property tfl4j.models=" + dir + "): test skipped");
        return Path.of(dir);
    }

    public static Path file(String name) {
        Path p = modelsDir().resolve(name);
        assumeTrue(Files.isRegularFile(p), name + " not found in " + p.getParent() + ": test skipped");
        return p;
    }

    public static MovieVocabulary realMovies() {
        try {
            return MovieVocabulary.load(file("sorted_movie_vocab.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static GenreVocabulary realGenres() {
        try {
            return GenreVocabulary.load(file("movie_genre_vocab.txt"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Five movies in the shape of the real list (titles, ids and genres as in MovieLens 1M), plus an
     * invented genre "Noir-ish" that no genre list has.
     */
    public static MovieVocabulary smallMovies() {
        return MovieVocabulary.of(List.of(
                new MovieVocabulary.Movie(1, "Toy Story (1995)", List.of("Animation", "Children's", "Comedy"), 2077),
                new MovieVocabulary.Movie(3114, "Toy Story 2 (1999)", List.of("Animation", "Children's", "Comedy"), 1585),
                new MovieVocabulary.Movie(364, "Lion King, The (1994)", List.of("Animation", "Children's", "Musical"), 1121),
                new MovieVocabulary.Movie(2858, "American Beauty (1999)", List.of("Comedy", "Drama"), 3428),
                new MovieVocabulary.Movie(50, "Usual Suspects, The (1995)", List.of("Crime", "Noir-ish", "Thriller"), 1783)),
                "small_vocab.json");
    }

    /** The first lines of the real genre list: id = line. */
    public static GenreVocabulary smallGenres() {
        return GenreVocabulary.of(List.of("UNK", "Drama", "Comedy", "Action", "Thriller", "Romance", "Horror",
                "Adventure", "Sci-Fi", "Children's", "Crime", "War", "Documentary", "Musical", "Mystery", "Animation"),
                "small_genres.txt");
    }
}
