package org.tfl4j.conformance;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The comparison itself must fail on a swapped id or a score 5 ULP off, and pass at exactly 4 ULP. */
class ConformanceSummaryTest {

    private static final Object[] INPUTS = {new int[] {1, 2, 0}};

    private static ModelIo.Result result(int[] ids, float[] scores) {
        return new ModelIo.Result(ids, scores);
    }

    private static float ulpsAbove(float f, int n) {
        for (int i = 0; i < n; i++) f = Math.nextUp(f);
        return f;
    }

    @Test
    void identicalResultsConformAndCountAsBitIdentical() {
        ConformanceSummary s = new ConformanceSummary("m");
        s.add("case", INPUTS, result(new int[] {7, 3}, new float[] {0.9f, 0.5f}), result(new int[] {7, 3}, new float[] {0.9f, 0.5f}));
        assertEquals(0, s.failureCount());
        assertTrue(s.line().contains("ids equal 1/1, bit-identical scores 2/2, max ULP 0"), s.line());
        assertDoesNotThrow(s::assertConformant);
    }

    @Test
    void fourUlpPassesFiveFails() {
        ConformanceSummary four = new ConformanceSummary("m");
        four.add("case", INPUTS, result(new int[] {7}, new float[] {0.75f}), result(new int[] {7}, new float[] {ulpsAbove(0.75f, 4)}));
        assertDoesNotThrow(four::assertConformant);
        assertTrue(four.line().contains("bit-identical scores 0/1, max ULP 4"), four.line());

        ConformanceSummary five = new ConformanceSummary("m");
        five.add("case", INPUTS, result(new int[] {7}, new float[] {0.75f}), result(new int[] {7}, new float[] {ulpsAbove(0.75f, 5)}));
        AssertionError e = assertThrows(AssertionError.class, five::assertConformant);
        assertTrue(e.getMessage().contains("rank 0") && e.getMessage().contains("5 ULP") && e.getMessage().contains("[1, 2, 0]"), e.getMessage());
    }

    @Test
    void swappedIdsFailEvenWithEqualScores() {
        ConformanceSummary s = new ConformanceSummary("m");
        s.add("case", INPUTS, result(new int[] {7, 3}, new float[] {0.5f, 0.5f}), result(new int[] {3, 7}, new float[] {0.5f, 0.5f}));
        AssertionError e = assertThrows(AssertionError.class, s::assertConformant);
        assertTrue(e.getMessage().contains("ids differ first at rank 0: TFLite id 7"), e.getMessage());
    }

    @Test
    void nanScoreFails() {
        ConformanceSummary s = new ConformanceSummary("m");
        s.add("case", INPUTS, result(new int[] {7}, new float[] {0.5f}), result(new int[] {7}, new float[] {Float.NaN}));
        assertThrows(AssertionError.class, s::assertConformant);
    }
}
