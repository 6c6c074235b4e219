package org.tfl4j.recommend;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.tfl4j.engine.Model;
import org.tfl4j.engine.TensorInfo;
import org.tfl4j.parser.TensorType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The Android recommendation example's {@code config.json}: which model and vocabularies to use,
 * how its inputs are laid out and where its outputs are.
 *
 * <p>Two file formats are read. The current one lists the model inputs
 * ({@code "inputs": [{"name": "movieFeature", "index": 0, "inputLength": 10}, ...]}); the old one
 * (2020-07) has a single movie-id input described by a top-level {@code inputLength}. Absent fields
 * take the app's defaults ({@code DEFAULT_*} here); unknown fields are ignored, as Gson does in the app.
 * A file without {@code inputs} is read as the old format.
 *
 * @param model             model file name, relative to the config's folder
 * @param inputs            model inputs, sorted by {@code index}; indices are exactly 0..n-1
 * @param movieList         movie vocabulary file ({@code sorted_movie_vocab.json})
 * @param genreList         genre vocabulary file, or null when the model takes no genre feature
 * @param topK              recommendations to return
 * @param outputLength      length of the model's id and score outputs
 * @param outputIdsIndex    model output holding the ids (int32)
 * @param outputScoresIndex model output holding the scores (float32)
 * @param pad               id that fills unused positions of the movie feature
 * @param unknownGenre      genre id for padding and for genres missing from the genre list
 * @param favoriteListSize  how many of the most rated movies the app offers as choices (not used here)
 */
public record RecommenderConfig(String model, List<Feature> inputs, String movieList, String genreList,
                                int topK, int outputLength, int outputIdsIndex, int outputScoresIndex,
                                int pad, int unknownGenre, int favoriteListSize) {

    /** Name of the input feature holding movie ids. */
    public static final String MOVIE_FEATURE = "movieFeature";
    /** Name of the input feature holding genre ids. */
    public static final String GENRE_FEATURE = "genreFeature";

    public static final String DEFAULT_MODEL = "recommendation_rnn_i10o100.tflite";
    public static final String DEFAULT_MOVIE_LIST = "sorted_movie_vocab.json";
    public static final int DEFAULT_INPUT_LENGTH = 10;
    public static final int DEFAULT_OUTPUT_LENGTH = 100;
    public static final int DEFAULT_TOP_K = 10;
    public static final int DEFAULT_PAD = 0;
    public static final int DEFAULT_UNKNOWN_GENRE = 0;
    public static final int DEFAULT_OUTPUT_IDS_INDEX = 0;
    public static final int DEFAULT_OUTPUT_SCORES_INDEX = 1;
    public static final int DEFAULT_FAVORITE_LIST_SIZE = 100;

    /**
     * One model input.
     *
     * @param name        {@link #MOVIE_FEATURE} or {@link #GENRE_FEATURE}
     * @param index       position among the model's (subgraph) inputs
     * @param inputLength number of int32 elements
     */
    public record Feature(String name, int index, int inputLength) {
        public Feature {
            if (!MOVIE_FEATURE.equals(name) && !GENRE_FEATURE.equals(name)) {
                throw new RecommenderException("'name' must be \"" + MOVIE_FEATURE + "\" or \"" + GENRE_FEATURE
                        + "\", got " + (name == null ? "nothing" : "\"" + name + "\""));
            }
            if (index < 0) throw new RecommenderException("'index' must be >= 0, got " + index);
            if (inputLength < 1) throw new RecommenderException("'inputLength' must be >= 1, got " + inputLength);
        }
    }

    /** Checks every field; the message of a violation names the field. */
    public RecommenderConfig {
        requireName(model, "model");
        requireName(movieList, "movieList");
        if (genreList != null) requireName(genreList, "genreList");
        if (inputs == null || inputs.isEmpty()) throw new RecommenderException("'inputs' must list at least one input");
        List<Feature> sorted = new ArrayList<>(inputs);
        sorted.sort(Comparator.comparingInt(Feature::index));
        inputs = List.copyOf(sorted);
        for (int k = 0; k < inputs.size(); k++) {
            if (inputs.get(k).index() != k) {
                throw new RecommenderException("'inputs': the indices must be 0.." + (inputs.size() - 1)
                        + ", each once; got " + Arrays.toString(inputs.stream().mapToInt(Feature::index).toArray()));
            }
            for (int j = 0; j < k; j++) {
                if (inputs.get(j).name().equals(inputs.get(k).name())) {
                    throw new RecommenderException("'inputs': feature \"" + inputs.get(k).name() + "\" is listed twice");
                }
            }
        }
        boolean genreFeature = inputs.stream().anyMatch(f -> f.name().equals(GENRE_FEATURE));
        if (genreFeature && genreList == null) {
            throw new RecommenderException("'genreList' is missing: the inputs have a \"" + GENRE_FEATURE + "\"");
        }
        if (!genreFeature && genreList != null) {
            throw new RecommenderException("'genreList' is set but no input is a \"" + GENRE_FEATURE + "\"");
        }
        requireAtLeast(topK, 1, "topK");
        requireAtLeast(outputLength, 1, "outputLength");
        requireAtLeast(outputIdsIndex, 0, "outputIdsIndex");
        requireAtLeast(outputScoresIndex, 0, "outputScoresIndex");
        if (outputIdsIndex == outputScoresIndex) {
            throw new RecommenderException("'outputIdsIndex' and 'outputScoresIndex' are both " + outputIdsIndex);
        }
        requireAtLeast(pad, 0, "pad");
        requireAtLeast(unknownGenre, 0, "unknownGenre");
        requireAtLeast(favoriteListSize, 0, "favoriteListSize");
    }

    private static void requireName(String value, String field) {
        if (value == null || value.isBlank()) throw new RecommenderException("'" + field + "' must be a file name, got " + (value == null ? "nothing" : "\"\""));
    }

    private static void requireAtLeast(int value, int min, String field) {
        if (value < min) throw new RecommenderException("'" + field + "' must be >= " + min + ", got " + value);
    }

    /** Reads a config file (either format). */
    public static RecommenderConfig load(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Parses a config (either format).
     *
     * @param source the file name, for error messages
     * @throws RecommenderException naming the source and the field when a value is missing or invalid
     */
    public static RecommenderConfig parse(String json, String source) {
        JsonElement root = JsonFields.parse(json, source);
        if (!root.isJsonObject()) throw new RecommenderException(source + ": a config must be a JSON object, got " + JsonFields.show(root));
        JsonObject o = root.getAsJsonObject();
        try {
            List<Feature> inputs = new ArrayList<>();
            JsonElement list = o.get("inputs");
            if (list != null && !list.isJsonNull()) {
                if (o.has("inputLength")) {
                    throw new RecommenderException("both 'inputs' (current format) and 'inputLength' (old format) are set; keep one");
                }
                if (!list.isJsonArray()) throw new RecommenderException("'inputs' must be an array, got " + JsonFields.show(list));
                JsonArray a = list.getAsJsonArray();
                for (int i = 0; i < a.size(); i++) inputs.add(feature(a.get(i), "inputs[" + i + "]."));
            } else {
                // The old format: one movie-id input.
                int length = JsonFields.intField(o, "inputLength", DEFAULT_INPUT_LENGTH, "");
                if (length < 1) throw new RecommenderException("'inputLength' must be >= 1, got " + length);
                inputs.add(new Feature(MOVIE_FEATURE, 0, length));
            }
            return new RecommenderConfig(
                    JsonFields.stringField(o, "model", DEFAULT_MODEL, ""),
                    inputs,
                    JsonFields.stringField(o, "movieList", DEFAULT_MOVIE_LIST, ""),
                    JsonFields.stringField(o, "genreList", null, ""),
                    JsonFields.intField(o, "topK", DEFAULT_TOP_K, ""),
                    JsonFields.intField(o, "outputLength", DEFAULT_OUTPUT_LENGTH, ""),
                    JsonFields.intField(o, "outputIdsIndex", DEFAULT_OUTPUT_IDS_INDEX, ""),
                    JsonFields.intField(o, "outputScoresIndex", DEFAULT_OUTPUT_SCORES_INDEX, ""),
                    JsonFields.intField(o, "pad", DEFAULT_PAD, ""),
                    JsonFields.intField(o, "unknownGenre", DEFAULT_UNKNOWN_GENRE, ""),
                    JsonFields.intField(o, "favoriteListSize", DEFAULT_FAVORITE_LIST_SIZE, ""));
        } catch (RecommenderException e) {
            throw new RecommenderException(source + ": " + e.getMessage(), e);
        }
    }

    private static Feature feature(JsonElement e, String where) {
        if (!e.isJsonObject()) throw new RecommenderException("'" + where.substring(0, where.length() - 1) + "' must be an object, got " + JsonFields.show(e));
        JsonObject f = e.getAsJsonObject();
        String name = JsonFields.stringField(f, "name", null, where);
        if (name == null) throw new RecommenderException("'" + where + "name' is missing");
        int index = JsonFields.requiredInt(f, "index", where);
        int length = JsonFields.requiredInt(f, "inputLength", where);
        try {
            return new Feature(name, index, length);
        } catch (RecommenderException bad) {
            // Feature names the field ('index'); add where it is ('inputs[1].index').
            throw new RecommenderException(bad.getMessage().replaceFirst("^'", "'" + where));
        }
    }

    /**
     * The contract of a model that comes without a config (the bag-of-words model): one int32 input
     * of movie ids, and two outputs of equal length, told apart by type (int32 = ids, float32 = scores).
     *
     * @param modelFile the model's file name, recorded in {@link #model()}
     */
    public static RecommenderConfig fromModel(Model model, String modelFile) {
        String what = modelFile + " has no config and ";
        if (model.inputCount() != 1) {
            throw new RecommenderException(what + "has " + model.inputCount() + " inputs; without a config only a single int32 movie-id input is understood");
        }
        TensorInfo in = model.input(0);
        if (in.dataType() != TensorType.INT32) throw new RecommenderException(what + "its input " + in + " is not int32 movie ids");
        if (model.outputCount() != 2) {
            throw new RecommenderException(what + "has " + model.outputCount() + " outputs; expected two (int32 ids, float32 scores)");
        }
        TensorInfo o0 = model.output(0);
        TensorInfo o1 = model.output(1);
        int ids;
        if (o0.dataType() == TensorType.INT32 && o1.dataType() == TensorType.FLOAT32) ids = 0;
        else if (o0.dataType() == TensorType.FLOAT32 && o1.dataType() == TensorType.INT32) ids = 1;
        else throw new RecommenderException(what + "its outputs " + o0 + ", " + o1 + " are not one int32 (ids) and one float32 (scores)");
        if (o0.numElements() != o1.numElements()) {
            throw new RecommenderException(what + "its outputs " + o0 + ", " + o1 + " differ in length");
        }
        return new RecommenderConfig(modelFile, List.of(new Feature(MOVIE_FEATURE, 0, in.numElements())),
                DEFAULT_MOVIE_LIST, null, DEFAULT_TOP_K, o0.numElements(), ids, 1 - ids,
                DEFAULT_PAD, DEFAULT_UNKNOWN_GENRE, DEFAULT_FAVORITE_LIST_SIZE);
    }

    /** This config with another {@link #topK()}. */
    public RecommenderConfig withTopK(int k) {
        return new RecommenderConfig(model, inputs, movieList, genreList, k, outputLength, outputIdsIndex,
                outputScoresIndex, pad, unknownGenre, favoriteListSize);
    }

    /** The input with this feature name, or null. */
    public Feature feature(String name) {
        for (Feature f : inputs) if (f.name().equals(name)) return f;
        return null;
    }

    /** True when the model takes a genre feature (and so needs {@link #genreList()}). */
    public boolean usesGenres() {
        return genreList != null;
    }
}
