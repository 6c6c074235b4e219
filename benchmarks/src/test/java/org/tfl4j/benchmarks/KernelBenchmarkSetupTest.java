package org.tfl4j.benchmarks;

import org.junit.jupiter.api.Test;

/**
 * The per-kernel benchmarks that need no model files set up at every size they declare (setup checks that the vector
 * kernel and its scalar twin give the same bits, and throws otherwise) and run each benchmark method once, so a
 * kernel change that breaks one of them fails here rather than in a JMH run.
 */
class KernelBenchmarkSetupTest {

    @Test
    void embeddingBenchmarkSetsUpAndRunsAtEverySize() {
        for (String size : new String[] {"10x3953x16", "10x3953x32", "32x19x8"}) {
            EmbeddingBenchmark b = new EmbeddingBenchmark();
            b.idsXrowsXdim = size;
            b.setUp();
            b.maskedRowsVector();
            b.maskedRowsScalar();
            b.maskedSumVector();
            b.maskedSumScalar();
        }
    }

    @Test
    void scoringBenchmarkSetsUpAndRunsAtEverySize() {
        ScoringBenchmark b = new ScoringBenchmark();
        for (String size : new String[] {"16x3953", "32x3953"}) {
            for (double zeros : new double[] {0.25, 0.5}) {
                ScoringBenchmark.Scoring s = new ScoringBenchmark.Scoring();
                s.depthXunits = size;
                s.inputZeros = zeros;
                s.setUp();
                if (!b.fused(s) || !b.fusedScalarTwin(s)) throw new AssertionError(size + ": the fused pass declined");
                b.opsApart(s);
            }
        }
        for (int n : new int[] {16, 64, 256, 512}) {
            ScoringBenchmark.Magnitudes m = new ScoringBenchmark.Magnitudes();
            m.n = n;
            m.setUp();
            b.smallestMagnitude(m);
            b.smallestMagnitudeScalarTwin(m);
        }
    }

    @Test
    void recurrentCellBenchmarkSetsUpAndRunsAtEverySize() {
        for (int units : new int[] {16, 64}) {
            RecurrentCellBenchmark b = new RecurrentCellBenchmark();
            b.units = units;
            b.setUp();
            b.lstmCellVector();
            b.lstmCellScalar();
            b.gruCellVector();
            b.gruCellScalar();
            b.gruStep();
        }
    }
}
