package org.tfl4j.conformance.cli;

import org.tfl4j.conformance.Tfl4jRunner;
import org.tfl4j.conformance.TfliteReference;
import org.tfl4j.conformance.Ulp;
import org.tfl4j.engine.Interpreter;
import org.tfl4j.engine.Model;
import org.tfl4j.engine.TensorInfo;
import org.tfl4j.engine.io.Npy;
import org.tfl4j.engine.io.NpyArray;
import org.tfl4j.engine.ops.OpRegistry;
import org.tfl4j.parser.TensorType;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@code tfl4j conform MODEL [IN.npy ...]}: runs a user's model through the official TFLite 2.21 runtime and
 * through tfl4j on the same inputs and prints, per output, how many values are bit-identical. The inputs are the
 * given {@code .npy} files (one case) or seeded cases generated from the model's input types and shapes.
 *
 * <p>Exit codes: 0 every output bit-identical; 1 outputs differ; 2 a usage error, a model or input either
 * runtime refuses, or no official runtime on this platform (one line on stderr, {@code --debug} adds the trace).
 * Started by the {@code ./tfl4j} launcher, which puts this module and the official runtime on the class path;
 * the engine's own jar knows nothing of it.
 */
public final class ConformCommand {

    public static final int IDENTICAL = 0;
    public static final int DIFFERS = 1;
    public static final int BAD_INPUT = 2;

    static final String USAGE = String.join("\n",
            "Usage: tfl4j conform MODEL [IN0.npy IN1.npy ...] [--cases N] [--seed S] [--threads T] [--xnnpack] [--json]",
            "",
            "Runs MODEL (a .tflite file) in the official TensorFlow Lite 2.21 runtime and in tfl4j on the same",
            "inputs and compares every output bit for bit.",
            "",
            "Inputs are the given .npy files, one per model input in input order (one case), or else N cases",
            "generated from each input's type and shape: floats uniform in [-1, 1), int32/int64 ids uniform over",
            "the rows of the table they index (GATHER, EMBEDDING_LOOKUP), other ints in [0, "
                    + InputGenerator.SMALL_INT_LIMIT + "), bools at random;",
            "with two cases or more the last one is all zeros.",
            "",
            "  --cases N     generated cases (default " + ConformSettings.DEFAULT_CASES + ")",
            "  --seed S      seed of the generated inputs (default " + ConformSettings.DEFAULT_SEED + ")",
            "  --threads T   TFLite threads (default 1); tfl4j reproduces TFLite's arithmetic for T threads",
            "  --xnnpack     TFLite with its XNNPACK delegate instead of the builtin kernels",
            "  --json        end with one line of JSON holding the same figures",
            "  --debug       show the stack trace of an error",
            "",
            "Exit codes: 0 every output bit-identical, 1 outputs differ, 2 usage error, a model or input either",
            "runtime refuses, or no official runtime here (it is bundled for linux-x86_64 only).");

    private final ConformSettings settings;
    private final PrintStream out;
    private final OpRegistry registry;

    /** A condition that ends the command with exit code 2 and a one-line message. */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refusal(String message, Throwable cause) {
            super(message, cause);
        }

        Refusal(String message) {
            super(message);
        }
    }

    private ConformCommand(ConformSettings settings, PrintStream out, OpRegistry registry) {
        this.settings = settings;
        this.out = out;
        this.registry = registry;
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /** Runs the command line and returns the exit code instead of exiting. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, TfliteReference::unavailableReason, OpRegistry.builtins());
    }

    /**
     * As {@link #run(String[], PrintStream, PrintStream)}, with the availability probe of the official runtime and
     * tfl4j's kernels given (tests simulate an unsupported platform or a wrong kernel with them).
     */
    static int run(String[] args, PrintStream out, PrintStream err, Supplier<String> referenceUnavailable, OpRegistry registry) {
        boolean debug = Arrays.asList(args).contains("--debug");
        try {
            ConformSettings settings = ConformSettings.parse(args);
            if (settings.help) {
                out.println(USAGE);
                return IDENTICAL;
            }
            return new ConformCommand(settings, out, registry).conform(referenceUnavailable);
        } catch (ConformSettings.UsageError | Refusal e) {
            return fail(err, e.getMessage(), e, debug);
        } catch (RuntimeException | LinkageError e) {
            return fail(err, "internal error: " + e.getClass().getName() + ": " + oneLine(e), e, debug);
        } finally {
            out.flush();
        }
    }

    private static int fail(PrintStream err, String message, Throwable e, boolean debug) {
        err.println("tfl4j: " + oneLine(message));
        if (debug) e.printStackTrace(err);
        err.flush();
        return BAD_INPUT;
    }

    private int conform(Supplier<String> referenceUnavailable) {
        Path modelFile = Path.of(settings.model);
        if (!Files.isRegularFile(modelFile)) throw new Refusal("model file not found: " + settings.model);
        String unavailable = referenceUnavailable.get();
        if (unavailable != null) {
            throw new Refusal("conform needs the official TFLite 2.21 runtime, which cannot run here: " + unavailable);
        }
        Model tfl4jModel;
        try {
            tfl4jModel = Model.load(modelFile, new Interpreter.Options().setTfliteThreads(settings.threads).setOpRegistry(registry));
        } catch (RuntimeException e) {
            throw new Refusal("tfl4j cannot run " + settings.model + ": " + oneLine(e), e);
        }
        TfliteReference reference;
        try {
            reference = TfliteReference.open(modelFile, settings.threads, settings.xnnpack);
        } catch (RuntimeException e) {
            throw new Refusal("the official TFLite runtime cannot run " + settings.model + ": " + oneLine(e), e);
        }
        try (reference; Interpreter tfl4j = new Interpreter(tfl4jModel, new Interpreter.Options())) {
            return compare(tfl4jModel, reference, tfl4j);
        }
    }

    private int compare(Model tfl4jModel, TfliteReference reference, Interpreter tfl4j) {
        String configuration = (settings.xnnpack ? "XNNPACK delegate" : "builtin kernels") + ", " + settings.threads
                + (settings.threads == 1 ? " thread" : " threads");
        List<String> signatureDifferences = signatureDifferences(tfl4jModel, reference);
        out.println("model    " + settings.model);
        out.println("runtimes TFLite " + TfliteReference.version() + " (" + configuration + ") vs tfl4j (setTfliteThreads("
                + settings.threads + "))");
        if (!signatureDifferences.isEmpty()) {
            String verdict = "differs: " + String.join("; ", signatureDifferences);
            out.println("verdict  " + verdict);
            if (settings.json) out.println(json(configuration, 0, List.of(), List.of(), signatureDifferences));
            return DIFFERS;
        }

        List<Object[]> cases;
        List<String> caseNames = new ArrayList<>();
        if (settings.npyFiles.isEmpty()) {
            List<IndexBounds.Bound> bounds = IndexBounds.of(tfl4jModel.parsed());
            List<InputGenerator.Spec> specs = new ArrayList<>();
            out.printf(Locale.ROOT, "inputs   %d case%s generated with seed %d%s%n", settings.cases, settings.cases == 1 ? "" : "s",
                    settings.seed, settings.cases >= 2 ? " (the last all zeros)" : "");
            for (int k = 0; k < reference.inputCount(); k++) {
                TensorType type = reference.inputType(k);
                int[] shape = reference.inputShape(k);
                IndexBounds.Bound bound = type == TensorType.INT32 || type == TensorType.INT64 ? bounds.get(k) : null;
                specs.add(new InputGenerator.Spec(type, elementCount(shape), bound));
                out.println("  input " + k + " " + describe(reference.inputName(k), type, shape) + ": " + generatedValues(type, bound));
            }
            cases = InputGenerator.generate(specs, settings.cases, settings.seed);
            for (int c = 0; c < cases.size(); c++) {
                caseNames.add("case " + c + (InputGenerator.isZerosCase(c, cases.size()) ? " (zeros)" : ""));
            }
        } else {
            cases = List.<Object[]>of(readNpyInputs(reference));
            caseNames.add("npy");
            out.println("inputs   1 case from " + String.join(", ", settings.npyFiles));
        }

        List<OutputComparison> outputs = new ArrayList<>();
        for (int k = 0; k < reference.outputCount(); k++) {
            outputs.add(new OutputComparison(k, reference.outputName(k), reference.outputType(k), reference.outputShape(k), configuration));
        }
        List<String> runFailures = new ArrayList<>();
        for (int c = 0; c < cases.size(); c++) {
            Object[] inputs = cases.get(c);
            Object[] expected = null;
            Object[] actual = null;
            RuntimeException tfliteError = null;
            RuntimeException tfl4jError = null;
            try {
                expected = reference.run(inputs);
            } catch (RuntimeException e) {
                tfliteError = e;
            }
            try {
                actual = Tfl4jRunner.run(tfl4j, inputs);
            } catch (RuntimeException e) {
                tfl4jError = e;
            }
            String name = caseNames.get(c);
            if (tfliteError != null && tfl4jError != null) {
                throw new Refusal(name + ": both runtimes reject the inputs: TFLite: " + oneLine(tfliteError) + "; tfl4j: "
                        + oneLine(tfl4jError), tfl4jError);
            }
            if (tfliteError != null || tfl4jError != null) {
                runFailures.add(tfliteError != null
                        ? name + ": TFLite failed (" + oneLine(tfliteError) + ") where tfl4j ran"
                        : name + ": tfl4j failed (" + oneLine(tfl4jError) + ") where TFLite ran");
                continue;
            }
            for (int k = 0; k < outputs.size(); k++) outputs.get(k).add(name, expected[k], actual[k]);
        }

        List<String> verdictParts = new ArrayList<>();
        long totalValues = 0;
        for (OutputComparison o : outputs) {
            totalValues += o.values();
            out.printf(Locale.ROOT, "output %d %s: %d values, %d bit-identical, max ULP %s, integer mismatches %d%n", o.index(),
                    describe(o.name(), o.type(), o.shape()), o.values(), o.bitIdentical(), Ulp.describe(o.maxUlp()),
                    o.integerMismatches());
            for (String p : o.problems()) out.println("    " + p);
            for (OutputComparison.Difference d : o.differences()) {
                out.println("    " + d.caseName() + " " + Arrays.toString(d.position()) + ": TFLite " + d.tflite() + ", tfl4j "
                        + d.tfl4j() + (d.ulp() == null ? "" : ", " + d.ulp() + " ULP"));
            }
            if (!o.identical()) verdictParts.add(summary(o));
        }
        for (String f : runFailures) out.println("  " + f);
        verdictParts.addAll(runFailures);
        boolean identical = verdictParts.isEmpty();
        out.println("verdict  " + (identical
                ? String.format(Locale.ROOT, "bit-identical (%d values, %d output%s, %d case%s)", totalValues, outputs.size(),
                        outputs.size() == 1 ? "" : "s", cases.size(), cases.size() == 1 ? "" : "s")
                : "differs: " + String.join("; ", verdictParts)));
        if (settings.json) out.println(json(configuration, cases.size(), outputs, runFailures, List.of()));
        return identical ? IDENTICAL : DIFFERS;
    }

    /** Where the two runtimes disagree on the model's inputs and outputs (count, type, element count). */
    private static List<String> signatureDifferences(Model tfl4jModel, TfliteReference reference) {
        List<String> d = new ArrayList<>();
        if (tfl4jModel.inputCount() != reference.inputCount() || tfl4jModel.outputCount() != reference.outputCount()) {
            d.add("TFLite sees " + reference.inputCount() + " inputs and " + reference.outputCount() + " outputs, tfl4j "
                    + tfl4jModel.inputCount() + " and " + tfl4jModel.outputCount());
            return d;
        }
        for (int k = 0; k < reference.inputCount(); k++) {
            TensorInfo t = tfl4jModel.input(k);
            if (reference.inputType(k) == null || !isExchanged(t.dataType())) {
                throw new Refusal("input " + k + " " + t + " has a type conform does not exchange (float32, int32, int64, bool)");
            }
            if (reference.inputType(k) != t.dataType() || elementCount(reference.inputShape(k)) != t.numElements()) {
                d.add("input " + k + " is " + describe(reference.inputName(k), reference.inputType(k), reference.inputShape(k))
                        + " in TFLite, " + describe(t.name(), t.dataType(), t.shape()) + " in tfl4j");
            }
        }
        for (int k = 0; k < reference.outputCount(); k++) {
            TensorInfo t = tfl4jModel.output(k);
            if (reference.outputType(k) == null || !isExchanged(t.dataType())) {
                throw new Refusal("output " + k + " " + t + " has a type conform does not exchange (float32, int32, int64, bool)");
            }
            if (reference.outputType(k) != t.dataType() || elementCount(reference.outputShape(k)) != t.numElements()) {
                d.add("output " + k + " is " + describe(reference.outputName(k), reference.outputType(k), reference.outputShape(k))
                        + " in TFLite, " + describe(t.name(), t.dataType(), t.shape()) + " in tfl4j");
            }
        }
        return d;
    }

    private static boolean isExchanged(TensorType type) {
        return type == TensorType.FLOAT32 || type == TensorType.INT32 || type == TensorType.INT64 || type == TensorType.BOOL;
    }

    private Object[] readNpyInputs(TfliteReference reference) {
        List<String> files = settings.npyFiles;
        if (files.size() != reference.inputCount()) {
            throw new Refusal("the model has " + reference.inputCount() + " input" + (reference.inputCount() == 1 ? "" : "s")
                    + ", got " + files.size() + " .npy file" + (files.size() == 1 ? "" : "s"));
        }
        Object[] inputs = new Object[files.size()];
        for (int k = 0; k < inputs.length; k++) {
            String file = files.get(k);
            NpyArray a;
            try {
                a = Npy.read(Path.of(file));
            } catch (NoSuchFileException e) {
                throw new Refusal("file not found: " + file, e);
            } catch (IOException | RuntimeException e) {
                throw new Refusal("cannot read " + file + ": " + oneLine(e), e);
            }
            TensorType type = reference.inputType(k);
            int[] shape = reference.inputShape(k);
            String input = "input " + k + " " + describe(reference.inputName(k), type, shape);
            if (a.type() != type) {
                throw new Refusal(file + " is " + Npy.descr(a.type()) + ", " + input + " needs " + Npy.descr(type));
            }
            if (a.elementCount() != elementCount(shape)) {
                throw new Refusal(file + " has shape " + Arrays.toString(a.shape()) + " (" + a.elementCount() + " elements), "
                        + input + " needs " + elementCount(shape));
            }
            inputs[k] = a.data();
        }
        return inputs;
    }

    private static String generatedValues(TensorType type, IndexBounds.Bound bound) {
        switch (type) {
            case FLOAT32: return "uniform in [-1, 1)";
            case BOOL: return "fair coin";
            default:
                return bound != null
                        ? "ids uniform in [0, " + bound.limit() + ") (" + bound.via() + ")"
                        : "uniform in [0, " + InputGenerator.SMALL_INT_LIMIT + ")";
        }
    }

    private static String summary(OutputComparison o) {
        String what = "output " + o.index() + " " + o.name() + ": ";
        if (!o.problems().isEmpty()) return what + o.problems().get(0);
        if (o.isFloat()) {
            return what + (o.values() - o.bitIdentical()) + " of " + o.values() + " values not bit-identical (max "
                    + Ulp.describe(o.maxUlp()) + " ULP)";
        }
        return what + o.integerMismatches() + " of " + o.values() + " values differ";
    }

    private static String describe(String name, TensorType type, int[] shape) {
        return "'" + name + "' " + typeName(type) + Arrays.toString(shape);
    }

    private static String typeName(TensorType type) {
        return type == null ? "unknown" : type.name().toLowerCase(Locale.ROOT);
    }

    private static int elementCount(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** The same figures as the text, as one JSON object on one line. */
    private String json(String configuration, int cases, List<OutputComparison> outputs, List<String> runFailures,
                        List<String> signatureDifferences) {
        boolean identical = signatureDifferences.isEmpty() && runFailures.isEmpty()
                && outputs.stream().allMatch(OutputComparison::identical);
        StringBuilder j = new StringBuilder("{");
        j.append("\"model\":").append(quote(settings.model));
        j.append(",\"tflite\":").append(quote(TfliteReference.version()));
        j.append(",\"configuration\":").append(quote(configuration));
        j.append(",\"threads\":").append(settings.threads);
        j.append(",\"xnnpack\":").append(settings.xnnpack);
        j.append(",\"inputs\":").append(quote(settings.npyFiles.isEmpty() ? "generated" : "npy"));
        if (settings.npyFiles.isEmpty()) j.append(",\"seed\":").append(settings.seed);
        j.append(",\"cases\":").append(cases);
        j.append(",\"verdict\":").append(quote(identical ? "bit-identical" : "differs"));
        j.append(",\"outputs\":[");
        for (int i = 0; i < outputs.size(); i++) {
            OutputComparison o = outputs.get(i);
            if (i > 0) j.append(',');
            j.append("{\"index\":").append(o.index());
            j.append(",\"name\":").append(quote(o.name()));
            j.append(",\"type\":").append(quote(typeName(o.type())));
            j.append(",\"shape\":").append(Arrays.toString(o.shape()).replace(" ", ""));
            j.append(",\"values\":").append(o.values());
            j.append(",\"bitIdentical\":").append(o.bitIdentical());
            j.append(",\"maxUlp\":").append(o.maxUlp() == Long.MAX_VALUE ? "\"NaN\"" : Long.toString(o.maxUlp()));
            j.append(",\"integerMismatches\":").append(o.integerMismatches());
            j.append(",\"problems\":").append(strings(o.problems()));
            j.append(",\"differences\":[");
            List<OutputComparison.Difference> ds = o.differences();
            for (int d = 0; d < ds.size(); d++) {
                OutputComparison.Difference diff = ds.get(d);
                if (d > 0) j.append(',');
                j.append("{\"case\":").append(quote(diff.caseName()));
                j.append(",\"position\":").append(Arrays.toString(diff.position()).replace(" ", ""));
                j.append(",\"tflite\":").append(quote(diff.tflite()));
                j.append(",\"tfl4j\":").append(quote(diff.tfl4j()));
                if (diff.ulp() != null) j.append(",\"ulp\":").append(quote(diff.ulp()));
                j.append('}');
            }
            j.append("]}");
        }
        j.append("],\"runFailures\":").append(strings(runFailures));
        j.append(",\"signatureDifferences\":").append(strings(signatureDifferences));
        return j.append('}').toString();
    }

    private static String strings(List<String> values) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) s.append(i == 0 ? "" : ",").append(quote(values.get(i)));
        return s.append(']').toString();
    }

    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') q.append('\\').append(c);
            else if (c < 0x20) q.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            else q.append(c);
        }
        return q.append('"').toString();
    }

    private static String oneLine(Throwable e) {
        return oneLine(e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage());
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
