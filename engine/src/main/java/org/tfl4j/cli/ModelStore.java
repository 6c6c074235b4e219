package org.tfl4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the CLI finds model, config and vocabulary files: {@code --models DIR}, then
 * {@code $TFL4J_MODELS}, then the per-user cache ({@code $XDG_CACHE_HOME/tfl4j/models}, or
 * {@code ~/.cache/tfl4j/models}). A missing file is an error that lists the folders searched and
 * where to download the file.
 */
final class ModelStore {
    /** The official download location of the TFLite recommendation example's files. */
    static final String DOWNLOAD_BASE = "https://storage.googleapis.com/download.tensorflow.org/models/tflite/recommendation/";

    /** The four published models by short name. */
    enum Known {
        BOW("bow", "model_history10_top100.tflite", null),
        CNN("cnn", "recommendation_cnn_i10o100.tflite", "config_cnn_i10o100.json"),
        RNN("rnn", "recommendation_rnn_i10o100.tflite", "config_rnn_i10o100.json"),
        CNN_GENRE("cnn-genre", "recommendation_cnn_i10i32o100.tflite", "config_cnn_i10i32o100.json");

        final String shortName;
        final String modelFile;
        final String configFile; // null: the contract comes from the graph

        Known(String shortName, String modelFile, String configFile) {
            this.shortName = shortName;
            this.modelFile = modelFile;
            this.configFile = configFile;
        }

        static Known byShortName(String name) {
            for (Known k : values()) if (k.shortName.equals(name)) return k;
            return null;
        }

        static String shortNames() {
            StringBuilder sb = new StringBuilder();
            for (Known k : values()) sb.append(sb.length() == 0 ? "" : ", ").append(k.shortName);
            return sb.toString();
        }
    }

    /** Folder (date) under {@link #DOWNLOAD_BASE} of each published file, per the example's download script. */
    static String downloadUrl(String fileName) {
        String folder;
        switch (fileName) {
            case "model_history10_top100.tflite":
            case "sorted_movie_vocab.json":
                folder = "20200720/";
                break;
            case "recommendation_rnn_i10o100.tflite":
            case "recommendation_cnn_i10o100.tflite":
            case "config_rnn_i10o100.json":
            case "config_cnn_i10o100.json":
                folder = "20200823/";
                break;
            case "recommendation_cnn_i10i32o100.tflite":
            case "config_cnn_i10i32o100.json":
            case "movie_genre_vocab.txt":
                folder = "20210317/";
                break;
            default:
                return null;
        }
        return DOWNLOAD_BASE + folder + fileName;
    }

    /** A folder to search, and why it is searched. */
    record Folder(Path path, String origin) {
        @Override
        public String toString() {
            return path + " (" + origin + (Files.isDirectory(path) ? "" : ", missing") + ")";
        }
    }

    private final List<Folder> folders = new ArrayList<>();

    /**
     * @param modelsOption the {@code --models} value, or null
     * @param env          the environment ({@code TFL4J_MODELS}, {@code XDG_CACHE_HOME}, {@code HOME})
     * @param userHome     the user's home folder (system property user.home)
     */
    ModelStore(String modelsOption, Map<String, String> env, String userHome) {
        if (modelsOption != null) {
            Path p = Path.of(modelsOption);
            if (!Files.isDirectory(p)) throw new UsageException("--models " + modelsOption + ": not a directory");
            folders.add(new Folder(p, "--models"));
        }
        String fromEnv = env.get("TFL4J_MODELS");
        if (fromEnv != null && !fromEnv.isEmpty()) folders.add(new Folder(Path.of(fromEnv), "$TFL4J_MODELS"));
        String xdg = env.get("XDG_CACHE_HOME");
        // The XDG spec says to ignore a relative XDG_CACHE_HOME.
        Path cache = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg, "tfl4j", "models")
                : Path.of(userHome, ".cache", "tfl4j", "models");
        folders.add(new Folder(cache, "per-user cache"));
    }

    List<Folder> folders() {
        return folders;
    }

    /** The first folder's copy of the file. */
    Path find(String fileName) {
        for (Folder f : folders) {
            Path p = f.path().resolve(fileName);
            if (Files.isRegularFile(p)) return p;
        }
        StringBuilder msg = new StringBuilder(fileName).append(" not found in ");
        for (int i = 0; i < folders.size(); i++) msg.append(i == 0 ? "" : ", ").append(folders.get(i));
        String url = downloadUrl(fileName);
        if (url != null) msg.append("; download it from ").append(url).append(" into one of them");
        msg.append(" (or name the folder holding the models with --models DIR or $TFL4J_MODELS)");
        throw new UsageException(msg.toString());
    }

    /**
     * A model argument: a short name ({@code bow}, {@code cnn}, {@code rnn}, {@code cnn-genre}), a path
     * to an existing file, or a bare file name found in the folders.
     */
    Path model(String arg) {
        Known k = Known.byShortName(arg.toLowerCase(Locale.ROOT));
        if (k != null) return find(k.modelFile);
        Path p = Path.of(arg);
        if (Files.isRegularFile(p)) return p;
        if (Files.isDirectory(p)) throw new UsageException("model " + arg + " is a directory, not a .tflite file");
        if (p.getNameCount() == 1 && !arg.contains("/")) {
            for (Folder f : folders) {
                Path q = f.path().resolve(arg);
                if (Files.isRegularFile(q)) return q;
            }
        }
        throw new UsageException("model file not found: " + arg + " (give a .tflite path or one of " + Known.shortNames() + ")");
    }
}
