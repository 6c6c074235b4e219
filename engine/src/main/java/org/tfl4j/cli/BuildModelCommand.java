package org.tfl4j.cli;

import org.tfl4j.models.DualEncoderBuilder;
import org.tfl4j.models.DualEncoderConfig;
import org.tfl4j.models.WeightSource;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * {@code tfl4j build-model --config CONFIG.json --out MODEL.tflite [--weights DIR]}: writes a dual-encoder
 * recommendation model ({@link DualEncoderBuilder}) with the op lowering TFLite's converter gives the published models.
 * A bad config or weight file is bad input (exit 2) with one line naming the JSON field or the file.
 */
final class BuildModelCommand {
    /** {@code --models} is accepted as by every command, and unused: a config names no model file. */
    static final Set<String> OPTIONS = Set.of("--config", "--out", "--weights", "--models");
    static final Set<String> FLAGS = Set.of("--list-weights");

    static final String USAGE = String.join("\n",
            "Usage: tfl4j build-model --config CONFIG.json --out MODEL.tflite [--weights DIR]",
            "       tfl4j build-model --config CONFIG.json --list-weights",
            "",
            "Writes a dual-encoder recommendation model (BOW, CNN, LSTM or GRU feature groups over ids and",
            "FLOAT features) as a .tflite file, lowered to ops as TFLite's converter lowers the published",
            "MovieLens models. CONFIG.json uses the field names of the TFLite recommendation example's",
            "InputConfig and ModelConfig (see models/README.md):",
            "",
            "  {\"input_config\": {\"activity_feature_groups\": [{\"features\": [{\"feature_name\": \"context_movie_id\",",
            "     \"feature_type\": \"INT\", \"vocab_size\": 3953, \"embedding_dim\": 16, \"feature_length\": 10}],",
            "     \"encoder_type\": \"BOW\"}],",
            "   \"label_feature\": {\"feature_name\": \"label_movie_id\", \"feature_type\": \"INT\", \"vocab_size\": 3953,",
            "     \"embedding_dim\": 16}},",
            "   \"model_config\": {\"hidden_layer_dims\": [16], \"num_predictions\": 100}, \"seed\": 1}",
            "",
            "  --config FILE    the model's configuration (JSON)",
            "  --out FILE       the .tflite file to write (its folder must exist)",
            "  --weights DIR    read every weight from DIR/<tensor name>.npy (float32, the tensor's shape);",
            "                   without it weights come from the seeded initializer (\"seed\" in the config)",
            "  --list-weights   print the weight tensors (name, shape) the config needs, write nothing",
            "",
            "The model's inputs are one 1-D tensor per feature, serving_default_<feature_name>:0, sorted by",
            "feature name; outputs 0 = scores float32[num_predictions], 1 = ids int32[num_predictions].");

    private BuildModelCommand() {}

    static int run(Args args, PrintStream out) throws IOException {
        if (!args.positional.isEmpty()) {
            throw new UsageException("build-model takes no positional arguments, got '" + args.positional.get(0)
                    + "'; see 'tfl4j build-model --help'");
        }
        String configFile = args.value("--config");
        if (configFile == null) throw new UsageException("build-model needs --config CONFIG.json; see 'tfl4j build-model --help'");
        Path configPath = Path.of(configFile);
        if (Files.isDirectory(configPath)) throw new UsageException(configFile + " is a directory, not a config file");
        DualEncoderConfig config = DualEncoderConfig.read(configPath);
        if (args.has("--list-weights")) {
            if (args.has("--out") || args.has("--weights")) throw new UsageException("--list-weights writes nothing; drop --out and --weights");
            for (WeightSource.Weight w : DualEncoderBuilder.weights(config)) out.println(w);
            return Main.OK;
        }
        String outFile = args.value("--out");
        if (outFile == null) throw new UsageException("build-model needs --out MODEL.tflite; see 'tfl4j build-model --help'");
        WeightSource weights;
        String weightsDir = args.value("--weights");
        if (weightsDir == null) {
            weights = WeightSource.seeded(config.seed());
        } else {
            Path dir = Path.of(weightsDir);
            if (!Files.isDirectory(dir)) throw new UsageException("--weights " + weightsDir + " is not a directory");
            weights = WeightSource.npyFolder(dir);
        }
        byte[] model = DualEncoderBuilder.build(config, weights);
        Path outPath = Path.of(outFile);
        if (Files.isDirectory(outPath)) throw new UsageException("--out " + outFile + " is a directory; name the .tflite file");
        Files.write(outPath, model);
        out.printf(Locale.ROOT, "wrote %s (%,d bytes, weights %s); see it with 'tfl4j inspect %s'%n", outPath, model.length,
                weightsDir == null ? "seeded with " + config.seed() : "read from " + weightsDir, outPath);
        return Main.OK;
    }
}
