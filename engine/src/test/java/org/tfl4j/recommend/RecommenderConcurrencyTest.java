package org.tfl4j.recommend;

import org.junit.jupiter.api.Test;
import org.tfl4j.engine.Model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The two documented ways to recommend from many threads give one thread's results: a {@link Recommender} per
 * thread over one shared {@link Model}, config and vocabularies (parallel), and one Recommender shared by all
 * threads (its calls take turns). 300 distinct histories of the feature-based CNN, their recommendations computed
 * first on one thread, then compared in full (ids, titles, genres, score bits) on every call of 8 threads.
 * The engine-level race checker, and the proof that it catches shared state, is {@code ConcurrencyTest}.
 */
class RecommenderConcurrencyTest {
    private static final int THREADS = 8;

    @Test
    void recommendersPerThreadAndASharedRecommenderGiveOneThreadsResults() throws Exception {
        Model model = Model.load(Fixtures.file("recommendation_cnn_i10i32o100.tflite"));
        RecommenderConfig config = RecommenderConfig.load(Fixtures.file("config_cnn_i10i32o100.json"));
        MovieVocabulary movies = Fixtures.realMovies();
        GenreVocabulary genres = Fixtures.realGenres();
        Random random = new Random(8);
        List<MovieVocabulary.Movie> all = movies.movies();
        int[][] histories = new int[300][];
        List<List<Recommendation>> expected = new ArrayList<>();
        try (Recommender one = new Recommender(model, config, movies, genres)) {
            for (int c = 0; c < histories.length; c++) {
                int n = 1 + random.nextInt(15);
                histories[c] = random.ints(0, all.size()).distinct().limit(n).map(i -> all.get(i).id()).toArray();
                expected.add(one.recommend(histories[c]));
            }
        }
        long perThread = run(histories, expected, 3_000, t -> new Recommender(model, config, movies, genres));
        assertEquals(0, perThread, "mismatching recommendations, one Recommender per thread");
        Recommender shared = new Recommender(model, config, movies, genres);
        long sharedOne = run(histories, expected, 500, t -> shared);
        assertEquals(0, sharedOne, "mismatching recommendations, one Recommender shared by all threads");
        shared.close();
    }

    private static long run(int[][] histories, List<List<Recommendation>> expected, int calls,
                            IntFunction<Recommender> recommenderFor) throws InterruptedException {
        AtomicLong bad = new AtomicLong();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Recommender r = recommenderFor.apply(t);
            int offset = 37 * t;
            threads.add(new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < calls; i++) {
                        int c = (i + offset) % histories.length;
                        if (!expected.get(c).equals(r.recommend(histories[c]))) bad.incrementAndGet();
                    }
                } catch (Exception e) {
                    bad.incrementAndGet();
                }
            }));
        }
        for (Thread t : threads) t.start();
        for (Thread t : threads) t.join();
        return bad.get();
    }
}
