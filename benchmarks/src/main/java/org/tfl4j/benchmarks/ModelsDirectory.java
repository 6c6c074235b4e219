package org.tfl4j.benchmarks;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the folder with the MovieLens models: system property {@code tfl4j.models}, else environment variable
 * {@code TFL4J_MODELS}, else {@code shared/models/movielens} beside the checkout, looked for upwards from the
 * working directory and from the benchmarks jar (JMH forks may start anywhere).
 */
public final class ModelsDirectory {

    private static final String MARKER = "sorted_movie_vocab.json";

    private ModelsDirectory() {
    }

    public static Path find() {
        List<Path> tried = new ArrayList<>();
        String property = System.getProperty("tfl4j.models");
        if (property != null && !property.isBlank()) return require(Path.of(property), "system property tfl4j.models");
        String env = System.getenv("TFL4J_MODELS");
        if (env != null && !env.isBlank()) return require(Path.of(env), "environment variable TFL4J_MODELS");
        for (Path start : starts()) {
            for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
                for (Path candidate : List.of(dir.resolve("shared/models/movielens"), dir.resolve("../shared/models/movielens"))) {
                    Path c = candidate.normalize();
                    if (Files.isRegularFile(c.resolve(MARKER))) return c;
                    tried.add(c);
                }
            }
        }
        throw new IllegalStateException("MovieLens models not found: set -Dtfl4j.models=DIR or TFL4J_MODELS=DIR (the folder with "
                + MARKER + " and the .tflite files); looked in " + tried.subList(0, Math.min(4, tried.size())) + " and upwards");
    }

    private static List<Path> starts() {
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of(""));
        try {
            Path code = Path.of(ModelsDirectory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            starts.add(code);
        } catch (URISyntaxException | RuntimeException e) {
            // no code location (unusual class loader): the working directory alone is searched
        }
        return starts;
    }

    private static Path require(Path dir, String source) {
        if (!Files.isRegularFile(dir.resolve(MARKER))) {
            throw new IllegalStateException(source + " names " + dir.toAbsolutePath() + ", which has no " + MARKER);
        }
        return dir;
    }
}
