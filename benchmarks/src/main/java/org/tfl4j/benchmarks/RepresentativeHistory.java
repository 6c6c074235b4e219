package org.tfl4j.benchmarks;

import org.tfl4j.recommend.GenreVocabulary;
import org.tfl4j.recommend.MovieVocabulary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The history every end-to-end benchmark feeds: the 10 most rated movies (the first 10 entries of
 * {@code sorted_movie_vocab.json}, a full history with no padding), and for the feature model their genre ids
 * built as the Android app does: every genre of every movie in selection order, mapped to its line in
 * {@code movie_genre_vocab.txt} (0 when absent), until the 32 slots are full, padded with 0.
 *
 * <p>{@link #varied} gives other histories built the same way, for runs that should not feed one input again and
 * again (a CPU's branch predictor learns the data-dependent branches of one repeated input, TOPK_V2's above all).
 */
public final class RepresentativeHistory {

    public static final int MOVIE_INPUT_LENGTH = 10;
    public static final int GENRE_INPUT_LENGTH = 32;
    private static final int PAD = 0;
    private static final int UNKNOWN_GENRE = 0;

    private final int[] movieIds;
    private final int[] genreIds;

    private RepresentativeHistory(int[] movieIds, int[] genreIds) {
        this.movieIds = movieIds;
        this.genreIds = genreIds;
    }

    public static RepresentativeHistory load(Path modelsDir) throws IOException {
        MovieVocabulary movies = MovieVocabulary.load(modelsDir.resolve("sorted_movie_vocab.json"));
        GenreVocabulary genres = GenreVocabulary.load(modelsDir.resolve("movie_genre_vocab.txt"));
        return of(movies.movies().subList(0, Math.min(MOVIE_INPUT_LENGTH, movies.size())), genres);
    }

    /**
     * {@code count} histories of 10 distinct movies each, drawn with a {@code Random(seed)} from the
     * {@code fromMostRated} most rated movies, the first one the representative history ({@link #load}); the same
     * arguments give the same histories.
     */
    public static List<RepresentativeHistory> varied(Path modelsDir, int count, int fromMostRated, long seed)
            throws IOException {
        MovieVocabulary movies = MovieVocabulary.load(modelsDir.resolve("sorted_movie_vocab.json"));
        GenreVocabulary genres = GenreVocabulary.load(modelsDir.resolve("movie_genre_vocab.txt"));
        int pool = Math.min(fromMostRated, movies.size());
        if (count < 1 || pool < MOVIE_INPUT_LENGTH) {
            throw new IllegalArgumentException("need at least one history and " + MOVIE_INPUT_LENGTH
                    + " movies to draw from; asked for " + count + " from " + pool);
        }
        List<RepresentativeHistory> histories = new ArrayList<>(count);
        histories.add(of(movies.movies().subList(0, MOVIE_INPUT_LENGTH), genres));
        Random random = new Random(seed);
        while (histories.size() < count) {
            List<MovieVocabulary.Movie> drawn = new ArrayList<>(MOVIE_INPUT_LENGTH);
            while (drawn.size() < MOVIE_INPUT_LENGTH) {
                MovieVocabulary.Movie movie = movies.movies().get(random.nextInt(pool));
                if (!drawn.contains(movie)) drawn.add(movie);
            }
            histories.add(of(drawn, genres));
        }
        return histories;
    }

    private static RepresentativeHistory of(List<MovieVocabulary.Movie> history, GenreVocabulary genres) {
        int[] movieIds = new int[MOVIE_INPUT_LENGTH];
        Arrays.fill(movieIds, PAD);
        for (int i = 0; i < history.size(); i++) movieIds[i] = history.get(i).id();

        int[] genreIds = new int[GENRE_INPUT_LENGTH];
        Arrays.fill(genreIds, UNKNOWN_GENRE);
        int next = 0;
        fill:
        for (MovieVocabulary.Movie movie : history) {
            for (String genre : movie.genres()) {
                if (next == GENRE_INPUT_LENGTH) break fill;
                int id = genres.id(genre);
                genreIds[next++] = id < 0 ? UNKNOWN_GENRE : id;
            }
        }
        return new RepresentativeHistory(movieIds, genreIds);
    }

    /** A fresh copy of the movie-id input, int32[10]. */
    public int[] movieIds() {
        return movieIds.clone();
    }

    /** A fresh copy of the genre-id input, int32[32]. */
    public int[] genreIds() {
        return genreIds.clone();
    }

    /**
     * The input for a model input of {@code elements} int32 values: the feature models tell their two inputs
     * apart only by length (10 movie ids, 32 genre ids).
     */
    public int[] inputOfLength(int elements) {
        if (elements == MOVIE_INPUT_LENGTH) return movieIds();
        if (elements == GENRE_INPUT_LENGTH) return genreIds();
        throw new IllegalArgumentException("no MovieLens input has " + elements + " elements (movie ids 10, genre ids 32)");
    }

    @Override
    public String toString() {
        return "movies " + Arrays.toString(movieIds) + ", genres " + Arrays.toString(genreIds);
    }
}
