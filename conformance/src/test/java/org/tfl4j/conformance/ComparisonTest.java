package org.tfl4j.conformance;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A comparison must fail on a swapped id, a score 1 ULP off under a 0 bound and a NaN against a number, and
 * count bit-identical values exactly; otherwise the conformance rows could not fail.
 */
class ComparisonTest {

    private static final String INPUTS = "[1, 2, 0]";

    /** Outputs in the order of the CNN files: scores, then ids. */
    private static Object[] outputs(float[] scores, int[] ids) {
        return new Object[] {scores, ids};
    }

    private static Comparison bitExact() {
        return new Comparison("m.tflite", "model", "builtin, 1 thread", 0);
    }

    @Test
    void identicalOutputsConformAndAllCountAsBitIdentical() {
        Comparison c = bitExact();
        c.addCase("case", INPUTS, outputs(new float[] {0.9f, 0.5f}, new int[] {7, 3}), outputs(new float[] {0.9f, 0.5f}, new int[] {7, 3}));
        assertTrue(c.conformant(), c.describeFailures(5));
        assertEquals(1, c.cases());
        assertEquals(2, c.floatValues());
        assertEquals(2, c.bitIdentical());
        assertEquals(0, c.maxUlp());
        assertEquals(2, c.integerValues());
        assertEquals(0, c.integerMismatches());
        assertTrue(c.line().contains("bit-identical 2/2, max ULP 0 (bound 0)"), c.line());
    }

    @Test
    void swappedIdsFailEvenWithEqualScores() {
        Comparison c = bitExact();
        c.addCase("case", INPUTS, outputs(new float[] {0.5f, 0.5f}, new int[] {7, 3}), outputs(new float[] {0.5f, 0.5f}, new int[] {3, 7}));
        assertFalse(c.conformant());
        assertEquals(2, c.integerMismatches());
        assertEquals(1, c.casesWithIntegerMismatch());
        assertEquals(2, c.bitIdentical(), "the scores themselves are identical");
        String failure = c.failures().get(0);
        assertTrue(failure.contains("case") && failure.contains(INPUTS) && failure.contains("output 1")
                && failure.contains("TFLite 7, tfl4j 3"), failure);
    }

    @Test
    void oneUlpFailsABitExactBoundAndPassesABoundOfOne() {
        float e = 0.75f;
        float a = Math.nextUp(e);
        Comparison exact = bitExact();
        exact.addCase("case", INPUTS, outputs(new float[] {e}, new int[] {7}), outputs(new float[] {a}, new int[] {7}));
        assertFalse(exact.conformant());
        assertEquals(1, exact.maxUlp());
        assertEquals(0, exact.bitIdentical());
        String failure = exact.failures().get(0);
        assertTrue(failure.contains("output 0 [0]") && failure.contains("1 ULP") && failure.contains("0x3f400000")
                && failure.contains("0x3f400001"), failure);

        Comparison one = new Comparison("m.tflite", "model", "XNNPACK, 1 thread", 1);
        one.addCase("case", INPUTS, outputs(new float[] {e}, new int[] {7}), outputs(new float[] {a}, new int[] {7}));
        assertTrue(one.conformant(), one.describeFailures(5));
        assertEquals(1, one.maxUlp());
    }

    @Test
    void nanAgainstANumberFailsAnyBound() {
        Comparison c = new Comparison("m.tflite", "model", "XNNPACK, 1 thread", 1000);
        c.addCase("case", INPUTS, outputs(new float[] {0.5f}, new int[] {7}), outputs(new float[] {Float.NaN}, new int[] {7}));
        assertFalse(c.conformant());
        assertEquals(Long.MAX_VALUE, c.maxUlp());
        assertTrue(c.line().contains("max ULP NaN"), c.line());
    }

    @Test
    void countsBitIdenticalValuesAcrossCases() {
        Comparison c = new Comparison("m.tflite", "model", "XNNPACK, 1 thread", 4);
        float[] expected = {1f, 0.5f, 0.25f};
        c.addCase("a", INPUTS, outputs(expected, new int[] {1, 2, 3}), outputs(expected.clone(), new int[] {1, 2, 3}));
        float[] twoOff = {1f, Math.nextUp(Math.nextUp(0.5f)), 0.25f};
        c.addCase("b", INPUTS, outputs(expected, new int[] {1, 2, 3}), outputs(twoOff, new int[] {1, 2, 3}));
        assertTrue(c.conformant(), c.describeFailures(5));
        assertEquals(2, c.cases());
        assertEquals(6, c.floatValues());
        assertEquals(5, c.bitIdentical());
        assertEquals(2, c.maxUlp());
    }

    @Test
    void signedZerosAreNotBitIdenticalAndFailABitExactBound() {
        Comparison c = bitExact();
        c.addCase("case", INPUTS, outputs(new float[] {0f}, new int[] {7}), outputs(new float[] {-0f}, new int[] {7}));
        assertEquals(0, c.bitIdentical());
        assertFalse(c.conformant(), "bound 0 means bit-identical");
        Comparison loose = new Comparison("m", "model", "c", 1);
        loose.addCase("case", INPUTS, outputs(new float[] {0f}, new int[] {7}), outputs(new float[] {-0f}, new int[] {7}));
        assertTrue(loose.conformant(), "+0 and -0 are 0 ULP apart");
    }

    @Test
    void aMissingOrMistypedOutputFails() {
        Comparison missing = bitExact();
        missing.addCase("case", INPUTS, outputs(new float[] {0.5f}, new int[] {7}), new Object[] {new float[] {0.5f}});
        assertFalse(missing.conformant());
        Comparison mistyped = bitExact();
        mistyped.addCase("case", INPUTS, outputs(new float[] {0.5f}, new int[] {7}), outputs(new float[] {0.5f}, null));
        assertFalse(mistyped.conformant());
        Comparison shorter = bitExact();
        shorter.addCase("case", INPUTS, outputs(new float[] {0.5f, 0.25f}, new int[] {7}), outputs(new float[] {0.5f}, new int[] {7}));
        assertFalse(shorter.conformant());
    }
}
