/**
 * JMH benchmarks of tfl4j beside native TFLite 2.21 (JavaCPP build) in the same run, and the report that turns
 * their JSON results into {@code docs/performance.md}. Run them with {@code benchmarks/run.sh}.
 *
 * <p>{@link org.tfl4j.benchmarks.EndToEndBenchmark} is what {@code run.sh} runs: whole inferences per model and
 * engine. The per-kernel benchmarks time each SIMD kernel beside its scalar twin at the published models' sizes
 * (each checks in setup that both give the same bits); run one with
 * {@code java -jar benchmarks/target/benchmarks.jar NAME} after {@code ./mvnw -pl benchmarks -am package -DskipTests}:
 * <ul>
 *   <li>{@link org.tfl4j.benchmarks.EmbeddingBenchmark}: the masked embedding lookup (rows) and its sum;</li>
 *   <li>{@link org.tfl4j.benchmarks.ConvBenchmark}: every CONV_2D of the CNN models;</li>
 *   <li>{@link org.tfl4j.benchmarks.RecurrentCellBenchmark}: the LSTM's and the GRU's elementwise cell kernels;</li>
 *   <li>{@link org.tfl4j.benchmarks.GemvBenchmark}: the one-row FULLY_CONNECTED, label tables included;</li>
 *   <li>{@link org.tfl4j.benchmarks.ScoringBenchmark}: the fused scoring pass (label table + TOPK_V2) beside the two
 *       ops apart, and the flush check's magnitude scan;</li>
 *   <li>{@link org.tfl4j.benchmarks.TopKLogisticBenchmark}: TOPK_V2 over the models' logits, the logistic and tanh.</li>
 * </ul>
 */
package org.tfl4j.benchmarks;
