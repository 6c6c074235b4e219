package org.tfl4j.benchmarks;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.util.Collection;
import java.util.List;

/**
 * Adds the {@link AllocationProbe} measurement of each iteration to JMH's results as {@value #METRIC} (bytes per
 * inference): {@code -prof org.tfl4j.benchmarks.InferenceAllocationProfiler}. Benchmarks without the probe get
 * no such metric.
 */
public final class InferenceAllocationProfiler implements InternalProfiler {

    static final String METRIC = "inference.alloc.norm";

    @Override
    public String getDescription() {
        return "Java heap bytes allocated per inference, measured on the benchmark thread after each iteration";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        AllocationProbe.takeLast(); // drop anything left from before this iteration
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        double bytes = AllocationProbe.takeLast();
        if (Double.isNaN(bytes)) return List.of();
        return List.of(new ScalarResult(METRIC, bytes, "B/op", AggregationPolicy.AVG));
    }
}
