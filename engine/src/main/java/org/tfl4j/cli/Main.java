package org.tfl4j.cli;

import org.tfl4j.engine.EngineException;
import org.tfl4j.engine.io.NpyFormatException;
import org.tfl4j.models.ModelConfigException;
import org.tfl4j.parser.ModelFormatException;
import org.tfl4j.recommend.RecommenderException;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code tfl4j} command: {@code recommend}, {@code inspect}, {@code run}, {@code bench} and {@code build-model}.
 * {@code conform} is listed but lives in the conformance module (it needs the official TFLite runtime, which this jar
 * never carries); the {@code ./tfl4j} launcher starts it there, and this class only explains that.
 *
 * <p>Exit codes: 0 success; 2 bad input (usage, a missing or malformed model, config, vocabulary or
 * {@code .npy} file, an input the engine rejects, an unknown title), with a one-line message on
 * stderr; 1 an unexpected internal error. {@code --debug} adds the stack trace.
 */
public final class Main {
    /** Exit code of a successful run. */
    public static final int OK = 0;
    /** Exit code of an unexpected internal error. */
    public static final int INTERNAL_ERROR = 1;
    /** Exit code of bad input. */
    public static final int BAD_INPUT = 2;

    static final String USAGE = String.join("\n",
            "Usage: tfl4j COMMAND [ARGS] [OPTIONS]",
            "",
            "A pure-Java runtime for the TensorFlow Lite MovieLens recommendation models.",
            "",
            "Commands:",
            "  recommend TITLE_OR_ID... [--model bow|cnn|rnn|cnn-genre] [--top N]",
            "                             recommend movies for a history (oldest first)",
            "  inspect MODEL              inputs, outputs, signatures and ops of a model",
            "  run MODEL IN0.npy [IN1.npy ...] --out DIR",
            "  run MODEL --cases DIR --out DIR2",
            "                             run a model on .npy inputs, write out<k>.npy",
            "  bench MODEL [IN.npy ...] [--runs N] [--warmup-runs N] [--threads T] [--json]",
            "                             latency (init, first, warm-up, avg, percentiles), memory and a",
            "                             per-op profile, as TFLite's benchmark_model reports them",
            "  conform MODEL [IN.npy ...] [--cases N] [--seed S] [--threads T] [--xnnpack] [--json]",
            "                             compare a model's outputs with official TFLite 2.21, bit for bit;",
            "                             runs through './tfl4j conform' (needs the conformance module and the",
            "                             official runtime, linux-x86_64), not from the engine jar",
            "  build-model --config CONFIG.json --out MODEL.tflite [--weights DIR]",
            "                             write a dual-encoder model (BOW, CNN, LSTM, GRU; ids and features)",
            "                             from a config, as TFLite's converter lowers the published models",
            "  help [COMMAND]             this help, or a command's",
            "",
            "Options of every command:",
            "  --models DIR   folder with the model files (then $TFL4J_MODELS, then ~/.cache/tfl4j/models)",
            "  --debug        show the stack trace of an error",
            "  -h, --help     help; 'tfl4j COMMAND --help' for a command's",
            "",
            "MODEL is a .tflite path or one of bow, cnn, rnn, cnn-genre.",
            "Exit codes: 0 success, 2 bad input (one-line message on stderr), 1 internal error.");

    static final String COMMANDS = "recommend, inspect, run, bench, build-model, conform, help";

    /** Why {@code conform} does not run from this jar, and where it does. */
    static final String CONFORM_ELSEWHERE = "conform runs through './tfl4j conform' in the source checkout: it needs the"
            + " conformance module and the official TFLite 2.21 runtime (linux-x86_64), which the engine jar does not carry";

    static final String CONFORM_USAGE = String.join("\n",
            "Usage: ./tfl4j conform MODEL [IN0.npy ...] [--cases N] [--seed S] [--threads T] [--xnnpack] [--json]",
            "",
            "Runs MODEL in the official TensorFlow Lite 2.21 runtime and in tfl4j on the same inputs (the .npy",
            "files, or generated cases) and compares every output bit for bit. It runs through the ./tfl4j",
            "launcher of the source checkout, which starts it from the conformance module with the official",
            "runtime (linux-x86_64 only); this jar does not carry it. './tfl4j conform --help' has the details.");

    private Main() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /** Runs the command line and returns the exit code instead of exiting. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, System.getenv(), System.getProperty("user.home"));
    }

    /** As {@link #run(String[], PrintStream, PrintStream)}, with the environment and home folder given. */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, String userHome) {
        boolean debug = false;
        for (String a : args) {
            if (a.equals("--")) break;
            if (a.equals("--debug")) debug = true;
        }
        try {
            return dispatch(args, out, env, userHome);
        } catch (UsageException | RecommenderException | NpyFormatException | ModelFormatException | EngineException
                 | ModelConfigException e) {
            return fail(err, BAD_INPUT, message(e), e, debug);
        } catch (NoSuchFileException e) {
            return fail(err, BAD_INPUT, "file not found: " + e.getFile(), e, debug);
        } catch (AccessDeniedException e) {
            return fail(err, BAD_INPUT, "permission denied: " + e.getFile(), e, debug);
        } catch (FileSystemException e) {
            return fail(err, BAD_INPUT, e.getMessage(), e, debug);
        } catch (IOException e) {
            return fail(err, BAD_INPUT, "I/O error: " + message(e), e, debug);
        } catch (UncheckedIOException e) {
            return fail(err, BAD_INPUT, "I/O error: " + message(e.getCause()), e, debug);
        } catch (InvalidPathException e) {
            return fail(err, BAD_INPUT, "bad path: " + e.getMessage(), e, debug);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError | AssertionError e) {
            return fail(err, INTERNAL_ERROR, "internal error: " + e.getClass().getName() + ": " + message(e), e, debug);
        }
    }

    private static int dispatch(String[] argv, PrintStream out, Map<String, String> env, String userHome) throws IOException {
        List<String> args = new ArrayList<>(List.of(argv));
        String command = null;
        // The command comes first; only --debug and --help may precede it.
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--debug") || a.equals("--help") || a.equals("-h")) continue;
            if (a.startsWith("-")) break;
            command = a;
            args.remove(i);
            break;
        }
        if (command == null) {
            if (args.contains("-h") || args.contains("--help")) {
                out.println(USAGE);
                return OK;
            }
            String first = null;
            for (String a : args) {
                if (!a.equals("--debug")) {
                    first = a;
                    break;
                }
            }
            throw new UsageException(first == null ? "no command; see 'tfl4j --help'"
                    : "no command before " + first + "; see 'tfl4j --help'");
        }
        switch (command) {
            case "help": {
                Args a = new Args(command, args, Set.of(), Set.of());
                if (a.positional.isEmpty()) out.println(USAGE);
                else if (a.positional.size() == 1) out.println(usage(a.positional.get(0)));
                else throw new UsageException("help takes at most one COMMAND");
                return OK;
            }
            case "recommend": {
                Args a = new Args(command, args, RecommendCommand.OPTIONS, Set.of());
                if (a.help) return help(out, RecommendCommand.USAGE);
                return RecommendCommand.run(a, store(a, env, userHome), out);
            }
            case "inspect": {
                Args a = new Args(command, args, InspectCommand.OPTIONS, Set.of());
                if (a.help) return help(out, InspectCommand.USAGE);
                return InspectCommand.run(a, store(a, env, userHome), out);
            }
            case "run": {
                Args a = new Args(command, args, RunCommand.OPTIONS, Set.of());
                if (a.help) return help(out, RunCommand.USAGE);
                return RunCommand.run(a, store(a, env, userHome), out);
            }
            case "bench": {
                Args a = new Args(command, args, BenchCommand.OPTIONS, BenchCommand.FLAGS);
                if (a.help) return help(out, BenchCommand.USAGE);
                return BenchCommand.run(a, store(a, env, userHome), out);
            }
            case "build-model": {
                Args a = new Args(command, args, BuildModelCommand.OPTIONS, BuildModelCommand.FLAGS);
                if (a.help) return help(out, BuildModelCommand.USAGE);
                return BuildModelCommand.run(a, out);
            }
            case "conform":
                throw new UsageException(CONFORM_ELSEWHERE);
            default:
                throw new UsageException("unknown command '" + command + "' (commands: " + COMMANDS + ")");
        }
    }

    private static String usage(String command) {
        switch (command) {
            case "recommend": return RecommendCommand.USAGE;
            case "inspect": return InspectCommand.USAGE;
            case "run": return RunCommand.USAGE;
            case "bench": return BenchCommand.USAGE;
            case "build-model": return BuildModelCommand.USAGE;
            case "conform": return CONFORM_USAGE;
            case "help": return USAGE;
            default: throw new UsageException("unknown command '" + command + "' (commands: " + COMMANDS + ")");
        }
    }

    private static int help(PrintStream out, String usage) {
        out.println(usage);
        return OK;
    }

    private static ModelStore store(Args a, Map<String, String> env, String userHome) {
        return new ModelStore(a.value("--models"), env, userHome);
    }

    private static int fail(PrintStream err, int code, String message, Throwable e, boolean debug) {
        err.println("tfl4j: " + message);
        if (debug) e.printStackTrace(err);
        err.flush();
        return code;
    }

    /** The exception's message on one line (its class name when it has none). */
    static String message(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) return e.getClass().getSimpleName();
        return m.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
