package org.tfl4j.cli;

import org.tfl4j.engine.Model;
import org.tfl4j.engine.TensorInfo;
import org.tfl4j.engine.io.Npy;
import org.tfl4j.engine.io.NpyArray;
import org.tfl4j.parser.BuiltinOp;
import org.tfl4j.parser.OpOptions;
import org.tfl4j.parser.Operator;
import org.tfl4j.parser.Subgraph;
import org.tfl4j.parser.Tensor;
import org.tfl4j.parser.TensorType;
import org.tfl4j.recommend.GenreVocabulary;
import org.tfl4j.recommend.MovieVocabulary;
import org.tfl4j.recommend.RecommenderConfig;
import org.tfl4j.recommend.RecommenderException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

/**
 * The inputs {@code tfl4j bench} feeds, one flat array per model input in input order, and where they come from:
 * <ul>
 *   <li>{@code npy}: the given {@code .npy} files;</li>
 *   <li>{@code movielens-history}: for the four published MovieLens models, when the config and vocabularies are
 *       beside the model or in the model folders, the history the JMH benchmarks feed (the benchmarks module's
 *       {@code RepresentativeHistory}): the 10 most rated movies, a full history with no padding, and for the genre
 *       model their genres in selection order, as the app builds them;</li>
 *   <li>{@code generated}: otherwise, seeded values from each input's type: ids that index a table (GATHER)
 *       uniform over its rows except 0 (the MovieLens padding id), other ints in [0, 10), floats uniform in
 *       [-1, 1), bools at random.</li>
 * </ul>
 */
final class BenchInputs {

    /** Generated ints that index no table are drawn from {@code [0, SMALL_INT_LIMIT)}. */
    static final int SMALL_INT_LIMIT = 10;

    static final String NPY = "npy";
    static final String MOVIELENS_HISTORY = "movielens-history";
    static final String GENERATED = "generated";

    /**
     * @param values      one flat array per model input ({@code int[]}, {@code float[]}, {@code long[]},
     *                    {@code boolean[]}), in input order
     * @param source      {@link #NPY}, {@link #MOVIELENS_HISTORY} or {@link #GENERATED}
     * @param description one line for the report
     */
    record Inputs(Object[] values, String source, String description) {}

    private BenchInputs() {}

    // ---- .npy files ----

    /** Reads the files before the model is loaded (so their bytes are not counted in its heap footprint). */
    static NpyArray[] read(List<Path> files) throws IOException {
        NpyArray[] arrays = new NpyArray[files.size()];
        for (int k = 0; k < arrays.length; k++) arrays[k] = Npy.read(files.get(k));
        return arrays;
    }

    /** Checks that the arrays fit the model's inputs (count, type, element count). */
    static Inputs fromNpy(Model model, List<Path> files, NpyArray[] arrays) {
        if (arrays.length != model.inputCount()) {
            throw new UsageException("the model has " + model.inputCount() + " input" + (model.inputCount() == 1 ? "" : "s")
                    + ", got " + arrays.length + " .npy file" + (arrays.length == 1 ? "" : "s"));
        }
        Object[] values = new Object[arrays.length];
        for (int k = 0; k < arrays.length; k++) {
            NpyArray a = arrays[k];
            TensorInfo t = model.input(k);
            if (a.type() != t.dataType()) {
                throw new UsageException(files.get(k) + " is " + Npy.descr(a.type()) + ", input " + k + " " + t + " needs "
                        + typeName(t.dataType()));
            }
            if (a.elementCount() != t.numElements()) {
                throw new UsageException(files.get(k) + " has shape " + Arrays.toString(a.shape()) + " (" + a.elementCount()
                        + " elements), input " + k + " " + t + " needs " + t.numElements());
            }
            values[k] = a.data();
        }
        StringBuilder d = new StringBuilder(".npy files:");
        for (int k = 0; k < files.size(); k++) d.append(k == 0 ? " " : ", ").append(files.get(k));
        return new Inputs(values, NPY, d.toString());
    }

    private static String typeName(TensorType type) {
        switch (type) {
            case INT32: case FLOAT32: case INT64: case BOOL: return Npy.descr(type);
            default: return type.name();
        }
    }

    // ---- without files ----

    /**
     * The MovieLens history when the model is one of the published four and its files are found (beside the model
     * first, then in the model folders), else generated inputs.
     */
    static Inputs representative(Path modelFile, Model model, ModelStore store, long seed) throws IOException {
        ModelStore.Known known = knownModel(modelFile);
        String whyNotHistory = null;
        if (known != null) {
            try {
                Inputs history = movieLensHistory(known, modelFile, model, store);
                if (history != null) return history;
                whyNotHistory = "the model's inputs differ from the published " + known.shortName + " model's";
            } catch (MissingFile e) {
                whyNotHistory = e.getMessage();
            } catch (RecommenderException e) {
                whyNotHistory = Main.message(e);
            }
        }
        return generated(model, seed, whyNotHistory);
    }

    private static ModelStore.Known knownModel(Path modelFile) {
        Path name = modelFile.getFileName();
        if (name == null) return null;
        for (ModelStore.Known k : ModelStore.Known.values()) {
            if (k.modelFile.equals(name.toString())) return k;
        }
        return null;
    }

    /** A companion file is missing: fall back to generated inputs and say why. */
    private static final class MissingFile extends Exception {
        private static final long serialVersionUID = 1L;

        MissingFile(String message) {
            super(message, null, false, false);
        }
    }

    private static Path companion(Path modelFile, ModelStore store, String name) throws MissingFile {
        Path dir = modelFile.toAbsolutePath().normalize().getParent();
        if (dir != null && Files.isRegularFile(dir.resolve(name))) return dir.resolve(name);
        for (ModelStore.Folder f : store.folders()) {
            Path p = f.path().resolve(name);
            if (Files.isRegularFile(p)) return p;
        }
        throw new MissingFile(name + " not found beside the model or in the model folders");
    }

    /** The benchmarks' history, or null when the model's inputs do not match its config. */
    private static Inputs movieLensHistory(ModelStore.Known known, Path modelFile, Model model, ModelStore store)
            throws IOException, MissingFile {
        RecommenderConfig config = known.configFile == null
                ? RecommenderConfig.fromModel(model, known.modelFile)
                : RecommenderConfig.load(companion(modelFile, store, known.configFile));
        if (config.inputs().size() != model.inputCount()) return null;
        for (RecommenderConfig.Feature f : config.inputs()) {
            TensorInfo t = model.input(f.index());
            if (t.dataType() != TensorType.INT32 || t.numElements() != f.inputLength()) return null;
        }
        RecommenderConfig.Feature movieFeature = config.feature(RecommenderConfig.MOVIE_FEATURE);
        if (movieFeature == null) return null;
        Path movieFile = companion(modelFile, store, config.movieList());
        MovieVocabulary movies = MovieVocabulary.load(movieFile);
        Path genreFile = config.usesGenres() ? companion(modelFile, store, config.genreList()) : null;
        GenreVocabulary genres = genreFile == null ? null : GenreVocabulary.load(genreFile);

        // The vocabulary is sorted by rating count, so its head is the most rated movies.
        List<MovieVocabulary.Movie> history = movies.movies().subList(0, Math.min(movieFeature.inputLength(), movies.size()));
        Object[] values = new Object[model.inputCount()];
        StringBuilder d = new StringBuilder("MovieLens history (as the JMH benchmarks): the ");
        d.append(history.size()).append(" most rated movies of ").append(movieFile);
        for (RecommenderConfig.Feature f : config.inputs()) {
            int[] in = new int[f.inputLength()];
            if (f.name().equals(RecommenderConfig.MOVIE_FEATURE)) {
                Arrays.fill(in, config.pad());
                for (int i = 0; i < history.size(); i++) in[i] = history.get(i).id();
                d.append(' ').append(Arrays.toString(in).replace(" ", ""));
            } else {
                // Every genre of every movie in selection order until the slots are full, as the app does.
                Arrays.fill(in, config.unknownGenre());
                int next = 0;
                fill:
                for (MovieVocabulary.Movie movie : history) {
                    for (String genre : movie.genres()) {
                        if (next == in.length) break fill;
                        int id = genres.id(genre);
                        in[next++] = id < 0 ? config.unknownGenre() : id;
                    }
                }
                d.append("; their genres from ").append(genreFile).append(' ').append(Arrays.toString(in).replace(" ", ""));
            }
            values[f.index()] = in;
        }
        return new Inputs(values, MOVIELENS_HISTORY, d.toString());
    }

    /** Seeded inputs from each input's type; {@code note} (may be null) says why the history was not used. */
    static Inputs generated(Model model, long seed, String note) {
        Subgraph graph = model.parsed().mainSubgraph();
        String[] bounds = new String[model.inputCount()];
        int[] limits = tableRows(graph, bounds);
        Random random = new Random(seed);
        Object[] values = new Object[model.inputCount()];
        StringBuilder d = new StringBuilder("generated (seed ").append(seed);
        if (note != null) d.append("; no MovieLens history: ").append(note);
        d.append("):");
        for (int k = 0; k < values.length; k++) {
            TensorInfo t = model.input(k);
            int n = t.numElements();
            String what;
            switch (t.dataType()) {
                case FLOAT32: {
                    float[] v = new float[n];
                    for (int i = 0; i < n; i++) v[i] = random.nextFloat() * 2f - 1f;
                    values[k] = v;
                    what = "uniform in [-1, 1)";
                    break;
                }
                case INT32: case INT64: {
                    // Ids skip 0, the MovieLens padding id, so a history is full as in the benchmarks.
                    int lo = limits[k] > 1 ? 1 : 0;
                    int hi = limits[k] > 0 ? limits[k] : SMALL_INT_LIMIT;
                    what = limits[k] > 0 ? "ids in [" + lo + ", " + hi + ") (" + bounds[k] + ")" : "in [0, " + hi + ")";
                    if (t.dataType() == TensorType.INT32) {
                        int[] v = new int[n];
                        for (int i = 0; i < n; i++) v[i] = lo + random.nextInt(hi - lo);
                        values[k] = v;
                    } else {
                        long[] v = new long[n];
                        for (int i = 0; i < n; i++) v[i] = lo + random.nextInt(hi - lo);
                        values[k] = v;
                    }
                    break;
                }
                case BOOL: {
                    boolean[] v = new boolean[n];
                    for (int i = 0; i < n; i++) v[i] = random.nextBoolean();
                    values[k] = v;
                    what = "at random";
                    break;
                }
                default:
                    throw new UsageException("input " + k + " " + t + ": cannot generate " + t.dataType()
                            + " values; give .npy inputs");
            }
            d.append(k == 0 ? " " : ", ").append("input ").append(k).append(' ')
                    .append(InspectCommand.typeAndShape(graph.tensor(graph.inputs()[k]))).append(' ').append(what);
        }
        return new Inputs(values, GENERATED, d.toString());
    }

    /**
     * Per model input, the rows of the smallest table its values index (0 when none), following the values through
     * ops that only move them (RESHAPE, STRIDED_SLICE, CAST, SPLIT, CONCATENATION) to the indices of a GATHER.
     * {@code via[k]} names that GATHER.
     */
    static int[] tableRows(Subgraph graph, String[] via) {
        int[] graphInputs = graph.inputs();
        BitSet[] carries = new BitSet[graph.tensors().size()]; // carries[t]: the graph inputs whose values t holds
        for (int k = 0; k < graphInputs.length; k++) carrier(carries, graphInputs[k]).set(k);
        int[] limits = new int[graphInputs.length];
        // Operators are stored in execution order: producers come before consumers.
        for (Operator op : graph.operators()) {
            int[] in = op.inputs();
            for (int slot : movedSlots(op)) {
                if (slot >= in.length || in[slot] < 0 || carries[in[slot]] == null) continue;
                for (int out : op.outputs()) carrier(carries, out).or(carries[in[slot]]);
            }
            if (op.opcode() != BuiltinOp.GATHER || in.length < 2 || in[0] < 0 || in[1] < 0 || carries[in[1]] == null) continue;
            Tensor params = graph.tensor(in[0]);
            int axis = op.options() instanceof OpOptions.Gather ? ((OpOptions.Gather) op.options()).axis() : 0;
            if (axis < 0) axis += params.rank();
            if (axis < 0 || axis >= params.rank()) continue;
            int rows = params.dim(axis);
            BitSet reached = carries[in[1]];
            for (int k = reached.nextSetBit(0); k >= 0; k = reached.nextSetBit(k + 1)) {
                if (rows > 0 && (limits[k] == 0 || rows < limits[k])) {
                    limits[k] = rows;
                    via[k] = "GATHER op " + op.index() + " table " + InspectCommand.typeAndShape(params) + ", axis " + axis;
                }
            }
        }
        return limits;
    }

    private static BitSet carrier(BitSet[] carries, int tensor) {
        if (carries[tensor] == null) carries[tensor] = new BitSet();
        return carries[tensor];
    }

    /** The input slots whose values reappear unchanged (only rearranged) in the op's outputs. */
    private static int[] movedSlots(Operator op) {
        switch (op.opcode()) {
            case BuiltinOp.RESHAPE:
            case BuiltinOp.STRIDED_SLICE:
            case BuiltinOp.CAST:
                return new int[] {0};
            case BuiltinOp.SPLIT:
                return new int[] {1}; // input 0 is the axis
            case BuiltinOp.CONCATENATION: {
                int[] all = new int[op.inputs().length];
                for (int i = 0; i < all.length; i++) all[i] = i;
                return all;
            }
            default:
                return new int[0];
        }
    }
}
