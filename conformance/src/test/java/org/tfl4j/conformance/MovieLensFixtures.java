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
 * Deterministic model inputs over the MovieLens vocabularies ({@code sorted_movie_vocab.json} and
 * {@code movie_genre_vocab.txt}): user histories turned into inputs the way the Android recommendation app
 * builds them (spec {@code recommendation-models.md} §5), and raw inputs the app never builds but a user of
 * the interpreter can pass. Every fixture is valid for the models: movie ids in 0..3952, genre ids in 0..18.
 *
 * <p>{@link #all()} gives 1,141 fixtures, the same ones on every run (seeded), for every model. The three
 * movie-only models read just the movie ids, so for them the fixtures that differ only in genres repeat a case.
 * <table>
 *   <caption>Fixture families</caption>
 *   <tr><th>family</th><th>count</th><th>what</th></tr>
 *   <tr><td>hand-made</td><td>38</td><td>{@link #histories()}: empty, one movie, top 10 in rank order and reversed,
 *       over-long (15 and 25 selections), favourites, long tail, mid popularity, per-genre, repeated ids,
 *       many-genre movies, never-rated ids, smallest and largest ids</td></tr>
 *   <tr><td>popular</td><td>181</td><td>distinct picks from the app's 100 favourites: the empty history, then
 *       12 per length 1..15</td></tr>
 *   <tr><td>uniform</td><td>181</td><td>distinct picks uniform over the 3,706 movies: empty, 12 per length 1..15</td></tr>
 *   <tr><td>genre-coherent</td><td>271</td><td>distinct picks among the movies of one genre: empty, then one per
 *       genre (all 18) and length 1..15</td></tr>
 *   <tr><td>long-tail</td><td>151</td><td>distinct picks among the 473 movies with at most 10 ratings: empty,
 *       10 per length 1..15</td></tr>
 *   <tr><td>mid-popularity</td><td>151</td><td>distinct picks from the middle half of the list by rating count:
 *       empty, 10 per length 1..15</td></tr>
 *   <tr><td>raw: 0 in the middle</td><td>30</td><td>10 ids with 1 to 4 padding ids 0 between real ones</td></tr>
 *   <tr><td>raw: leading padding</td><td>10</td><td>1 to 9 zeros first, then movies (padding at the start)</td></tr>
 *   <tr><td>raw: id 3952</td><td>12</td><td>the largest id (last embedding row) at each of the 10 positions,
 *       alone, and 10 times</td></tr>
 *   <tr><td>raw: absent ids</td><td>35</td><td>every one of the 246 ids in 1..3952 missing from the movie list
 *       (25 inputs), and 10 inputs mixing them with listed movies; absent ids have no genres</td></tr>
 *   <tr><td>raw: all zero</td><td>11</td><td>all-zero movie and genre ids; 5 with all-zero movie ids but genres;
 *       5 with movie ids but all-zero genres</td></tr>
 *   <tr><td>raw: repeated ids</td><td>20</td><td>2 to 10 ids drawn with replacement from 1 to 3 movies</td></tr>
 *   <tr><td>genre overflow</td><td>30</td><td>genre lists longer than 32, cut to the first 32: 20 raw lists of 33 to 64
 *       genre ids, and 10 histories of 11 to 15 movies with 3 or more genres each</td></tr>
 *   <tr><td>raw: genre 0 in the middle</td><td>20</td><td>movie ids with their genre ids, and 1 to 6 unknown-genre
 *       ids 0 among them</td></tr>
 * </table>
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
    /** The largest valid movie id: the last row of every embedding table. */
    static final int MAX_ID = ITEM_VOCAB_SIZE - 1;
    /** The longest generated history (the app's input keeps the first 10). */
    static final int MAX_GENERATED_LENGTH = 15;

    private static final long SEED = 20210317L;

    /** Where a fixture comes from; {@link #count} is how many {@link #all()} holds (checked by MovieLensFixturesTest). */
    enum Family {
        HAND_MADE("hand-made", 38),
        POPULAR("popular", 181),
        UNIFORM("uniform", 181),
        GENRE_COHERENT("genre-coherent", 271),
        LONG_TAIL("long-tail", 151),
        MID_POPULARITY("mid-popularity", 151),
        ZERO_IN_THE_MIDDLE("raw: 0 in the middle", 30),
        LEADING_PADDING("raw: leading padding", 10),
        MAX_ID("raw: id 3952", 12),
        ABSENT_IDS("raw: absent ids", 35),
        ALL_ZERO("raw: all zero", 11),
        REPEATED_IDS("raw: repeated ids", 20),
        GENRE_OVERFLOW("genre overflow", 30),
        GENRE_ZERO_IN_THE_MIDDLE("raw: genre 0 in the middle", 20);

        final String label;
        final int count;

        Family(String label, int count) {
            this.label = label;
            this.count = count;
        }
    }

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

    /**
     * One model input: the movie ids and genre ids offered, of any length. The models take the first 10 movie
     * ids and the first 32 genre ids, padded with 0 at the end ({@link #movieIds()}, {@link #genreIds()}), which is
     * also what the app does with a longer selection.
     */
    record Fixture(Family family, String name, int[] offeredIds, int[] offeredGenres) {
        Fixture {
            offeredIds = offeredIds.clone();
            offeredGenres = offeredGenres.clone();
        }

        @Override
        public int[] offeredIds() {
            return offeredIds.clone();
        }

        @Override
        public int[] offeredGenres() {
            return offeredGenres.clone();
        }

        /** The {@code int[10]} movie-id input. */
        int[] movieIds() {
            return fitted(offeredIds, MOVIE_INPUT_LENGTH, PAD);
        }

        /** The {@code int[32]} genre-id input of the feature model. */
        int[] genreIds() {
            return fitted(offeredGenres, GENRE_INPUT_LENGTH, UNKNOWN_GENRE);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Fixture f && f.family == family && f.name.equals(name)
                    && Arrays.equals(f.offeredIds, offeredIds) && Arrays.equals(f.offeredGenres, offeredGenres);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * name.hashCode() + Arrays.hashCode(offeredIds)) + Arrays.hashCode(offeredGenres);
        }

        @Override
        public String toString() {
            return family.label + " / " + name;
        }
    }

    private final List<Movie> movies;           // by rating count, descending (file order)
    private final Map<Integer, Movie> byId;
    private final List<String> genreList;       // genre id = position
    private List<Fixture> all;

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

    /** The first {@code length} values, padded with {@code pad} at the end. */
    static int[] fitted(int[] values, int length, int pad) {
        int[] input = new int[length];
        Arrays.fill(input, pad);
        System.arraycopy(values, 0, input, 0, Math.min(length, values.length));
        return input;
    }

    /**
     * movieFeature: {@code int[10]} filled with the padding id, then the ids of the first 10 selected movies
     * in selection order from position 0 (later selections are ignored).
     */
    static int[] movieFeature(History history) {
        return fitted(ids(history.selected()), MOVIE_INPUT_LENGTH, PAD);
    }

    /**
     * genreFeature: {@code int[32]} filled with the unknown genre, then for every selected movie (all of them,
     * not only the first 10) in selection order, each of its genres in vocabulary-json order mapped to its line
     * in the genre list (unknown genre names map to 0), stopping when the array is full.
     */
    int[] genreFeature(History history) {
        return fitted(allGenreIds(history.selected()), GENRE_INPUT_LENGTH, UNKNOWN_GENRE);
    }

    /** The genre ids of all {@code selected} movies, in the app's order, not yet cut to 32. */
    private int[] allGenreIds(List<Movie> selected) {
        return selected.stream().flatMap(m -> m.genres().stream()).mapToInt(g -> {
            int id = genreList.indexOf(g);
            return id < 0 ? UNKNOWN_GENRE : id;
        }).toArray();
    }

    /** The inputs the app builds from {@code history}. */
    Fixture fixture(Family family, History history) {
        return new Fixture(family, history.name(), ids(history.selected()), allGenreIds(history.selected()));
    }

    /** Every fixture, in family order (table in the class comment). Built once per instance. */
    synchronized List<Fixture> all() {
        if (all == null) {
            List<Fixture> f = new ArrayList<>();
            for (History h : histories()) f.add(fixture(Family.HAND_MADE, h));
            addGenerated(f);
            addRawEdgeCases(f);
            all = List.copyOf(f);
        }
        return all;
    }

    /**
     * 38 hand-made seeded histories: empty, single movies, full and over-long selections, popular and long-tail
     * picks, genre-coherent picks, repeated ids, many-genre movies (genre overflow) and never-rated ids.
     * Tests pick some by name.
     */
    List<History> histories() {
        Random random = new Random(SEED);
        List<History> h = new ArrayList<>();
        List<Movie> favorites = favorites();
        List<Movie> longTail = longTail();
        List<Movie> middle = middle();

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

    /** Histories of distinct picks per family and length 0..15; each family has its own seed. */
    private void addGenerated(List<Fixture> out) {
        generate(out, Family.POPULAR, favorites(), 12);
        generate(out, Family.UNIFORM, movies, 12);
        generate(out, Family.LONG_TAIL, longTail(), 10);
        generate(out, Family.MID_POPULARITY, middle(), 10);
        Random random = random(Family.GENRE_COHERENT);
        out.add(fixture(Family.GENRE_COHERENT, new History("empty", List.of())));
        for (String genre : genreList.subList(1, genreList.size())) { // line 0 is UNK, no movie has it
            List<Movie> pool = filter(hasGenre(genre));
            for (int length = 1; length <= MAX_GENERATED_LENGTH; length++) {
                out.add(fixture(Family.GENRE_COHERENT, new History(genre + ", " + length + " movies", pick(random, pool, length))));
            }
        }
    }

    private void generate(List<Fixture> out, Family family, List<Movie> pool, int perLength) {
        Random random = random(family);
        out.add(fixture(family, new History("empty", List.of())));
        for (int length = 1; length <= MAX_GENERATED_LENGTH; length++) {
            for (int k = 0; k < perLength; k++) {
                out.add(fixture(family, new History(length + " movies #" + k, pick(random, pool, length))));
            }
        }
    }

    /** Inputs a user can pass but the app never builds; see the class comment for what each family holds. */
    private void addRawEdgeCases(List<Fixture> out) {
        Random random = random(Family.ZERO_IN_THE_MIDDLE);
        for (int k = 0; k < 30; k++) {
            List<Movie> picked = pick(random, movies, MOVIE_INPUT_LENGTH);
            int[] ids = ids(picked);
            int zeros = 1 + random.nextInt(4);
            // Positions 1..8 keep a real id on both sides of the run of zeros it can start.
            for (int z = 0; z < zeros; z++) ids[1 + random.nextInt(MOVIE_INPUT_LENGTH - 2)] = PAD;
            out.add(new Fixture(Family.ZERO_IN_THE_MIDDLE, "#" + k, ids, allGenreIds(present(ids))));
        }

        random = random(Family.LEADING_PADDING);
        for (int zeros = 1; zeros <= 9; zeros++) {
            int[] ids = new int[MOVIE_INPUT_LENGTH];
            List<Movie> picked = pick(random, movies, MOVIE_INPUT_LENGTH - zeros);
            for (int i = 0; i < picked.size(); i++) ids[zeros + i] = picked.get(i).id();
            out.add(new Fixture(Family.LEADING_PADDING, zeros + " leading zeros", ids, allGenreIds(picked)));
        }
        int[] oneAtTheEnd = new int[MOVIE_INPUT_LENGTH];
        oneAtTheEnd[MOVIE_INPUT_LENGTH - 1] = movies.get(0).id();
        out.add(new Fixture(Family.LEADING_PADDING, "most rated movie last", oneAtTheEnd, allGenreIds(List.of(movies.get(0)))));

        random = random(Family.MAX_ID);
        for (int position = 0; position < MOVIE_INPUT_LENGTH; position++) {
            int[] ids = ids(pick(random, movies, MOVIE_INPUT_LENGTH));
            ids[position] = MAX_ID;
            out.add(new Fixture(Family.MAX_ID, "3952 at position " + position, ids, allGenreIds(present(ids))));
        }
        out.add(new Fixture(Family.MAX_ID, "3952 alone", new int[] {MAX_ID}, allGenreIds(present(new int[] {MAX_ID}))));
        int[] tenTimes = new int[MOVIE_INPUT_LENGTH];
        Arrays.fill(tenTimes, MAX_ID);
        out.add(new Fixture(Family.MAX_ID, "3952 ten times", tenTimes, allGenreIds(present(tenTimes))));

        random = random(Family.ABSENT_IDS);
        List<Integer> absent = absentIds();
        for (int from = 0; from < absent.size(); from += MOVIE_INPUT_LENGTH) {
            List<Integer> chunk = absent.subList(from, Math.min(absent.size(), from + MOVIE_INPUT_LENGTH));
            out.add(new Fixture(Family.ABSENT_IDS, "absent ids " + chunk.get(0) + ".." + chunk.get(chunk.size() - 1),
                    chunk.stream().mapToInt(Integer::intValue).toArray(), new int[0]));
        }
        for (int k = 0; k < 10; k++) {
            int[] ids = ids(pick(random, movies, MOVIE_INPUT_LENGTH));
            int replaced = 1 + random.nextInt(5);
            for (int r = 0; r < replaced; r++) ids[random.nextInt(MOVIE_INPUT_LENGTH)] = absent.get(random.nextInt(absent.size()));
            out.add(new Fixture(Family.ABSENT_IDS, "listed movies and absent ids #" + k, ids, allGenreIds(present(ids))));
        }

        random = random(Family.ALL_ZERO);
        out.add(new Fixture(Family.ALL_ZERO, "all zero", new int[MOVIE_INPUT_LENGTH], new int[GENRE_INPUT_LENGTH]));
        for (int k = 0; k < 5; k++) {
            int[] genres = allGenreIds(pick(random, movies, 1 + random.nextInt(MOVIE_INPUT_LENGTH)));
            out.add(new Fixture(Family.ALL_ZERO, "zero movie ids, genres #" + k, new int[MOVIE_INPUT_LENGTH], genres));
        }
        for (int k = 0; k < 5; k++) {
            int[] ids = ids(pick(random, movies, 1 + random.nextInt(MOVIE_INPUT_LENGTH)));
            out.add(new Fixture(Family.ALL_ZERO, "movie ids, zero genres #" + k, ids, new int[GENRE_INPUT_LENGTH]));
        }

        random = random(Family.REPEATED_IDS);
        for (int k = 0; k < 20; k++) {
            List<Movie> pool = pick(random, movies, 1 + random.nextInt(3));
            int length = 2 + random.nextInt(MOVIE_INPUT_LENGTH - 1);
            int[] ids = new int[length];
            for (int i = 0; i < length; i++) ids[i] = pool.get(random.nextInt(pool.size())).id();
            out.add(new Fixture(Family.REPEATED_IDS, pool.size() + " ids, " + length + " times in all #" + k, ids, allGenreIds(present(ids))));
        }

        random = random(Family.GENRE_OVERFLOW);
        for (int k = 0; k < 20; k++) {
            int[] genres = new int[GENRE_INPUT_LENGTH + 1 + random.nextInt(GENRE_INPUT_LENGTH)];
            for (int i = 0; i < genres.length; i++) genres[i] = 1 + random.nextInt(genreList.size() - 1);
            int[] ids = ids(pick(random, movies, 1 + random.nextInt(MOVIE_INPUT_LENGTH)));
            out.add(new Fixture(Family.GENRE_OVERFLOW, genres.length + " random genre ids #" + k, ids, genres));
        }
        List<Movie> manyGenres = filter(m -> m.genres().size() >= 3);
        for (int k = 0; k < 10; k++) {
            int length = MOVIE_INPUT_LENGTH + 1 + random.nextInt(MAX_GENERATED_LENGTH - MOVIE_INPUT_LENGTH);
            out.add(fixture(Family.GENRE_OVERFLOW, new History(length + " movies with 3+ genres #" + k, pick(random, manyGenres, length))));
        }

        random = random(Family.GENRE_ZERO_IN_THE_MIDDLE);
        for (int k = 0; k < 20; k++) {
            List<Movie> picked = pick(random, movies, 2 + random.nextInt(MOVIE_INPUT_LENGTH - 1));
            List<Integer> genres = new ArrayList<>();
            for (int g : allGenreIds(picked)) genres.add(g);
            int zeros = 1 + random.nextInt(6);
            // Inserted after the first genre id and within the 32 the model reads, so a real id precedes each 0.
            for (int z = 0; z < zeros; z++) {
                genres.add(1 + random.nextInt(Math.min(genres.size(), GENRE_INPUT_LENGTH - 1) - 1), UNKNOWN_GENRE);
            }
            out.add(new Fixture(Family.GENRE_ZERO_IN_THE_MIDDLE, zeros + " zeros among " + (genres.size() - zeros) + " genre ids #" + k,
                    ids(picked), genres.stream().mapToInt(Integer::intValue).toArray()));
        }
    }

    private static Random random(Family family) {
        return new Random(SEED + 1000L * (family.ordinal() + 1));
    }

    private static int[] ids(List<Movie> picked) {
        return picked.stream().mapToInt(Movie::id).toArray();
    }

    /** The listed movies among {@code ids}, in order (0 and absent ids have no genres). */
    private List<Movie> present(int[] ids) {
        List<Movie> out = new ArrayList<>();
        for (int id : ids) if (byId.containsKey(id)) out.add(byId.get(id));
        return out;
    }

    private List<Movie> favorites() {
        return movies.subList(0, Math.min(FAVORITE_LIST_SIZE, movies.size()));
    }

    private List<Movie> longTail() {
        return filter(m -> m.count() <= 10);
    }

    private List<Movie> middle() {
        return movies.subList(movies.size() / 4, 3 * movies.size() / 4);
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

    /** Valid model ids (1..3952) that the app's movie list does not contain, ascending. */
    List<Integer> absentIds() {
        List<Integer> absent = new ArrayList<>();
        for (int id = 1; id < ITEM_VOCAB_SIZE; id++) if (!byId.containsKey(id)) absent.add(id);
        return absent;
    }

    /** {@code n} distinct absent ids as movies without genres. */
    private List<Movie> neverRated(Random random, int n) {
        List<Integer> absent = absentIds();
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
