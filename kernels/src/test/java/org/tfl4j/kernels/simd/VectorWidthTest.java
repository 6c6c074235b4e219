package org.tfl4j.kernels.simd;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VectorWidthTest {

    @Test
    void theWidthAskedForIsTheWidthUsed() {
        String asked = System.getProperty(VectorWidth.PROPERTY);
        System.out.println("VectorWidthTest: -D" + VectorWidth.PROPERTY + "=" + asked + " -> " + VectorWidth.describe());
        if (asked != null && !asked.equals("preferred")) assertEquals(Integer.parseInt(asked), VectorWidth.BITS);
        assertEquals(VectorWidth.BITS == 0, VectorWidth.SCALAR);
        if (!VectorWidth.SCALAR) {
            assertEquals(VectorWidth.BITS, VectorWidth.FLOATS.vectorBitSize());
            assertEquals(VectorWidth.BITS, VectorWidth.INTS.vectorBitSize());
        }
    }

    @Test
    void anUnknownWidthIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VectorWidth.parse("64"));
        assertTrue(e.getMessage().contains("tfl4j.vectorBits=64"), e.getMessage());
        assertEquals(0, VectorWidth.parse("0"));
        assertEquals(512, VectorWidth.parse("512"));
        assertTrue(VectorWidth.parse(null) >= 64);
    }
}
