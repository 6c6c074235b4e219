package org.tfl4j.conformance;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UlpTest {

    @Test
    void neighboursAreOneApart() {
        assertEquals(0, Ulp.distance(1f, 1f));
        assertEquals(1, Ulp.distance(1f, Math.nextUp(1f)));
        assertEquals(1, Ulp.distance(1f, Math.nextDown(1f)));
        // 1 + 2^-23 * 4 is four floats above 1.
        assertEquals(4, Ulp.distance(1f, 1f + 4 * 0x1p-23f));
        assertEquals(4, Ulp.distance(-1f - 4 * 0x1p-23f, -1f));
    }

    @Test
    void signedZerosAreEqualAndTheSmallestSubnormalsTwoApart() {
        assertEquals(0, Ulp.distance(0f, -0f));
        assertEquals(2, Ulp.distance(Float.MIN_VALUE, -Float.MIN_VALUE));
        assertEquals(1, Ulp.distance(0f, Float.MIN_VALUE));
    }

    @Test
    void crossingABinadeCountsTheFloatsOnBothSides() {
        // Below 1 the spacing is 2^-24, above it 2^-23: 1 - 2^-24 and 1 + 2^-23 are two floats apart.
        assertEquals(2, Ulp.distance(1f - 0x1p-24f, 1f + 0x1p-23f));
    }

    @Test
    void nanIsInfinitelyFar() {
        assertEquals(Long.MAX_VALUE, Ulp.distance(Float.NaN, 1f));
        assertEquals(0, Ulp.distance(Float.NaN, Float.NaN), "the same NaN bits");
        assertEquals(Long.MAX_VALUE, Ulp.distance(Float.intBitsToFloat(0x7fc00000), Float.intBitsToFloat(0xffc00000)),
                "NaNs with different bits");
    }
}
