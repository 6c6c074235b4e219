package org.tfl4j.cli;

import org.tfl4j.recommend.MovieVocabulary;
import org.tfl4j.recommend.MovieVocabulary.Movie;
import org.tfl4j.recommend.RecommenderException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns command-line movie arguments into movie ids. A number is an id. Otherwise titles are matched
 * case-insensitively: first exactly (the full title "Toy Story (1995)", the title without its year
 * "Toy Story", or either with a trailing article moved to the front, "The Lion King" for
 * "Lion King, The (1994)"), then as a substring; the match must be unique.
 */
final class TitleResolver {
    /** How many candidates an error lists. */
    static final int MAX_CANDIDATES = 10;

    private static final Pattern YEAR = Pattern.compile("\\s*\\(\\d{4}\\)$");
    private static final Pattern TRAILING_ARTICLE =
            Pattern.compile("^(.*), (the|a|an|les|la|le|l'|il|el|los|las|das|der|die|den|det)$");
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private final MovieVocabulary movies;
    private final List<Movie> list;
    private final String[][] exact;    // the forms an exact match may take
    private final String[] searchable; // what a substring is searched in

    TitleResolver(MovieVocabulary movies) {
        this.movies = movies;
        this.list = movies.movies();
        int n = list.size();
        this.exact = new String[n][];
        this.searchable = new String[n];
        for (int i = 0; i < n; i++) {
            String t = normalize(list.get(i).title());
            Matcher y = YEAR.matcher(t);
            boolean hasYear = y.find();
            String bare = hasYear ? t.substring(0, y.start()) : t;
            String year = hasYear ? t.substring(y.start()).trim() : "";
            Set<String> forms = new LinkedHashSet<>(List.of(t, bare));
            String moved = null;
            Matcher a = TRAILING_ARTICLE.matcher(bare);
            if (a.matches()) {
                moved = a.group(2) + (a.group(2).endsWith("'") ? "" : " ") + a.group(1);
                forms.add(moved);
                if (!year.isEmpty()) forms.add(moved + " " + year);
            }
            exact[i] = forms.toArray(new String[0]);
            searchable[i] = moved == null ? t : t + "\n" + moved;
        }
    }

    static String normalize(String s) {
        return s.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    /** The ids of the arguments, in order; a movie named twice is an error. */
    int[] resolveAll(List<String> args) {
        int[] ids = new int[args.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = resolve(args.get(i));
            for (int j = 0; j < i; j++) {
                if (ids[j] == ids[i]) {
                    throw new UsageException("\"" + args.get(i) + "\" and \"" + args.get(j) + "\" are the same movie, "
                            + describe(movies.get(ids[i])));
                }
            }
        }
        return ids;
    }

    /** The id of one argument. */
    int resolve(String arg) {
        String q = normalize(arg);
        if (q.isEmpty()) throw new UsageException("empty movie title");
        if (NUMBER.matcher(q).matches()) {
            int id;
            try {
                id = Integer.parseInt(q);
            } catch (NumberFormatException tooLarge) {
                id = -1;
            }
            try {
                return movies.require(id).id();
            } catch (RecommenderException e) {
                throw new UsageException(id < 0 ? "movie id " + q + " is out of range" : e.getMessage());
            }
        }
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            for (String form : exact[i]) {
                if (form.equals(q)) {
                    hits.add(i);
                    break;
                }
            }
        }
        if (hits.isEmpty()) {
            for (int i = 0; i < list.size(); i++) if (searchable[i].contains(q)) hits.add(i);
        }
        if (hits.size() == 1) return list.get(hits.get(0)).id();
        if (hits.isEmpty()) {
            List<Integer> similar = similar(q);
            throw new UsageException("no movie title matches \"" + arg + "\""
                    + (similar.isEmpty() ? "" : "; similar: " + candidates(similar)));
        }
        throw new UsageException("\"" + arg + "\" matches " + hits.size() + " movies: " + candidates(hits)
                + "; give more of the title, with the year, or the id");
    }

    /** Movies whose titles contain the most of the query's words (of 3 letters or more). */
    private List<Integer> similar(String q) {
        List<String> words = new ArrayList<>();
        for (String w : q.split("[^\\p{L}\\p{N}']+")) {
            if (w.length() >= 3 && !w.equals("the")) words.add(w);
        }
        int best = 0;
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            int score = 0;
            for (String w : words) if (searchable[i].contains(w)) score++;
            if (score > best) {
                best = score;
                out.clear();
            }
            if (score == best && score > 0) out.add(i);
        }
        return out;
    }

    private String candidates(List<Integer> positions) {
        StringBuilder sb = new StringBuilder();
        int shown = Math.min(positions.size(), MAX_CANDIDATES);
        for (int k = 0; k < shown; k++) sb.append(k == 0 ? "" : "; ").append(describe(list.get(positions.get(k))));
        if (positions.size() > shown) sb.append("; and ").append(positions.size() - shown).append(" more");
        return sb.toString();
    }

    private static String describe(Movie m) {
        return m.title() + " [id " + m.id() + "]";
    }
}
