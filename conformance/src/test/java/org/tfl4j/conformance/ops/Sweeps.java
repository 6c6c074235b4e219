package org.tfl4j.conformance.ops;

import org.tfl4j.conformance.OpCase;

import java.util.List;

/** The op sweeps' cases, for tests outside this package (the mutation test runs them against wrong engines). */
public final class Sweeps {

    private Sweeps() {
    }

    public static List<OpCase> topKV2() {
        return TopKV2SweepTest.cases();
    }

    public static List<OpCase> conv2d() {
        return Conv2DSweepTest.cases();
    }

    public static List<OpCase> fullyConnected() {
        return FullyConnectedSweepTest.cases();
    }
}
