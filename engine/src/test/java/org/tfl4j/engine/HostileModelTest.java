package org.tfl4j.engine;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tfl4j.parser.ModelFormatException;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Corrupted real models through the whole load path (parse, prepare every op, plan) and one run:
 * each case loads and runs, or ends in the parser's or the engine's own exception; never another
 * exception, an error or a hang.
 */
class HostileModelTest {

    @ParameterizedTest
    @ValueSource(strings = {"model_history10_top100.tflite", "recommendation_cnn_i10o100.tflite",
            "recommendation_rnn_i10o100.tflite", "recommendation_cnn_i10i32o100.tflite"})
    void byteFlipsEndInOwnExceptions(String file) throws Exception {
        Path dir = ZeroAllocationTest.modelsDir();
        assumeTrue(dir != null && Files.isRegularFile(dir.resolve(file)), "MovieLens models not found (set -Dtfl4j.models)");
        byte[] original = Files.readAllBytes(dir.resolve(file));
        // Flips land mostly where structure lives: in these files the FlatBuffer tables and strings
        // sit in the first and last few kilobytes, around the weights.
        int edge = Math.min(original.length, 8_000);
        Random rnd = new Random(file.hashCode());
        Map<String, Integer> outcomes = new TreeMap<>();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int c = 0; c < 400; c++) {
                byte[] bytes = original.clone();
                int flips = 1 + rnd.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    int where = rnd.nextInt(10);
                    int at = where == 0 ? rnd.nextInt(bytes.length)
                            : where <= 5 ? rnd.nextInt(edge) : bytes.length - 1 - rnd.nextInt(edge);
                    bytes[at] ^= (byte) (1 + rnd.nextInt(255));
                }
                outcomes.merge(outcome(bytes, c), 1, Integer::sum);
            }
        });
        System.out.println(file + ": " + outcomes);
    }

    private static String outcome(byte[] bytes, int c) {
        try {
            Model model = Model.load(ByteBuffer.wrap(bytes), new Interpreter.Options());
            try (Interpreter interp = new Interpreter(model, new Interpreter.Options())) {
                for (int k = 0; k < interp.getInputTensorCount(); k++) {
                    TensorInfo in = interp.getInputTensor(k);
                    if (in.dataType() == org.tfl4j.parser.TensorType.INT32) interp.setInput(k, new int[in.numElements()]);
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
