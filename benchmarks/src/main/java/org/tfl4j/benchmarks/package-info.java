/**
 * JMH benchmarks of tfl4j beside native TFLite 2.21 (JavaCPP build) in the same run, and the report that turns
 * their JSON results into {@code docs/performance.md}. Run them with {@code benchmarks/run.sh}.
 */
package org.tfl4j.benchmarks;
