/**
 * Movie recommendations with the published MovieLens models, following the contract of the
 * TensorFlow Lite Android recommendation example ({@code RecommendationClient}).
 *
 * <p>{@link org.tfl4j.recommend.RecommenderConfig} reads the app's {@code config*.json} (current and
 * old format), {@link org.tfl4j.recommend.MovieVocabulary} and {@link org.tfl4j.recommend.GenreVocabulary}
 * the vocabularies, and {@link org.tfl4j.recommend.Recommender} builds the model inputs from a
 * history of movie ids exactly as the app does, runs the {@link org.tfl4j.engine.Interpreter} and
 * filters the top-K output into {@link org.tfl4j.recommend.Recommendation}s.
 */
package org.tfl4j.recommend;
