package org.tfl4j.conformance;

import org.tfl4j.engine.EngineException;
import org.tfl4j.engine.Interpreter;
import org.tfl4j.parser.ModelFormatException;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Runs per-op sweep cases on the official runtime and on tfl4j and compares every output. A case TFLite
 * cannot run is a broken case (a failure of the sweep, not of tfl4j, but reported all the same); a case tfl4j
 * refuses while TFLite runs it is a conformance failure.
 */
public final class OpConformance {

    /** The reference configuration of the op sweeps. */
    public static final String BUILTIN_1_THREAD = "builtin, 1 thread";

    private OpConformance() {
    }

    /** The reference configuration (builtin kernels, 1 thread) against tfl4j's defaults, bit-exact. */
    public static Comparison run(String op, List<OpCase> cases) {
        return run(op, cases, new Interpreter.Options());
    }

    /** Like {@link #run(String, List)} with the given tfl4j options (for example another kernel registry). */
    public static Comparison run(String op, List<OpCase> cases, Interpreter.Options tfl4jOptions) {
        Comparison c = new Comparison(op, "op", BUILTIN_1_THREAD, 0);
        for (OpCase oc : cases) compare(c, oc, tfl4jOptions);
        return c;
    }

    /** Runs one case on both runtimes into {@code c}. */
    public static void compare(Comparison c, OpCase oc, Interpreter.Options tfl4jOptions) {
        compare(c, oc, tfl4jOptions, 1);
    }

    /**
     * Like {@link #compare(Comparison, OpCase, Interpreter.Options)} with TFLite's builtin kernels on
     * {@code tfliteThreads} threads (compare against tfl4j's {@code setTfliteThreads} of the same count, and
     * name that configuration in {@code c}).
     */
    public static void compare(Comparison c, OpCase oc, Interpreter.Options tfl4jOptions, int tfliteThreads) {
        String inputs = Comparison.describeInputs(oc.inputs());
        Object[] expected;
        try (TfliteReference reference = TfliteReference.open(oc.name(), oc.model(), tfliteThreads, false)) {
            expected = reference.run(oc.inputs());
        } catch (RuntimeException e) {
            c.addCase(oc.name(), inputs, new Object[] {"TFLite failed: " + e.getMessage()}, new Object[] {"(not run)"});
            return;
        }
        Object[] actual;
        try (Interpreter tfl4j = new Interpreter(ByteBuffer.wrap(oc.model()), tfl4jOptions)) {
            actual = Tfl4jRunner.run(tfl4j, oc.inputs());
        } catch (EngineException | ModelFormatException e) {
            c.addCase(oc.name(), inputs, expected, new Object[] {"tfl4j refused: " + e.getMessage()});
            return;
        }
        c.addCase(oc.name(), inputs, expected, actual);
    }
}
