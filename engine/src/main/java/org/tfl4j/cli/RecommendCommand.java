package org.tfl4j.cli;

import org.tfl4j.engine.Model;
import org.tfl4j.recommend.GenreVocabulary;
import org.tfl4j.recommend.MovieVocabulary;
import org.tfl4j.recommend.Recommendation;
import org.tfl4j.recommend.Recommender;
import org.tfl4j.recommend.RecommenderConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code tfl4j recommend TITLE_OR_ID... [--model NAME] [--top N]}. */
final class RecommendCommand {
    static final Set<String> OPTIONS = Set.of("--model", "--top", "--models");
    static final String DEFAULT_MODEL = "cnn-genre";

    static final String USAGE = String.join("\n",
            "Usage: tfl4j recommend TITLE_OR_ID... [--model bow|cnn|rnn|cnn-genre] [--top N] [--models DIR]",
            "",
            "Recommends movies for a viewing history, oldest first, as the TensorFlow Lite Android",
            "recommendation example does (its first 10 movies are the model's input).",
            "",
            "  TITLE_OR_ID   a MovieLens movie id, or a title: an exact title (\"Toy Story\", \"Toy Story (1995)\",",
            "                \"The Lion King\") or a unique part of one (\"Lion King\"), case-insensitive",
            "  --model NAME  bow, cnn, rnn or cnn-genre (default " + DEFAULT_MODEL + ")",
            "  --top N       how many recommendations (default: the config's topK, 10)",
            "  --models DIR  folder with the model files (then $TFL4J_MODELS, then ~/.cache/tfl4j/models)",
            "",
            "Prints one line per recommendation: rank, title, id, score.");

    private RecommendCommand() {}

    static int run(Args args, ModelStore store, PrintStream out) throws IOException {
        if (args.positional.isEmpty()) {
            throw new UsageException("recommend needs at least one movie title or id; see 'tfl4j recommend --help'");
        }
        String name = args.value("--model") == null ? DEFAULT_MODEL : args.value("--model");
        ModelStore.Known known = ModelStore.Known.byShortName(name.toLowerCase(Locale.ROOT));
        if (known == null) {
            throw new UsageException("unknown --model '" + name + "' (choose one of " + ModelStore.Known.shortNames() + ")");
        }
        int top = args.positiveInt("--top", -1);

        RecommenderConfig config = known.configFile == null ? null : RecommenderConfig.load(store.find(known.configFile));
        String movieList = config == null ? RecommenderConfig.DEFAULT_MOVIE_LIST : config.movieList();
        MovieVocabulary movies = MovieVocabulary.load(store.find(movieList));
        // Titles first: a typo should fail before the model is loaded.
        int[] history = new TitleResolver(movies).resolveAll(args.positional);

        // The short name fixes the model file (a config's own "model" field names the same file).
        Path modelFile = store.find(known.modelFile);
        Model model = Model.load(modelFile);
        if (config == null) config = RecommenderConfig.fromModel(model, known.modelFile);
        GenreVocabulary genres = config.usesGenres() ? GenreVocabulary.load(store.find(config.genreList())) : null;
        List<Recommendation> recs;
        try (Recommender recommender = new Recommender(model, config, movies, genres)) {
            recs = recommender.recommend(history, top > 0 ? top : config.topK());
        }
        int width = 0;
        for (Recommendation r : recs) width = Math.max(width, r.title().length());
        int rankWidth = String.valueOf(recs.size()).length();
        for (int i = 0; i < recs.size(); i++) {
            Recommendation r = recs.get(i);
            out.printf(Locale.ROOT, "%" + rankWidth + "d. %-" + width + "s  id %4d  score %.6f%n", i + 1, r.title(), r.id(), r.score());
        }
        return 0;
    }
}
