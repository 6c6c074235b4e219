package org.tfl4j.conformance;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Deterministic user histories over the MovieLens vocabularies, and the model inputs the Android
 * recommendation app builds from them (spec {@code recommendation-models.md} §5).
 *
 * <p>Written independently of the engine's own recommender code, so that a mistake there cannot hide here.
 */
final class MovieLensFixtures {

    /** Movie ids per history the models take ({@code inputLength} of movieFeature). */
    static final int MOVIE_INPUT_LENGTH = 10;
    /** Genre ids per history the feature model takes ({@code inputLength} of genreFeature). */
    static final int GENRE_INPUT_LENGTH = 32;
    /** The app's {@code pad} and {@code unknownGenre}. */
    static final int PAD = 0;
    static final int UNKNOWN_GENRE = 0;
    /** The app offers the first {@code favoriteListSize} movies of the vocabulary as choices. */
    static final int FAVORITE_LIST_SIZE = 100;
    /** The label vocabulary size of every model: MovieLens-1M max MovieID 3952 + the padding id 0. */
    static final int ITEM_VOCAB_SIZE = 3953;

    private static final long SEED = 20210317L;

    /** One entry of {@code sorted_movie_vocab.json}. */
    record Movie(int id, String title, List<String> genres, int count) {
        Movie {
            genres = List.copyOf(genres);
        }
    }

    /** A user's selections in the order made (oldest first), as the app keeps them. */
    record History(String name, List<Movie> selected) {
        History {
            selected = List.copyOf(selected);
        }

        List<Integer> ids() {
            return selected.stream().map(Movie::id).collect(Collectors.toList());
        }

        @Override
        public String toString() {
            return name + " " + ids();
        }
    }

    private final List<Movie> movies;           // by rating count, descending (file order)
    private final Map<Integer, Movie> byId;
    private final List<String> genreList;       // genre id = position

    MovieLensFixtures(List<Movie> movies, List<String> genreList) {
        this.movies = List.copyOf(movies);
        this.genreList = List.copyOf(genreList);
        this.byId = new HashMap<>();
        for (Movie m : movies) byId.put(m.id(), m);
    }

    /** The folder named by system property {@code tfl4j.models}; aborts the test (assumption) when it is absent. */
    static Path modelsDir() {
        String dir = System.getProperty("tfl4j.models");
        Assumptions.assumeTrue(dir != null && !dir.isBlank(),
                "system property tfl4j.models is not set (the folder with the MovieLens .tflite files); skipping");
        Path path = Path.of(dir);
        Assumptions.assumeTrue(Files.isRegularFile(path.resolve("sorted_movie_vocab.json"))
                        && Files.isRegularFile(path.resolve("movie_genre_vocab.txt")),
                () -> "MovieLens models and vocabularies not found in " + path.toAbsolutePath() + "; skipping");
        return path;
    }

    /** A model file in {@link #modelsDir()}; aborts the test when it is absent. */
    static Path model(String fileName) {
        Path file = modelsDir().resolve(fileName);
        Assumptions.assumeTrue(Files.isRegularFile(file), () -> "model " + file.toAbsolutePath() + " not found; skipping");
        return file;
    }

    private static MovieLensFixtures shared;

    /**
     * The fixtures of {@link #modelsDir()}, loaded once per JVM. Call it from each test (not only a
     * {@code @BeforeAll}) so that every skipped test reports why.
     */
    static synchronized MovieLensFixtures shared() throws IOException {
        Path dir = modelsDir();
        if (shared == null) shared = load(dir);
        return shared;
    }

    static MovieLensFixtures load(Path dir) throws IOException {
        List<Movie> movies;
        try (Reader r = Files.newBufferedReader(dir.resolve("sorted_movie_vocab.json"), StandardCharsets.UTF_8)) {
            movies = new Gson().fromJson(r, new TypeToken<List<Movie>>() { }.getType());
        }
        List<String> genres = Files.readAllLines(dir.resolve("movie_genre_vocab.txt"), StandardCharsets.UTF_8)
                .stream().map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toList());
        if (movies == null || movies.isEmpty() || genres.isEmpty()) {
            throw new IOException("empty movie or genre vocabulary in " + dir);
        }
        return new MovieLensFixtures(movies, genres);
    }

    List<Movie> movies() {
        return movies;
    }

    List<String> genreList() {
        return genreList;
    }

    /**
     * movieFeature: {@code int[10]} filled with the padding id, then the ids of the first 10 selected movies
     * in selection order from position 0 (later selections are ignored).
     */
    static int[] movieFeature(History history) {
        int[] input = new int[MOVIE_INPUT_LENGTH];
        Arrays.fill(input, PAD);
        for (int i = 0; i < Math.min(MOVIE_INPUT_LENGTH, history.selected().size()); i++) {
            input[i] = history.selected().get(i).id();
        }
        return input;
    }

    /**
     * genreFeature: {@code int[32]} filled with the unknown genre, then for every selected movie (all of them,
     * not only the first 10) in selection order, each of its genres in vocabulary-json order mapped to its line
     * in the genre list (unknown genre names map to 0), stopping when the array is full.
     */
    int[] genreFeature(History history) {
        int[] input = new int[GENRE_INPUT_LENGTH];
        Arrays.fill(input, UNKNOWN_GENRE);
        int next = 0;
        for (Movie movie : history.selected()) {
            for (String genre : movie.genres()) {
                if (next == GENRE_INPUT_LENGTH) return input;
                int id = genreList.indexOf(genre);
                input[next++] = id < 0 ? UNKNOWN_GENRE : id;
            }
        }
        return input;
    }

    /**
     * At least 25 seeded histories: empty, single movies, full and over-long selections, popular and long-tail
     * picks, genre-coherent picks, repeated ids, many-genre movies (genre overflow) and never-rated ids.
     */
    List<History> histories() {
        Random random = new Random(SEED);
        List<History> h = new ArrayList<>();
        List<Movie> favorites = movies.subList(0, Math.min(FAVORITE_LIST_SIZE, movies.size()));
        List<Movie> longTail = filter(m -> m.count() <= 10);
        List<Movie> middle = movies.subList(movies.size() / 4, 3 * movies.size() / 4);

        h.add(new History("empty", List.of()));
        h.add(new History("one, most rated", List.of(movies.get(0))));
        h.add(new History("one, long tail", pick(random, longTail, 1)));
        h.add(new History("one, first Animation", List.of(filter(hasGenre("Animation")).get(0))));
        h.add(new History("two most rated", movies.subList(0, 2)));
        h.add(new History("top 10, rank order", movies.subList(0, 10)));
        List<Movie> reversed = new ArrayList<>(movies.subList(0, 10));
        Collections.reverse(reversed);
        h.add(new History("top 10, reversed", reversed));
        h.add(new History("15 favorites (truncated to 10)", pick(random, favorites, 15)));
        h.add(new History("25 favorites (truncated to 10)", pick(random, favorites, 25)));
        int[] favoriteLengths = {10, 7, 3, 5, 9};
        for (int k = 0; k < favoriteLengths.length; k++) {
            h.add(new History("favorites #" + k + " (" + favoriteLengths[k] + ")", pick(random, favorites, favoriteLengths[k])));
        }
        int[] tailLengths = {10, 6, 2};
        for (int k = 0; k < tailLengths.length; k++) {
            h.add(new History("long tail #" + k + " (" + tailLengths[k] + ")", pick(random, longTail, tailLengths[k])));
        }
        h.add(new History("10 least rated", movies.subList(movies.size() - 10, movies.size())));
        int[] middleLengths = {10, 8, 4};
        for (int k = 0; k < middleLengths.length; k++) {
            h.add(new History("mid popularity #" + k + " (" + middleLengths[k] + ")", pick(random, middle, middleLengths[k])));
        }
        String[] coherent = {"Animation", "Horror", "Film-Noir", "Children's", "Sci-Fi", "Documentary", "Western", "Romance"};
        for (int k = 0; k < coherent.length; k++) {
            int length = k % 3 == 2 ? 4 : 10;
            h.add(new History("genre " + coherent[k] + " (" + length + ")", pick(random, filter(hasGenre(coherent[k])), length)));
        }
        h.add(new History("only Comedy|Romance", pick(random, filter(m -> m.genres().equals(List.of("Comedy", "Romance"))), 10)));
        Movie a = favorites.get(random.nextInt(favorites.size()));
        Movie b = longTail.get(random.nextInt(longTail.size()));
        Movie c = middle.get(random.nextInt(middle.size()));
        h.add(new History("one id repeated 10 times", Collections.nCopies(10, a)));
        h.add(new History("two ids alternating", List.of(a, b, a, b, a, b, a, b, a, b)));
        h.add(new History("id repeated among others", List.of(a, b, a, c, a, b, c, c)));
        h.add(new History("same id 3 times", Collections.nCopies(3, c)));
        h.add(new History("many-genre movies (genre overflow)", pick(random, filter(m -> m.genres().size() >= 4), 10)));
        h.add(new History("12 many-genre movies (both truncated)", pick(random, filter(m -> m.genres().size() >= 3), 12)));
        h.add(new History("never-rated ids (not in movie list)", neverRated(random, 6)));
        h.add(new History("smallest and largest ids", List.of(minId(), maxId(), minId())));
        return h;
    }

    private List<Movie> filter(Predicate<Movie> p) {
        List<Movie> out = movies.stream().filter(p).collect(Collectors.toList());
        if (out.isEmpty()) throw new IllegalStateException("no movie in the vocabulary matches the fixture's filter");
        return out;
    }

    private static Predicate<Movie> hasGenre(String genre) {
        return m -> m.genres().contains(genre);
    }

    /** {@code n} distinct movies of {@code pool}, in the order drawn. */
    private static List<Movie> pick(Random random, List<Movie> pool, int n) {
        if (n > pool.size()) throw new IllegalArgumentException("cannot pick " + n + " of " + pool.size() + " movies");
        List<Movie> out = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        while (out.size() < n) {
            Movie m = pool.get(random.nextInt(pool.size()));
            if (seen.add(m.id())) out.add(m);
        }
        return out;
    }

    /** Valid model ids (1..3952) that the app's movie list does not contain; they have no genres. */
    private List<Movie> neverRated(Random random, int n) {
        List<Integer> absent = new ArrayList<>();
        for (int id = 1; id < ITEM_VOCAB_SIZE; id++) if (!byId.containsKey(id)) absent.add(id);
        List<Movie> out = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        while (out.size() < n) {
            int id = absent.get(random.nextInt(absent.size()));
            if (seen.add(id)) out.add(new Movie(id, "(not in the movie list)", List.of(), 0));
        }
        return out;
    }

    private Movie minId() {
        return movies.stream().min((x, y) -> Integer.compare(x.id(), y.id())).orElseThrow();
    }

    private Movie maxId() {
        return movies.stream().max((x, y) -> Integer.compare(x.id(), y.id())).orElseThrow();
    }
}
