package org.tfl4j.conformance.ops;

import org.junit.jupiter.api.Test;
import org.tfl4j.parser.BuiltinOp;

/**
 * SUB against TFLite, float32 and int32: {@link AddSweepTest}'s cases with SUB (±0 differences keep IEEE signs,
 * subnormal operands and results under FTZ/DAZ, overflow to ±inf clamped to ±FLT_MAX, inf - inf, NaN, the
 * scalar-first broadcast of a GRU's {@code 1 - z}, exact cancellation, rank-6 broadcasts; int32 broadcasts,
 * activations and wrap-around).
 */
class SubSweepTest {
    @Test
    void bitExactAgainstTflite() {
        OpSweepAssert.assertBitExact("SUB", AddSweepTest.cases(BuiltinOp.SUB, 47));
    }
}
