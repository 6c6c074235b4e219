package org.tfl4j.conformance.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The parsed command line of {@code tfl4j conform}; a {@link UsageError} for anything malformed. */
final class ConformSettings {

    static final int DEFAULT_CASES = 20;
    static final long DEFAULT_SEED = 1;

    String model;
    final List<String> npyFiles = new ArrayList<>();
    int cases = DEFAULT_CASES;
    long seed = DEFAULT_SEED;
    boolean casesOrSeedGiven;
    int threads = 1;
    boolean xnnpack;
    boolean json;
    boolean debug;
    boolean help;

    /** A malformed command line; the message is one line. */
    static final class UsageError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageError(String message) {
            super(message);
        }
    }

    private ConformSettings() {}

    static ConformSettings parse(String[] args) {
        ConformSettings s = new ConformSettings();
        Set<String> seen = new HashSet<>();
        List<String> positional = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (optionsEnded || !a.startsWith("-") || a.equals("-")) {
                positional.add(a);
                continue;
            }
            if (a.equals("--")) {
                optionsEnded = true;
                continue;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            boolean takesValue = name.equals("--cases") || name.equals("--seed") || name.equals("--threads");
            boolean flag = name.equals("--xnnpack") || name.equals("--json") || name.equals("--debug")
                    || name.equals("--help") || name.equals("-h");
            if (!takesValue && !flag) throw new UsageError("unknown option " + name + " for 'conform'; see 'tfl4j conform --help'");
            if (flag && value != null) throw new UsageError(name + " takes no value");
            if (!seen.add(name.equals("-h") ? "--help" : name)) throw new UsageError(name + " is given twice");
            if (takesValue && value == null) {
                if (i + 1 >= args.length) throw new UsageError(name + " needs a value");
                value = args[++i];
            }
            switch (name) {
                case "--cases": s.cases = positiveInt(name, value); s.casesOrSeedGiven = true; break;
                case "--threads": s.threads = positiveInt(name, value); break;
                case "--seed":
                    try {
                        s.seed = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new UsageError("--seed must be an integer, got '" + value + "'");
                    }
                    s.casesOrSeedGiven = true;
                    break;
                case "--xnnpack": s.xnnpack = true; break;
                case "--json": s.json = true; break;
                case "--debug": s.debug = true; break;
                default: s.help = true;
            }
        }
        if (s.help) return s;
        if (positional.isEmpty()) throw new UsageError("conform needs a MODEL; see 'tfl4j conform --help'");
        s.model = positional.get(0);
        s.npyFiles.addAll(positional.subList(1, positional.size()));
        if (!s.npyFiles.isEmpty() && s.casesOrSeedGiven) {
            throw new UsageError("--cases and --seed apply to generated inputs, not to given .npy files");
        }
        return s;
    }

    private static int positiveInt(String name, String value) {
        try {
            int v = Integer.parseInt(value);
            if (v >= 1) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageError(name + " must be a positive integer, got '" + value + "'");
    }
}
