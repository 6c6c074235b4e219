package org.tfl4j.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tfl4j.engine.Interpreter;
import org.tfl4j.models.DualEncoderBuilder;
import org.tfl4j.models.DualEncoderConfig;
import org.tfl4j.models.DualEncoderConfig.Feature;
import org.tfl4j.models.DualEncoderConfig.FeatureGroup;
import org.tfl4j.models.DualEncoderConfig.FeatureType;
import org.tfl4j.parser.TensorType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dual encoders written by {@code tfl4j build-model} ({@link DualEncoderBuilder}), each loaded in the official TFLite
 * 2.21 runtime (builtin kernels, 1 thread) and in tfl4j and run over seeded fixture inputs, every output compared bit
 * for bit (ids identical in order, scores identical bits). One report row per configuration ("built: NAME").
 *
 * <p>Configurations: every encoder (BOW, CNN, LSTM, GRU written WHILE and UNROLLED) x four input shapes:
 * <ul>
 *   <li>{@code ids}: one group, one INT feature (the published models' shape);</li>
 *   <li>{@code categorical}: one group of two INT features (item ids and a small categorical vocabulary, their
 *       embeddings concatenated, masks multiplied);</li>
 *   <li>{@code float}: one group of item ids and a FLOAT feature (one extra channel);</li>
 *   <li>{@code multi}: three groups of different lengths (the encoder over ids + categorical + FLOAT; another encoder
 *       over a categorical and a FLOAT feature; the encoder again over short ids), concatenated;</li>
 * </ul>
 * plus every example config in {@code models/configs}. Sizes vary (vocabularies off powers of two, CNN kernels 3 and
 * 4, recurrent units 10 and 16, no hidden layer in one).
 *
 * <p>Fixtures per configuration ({@link #fixtures}, seeded by the configuration's name, 60 cases): all padding
 * (with and without values in the FLOAT features there, which the mask must cancel), full histories, histories
 * padded at the end (every length), padding in the middle and at the start, one or two ids repeated, the largest
 * and smallest ids, and the features of a group padded at different positions (so one feature's mask zeroes
 * another's embedding).
 */
class BuiltModelsConformanceTest {

    private static final String[] ENCODERS = {"BOW", "CNN", "LSTM", "GRU_WHILE", "GRU_UNROLLED"};
    private static final String[] SHAPES = {"ids", "categorical", "float", "multi"};
    private static final int CASES = 60;

    /** A configuration to build: its name and JSON. */
    record Built(String name, String json) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Built> configurations() {
        List<Built> all = new ArrayList<>();
        for (String encoder : ENCODERS) {
            for (String shape : SHAPES) all.add(new Built(encoder.toLowerCase(Locale.ROOT) + "_" + shape, json(encoder, shape)));
        }
        for (Path file : exampleConfigs()) {
            try {
                all.add(new Built("models/configs/" + file.getFileName(), Files.readString(file)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void builtModelRunsBitIdenticallyInTfliteAndTfl4j(Built built) {
        ReferenceAssumptions.assumeAvailable();
        DualEncoderConfig config = DualEncoderConfig.parse(built.json());
        byte[] model = DualEncoderBuilder.build(config);
        List<Feature> features = config.featuresByName();
        Comparison c = new Comparison("built: " + built.name(), "model", OpConformance.BUILTIN_1_THREAD, 0);
        try (TfliteReference reference = TfliteReference.open(built.name(), model, 1, false);
             Interpreter tfl4j = new Interpreter(ByteBuffer.wrap(model), new Interpreter.Options())) {
            // The file loads in TFLite with the interface the config promises: one input per feature, sorted by name.
            assertEquals(features.size(), reference.inputCount(), built.name() + ": inputs");
            for (int k = 0; k < features.size(); k++) {
                Feature f = features.get(k);
                assertEquals("serving_default_" + f.featureName() + ":0", reference.inputName(k), built.name() + ": input " + k);
                assertEquals(f.featureType() == FeatureType.INT ? TensorType.INT32 : TensorType.FLOAT32, reference.inputType(k));
                assertArrayEquals(new int[] {f.featureLength()}, reference.inputShape(k), built.name() + ": input " + k + " shape");
            }
            int k = config.modelConfig().numPredictions();
            assertEquals(2, reference.outputCount());
            assertEquals(TensorType.FLOAT32, reference.outputType(0), "output 0 = scores");
            assertEquals(TensorType.INT32, reference.outputType(1), "output 1 = ids");
            assertArrayEquals(new int[] {k}, reference.outputShape(0));
            assertArrayEquals(new int[] {k}, reference.outputShape(1));

            Map<String, Object[]> cases = fixtures(config, built.name());
            java.util.Set<List<Integer>> rankings = new java.util.HashSet<>();
            java.util.Set<Float> scores = new java.util.HashSet<>();
            for (Map.Entry<String, Object[]> e : cases.entrySet()) {
                Object[] inputs = e.getValue();
                Object[] expected = reference.run(inputs);
                c.addCase(e.getKey(), Comparison.describeInputs(inputs), expected, Tfl4jRunner.run(tfl4j, inputs));
                rankings.add(Arrays.stream((int[]) expected[1]).boxed().toList());
                for (float score : (float[]) expected[0]) scores.add(score);
            }
            // The weights keep the model alive: histories rank different items (a dead ReLU layer would give every
            // history the same ranking and make the comparison weak).
            ConformanceReport.global().record(c);
            System.out.println(c.line() + "; distinct rankings " + rankings.size() + ", distinct scores " + scores.size());
            assertTrue(rankings.size() >= CASES / 2, built.name() + ": only " + rankings.size() + " distinct rankings over "
                    + CASES + " cases");
        }
        assertEquals(CASES, c.cases(), built.name() + ": cases run");
        assertTrue(c.conformant(), () -> c.describeFailures(25));
    }

    /** The fixtures are what they claim: padding where asked, ids inside every table, 60 distinct cases. */
    @Test
    void fixturesCoverPaddingRepeatsAndExtremes() {
        DualEncoderConfig config = DualEncoderConfig.parse(json("CNN", "multi"));
        Map<String, Object[]> cases = fixtures(config, "check");
        assertEquals(CASES, cases.size());
        List<Feature> features = config.featuresByName();
        boolean allPadding = false;
        boolean repeated = false;
        boolean largest = false;
        for (Map.Entry<String, Object[]> e : cases.entrySet()) {
            boolean anyId = false;
            for (int i = 0; i < features.size(); i++) {
                Feature f = features.get(i);
                if (f.featureType() != FeatureType.INT) continue;
                int[] ids = (int[]) e.getValue()[i];
                assertEquals(f.featureLength(), ids.length);
                for (int id : ids) {
                    assertTrue(id >= 0 && id < f.vocabSize(), e.getKey() + ": id " + id + " outside " + f.featureName());
                    anyId |= id != 0;
                    largest |= id == f.vocabSize() - 1;
                }
                if (e.getKey().startsWith("repeated")) {
                    repeated |= Arrays.stream(ids).filter(id -> id != 0).distinct().count() <= 2 && Arrays.stream(ids).filter(id -> id != 0).count() > 2;
                }
            }
            allPadding |= !anyId;
        }
        assertTrue(allPadding && repeated && largest, "all padding " + allPadding + ", repeated " + repeated + ", largest " + largest);
    }

    // ---- configurations ----

    private static String feature(String name, String type, int vocab, int dim, int length) {
        if (type.equals("FLOAT")) {
            return String.format(Locale.ROOT, "{\"feature_name\": \"%s\", \"feature_type\": \"FLOAT\", \"feature_length\": %d}", name, length);
        }
        return String.format(Locale.ROOT, "{\"feature_name\": \"%s\", \"feature_type\": \"INT\", \"vocab_size\": %d, \"embedding_dim\": %d,"
                + " \"feature_length\": %d}", name, vocab, dim, length);
    }

    private static String group(String encoder, String... features) {
        return "{\"features\": [" + String.join(", ", features) + "], \"encoder_type\": \"" + encoder + "\"}";
    }

    /** The JSON of one generated configuration (encoder as in {@link #ENCODERS}, shape as in {@link #SHAPES}). */
    static String json(String encoderName, String shape) {
        String encoder = encoderName.startsWith("GRU") ? "GRU" : encoderName;
        String gruForm = encoderName.equals("GRU_UNROLLED") ? "UNROLLED" : "WHILE";
        String other = encoder.equals("BOW") ? "CNN" : "BOW";
        List<String> groups = new ArrayList<>();
        int labelVocab = 1201;
        int labelDim = 12;
        int k = 40;
        String hidden = "[24, 16]";
        int kernel = 3;
        String ratios = "[2, 1]";
        int units = 10;
        switch (shape) {
            case "ids":
                // The published models' sizes.
                groups.add(group(encoder, feature("context_movie_id", "INT", 3953, 16, 10)));
                labelVocab = 3953;
                labelDim = 16;
                k = 100;
                hidden = "[16, 16]";
                kernel = 4;
                ratios = "[2, 4]";
                units = 16;
                break;
            case "categorical":
                groups.add(group(encoder, feature("item_id", "INT", 1201, 16, 10), feature("item_genre", "INT", 19, 4, 10)));
                hidden = "[]";
                break;
            case "float":
                groups.add(group(encoder, feature("item_id", "INT", 1201, 12, 10), feature("item_rating", "FLOAT", 0, 0, 10)));
                break;
            case "multi":
                groups.add(group(encoder, feature("item_id", "INT", 1201, 12, 10), feature("item_rating", "FLOAT", 0, 0, 10),
                        feature("item_genre", "INT", 19, 4, 10)));
                groups.add(group(other, feature("recent_genre", "INT", 23, 6, 24), feature("recent_weight", "FLOAT", 0, 0, 24)));
                groups.add(group(encoder, feature("session_item", "INT", 1201, 8, 5)));
                break;
            default:
                throw new IllegalArgumentException(shape);
        }
        return String.format(Locale.ROOT, "{\"input_config\": {\"activity_feature_groups\": [%s],"
                        + " \"label_feature\": {\"feature_name\": \"label_item\", \"feature_type\": \"INT\", \"vocab_size\": %d, \"embedding_dim\": %d}},"
                        + " \"model_config\": {\"hidden_layer_dims\": %s, \"conv_num_filter_ratios\": %s, \"conv_kernel_size\": %d,"
                        + " \"lstm_num_units\": %d, \"num_predictions\": %d, \"gru_form\": \"%s\"}, \"seed\": %d}",
                String.join(", ", groups), labelVocab, labelDim, hidden, ratios, kernel, units, k, gruForm,
                (encoderName + shape).hashCode());
    }

    private static List<Path> exampleConfigs() {
        Path dir = Path.of("").toAbsolutePath().resolveSibling("models").resolve("configs");
        assertTrue(Files.isDirectory(dir), "no example configs at " + dir);
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> configs = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            assertTrue(!configs.isEmpty(), "no example configs in " + dir);
            return configs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- fixtures ----

    /**
     * {@link #CASES} inputs (in model input order, i.e. by feature name), keyed by a description. Within a group the
     * features share one padding pattern unless the family says otherwise.
     */
    static Map<String, Object[]> fixtures(DualEncoderConfig config, String seedName) {
        Random random = new Random(seedName.hashCode());
        List<FeatureGroup> groups = config.inputConfig().activityFeatureGroups();
        List<Feature> byName = config.featuresByName();
        Map<String, Object[]> cases = new LinkedHashMap<>();
        for (int n = 0; cases.size() < CASES; n++) {
            String family = FAMILIES[n % FAMILIES.length];
            Map<String, Object> values = new LinkedHashMap<>();
            for (FeatureGroup g : groups) {
                int length = g.length();
                boolean[] valid = pattern(family, length, n / FAMILIES.length, random);
                for (Feature f : g.features()) {
                    boolean[] own = family.equals("masks differ") ? pattern("gaps", length, 0, random) : valid;
                    values.put(f.featureName(), f.featureType() == FeatureType.INT
                            ? ids(family, own, f.vocabSize(), random) : floats(family, own, random));
                }
            }
            Object[] inputs = new Object[byName.size()];
            for (int i = 0; i < inputs.length; i++) inputs[i] = values.get(byName.get(i).featureName());
            cases.put(family + " #" + n, inputs);
        }
        return cases;
    }

    private static final String[] FAMILIES = {"all padding", "full", "padded at the end", "gaps", "leading padding",
            "repeated", "largest and smallest ids", "masks differ", "all padding, values under the mask", "padded at the end"};

    private static boolean[] pattern(String family, int length, int round, Random random) {
        boolean[] valid = new boolean[length];
        switch (family) {
            case "all padding":
            case "all padding, values under the mask":
                break;
            case "full":
            case "largest and smallest ids":
                Arrays.fill(valid, true);
                break;
            case "padded at the end": {
                int n = 1 + (round * 3 + random.nextInt(2)) % Math.max(1, length - 1);
                Arrays.fill(valid, 0, Math.min(n, length), true);
                break;
            }
            case "leading padding": {
                int start = 1 + random.nextInt(Math.max(1, length - 1));
                Arrays.fill(valid, Math.min(start, length - 1), length, true);
                break;
            }
            case "repeated": {
                int n = Math.min(length, 2 + random.nextInt(Math.max(1, length - 1)));
                Arrays.fill(valid, 0, n, true);
                break;
            }
            default: // gaps, masks differ
                for (int i = 0; i < length; i++) valid[i] = random.nextInt(10) < 6;
        }
        return valid;
    }

    private static int[] ids(String family, boolean[] valid, int vocab, Random random) {
        int[] ids = new int[valid.length];
        int a = 1 + random.nextInt(vocab - 1);
        int b = 1 + random.nextInt(vocab - 1);
        for (int i = 0; i < ids.length; i++) {
            if (!valid[i]) continue;
            switch (family) {
                case "repeated": ids[i] = random.nextInt(3) == 0 ? b : a; break;
                case "largest and smallest ids": ids[i] = i % 3 == 2 ? 1 : vocab - 1; break;
                default: ids[i] = 1 + random.nextInt(vocab - 1);
            }
        }
        return ids;
    }

    private static float[] floats(String family, boolean[] valid, Random random) {
        float[] v = new float[valid.length];
        boolean underMask = family.equals("all padding, values under the mask") || family.equals("gaps");
        for (int i = 0; i < v.length; i++) {
            if (valid[i] || underMask) v[i] = (random.nextFloat() * 4f) - 2f;
        }
        return v;
    }
}
