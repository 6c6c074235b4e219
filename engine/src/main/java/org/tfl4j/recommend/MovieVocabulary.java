package org.tfl4j.recommend;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The movie list of the Android example ({@code sorted_movie_vocab.json}): a JSON array of
 * {@code {"title", "id", "genres": [...], "count"}}, most rated first. A movie's {@code id} is its
 * MovieLens MovieID and the model's item id. Immutable; lookups by id are array reads.
 */
public final class MovieVocabulary {
    /** Largest id accepted, so that the by-id table stays small (MovieLens ids end at 3952). */
    public static final int MAX_ID = 1 << 22;

    /**
     * One movie.
     *
     * @param id     MovieLens MovieID, >= 1
     * @param title  title with the year, e.g. "Toy Story (1995)"
     * @param genres genre names in the file's order (empty when the file lists none)
     * @param count  number of ratings in MovieLens 1M (0 when absent)
     */
    public record Movie(int id, String title, List<String> genres, int count) {
        public Movie {
            genres = List.copyOf(genres);
        }
    }

    private final String source;
    private final List<Movie> movies; // file order
    private final Movie[] byId;        // [maxId + 1], null where no movie has the id
    private final int maxId;

    private MovieVocabulary(String source, List<Movie> movies) {
        this.source = source;
        this.movies = List.copyOf(movies);
        int max = 0;
        for (Movie m : movies) max = Math.max(max, m.id());
        this.maxId = max;
        this.byId = new Movie[max + 1];
        for (int i = 0; i < movies.size(); i++) {
            Movie m = movies.get(i);
            if (byId[m.id()] != null) {
                throw new RecommenderException(source + ": movie [" + i + "] has id " + m.id() + ", like \""
                        + byId[m.id()].title() + "\" before it");
            }
            byId[m.id()] = m;
        }
    }

    /** Reads a {@code sorted_movie_vocab.json} file. */
    public static MovieVocabulary load(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString());
    }

    /**
     * Parses the JSON text of a movie list.
     *
     * @param source the file name, for messages
     * @throws RecommenderException naming the entry and field when one is missing or invalid
     */
    public static MovieVocabulary parse(String json, String source) {
        JsonElement root = JsonFields.parse(json, source);
        if (!root.isJsonArray()) throw new RecommenderException(source + ": a movie list must be a JSON array, got " + JsonFields.show(root));
        JsonArray a = root.getAsJsonArray();
        List<Movie> movies = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            String where = "[" + i + "].";
            try {
                movies.add(movie(a.get(i), where));
            } catch (RecommenderException e) {
                throw new RecommenderException(source + ": " + e.getMessage(), e);
            }
        }
        return new MovieVocabulary(source, movies);
    }

    private static Movie movie(JsonElement e, String where) {
        if (!e.isJsonObject()) throw new RecommenderException("movie " + where.substring(0, where.length() - 1) + " must be an object, got " + JsonFields.show(e));
        JsonObject o = e.getAsJsonObject();
        int id = JsonFields.requiredInt(o, "id", where);
        if (id < 1 || id > MAX_ID) throw new RecommenderException("'" + where + "id' must be in [1, " + MAX_ID + "], got " + id);
        String title = JsonFields.stringField(o, "title", null, where);
        if (title == null) throw new RecommenderException("'" + where + "title' is missing (movie id " + id + ")");
        List<String> genres = new ArrayList<>();
        JsonElement g = o.get("genres");
        if (g != null && !g.isJsonNull()) {
            if (!g.isJsonArray()) throw new RecommenderException("'" + where + "genres' must be an array of strings, got " + JsonFields.show(g));
            JsonArray ga = g.getAsJsonArray();
            for (int j = 0; j < ga.size(); j++) genres.add(JsonFields.asString(ga.get(j), "'" + where + "genres[" + j + "]'"));
        }
        int count = JsonFields.intField(o, "count", 0, where);
        if (count < 0) throw new RecommenderException("'" + where + "count' must be >= 0, got " + count);
        return new Movie(id, title, genres, count);
    }

    /** A vocabulary of these movies (ids unique, in [1, {@link #MAX_ID}]). */
    public static MovieVocabulary of(List<Movie> movies, String source) {
        for (Movie m : movies) {
            if (m.id() < 1 || m.id() > MAX_ID) throw new RecommenderException(source + ": movie \"" + m.title() + "\" has id " + m.id() + ", outside [1, " + MAX_ID + "]");
        }
        return new MovieVocabulary(source, movies);
    }

    /** The movie with this id, or null when there is none (any int is a valid argument). */
    public Movie get(int id) {
        return id >= 0 && id <= maxId ? byId[id] : null;
    }

    public boolean contains(int id) {
        return get(id) != null;
    }

    /** The movie with this id; an exception that names the id and says why it is not a movie otherwise. */
    public Movie require(int id) {
        Movie m = get(id);
        if (m != null) return m;
        if (id < 1 || id > maxId) {
            throw new RecommenderException("movie id " + id + " is out of range: " + source + " has ids 1.." + maxId);
        }
        throw new RecommenderException("movie id " + id + " is not in " + source + " (" + movies.size() + " movies, ids 1.." + maxId + ")");
    }

    /** All movies, in file order (most rated first in the official file). */
    public List<Movie> movies() {
        return movies;
    }

    public int size() {
        return movies.size();
    }

    /** Largest id in the list. */
    public int maxId() {
        return maxId;
    }

    /** The file name it was read from, as used in messages. */
    public String source() {
        return source;
    }
}
