package org.tfl4j.engine;

import org.junit.jupiter.api.Test;
import org.tfl4j.models.GruForm;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A GRU in both forms, with the GRU fusions (the WHILE loop as one fused loop; the unrolled steps fused one by one)
 * allocates nothing per inference once warm. Runs in a JVM of its own (the engine's surefire forks one per class).
 */
class ZeroAllocationGruTest {

    @Test
    void fusedGruAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "this JVM does not count allocated bytes");
        for (GruForm form : GruForm.values()) {
            byte[] model = GruFusionTest.gru(new Random(11), 10, 16, 16, 0.6f, form);
            Model m = Model.load(ByteBuffer.wrap(model), new Interpreter.Options());
            assertEquals(form == GruForm.WHILE ? 2 : 10, m.fusions().size(), m.fusions().toString());
            try (Interpreter interp = new Interpreter(m, new Interpreter.Options())) {
                float[] x = GruFusionTest.uniform(new Random(12), 160, 1.5f);
                float[] y = new float[16];
                Runnable inference = () -> {
                    interp.setInput(0, x);
                    interp.invoke();
                    interp.getOutput(0, y);
                };
                for (int i = 0; i < 5_000; i++) inference.run();
                ZeroAllocationWhileTest.assertAllocatesNothing(threads, inference, "a fused GRU, " + form);
            }
        }
    }
}
