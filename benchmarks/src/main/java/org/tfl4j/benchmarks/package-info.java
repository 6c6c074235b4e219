/**
 * JMH benchmarks of tfl4j beside native TFLite in the same run.
 * Not written yet: the module builds empty until its issue is taken.
 */
package org.tfl4j.benchmarks;
