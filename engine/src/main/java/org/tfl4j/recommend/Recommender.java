package org.tfl4j.recommend;

import org.tfl4j.engine.Interpreter;
import org.tfl4j.engine.Model;
import org.tfl4j.engine.TensorInfo;
import org.tfl4j.parser.TensorType;
import org.tfl4j.recommend.RecommenderConfig.Feature;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Recommends movies from a history of movie ids, as the Android example's {@code RecommendationClient}
 * does: same inputs, same filtering of the model's top-K output.
 *
 * <p>Inputs (one int32 array per configured feature, in model-input order):
 * <ul>
 *   <li>movie feature: the history's ids in the given (selection, oldest-first) order from position 0,
 *       the rest {@code pad}; only the first {@code inputLength} ids are used;</li>
 *   <li>genre feature: for each movie of the whole history in order, each of its genres in vocabulary
 *       order mapped through the genre list ({@code unknownGenre} when absent), until
 *       {@code inputLength} is full; the rest {@code unknownGenre}.</li>
 * </ul>
 * Output: walking the model's ids in order, ids that are not in the movie list (0, never-rated ids)
 * and ids in the history are skipped, until {@code topK} recommendations are found.
 *
 * <p>Threads: {@link #recommend} is {@code synchronized}, so one instance may be shared, but calls
 * then run one at a time. For parallel recommendations create one {@code Recommender} per thread
 * over a shared {@link Model} and shared vocabularies (all immutable); each costs only its
 * interpreter's arenas and its input and output arrays, which it reuses from call to call.
 */
public final class Recommender implements AutoCloseable {
    private final RecommenderConfig config;
    private final MovieVocabulary movies;
    private final GenreVocabulary genres;   // null when the model takes no genre feature
    private final Interpreter interpreter;
    private final InputBuilder inputBuilder;
    private final int[] outputIds;          // [outputLength]
    private final float[] outputScores;     // [outputLength]

    /**
     * A recommender over a loaded model.
     *
     * @param genres the genre list; required when the config has a genre feature, else ignored (may be null)
     * @throws RecommenderException when the config does not fit the model (input count, types, lengths)
     */
    public Recommender(Model model, RecommenderConfig config, MovieVocabulary movies, GenreVocabulary genres) {
        this.config = config;
        this.movies = movies;
        this.genres = config.usesGenres() ? genres : null;
        if (config.usesGenres() && genres == null) {
            throw new RecommenderException("the config's input \"" + RecommenderConfig.GENRE_FEATURE
                    + "\" needs the genre list (" + config.genreList() + ")");
        }
        checkFits(model, config);
        checkVocabularies(model, config, movies, this.genres);

        this.inputBuilder = new InputBuilder(config, movies, this.genres);
        this.outputIds = new int[config.outputLength()];
        this.outputScores = new float[config.outputLength()];
        this.interpreter = new Interpreter(model, new Interpreter.Options());
    }

    private static void checkFits(Model model, RecommenderConfig config) {
        String name = config.model();
        if (model.inputCount() != config.inputs().size()) {
            throw new RecommenderException("the config lists " + config.inputs().size() + " input(s), model " + name
                    + " has " + model.inputCount());
        }
        for (Feature f : config.inputs()) {
            TensorInfo t = model.input(f.index());
            if (t.dataType() != TensorType.INT32 || t.numElements() != f.inputLength()) {
                throw new RecommenderException("the config's input " + f.index() + " \"" + f.name() + "\" is int32["
                        + f.inputLength() + "], model " + name + " input " + f.index() + " is " + t);
            }
        }
        checkOutput(model, config.outputIdsIndex(), TensorType.INT32, "outputIdsIndex", config);
        checkOutput(model, config.outputScoresIndex(), TensorType.FLOAT32, "outputScoresIndex", config);
    }

    /**
     * Every id the builder can put into an id input must be one the model's embedding table has
     * ({@link Model#vocabularySize}): a movie list or genre list larger than the model's vocabulary, or a pad or
     * unknown-genre id outside it, is refused here rather than failing some later request.
     */
    private static void checkVocabularies(Model model, RecommenderConfig config, MovieVocabulary movies, GenreVocabulary genres) {
        for (Feature f : config.inputs()) {
            int size = model.vocabularySize(f.index());
            if (size < 0) continue;
            boolean movie = f.name().equals(RecommenderConfig.MOVIE_FEATURE);
            int largest = movie ? Math.max(movies.maxId(), config.pad()) : Math.max(genres.size() - 1, config.unknownGenre());
            int smallest = movie ? config.pad() : config.unknownGenre();
            if (largest >= size || smallest < 0) {
                throw new RecommenderException("the config's input " + f.index() + " \"" + f.name() + "\" takes ids 0.."
                        + (size - 1) + " in model " + config.model() + ", but " + (movie
                        ? movies.source() + " has movie ids up to " + movies.maxId() + " and pad is " + config.pad()
                        : genres.source() + " has genre ids up to " + (genres.size() - 1) + " and unknownGenre is "
                                + config.unknownGenre()));
            }
        }
    }

    private static void checkOutput(Model model, int k, TensorType type, String field, RecommenderConfig config) {
        if (k >= model.outputCount()) {
            throw new RecommenderException("config '" + field + "' is " + k + " but model " + config.model()
                    + " has " + model.outputCount() + " outputs");
        }
        TensorInfo t = model.output(k);
        if (t.dataType() != type || t.numElements() != config.outputLength()) {
            throw new RecommenderException("config '" + field + "' " + k + " expects " + type + "[" + config.outputLength()
                    + "] ('outputLength'), model " + config.model() + " output " + k + " is " + t);
        }
    }

    /**
     * Loads the model and vocabularies a config file names, all resolved against the config's folder.
     */
    public static Recommender load(Path configFile) throws IOException {
        RecommenderConfig config = RecommenderConfig.load(configFile);
        Path dir = configFile.toAbsolutePath().getParent();
        Model model = Model.load(dir.resolve(config.model()));
        MovieVocabulary movies = MovieVocabulary.load(dir.resolve(config.movieList()));
        GenreVocabulary genres = config.usesGenres() ? GenreVocabulary.load(dir.resolve(config.genreList())) : null;
        return new Recommender(model, config, movies, genres);
    }

    /**
     * A recommender for a model without a config (the bag-of-words model): the contract comes from
     * the graph, see {@link RecommenderConfig#fromModel}.
     */
    public static Recommender withoutConfig(Path modelFile, MovieVocabulary movies) {
        Model model = Model.load(modelFile);
        return new Recommender(model, RecommenderConfig.fromModel(model, modelFile.getFileName().toString()), movies, null);
    }

    public RecommenderConfig config() {
        return config;
    }

    public MovieVocabulary movies() {
        return movies;
    }

    /** The genre list, or null when the model takes no genre feature. */
    public GenreVocabulary genres() {
        return genres;
    }

    /** Recommendations for a history of movie ids (oldest first), at most {@code config().topK()}. */
    public List<Recommendation> recommend(int... history) {
        return recommend(history, config.topK());
    }

    /** As {@link #recommend(int...)}, from a list (copied into an array). */
    public List<Recommendation> recommend(List<Integer> history) {
        if (history == null) throw new RecommenderException("history is null");
        int[] ids = new int[history.size()];
        int i = 0;
        for (Integer id : history) {
            if (id == null) throw new RecommenderException("history[" + i + "] is null");
            ids[i++] = id;
        }
        return recommend(ids, config.topK());
    }

    /**
     * At most {@code topK} recommendations for a history of movie ids (oldest first). Allocates only
     * the returned list and its records.
     *
     * @throws RecommenderException naming the first id of the history that is not a movie of the list (an id
     *         the model's vocabulary does not have cannot reach the model: the constructor checked that every
     *         movie of the list is in it)
     */
    public synchronized List<Recommendation> recommend(int[] history, int topK) {
        if (history == null) throw new RecommenderException("history is null");
        if (topK < 1) throw new RecommenderException("topK must be >= 1, got " + topK);
        for (int i = 0; i < history.length; i++) {
            try {
                movies.require(history[i]);
            } catch (RecommenderException e) {
                throw new RecommenderException("history[" + i + "]: " + e.getMessage());
            }
        }
        int[][] inputs = inputBuilder.fill(history);
        for (int k = 0; k < inputs.length; k++) interpreter.setInput(k, inputs[k]);
        interpreter.invoke();
        interpreter.getOutput(config.outputIdsIndex(), outputIds);
        interpreter.getOutput(config.outputScoresIndex(), outputScores);
        return select(outputIds, outputScores, history, movies, topK);
    }

    /**
     * The app's post-processing: walk the outputs in order, skip ids that are not movies of the list
     * and ids of the history, stop after {@code topK}.
     */
    static List<Recommendation> select(int[] ids, float[] scores, int[] history, MovieVocabulary movies, int topK) {
        List<Recommendation> out = new ArrayList<>(Math.min(topK, ids.length));
        for (int i = 0; i < ids.length && out.size() < topK; i++) {
            MovieVocabulary.Movie m = movies.get(ids[i]);
            if (m == null || contains(history, ids[i])) continue;
            out.add(new Recommendation(m.id(), m.title(), m.genres(), scores[i]));
        }
        return out;
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }

    /** Releases the interpreter. */
    @Override
    public synchronized void close() {
        interpreter.close();
    }
}
