package org.tfl4j.conformance.ops;

import org.tfl4j.conformance.Comparison;
import org.tfl4j.conformance.ConformanceReport;
import org.tfl4j.conformance.OpCase;
import org.tfl4j.conformance.OpConformance;
import org.tfl4j.conformance.TfliteReference;
import org.junit.jupiter.api.Assumptions;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs one op's sweep against the official runtime, records its report row, and asserts 0 ULP. */
final class OpSweepAssert {

    private OpSweepAssert() {
    }

    /** Skips (JUnit assumption, with the reason) unless the official runtime runs here. */
    static void assumeReference() {
        String reason = TfliteReference.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "official TFLite 2.21 reference unavailable, skipping: " + reason);
    }

    /** Every output of every case bit-identical (integers equal) to TFLite 2.21's builtin kernels. */
    static Comparison assertBitExact(String op, List<OpCase> cases) {
        assumeReference();
        Comparison c = OpConformance.run(op, cases);
        ConformanceReport.global().record(c);
        System.out.println(c.line());
        assertTrue(c.cases() == cases.size() && c.cases() > 0, op + ": no cases ran");
        assertTrue(c.conformant(), () -> c.describeFailures(25));
        return c;
    }
}
