package org.tfl4j.engine;

import org.junit.jupiter.api.Test;
import org.tfl4j.models.GruForm;
import org.tfl4j.parser.ModelFormatException;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Corrupted WHILE models (a GRU's WHILE form: three subgraphs, cond, body, the GRU fusion) through load and one run,
 * with fusion on and off: each case runs, or ends in the parser's or the engine's own exception (a cycle of subgraphs
 * included); never another exception, an error or a hang. A flipped constant can make a cond that never turns false,
 * which TFLite would run forever: the runs here set an iteration limit, whose RunAbortedException is one of the
 * engine's own.
 */
class WhileHostileModelTest {

    @Test
    void byteFlipsEndInOwnExceptions() {
        byte[] original = GruFusionTest.gru(new Random(9), 3, 2, 4, 0.6f, GruForm.WHILE);
        Random rnd = new Random(119);
        Map<String, Integer> outcomes = new TreeMap<>();
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (int c = 0; c < 600; c++) {
                byte[] bytes = original.clone();
                int flips = 1 + rnd.nextInt(3);
                for (int f = 0; f < flips; f++) bytes[rnd.nextInt(bytes.length)] ^= (byte) (1 + rnd.nextInt(255));
                outcomes.merge(outcome(bytes, c, c % 2 == 0), 1, Integer::sum);
            }
        });
        System.out.println("WhileHostileModelTest: " + outcomes);
    }

    private static String outcome(byte[] bytes, int c, boolean fusion) {
        try {
            Interpreter.Options options = new Interpreter.Options().setMaxWhileIterations(10_000).setFusion(fusion);
            Model model = Model.load(ByteBuffer.wrap(bytes), options);
            if (model.arenaBytes() > 64L << 20) return "large arenas, not run";
            try (Interpreter interp = new Interpreter(model, options)) {
                for (int k = 0; k < interp.getInputTensorCount(); k++) {
                    TensorInfo in = interp.getInputTensor(k);
                    switch (in.dataType()) {
                        case FLOAT32: interp.setInput(k, new float[in.numElements()]); break;
                        case INT32: interp.setInput(k, new int[in.numElements()]); break;
                        case INT64: interp.setInput(k, new long[in.numElements()]); break;
                        case BOOL: interp.setInput(k, new boolean[in.numElements()]); break;
                        default: break;
                    }
                }
                interp.invoke();
            }
            return "ran";
        } catch (ModelFormatException e) {
            return "ModelFormatException";
        } catch (EngineException e) {
            return e.getClass().getSimpleName();
        } catch (RuntimeException | Error e) {
            AssertionError err = new AssertionError("case " + c + ": " + e, e);
            fail(err);
            throw err;
        }
    }
}
