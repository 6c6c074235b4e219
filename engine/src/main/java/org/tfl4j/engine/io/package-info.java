/** File formats around the engine: NumPy {@code .npy} arrays for model inputs and outputs. */
package org.tfl4j.engine.io;
