package org.tfl4j.recommend;

import org.tfl4j.recommend.RecommenderConfig.Feature;

import java.util.Arrays;

/**
 * Builds the model inputs from a history as the app's {@code RecommendationClient.preprocess} does,
 * into arrays it owns and reuses (see {@link Recommender} for the rules).
 */
final class InputBuilder {
    private final RecommenderConfig config;
    private final Feature[] features;      // by model input index
    private final int[][] inputs;          // by model input index: [inputLength]
    private final int[][] genreIdsByMovie; // [maxId + 1][genres of that movie]; null rows where no movie

    /** @param genres the genre list; null when the config has no genre feature */
    InputBuilder(RecommenderConfig config, MovieVocabulary movies, GenreVocabulary genres) {
        this.config = config;
        this.features = config.inputs().toArray(new Feature[0]);
        this.inputs = new int[features.length][];
        for (int k = 0; k < features.length; k++) inputs[k] = new int[features[k].inputLength()];
        this.genreIdsByMovie = new int[movies.maxId() + 1][];
        if (config.usesGenres()) {
            for (MovieVocabulary.Movie m : movies.movies()) {
                int[] ids = new int[m.genres().size()];
                for (int g = 0; g < ids.length; g++) {
                    int id = genres.id(m.genres().get(g));
                    ids[g] = id < 0 ? config.unknownGenre() : id;
                }
                genreIdsByMovie[m.id()] = ids;
            }
        }
    }

    /**
     * Fills the inputs from a history of ids, every one of which is a movie of the vocabulary.
     *
     * @return the inputs, by model input index (the builder's own arrays, overwritten by the next call)
     */
    int[][] fill(int[] history) {
        for (int k = 0; k < features.length; k++) {
            int[] in = inputs[k];
            if (features[k].name().equals(RecommenderConfig.MOVIE_FEATURE)) {
                // The first inputLength movies, oldest first; padding at the end.
                Arrays.fill(in, config.pad());
                System.arraycopy(history, 0, in, 0, Math.min(in.length, history.length));
            } else {
                // Genres of every movie of the history (not only the first inputLength), until full.
                Arrays.fill(in, config.unknownGenre());
                int i = 0;
                fill:
                for (int movie : history) {
                    for (int genre : genreIdsByMovie[movie]) {
                        if (i == in.length) break fill;
                        in[i++] = genre;
                    }
                }
            }
        }
        return inputs;
    }
}
