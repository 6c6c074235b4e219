package org.tfl4j.parser;

/**
 * Builtin operator codes (schema.fbs {@code BuiltinOperator}) that tfl4j names in code.
 * {@link #name(int)} names any code the schema knows.
 */
public final class BuiltinOp {
    public static final int ADD = 0;
    public static final int CONCATENATION = 2;
    public static final int CONV_2D = 3;
    public static final int FULLY_CONNECTED = 9;
    public static final int LOGISTIC = 14;
    public static final int MUL = 18;
    public static final int RESHAPE = 22;
    public static final int TANH = 28;
    public static final int GATHER = 36;
    public static final int DIV = 42;
    public static final int UNIDIRECTIONAL_SEQUENCE_LSTM = 44;
    public static final int STRIDED_SLICE = 45;
    public static final int TOPK_V2 = 48;
    public static final int SPLIT = 49;
    public static final int SUB = 41;
    public static final int CAST = 53;
    public static final int LESS = 58;
    public static final int SELECT = 64;
    public static final int NOT_EQUAL = 72;
    public static final int UNPACK = 88;
    public static final int SUM = 74;
    public static final int REDUCE_MAX = 82;
    public static final int LOGICAL_AND = 86;
    public static final int WHILE = 119;
    public static final int CUSTOM = 32;

    private BuiltinOp() {}

    /** The schema's name of a builtin code, e.g. "CONV_2D", or "BUILTIN_" + code when unknown. */
    public static String name(int code) {
        try {
            return org.tensorflow.lite.schema.BuiltinOperator.name(code);
        } catch (RuntimeException e) {
            return "BUILTIN_" + code;
        }
    }
}
