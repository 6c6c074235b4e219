package org.tfl4j.recommend;

import java.util.List;

/**
 * One recommended movie.
 *
 * @param id     MovieLens MovieID (the model's item id)
 * @param title  title with the year, as in the movie vocabulary ("Toy Story 2 (1999)")
 * @param genres genres as listed in the movie vocabulary
 * @param score  the model's score (sigmoid of the logit); saturates at 1.0, so rank by list order
 */
public record Recommendation(int id, String title, List<String> genres, float score) {
    public Recommendation {
        genres = List.copyOf(genres);
    }
}
