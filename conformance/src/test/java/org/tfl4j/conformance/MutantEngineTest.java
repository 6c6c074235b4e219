package org.tfl4j.conformance;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tfl4j.conformance.ops.Mutants;
import org.tfl4j.conformance.ops.Sweeps;
import org.tfl4j.engine.Interpreter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The suite can fail: three deliberately wrong engines ({@link Mutants}), each one plausible bug away from tfl4j,
 * run through the same sweeps and fixtures as the real engine, and each must be caught. The lines printed say by
 * what (which rows fail, how many values differ), so a weakened sweep shows up here first.
 */
class MutantEngineTest {

    private static final String BOW = MovieLensConformanceTest.BOW;
    private static final String CNN = MovieLensConformanceTest.CNN;
    private static final String RNN = MovieLensConformanceTest.RNN;
    private static final String CNN_FEATURES = MovieLensConformanceTest.CNN_FEATURES;

    @BeforeEach
    void assumeReference() {
        ReferenceAssumptions.assumeAvailable();
    }

    @Test
    void tiesBrokenTheOtherWayFailTheTopKSweep() {
        Comparison sweep = caught("TOPK_V2", Sweeps.topKV2(), Mutants.tiesBrokenTheOtherWay());
        assertTrue(sweep.integerMismatches() > 0, "the mutant must be caught by differing indices");
    }

    @Test
    void paddingOnTheWrongSideFailsTheConvSweepAndTheCnnModels() throws IOException {
        caught("CONV_2D", Sweeps.conv2d(), Mutants.paddingOnTheWrongSide());
        for (String model : List.of(CNN, CNN_FEATURES)) {
            assertFalse(models(model, Mutants.paddingOnTheWrongSide()).conformant(), model);
        }
    }

    @Test
    void oneAccumulationReorderedFailsTheFullyConnectedSweepAndEveryModel() throws IOException {
        caught("FULLY_CONNECTED", Sweeps.fullyConnected(), Mutants.oneAccumulationReordered());
        for (String model : List.of(BOW, CNN, RNN, CNN_FEATURES)) {
            Comparison c = models(model, Mutants.oneAccumulationReordered());
            assertFalse(c.conformant(), model);
            assertTrue(c.maxUlp() > 0, model + ": caught by the scores' bits");
        }
    }

    /** The real engine passes the sweep (else the mutant's failure proves nothing); the mutant fails it. */
    private static Comparison caught(String op, List<OpCase> cases, Interpreter.Options mutant) {
        Comparison real = OpConformance.run(op, cases);
        assertTrue(real.conformant(), () -> "the real engine must pass first: " + real.describeFailures(5));
        Comparison wrong = OpConformance.run(op + " (mutant)", cases, mutant);
        System.out.println(wrong.line());
        assertFalse(wrong.conformant(), op + ": the sweep did not catch the deliberately wrong kernel");
        return wrong;
    }

    /** A model on a sample of the fixtures (every 4th: all families), mutant against the reference. */
    private static Comparison models(String file, Interpreter.Options mutant) throws IOException {
        MovieLensFixtures fixtures = MovieLensFixtures.shared();
        List<MovieLensFixtures.Fixture> all = fixtures.all();
        Path path = MovieLensFixtures.model(file);
        Comparison c = new Comparison(file + " (mutant)", "model", "builtin, 1 thread", 0);
        try (TfliteReference reference = TfliteReference.open(path);
             Interpreter tfl4j = new Interpreter(path, mutant)) {
            ModelIo io = new ModelIo(file, reference);
            for (int i = 0; i < all.size(); i += 4) {
                Object[] inputs = io.inputs(all.get(i));
                c.addCase(all.get(i).toString(), "", reference.run(inputs), io.runTfl4j(tfl4j, inputs));
            }
        }
        System.out.println(c.line());
        return c;
    }
}
