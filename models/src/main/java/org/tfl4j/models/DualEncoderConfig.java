package org.tfl4j.models;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A dual-encoder recommendation model as the TFLite recommendation example's v2 code declares it: its
 * {@code InputConfig} (feature groups, label feature) and {@code ModelConfig} (hidden layers, CNN and LSTM sizes,
 * number of predictions), with the example's field names, plus the seed of the weight initializer.
 *
 * <pre>{@code
 * {"input_config": {
 *    "activity_feature_groups": [
 *      {"features": [{"feature_name": "context_movie_id", "feature_type": "INT", "vocab_size": 3953,
 *                     "embedding_dim": 32, "feature_length": 10}],
 *       "encoder_type": "CNN"}],
 *    "label_feature": {"feature_name": "label_movie_id", "feature_type": "INT", "vocab_size": 3953, "embedding_dim": 32}},
 *  "model_config": {"hidden_layer_dims": [32, 32], "conv_num_filter_ratios": [2, 4], "conv_kernel_size": 4,
 *                   "lstm_num_units": 16, "num_predictions": 100},
 *  "seed": 1}
 * }</pre>
 *
 * <p>tfl4j's own additions: encoder type {@code GRU} (a Keras GRU of {@code lstm_num_units} units) and the optional
 * {@code model_config.gru_form} ({@code "WHILE"}, the default, as the converter emits a Keras GRU, or
 * {@code "UNROLLED"}). Fields the example has but inference does not use ({@code vocab_name},
 * {@code eval_top_k}) are accepted and ignored; {@code STRING} features and {@code global_feature_groups} are
 * refused (map strings to ids yourself and declare the feature {@code INT}).
 *
 * <p>{@link #parse(String)} checks everything and throws {@link ModelConfigException} naming the JSON path of the
 * first bad field; {@link #validate()} repeats the semantic checks for a config built in Java.
 */
public record DualEncoderConfig(InputConfig inputConfig, ModelConfig modelConfig, long seed) {

    /** How a feature group's sequence becomes one vector. */
    public enum EncoderType { BOW, CNN, LSTM, GRU }

    /** INT: ids looked up in the feature's embedding table (0 = padding); FLOAT: one value per time step. */
    public enum FeatureType { INT, FLOAT }

    /** One per-activity feature; for FLOAT features {@code vocabSize} and {@code embeddingDim} are 0. */
    public record Feature(String featureName, FeatureType featureType, int vocabSize, int embeddingDim, int featureLength) {
        /** Channels this feature adds to its group's sequence (its embedding width, 1 for FLOAT). */
        public int channels() {
            return featureType == FeatureType.INT ? embeddingDim : 1;
        }
    }

    /** Features encoded together: same length, embeddings concatenated per time step. */
    public record FeatureGroup(List<Feature> features, EncoderType encoderType) {
        public FeatureGroup {
            features = List.copyOf(features);
        }

        /** The common feature length (time steps). */
        public int length() {
            return features.get(0).featureLength();
        }

        /** Channels per time step: all embedding widths plus one per FLOAT feature. */
        public int channels() {
            int c = 0;
            for (Feature f : features) c += f.channels();
            return c;
        }
    }

    /** The label (candidate item) feature: its embedding table is the label encoder. */
    public record LabelFeature(String featureName, int vocabSize, int embeddingDim) {
    }

    public record InputConfig(List<FeatureGroup> activityFeatureGroups, LabelFeature labelFeature) {
        public InputConfig {
            activityFeatureGroups = List.copyOf(activityFeatureGroups);
        }
    }

    /**
     * {@code convKernelSize} and {@code convNumFilterRatios} matter only with a CNN group, {@code lstmNumUnits} only
     * with an LSTM or GRU group (0 or empty otherwise); {@code gruForm} only with a GRU group.
     */
    public record ModelConfig(List<Integer> hiddenLayerDims, List<Integer> convNumFilterRatios, int convKernelSize,
                              int lstmNumUnits, int numPredictions, GruForm gruForm) {
        public ModelConfig {
            hiddenLayerDims = List.copyOf(hiddenLayerDims);
            convNumFilterRatios = List.copyOf(convNumFilterRatios);
        }
    }

    /** The largest weight tensor the builder writes, in elements (1 GiB of float32; a .tflite file stays below 2 GiB). */
    static final long MAX_TENSOR_ELEMENTS = 1L << 28;
    private static final long MAX_TOTAL_ELEMENTS = 400_000_000L;
    /** Feature names become tensor and .npy file names. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private static final Set<String> TOP_FIELDS = Set.of("input_config", "model_config", "seed");
    private static final Set<String> INPUT_FIELDS = Set.of("activity_feature_groups", "label_feature", "global_feature_groups");
    private static final Set<String> GROUP_FIELDS = Set.of("features", "encoder_type");
    private static final Set<String> FEATURE_FIELDS = Set.of("feature_name", "feature_type", "vocab_size", "embedding_dim",
            "feature_length", "vocab_name");
    private static final Set<String> MODEL_FIELDS = Set.of("hidden_layer_dims", "conv_num_filter_ratios", "conv_kernel_size",
            "lstm_num_units", "num_predictions", "eval_top_k", "gru_form");

    /** Reads and checks a config file. */
    public static DualEncoderConfig read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Parses and checks a config; a bad one throws {@link ModelConfigException} naming the field's JSON path. */
    public static DualEncoderConfig parse(String json) {
        JsonElement root;
        try {
            JsonReader reader = new JsonReader(new StringReader(json));
            reader.setStrictness(Strictness.STRICT);
            root = JsonParser.parseReader(reader);
            if (reader.peek() != com.google.gson.stream.JsonToken.END_DOCUMENT) {
                throw new ModelConfigException("(config)", "not JSON: text after the top-level object");
            }
        } catch (JsonParseException | IOException | IllegalStateException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String message = String.valueOf(cause.getMessage()).lines().findFirst().orElse("").strip();
            throw new ModelConfigException("(config)", "not JSON: " + message, e);
        }
        JsonObject top = object(root, "(config)");
        known(top, "", TOP_FIELDS);
        long seed = top.has("seed") ? longValue(top.get("seed"), "seed") : 0L;

        JsonObject in = object(required(top, "input_config", ""), "input_config");
        known(in, "input_config.", INPUT_FIELDS);
        if (in.has("global_feature_groups") && !(in.get("global_feature_groups").isJsonArray()
                && in.getAsJsonArray("global_feature_groups").isEmpty())) {
            throw new ModelConfigException("input_config.global_feature_groups",
                    "not supported by tfl4j's builder (declare per-activity groups only)");
        }
        JsonArray groupsJson = array(required(in, "activity_feature_groups", "input_config."), "input_config.activity_feature_groups");
        List<FeatureGroup> groups = new ArrayList<>();
        for (int gi = 0; gi < groupsJson.size(); gi++) {
            String gp = "input_config.activity_feature_groups[" + gi + "]";
            JsonObject group = object(groupsJson.get(gi), gp);
            known(group, gp + ".", GROUP_FIELDS);
            EncoderType encoder = enumValue(required(group, "encoder_type", gp + "."), gp + ".encoder_type", EncoderType.class);
            JsonArray featuresJson = array(required(group, "features", gp + "."), gp + ".features");
            List<Feature> features = new ArrayList<>();
            for (int fi = 0; fi < featuresJson.size(); fi++) {
                String fp = gp + ".features[" + fi + "]";
                JsonObject f = object(featuresJson.get(fi), fp);
                known(f, fp + ".", FEATURE_FIELDS);
                String name = string(required(f, "feature_name", fp + "."), fp + ".feature_name");
                String typeText = string(required(f, "feature_type", fp + "."), fp + ".feature_type");
                if (typeText.equals("STRING")) {
                    throw new ModelConfigException(fp + ".feature_type", "STRING features are not supported: map the strings"
                            + " to ids (0 = padding) and declare the feature INT");
                }
                FeatureType type = enumValue(f.get("feature_type"), fp + ".feature_type", FeatureType.class);
                int length = intValue(required(f, "feature_length", fp + "."), fp + ".feature_length");
                int vocab = 0;
                int dim = 0;
                if (type == FeatureType.INT) {
                    vocab = intValue(required(f, "vocab_size", fp + "."), fp + ".vocab_size");
                    dim = intValue(required(f, "embedding_dim", fp + "."), fp + ".embedding_dim");
                } else {
                    for (String field : new String[] {"vocab_size", "embedding_dim"}) {
                        if (f.has(field)) {
                            throw new ModelConfigException(fp + "." + field, "a FLOAT feature has no embedding; remove the field");
                        }
                    }
                }
                features.add(new Feature(name, type, vocab, dim, length));
            }
            groups.add(new FeatureGroup(features, encoder));
        }
        JsonObject labelJson = object(required(in, "label_feature", "input_config."), "input_config.label_feature");
        known(labelJson, "input_config.label_feature.", FEATURE_FIELDS);
        String lp = "input_config.label_feature";
        String labelName = string(required(labelJson, "feature_name", lp + "."), lp + ".feature_name");
        if (labelJson.has("feature_type")) {
            String t = string(labelJson.get("feature_type"), lp + ".feature_type");
            if (!t.equals("INT")) throw new ModelConfigException(lp + ".feature_type", "the label feature must be INT, got " + t);
        }
        LabelFeature label = new LabelFeature(labelName,
                intValue(required(labelJson, "vocab_size", lp + "."), lp + ".vocab_size"),
                intValue(required(labelJson, "embedding_dim", lp + "."), lp + ".embedding_dim"));

        JsonObject mc = object(required(top, "model_config", ""), "model_config");
        known(mc, "model_config.", MODEL_FIELDS);
        boolean cnn = false;
        boolean recurrent = false;
        for (FeatureGroup g : groups) {
            cnn |= g.encoderType() == EncoderType.CNN;
            recurrent |= g.encoderType() == EncoderType.LSTM || g.encoderType() == EncoderType.GRU;
        }
        List<Integer> hidden = mc.has("hidden_layer_dims") ? intList(mc.get("hidden_layer_dims"), "model_config.hidden_layer_dims") : List.of();
        List<Integer> ratios = List.of();
        int kernel = 0;
        if (cnn) {
            ratios = intList(required(mc, "conv_num_filter_ratios", "model_config.", "a CNN group needs it"), "model_config.conv_num_filter_ratios");
            kernel = intValue(required(mc, "conv_kernel_size", "model_config.", "a CNN group needs it"), "model_config.conv_kernel_size");
        } else {
            if (mc.has("conv_num_filter_ratios")) intList(mc.get("conv_num_filter_ratios"), "model_config.conv_num_filter_ratios");
            if (mc.has("conv_kernel_size")) intValue(mc.get("conv_kernel_size"), "model_config.conv_kernel_size");
        }
        int units = 0;
        if (recurrent) {
            units = intValue(required(mc, "lstm_num_units", "model_config.", "an LSTM or GRU group needs it"), "model_config.lstm_num_units");
        } else if (mc.has("lstm_num_units")) {
            intValue(mc.get("lstm_num_units"), "model_config.lstm_num_units");
        }
        int predictions = intValue(required(mc, "num_predictions", "model_config."), "model_config.num_predictions");
        if (mc.has("eval_top_k")) intList(mc.get("eval_top_k"), "model_config.eval_top_k");
        GruForm form = mc.has("gru_form") ? enumValue(mc.get("gru_form"), "model_config.gru_form", GruForm.class) : GruForm.WHILE;
        DualEncoderConfig config = new DualEncoderConfig(new InputConfig(groups, label),
                new ModelConfig(hidden, ratios, kernel, units, predictions, form), seed);
        config.validate();
        return config;
    }

    /** The semantic checks (sizes, names, lengths); throws {@link ModelConfigException} naming the field. */
    public DualEncoderConfig validate() {
        if (inputConfig == null) throw new ModelConfigException("input_config", "missing");
        if (modelConfig == null) throw new ModelConfigException("model_config", "missing");
        List<FeatureGroup> groups = inputConfig.activityFeatureGroups();
        if (groups.isEmpty()) throw new ModelConfigException("input_config.activity_feature_groups", "needs at least one group");
        LabelFeature label = inputConfig.labelFeature();
        if (label == null) throw new ModelConfigException("input_config.label_feature", "missing");
        String lp = "input_config.label_feature";
        name(label.featureName(), lp + ".feature_name");
        positive(label.vocabSize(), lp + ".vocab_size");
        positive(label.embeddingDim(), lp + ".embedding_dim");
        tensorSize((long) label.vocabSize() * label.embeddingDim(), lp + ".vocab_size",
                "vocab_size x embedding_dim (the label table)");
        int d = label.embeddingDim();
        ModelConfig mc = modelConfig;
        Map<String, String> names = new HashMap<>();
        long total = (long) label.vocabSize() * d;
        int concatenated = 0;
        for (int gi = 0; gi < groups.size(); gi++) {
            String gp = "input_config.activity_feature_groups[" + gi + "]";
            FeatureGroup g = groups.get(gi);
            if (g.encoderType() == null) throw new ModelConfigException(gp + ".encoder_type", "missing");
            if (g.features().isEmpty()) throw new ModelConfigException(gp + ".features", "needs at least one feature");
            boolean hasInt = false;
            for (int fi = 0; fi < g.features().size(); fi++) {
                String fp = gp + ".features[" + fi + "]";
                Feature f = g.features().get(fi);
                name(f.featureName(), fp + ".feature_name");
                String before = names.put(f.featureName(), fp);
                if (before != null) {
                    throw new ModelConfigException(fp + ".feature_name", "'" + f.featureName() + "' is also the name of " + before
                            + " (each feature is one model input, named by its feature name)");
                }
                if (f.featureType() == null) throw new ModelConfigException(fp + ".feature_type", "missing");
                positive(f.featureLength(), fp + ".feature_length");
                if (f.featureLength() > 1 << 16) {
                    throw new ModelConfigException(fp + ".feature_length", "must be at most 65536, got " + f.featureLength());
                }
                if (fi > 0 && f.featureLength() != g.length()) {
                    throw new ModelConfigException(fp + ".feature_length", "must equal the group's first feature's ("
                            + g.length() + "): a group's features are concatenated per time step; got " + f.featureLength());
                }
                if (f.featureType() == FeatureType.INT) {
                    hasInt = true;
                    positive(f.vocabSize(), fp + ".vocab_size");
                    positive(f.embeddingDim(), fp + ".embedding_dim");
                    long table = (long) f.vocabSize() * f.embeddingDim();
                    tensorSize(table, fp + ".vocab_size", "vocab_size x embedding_dim (the embedding table)");
                    total += table;
                }
            }
            if (!hasInt) {
                throw new ModelConfigException(gp + ".features", "needs at least one INT feature (its ids, 0 = padding, mask the group)");
            }
            int c = g.channels();
            int out;
            switch (g.encoderType()) {
                case BOW:
                    out = c;
                    break;
                case CNN: {
                    int k = mc.convKernelSize();
                    positive(k, "model_config.conv_kernel_size");
                    if (mc.convNumFilterRatios().isEmpty()) {
                        throw new ModelConfigException("model_config.conv_num_filter_ratios", "a CNN group needs at least one ratio");
                    }
                    int in = c;
                    for (int j = 0; j < mc.convNumFilterRatios().size(); j++) {
                        String rp = "model_config.conv_num_filter_ratios[" + j + "]";
                        int ratio = mc.convNumFilterRatios().get(j);
                        positive(ratio, rp);
                        long filters = (long) d * ratio;
                        if (filters > 1 << 20) throw new ModelConfigException(rp, "label embedding_dim x ratio = " + filters + " filters is too many");
                        long kernel = filters * k * in;
                        tensorSize(kernel, rp, "filters x conv_kernel_size x input channels");
                        total += kernel;
                        in = (int) filters;
                    }
                    out = in;
                    break;
                }
                case LSTM:
                case GRU: {
                    int u = mc.lstmNumUnits();
                    positive(u, "model_config.lstm_num_units");
                    if (u > 4096) throw new ModelConfigException("model_config.lstm_num_units", "must be at most 4096, got " + u);
                    total += 4L * u * (c + u);
                    if (g.encoderType() == EncoderType.GRU && mc.gruForm() == null) {
                        throw new ModelConfigException("model_config.gru_form", "missing (WHILE or UNROLLED)");
                    }
                    out = u;
                    break;
                }
                default:
                    throw new AssertionError(g.encoderType());
            }
            concatenated += out;
        }
        int in = concatenated;
        for (int i = 0; i < mc.hiddenLayerDims().size(); i++) {
            String hp = "model_config.hidden_layer_dims[" + i + "]";
            int units = mc.hiddenLayerDims().get(i);
            positive(units, hp);
            tensorSize((long) units * in, hp, "units x inputs of the layer");
            total += (long) units * in;
            in = units;
        }
        total += (long) d * in;
        positive(mc.numPredictions(), "model_config.num_predictions");
        if (mc.numPredictions() > label.vocabSize()) {
            throw new ModelConfigException("model_config.num_predictions", "must be at most the label vocab_size ("
                    + label.vocabSize() + "), got " + mc.numPredictions());
        }
        if (total > MAX_TOTAL_ELEMENTS) {
            throw new ModelConfigException("(config)", "the model would hold " + total + " weights; tfl4j writes at most "
                    + MAX_TOTAL_ELEMENTS + " (a .tflite file stays below 2 GiB)");
        }
        return this;
    }

    /** Every feature across the groups, sorted by feature name: the order of the model's inputs. */
    public List<Feature> featuresByName() {
        List<Feature> all = new ArrayList<>();
        for (FeatureGroup g : inputConfig.activityFeatureGroups()) all.addAll(g.features());
        all.sort(java.util.Comparator.comparing(Feature::featureName));
        return all;
    }

    // ---- JSON helpers: each names the path it checks ----

    private static void known(JsonObject o, String prefix, Set<String> fields) {
        for (String key : o.keySet()) {
            if (!fields.contains(key)) {
                throw new ModelConfigException(prefix + key, "unknown field (known here: " + String.join(", ", new java.util.TreeSet<>(fields)) + ")");
            }
        }
    }

    private static JsonElement required(JsonObject o, String field, String prefix) {
        return required(o, field, prefix, null);
    }

    private static JsonElement required(JsonObject o, String field, String prefix, String why) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            throw new ModelConfigException(prefix + field, "missing" + (why == null ? "" : " (" + why + ")"));
        }
        return e;
    }

    private static JsonObject object(JsonElement e, String path) {
        if (!e.isJsonObject()) throw new ModelConfigException(path, "must be a JSON object, got " + describe(e));
        return e.getAsJsonObject();
    }

    private static JsonArray array(JsonElement e, String path) {
        if (!e.isJsonArray()) throw new ModelConfigException(path, "must be a JSON array, got " + describe(e));
        return e.getAsJsonArray();
    }

    private static String string(JsonElement e, String path) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new ModelConfigException(path, "must be a string, got " + describe(e));
        }
        return e.getAsString();
    }

    private static BigDecimal integral(JsonElement e, String path) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new ModelConfigException(path, "must be an integer, got " + describe(e));
        }
        BigDecimal v;
        try {
            v = new BigDecimal(e.getAsJsonPrimitive().getAsString());
        } catch (NumberFormatException bad) {
            throw new ModelConfigException(path, "must be an integer, got " + e);
        }
        if (v.stripTrailingZeros().scale() > 0) throw new ModelConfigException(path, "must be an integer, got " + e);
        return v;
    }

    private static int intValue(JsonElement e, String path) {
        BigDecimal v = integral(e, path);
        if (v.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0 || v.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) < 0) {
            throw new ModelConfigException(path, "out of range, got " + e);
        }
        return v.intValueExact();
    }

    private static long longValue(JsonElement e, String path) {
        BigDecimal v = integral(e, path);
        if (v.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 || v.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0) {
            throw new ModelConfigException(path, "out of range, got " + e);
        }
        return v.longValueExact();
    }

    private static List<Integer> intList(JsonElement e, String path) {
        JsonArray a = array(e, path);
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) values.add(intValue(a.get(i), path + "[" + i + "]"));
        return values;
    }

    private static <E extends Enum<E>> E enumValue(JsonElement e, String path, Class<E> type) {
        String text = string(e, path);
        for (E v : type.getEnumConstants()) if (v.name().equals(text)) return v;
        List<String> allowed = new ArrayList<>();
        for (E v : type.getEnumConstants()) allowed.add(v.name());
        throw new ModelConfigException(path, "must be one of " + String.join(", ", allowed) + ", got \"" + text + "\"");
    }

    private static void positive(int v, String path) {
        if (v <= 0) throw new ModelConfigException(path, "must be > 0, got " + v);
    }

    private static void name(String name, String path) {
        if (name == null) throw new ModelConfigException(path, "missing");
        if (!NAME.matcher(name).matches()) {
            throw new ModelConfigException(path, "must be 1 to 128 of A-Z a-z 0-9 _ . - (it names a model input and"
                    + " weight files), got \"" + name + "\"");
        }
    }

    private static void tensorSize(long elements, String path, String what) {
        if (elements > MAX_TENSOR_ELEMENTS) {
            throw new ModelConfigException(path, what + " = " + elements + " elements, more than tfl4j writes in one tensor ("
                    + MAX_TENSOR_ELEMENTS + ")");
        }
    }

    private static String describe(JsonElement e) {
        if (e.isJsonNull()) return "null";
        if (e.isJsonObject()) return "an object";
        if (e.isJsonArray()) return "an array";
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isString()) return "the string \"" + p.getAsString() + "\"";
        return p.toString();
    }
}
