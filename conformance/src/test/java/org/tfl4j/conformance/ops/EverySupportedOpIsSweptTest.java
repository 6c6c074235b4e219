package org.tfl4j.conformance.ops;

import org.junit.jupiter.api.Test;
import org.tfl4j.engine.ops.OpRegistry;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An op added to the engine without a sweep against TFLite fails here, not silently in the report. */
class EverySupportedOpIsSweptTest {

    private static final Map<String, Class<?>> SWEEPS = Map.ofEntries(
            Map.entry("ADD", AddSweepTest.class),
            Map.entry("CAST", CastSweepTest.class),
            Map.entry("CONCATENATION", ConcatenationSweepTest.class),
            Map.entry("CONV_2D", Conv2DSweepTest.class),
            Map.entry("DIV", DivSweepTest.class),
            Map.entry("FULLY_CONNECTED", FullyConnectedSweepTest.class),
            Map.entry("GATHER", GatherSweepTest.class),
            Map.entry("LESS", LessSweepTest.class),
            Map.entry("LOGICAL_AND", LogicalAndSweepTest.class),
            Map.entry("LOGISTIC", LogisticSweepTest.class),
            Map.entry("MUL", MulSweepTest.class),
            Map.entry("NOT_EQUAL", NotEqualSweepTest.class),
            Map.entry("REDUCE_MAX", ReduceMaxSweepTest.class),
            Map.entry("RESHAPE", ReshapeSweepTest.class),
            Map.entry("SELECT", SelectSweepTest.class),
            Map.entry("SPLIT", SplitSweepTest.class),
            Map.entry("STRIDED_SLICE", StridedSliceSweepTest.class),
            Map.entry("SUB", SubSweepTest.class),
            Map.entry("SUM", SumSweepTest.class),
            Map.entry("TANH", TanhSweepTest.class),
            Map.entry("TOPK_V2", TopKV2SweepTest.class),
            Map.entry("UNIDIRECTIONAL_SEQUENCE_LSTM", LstmSweepTest.class),
            Map.entry("UNPACK", UnpackSweepTest.class),
            Map.entry("WHILE", WhileSweepTest.class));

    @Test
    void everyOpTheEngineRunsHasASweep() {
        var supported = new TreeSet<>(Arrays.asList(OpRegistry.builtins().supportedOps().split(", ")));
        assertEquals(supported, new TreeSet<>(SWEEPS.keySet()), "ops the engine runs vs ops with a sweep");
    }
}
