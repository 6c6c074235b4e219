package org.tfl4j.engine;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One {@link Model} shared by many threads, each running its own {@link Interpreter} (the documented way): every
 * inference of every thread must give the ids and score bits that one thread alone computes for the same input.
 *
 * <p>The checker: 1,000 distinct seeded inputs, their outputs computed first on one thread; then {@value #THREADS}
 * threads, released together, each run a long stream of those inputs (each thread at its own stride through them,
 * so threads run different inputs at the same moment) and compare every id and every score bit with the
 * single-thread result, counting mismatches (an exception counts as one). Interpreters that shared mutable state
 * would mix one thread's activations into another's results: {@link #theCheckerCatchesInterpretersThatShareState()}
 * breaks the isolation on purpose (interpreters running in one set of arenas, through a package-private constructor)
 * and asserts the checker reports it.
 *
 * <p>Counts: the bag-of-words model, the fastest, runs {@value #THREADS} x 1,000,000 inferences; the CNN, LSTM and
 * feature-based CNN {@value #THREADS} x 25,000 each (about 40 s and 6 s of CPU; the whole class stays within a
 * couple of minutes on 2 cores). {@code -Dtfl4j.concurrency.inferences=N} sets the bag-of-words count.
 *
 * <p>{@link #interpretersShareOnlyDataThatNoRunWrites()} is the structural half: of everything two interpreters of
 * one model reach (their nodes, the prepared ops, the model), the arrays they both reach must not change while
 * they run, and their arenas are their own.
 */
class ConcurrencyTest {
    static final int THREADS = 8;
    static final int DISTINCT = 1_000;
    static final String BOW = "model_history10_top100.tflite";
    static final String[] OTHERS = {"recommendation_cnn_i10o100.tflite", "recommendation_rnn_i10o100.tflite",
        "recommendation_cnn_i10i32o100.tflite"};

    /** Distinct inputs of one model and the outputs one thread computed for them. */
    static final class Cases {
        final int[][][] inputs;  // [case][input k][elements]
        final int[][] ids;       // [case][100]
        final float[][] scores;  // [case][100]
        final int idsOutput;
        final int scoresOutput;

        Cases(Model model, long seed) {
            Random random = new Random(seed);
            this.inputs = new int[DISTINCT][model.inputCount()][];
            this.idsOutput = model.output(0).dataType() == org.tfl4j.parser.TensorType.INT32 ? 0 : 1;
            this.scoresOutput = 1 - idsOutput;
            this.ids = new int[DISTINCT][model.output(idsOutput).numElements()];
            this.scores = new float[DISTINCT][model.output(scoresOutput).numElements()];
            try (Interpreter one = new Interpreter(model, new Interpreter.Options())) {
                for (int c = 0; c < DISTINCT; c++) {
                    for (int k = 0; k < model.inputCount(); k++) {
                        int[] in = new int[model.input(k).numElements()];
                        int vocabulary = model.vocabularySize(k);
                        int used = random.nextInt(in.length + 1); // ids first, padding 0 after them
                        for (int i = 0; i < used; i++) in[i] = 1 + random.nextInt(vocabulary - 1);
                        inputs[c][k] = in;
                        one.setInput(k, in);
                    }
                    one.invoke();
                    one.getOutput(idsOutput, ids[c]);
                    one.getOutput(scoresOutput, scores[c]);
                }
            }
        }
    }

    /**
     * Runs {@code threads} threads, each on the interpreter {@code interpreterFor} gives it, {@code perThread}
     * inferences each, and returns the number of inferences whose ids or score bits differ from the single-thread
     * results (or that threw).
     */
    static long mismatches(Cases cases, int threads, int perThread, IntFunction<Interpreter> interpreterFor)
            throws InterruptedException {
        AtomicLong mismatches = new AtomicLong();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Interpreter interp = interpreterFor.apply(t);
            int stride = 1 + 2 * t; // each thread walks the cases in an order of its own
            int shift = 137 * t;
            Thread w = new Thread(() -> {
                int[] ids = new int[cases.ids[0].length];
                float[] scores = new float[cases.scores[0].length];
                long bad = 0;
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        int c = (int) (((long) i * stride + shift) % DISTINCT);
                        try {
                            int[][] in = cases.inputs[c];
                            for (int k = 0; k < in.length; k++) interp.setInput(k, in[k]);
                            interp.invoke();
                            interp.getOutput(cases.idsOutput, ids);
                            interp.getOutput(cases.scoresOutput, scores);
                            if (!sameBits(cases.ids[c], ids, cases.scores[c], scores)) bad++;
                        } catch (RuntimeException e) {
                            bad++;
                            firstError.compareAndSet(null, e);
                        }
                    }
                } catch (Exception e) {
                    firstError.compareAndSet(null, e);
                    bad = Math.max(bad, 1);
                }
                mismatches.addAndGet(bad);
            }, "concurrency-" + t);
            workers.add(w);
        }
        for (Thread w : workers) w.start();
        for (Thread w : workers) w.join();
        return mismatches.get();
    }

    private static boolean sameBits(int[] wantIds, int[] ids, float[] wantScores, float[] scores) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != wantIds[i] || Float.floatToRawIntBits(scores[i]) != Float.floatToRawIntBits(wantScores[i])) return false;
        }
        return true;
    }

    static Path model(String file) {
        Path dir = ZeroAllocationTest.modelsDir();
        assumeTrue(dir != null && Files.isRegularFile(dir.resolve(file)), "MovieLens models not found (set -Dtfl4j.models)");
        return dir.resolve(file);
    }

    @Test
    void eightThreadsGiveTheSingleThreadResults() throws InterruptedException {
        int bowCount = Integer.getInteger("tfl4j.concurrency.inferences", 1_000_000);
        check(BOW, bowCount);
        for (String file : OTHERS) check(file, Math.min(bowCount, 25_000));
    }

    private static void check(String file, int perThread) throws InterruptedException {
        Model model = Model.load(model(file));
        Cases cases = new Cases(model, file.hashCode());
        List<Interpreter> interpreters = new ArrayList<>();
        long t0 = System.nanoTime();
        long bad = mismatches(cases, THREADS, perThread, t -> {
            Interpreter interp = new Interpreter(model, new Interpreter.Options());
            interpreters.add(interp);
            return interp;
        });
        interpreters.forEach(Interpreter::close);
        System.out.printf("%s: %d threads x %,d inferences, %d mismatches, %.1f s%n", file, THREADS, perThread, bad,
                (System.nanoTime() - t0) / 1e9);
        assertEquals(0, bad, file + ": inferences whose ids or score bits differ from one thread's");
    }

    /**
     * The checker is able to see a race: interpreters that run in one set of arenas (the isolation broken on
     * purpose) give mismatches. Up to five rounds, in case the scheduler happens to keep the threads apart.
     */
    @Test
    void theCheckerCatchesInterpretersThatShareState() throws InterruptedException, IllegalAccessException {
        Model model = Model.load(model(BOW));
        Cases cases = new Cases(model, 42);
        long bad = 0;
        for (int round = 0; round < 5 && bad == 0; round++) {
            Interpreter owner = new Interpreter(model, new Interpreter.Options());
            bad = mismatches(cases, THREADS, 20_000,
                    t -> t == 0 ? owner : new Interpreter(model, new Interpreter.Options(), owner));
            System.out.printf("shared arenas, round %d: %d mismatches in %d x 20,000 inferences%n", round, bad, THREADS);
        }
        assertTrue(bad > 0, "interpreters sharing arenas ran without a single mismatch: the checker cannot see races");
        // The structural check sees it too: arrays both reach (the arenas) are written by their runs.
        Interpreter a = new Interpreter(model, new Interpreter.Options());
        int[] counts = sharedArraysWrittenByRuns(a, new Interpreter(model, new Interpreter.Options(), a), cases);
        assertTrue(counts[2] > 0, "sharing interpreters: no shared array changed while they ran");
        // And one thread alone on a sharing interpreter is still right: what breaks is sharing across threads.
        Interpreter owner = new Interpreter(model, new Interpreter.Options());
        assertEquals(0, mismatches(cases, 1, 2_000, t -> new Interpreter(model, new Interpreter.Options(), owner)));
    }

    /**
     * Everything two interpreters of one model both reach (the model, its prepared ops, constants, tables) is
     * reached read-only: hundreds of runs on both, with different inputs, leave every such array unchanged; and
     * neither reaches the other's arenas.
     */
    @Test
    void interpretersShareOnlyDataThatNoRunWrites() throws IllegalAccessException {
        for (String file : new String[] {BOW, OTHERS[0], OTHERS[1], OTHERS[2]}) {
            Model model = Model.load(model(file));
            Cases cases = new Cases(model, 7);
            try (Interpreter a = new Interpreter(model, new Interpreter.Options());
                 Interpreter b = new Interpreter(model, new Interpreter.Options())) {
                int[] counts = sharedArraysWrittenByRuns(a, b, cases);
                System.out.printf("%s: %d arrays shared by two interpreters, %d written by a run; %d of their own%n",
                        file, counts[0], counts[2], counts[1]);
                assertTrue(counts[0] > 0, file + ": the walk found no shared constants at all");
                assertTrue(counts[1] > 0, file + ": the walk found no arrays of the interpreter's own");
                assertEquals(0, counts[2], file + ": arrays reachable from two interpreters changed while they ran");
            }
        }
    }

    /** {shared arrays, arrays of a's own, shared arrays that runs of a and b on different inputs changed}. */
    static int[] sharedArraysWrittenByRuns(Interpreter a, Interpreter b, Cases cases) throws IllegalAccessException {
        Set<Object> fromA = reachableArrays(a);
        Set<Object> fromB = reachableArrays(b);
        Map<Object, Object> shared = new IdentityHashMap<>();
        for (Object array : fromA) if (fromB.contains(array)) shared.put(array, copy(array));
        for (int c = 0; c < 300; c++) {
            for (Interpreter interp : new Interpreter[] {a, b}) {
                int[][] in = cases.inputs[(c * 7 + (interp == a ? 0 : 500)) % DISTINCT];
                for (int k = 0; k < in.length; k++) interp.setInput(k, in[k]);
                interp.invoke();
            }
        }
        int changed = 0;
        for (Map.Entry<Object, Object> e : shared.entrySet()) {
            if (!Objects.deepEquals(e.getKey(), e.getValue())) changed++;
        }
        return new int[] {shared.size(), fromA.size() - shared.size(), changed};
    }

    private static Object copy(Object array) {
        int n = Array.getLength(array);
        Object c = Array.newInstance(array.getClass().getComponentType(), n);
        System.arraycopy(array, 0, c, 0, n);
        return c;
    }

    /**
     * Every primitive array reachable from {@code root} through the fields of tfl4j's objects (lambdas included),
     * object arrays and collections. JDK objects other than collections are not entered (strings, buffers of the
     * parsed file, boxed numbers).
     */
    static Set<Object> reachableArrays(Object root) throws IllegalAccessException {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Object> arrays = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object> todo = new ArrayDeque<>();
        todo.add(root);
        while (!todo.isEmpty()) {
            Object o = todo.poll();
            if (o == null || !seen.add(o)) continue;
            Class<?> c = o.getClass();
            if (c.isArray()) {
                if (c.getComponentType().isPrimitive()) arrays.add(o);
                else for (Object e : (Object[]) o) if (e != null) todo.add(e);
                continue;
            }
            if (o instanceof Collection<?>) {
                todo.addAll((Collection<?>) o);
                continue;
            }
            if (o instanceof Map<?, ?>) {
                todo.addAll(((Map<?, ?>) o).keySet());
                todo.addAll(((Map<?, ?>) o).values());
                continue;
            }
            if (!c.getName().startsWith("org.tfl4j.")) continue;
            for (Class<?> k = c; k != null && k.getName().startsWith("org.tfl4j."); k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) continue;
                    f.setAccessible(true);
                    Object value = f.get(o);
                    if (value != null) todo.add(value);
                }
            }
        }
        return arrays;
    }
}
