package org.tfl4j.recommend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The genre list of the Android example ({@code movie_genre_vocab.txt}): one genre per line; a
 * genre's id is its 0-based line number (line 0, "UNK", doubles as padding). Immutable.
 */
public final class GenreVocabulary {
    private final String source;
    private final List<String> names;
    private final Map<String, Integer> ids;

    private GenreVocabulary(String source, List<String> names) {
        this.source = source;
        this.names = List.copyOf(names);
        this.ids = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name.isEmpty()) throw new RecommenderException(source + ": line " + (i + 1) + " is empty");
            Integer before = ids.putIfAbsent(name, i);
            if (before != null) {
                throw new RecommenderException(source + ": genre \"" + name + "\" is on line " + (before + 1) + " and again on line " + (i + 1));
            }
        }
        if (names.isEmpty()) throw new RecommenderException(source + ": no genres");
    }

    /** Reads a genre list file. */
    public static GenreVocabulary load(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString());
    }

    /**
     * Parses a genre list: lines split at {@code \n} (a trailing {@code \r} is dropped); empty lines
     * at the end are ignored, an empty line before a genre is an error.
     */
    public static GenreVocabulary parse(String text, String source) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.endsWith("\r")) lines.set(i, line.substring(0, line.length() - 1));
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
        return new GenreVocabulary(source, lines);
    }

    /** A genre list with these names; id = position. */
    public static GenreVocabulary of(List<String> names, String source) {
        return new GenreVocabulary(source, names);
    }

    /** The genre's id, or -1 when the list does not have it. */
    public int id(String genre) {
        Integer id = ids.get(genre);
        return id == null ? -1 : id;
    }

    /** The name of genre {@code id}. */
    public String name(int id) {
        return names.get(id);
    }

    public List<String> names() {
        return names;
    }

    public int size() {
        return names.size();
    }

    public String source() {
        return source;
    }
}
