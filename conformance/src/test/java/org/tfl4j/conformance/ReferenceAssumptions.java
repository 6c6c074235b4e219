package org.tfl4j.conformance;

import org.junit.jupiter.api.Assumptions;

/** JUnit assumptions around the official runtime: tests skip, saying why, where it cannot run. */
final class ReferenceAssumptions {

    private ReferenceAssumptions() {
    }

    /** Aborts the calling test unless the official TFLite 2.21 runtime can run on this machine. */
    static void assumeAvailable() {
        String reason = TfliteReference.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "official TFLite 2.21 reference unavailable, skipping: " + reason);
    }
}
