package org.tfl4j.kernels;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The float32 arithmetic shared by TFLite 2.21's builtin kernels on x86-64 (SSE2 build, no FMA, 4-float
 * Eigen packets, FTZ+DAZ during Invoke), as scalar Java: flush-to-zero, C++ {@code std::min/max}, the
 * fused-activation clamp, the two dot-product orders of Eigen's GEMV/GEMM kernels, Eigen's logistic and
 * tanh, and glibc's {@code expf} (reached only by the scalar tail of logistic).
 *
 * <p>Every {@code *} and {@code +} below rounds to float32 in the written order (Java evaluates float
 * expressions that way); the section numbers refer to the numerics spec.
 */
public final class TfliteMath {
    private TfliteMath() {}

    /** The "no activation" clamp bound, {@code std::numeric_limits<float>::max()}. */
    public static final float FLT_MAX = Float.MAX_VALUE;

    // ---------------------------------------------------------------------------------------------
    // Flush-to-zero and C++ min/max (spec G3, G4)

    /**
     * MXCSR FTZ/DAZ, which TFLite switches on for the whole of Invoke: a subnormal becomes a zero of
     * the same sign. Java has gradual underflow, so kernels call this where a subnormal can arise.
     */
    public static float ftz(float v) {
        return Math.abs(v) < Float.MIN_NORMAL ? Math.copySign(0f, v) : v;
    }

    /** C++ {@code std::min(a, b)} = {@code (b < a) ? b : a}: a NaN {@code a} is kept, ties keep {@code a}. */
    public static float stdMin(float a, float b) {
        return (b < a) ? b : a;
    }

    /** C++ {@code std::max(a, b)} = {@code (a < b) ? b : a}: a NaN {@code a} is kept, ties keep {@code a}. */
    public static float stdMax(float a, float b) {
        return (a < b) ? b : a;
    }

    /** TFLite's CwiseClipping: {@code std::max(std::min(limit, v), -limit)} (a NaN becomes +limit). */
    public static float clip(float v, float limit) {
        return stdMax(stdMin(limit, v), -limit);
    }

    /**
     * TFLite's fused-activation clamp {@code min(max(v, lo), hi)} (ActivationFunctionWithMinMax; Eigen's
     * cwiseMin/cwiseMax give the same for lo &lt;= hi). With [0, FLT_MAX] (RELU) this is
     * {@code v < 0 ? +0 : v}: -0.0 and NaN pass unchanged, +inf becomes FLT_MAX (spec 3.8, 3.11).
     */
    public static float activation(float v, float lo, float hi) {
        return stdMin(stdMax(v, lo), hi);
    }

    // ---------------------------------------------------------------------------------------------
    // Dot-product orders (spec 1.1)

    /**
     * Eigen's row-major GEMV with 4-float packets: lane j sums the products with index = j (mod 4),
     * the lanes are reduced as {@code (l0 + l2) + (l1 + l3)}, then the last {@code n mod 4} products
     * are added in order. The lanes start at +0, so the result is never -0.
     */
    public static float dot4(float[] a, int aOff, float[] b, int bOff, int n) {
        float l0 = 0f, l1 = 0f, l2 = 0f, l3 = 0f;
        int k = 0;
        for (; k + 4 <= n; k += 4) {
            l0 = l0 + a[aOff + k] * b[bOff + k];
            l1 = l1 + a[aOff + k + 1] * b[bOff + k + 1];
            l2 = l2 + a[aOff + k + 2] * b[bOff + k + 2];
            l3 = l3 + a[aOff + k + 3] * b[bOff + k + 3];
        }
        float s = (l0 + l2) + (l1 + l3);
        for (; k < n; k++) s = s + a[aOff + k] * b[bOff + k];
        return s;
    }

    /** Plain sequential accumulation from +0 (one accumulator of Eigen's GEMM micro-kernel). */
    public static float seqsum(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0f;
        for (int k = 0; k < n; k++) s = s + a[aOff + k] * b[bOff + k];
        return s;
    }

    // ---------------------------------------------------------------------------------------------
    // Eigen logistic (spec 3.12)

    // The constants are public so that the SIMD packet kernel (org.tfl4j.kernels.simd.F32Logistic) uses the same bits.

    /** Above this input Eigen's logistic interpolant is exactly 1 (0x41851592). */
    public static final float LOGISTIC_CUTOFF = Float.intBitsToFloat(0x41851592); // 16.6355324
    /** Below this input the packet logistic returns +0 without computing. */
    public static final float LOGISTIC_PACKET_LOW = -104.0f;
    // exp(x/2) of Eigen's pexp: range reduction by ln 2 split in two, then the polynomial's coefficients.
    public static final float LOG2E = Float.intBitsToFloat(0x3fb8aa3b); // 1.44269502
    public static final float LN2_HI = Float.intBitsToFloat(0xbf318000); // -0.693359375
    public static final float LN2_LO = Float.intBitsToFloat(0x395e8083); // 2.12194442e-4
    public static final float EXP_P5 = Float.intBitsToFloat(0x3c088e52); // 8.33471306e-3
    public static final float EXP_P3 = Float.intBitsToFloat(0x3e2aab38); // 0.166668773
    public static final float EXP_P4 = Float.intBitsToFloat(0x3d2b9df0); // 4.18986678e-2
    public static final float EXP_P2 = Float.intBitsToFloat(0x3efffee0); // 0.499991417

    /**
     * Eigen's logistic as its 4-float packet code computes it (every element of a vector except a
     * scalar head/tail, see {@link Logistic}): exp(x/2) by range reduction and a polynomial, squared,
     * then {@code e / (e + 1)}.
     */
    public static float logisticPacket(float x) {
        if (x < LOGISTIC_PACKET_LOW) return 0.0f;
        float xh = stdMin(x, LOGISTIC_CUTOFF) * 0.5f;   // exact halving
        float t = xh * LOG2E + 0.5f;
        float m = (float) Math.floor(t);                 // exact
        float r = m * LN2_HI + xh;                        // m * LN2_HI is exact
        r = r + m * LN2_LO;
        float r2 = r * r;
        float pOdd = r2 * EXP_P5 + EXP_P3;
        float pEven = r2 * EXP_P4 + EXP_P2;
        float p = r * pOdd + pEven;
        p = p * r2 + (r + 1.0f);
        float e = p * pow2(m);                            // exact for m in [-75, 12]
        e = ftz(e * e);                                   // x below about -87.34 squares to a subnormal: +0
        return e / (e + 1.0f);
    }

    /** 2^m as Eigen's pldexp builds it: the biased exponent clamped to [0, 255] and shifted into place. */
    private static float pow2(float m) {
        int biased = (int) m + 127;
        if (biased < 0) biased = 0;
        if (biased > 255) biased = 255;
        return Float.intBitsToFloat(biased << 23);
    }

    /**
     * Eigen's scalar logistic (the elements outside whole packets): {@code e = expf(min(x, cutoff))},
     * {@code e / (1 + e)}, with glibc's {@code expf} and no lower cutoff.
     */
    public static float logisticScalar(float x) {
        float e = ftz(glibcExpf(stdMin(x, LOGISTIC_CUTOFF)));
        return ftz(e / (1.0f + e));
    }

    // ---------------------------------------------------------------------------------------------
    // Eigen tanh (spec 3.13)

    // The coefficients are public so that the SIMD kernel (org.tfl4j.kernels.simd.F32Tanh) uses the same bits.

    /** Beyond this magnitude Eigen's non-FMA tanh rational is exactly ±1 (0x40fd0956). */
    public static final float TANH_CLAMP = Float.intBitsToFloat(0x40fd0956); // 7.90738964
    public static final float TANH_P13 = Float.intBitsToFloat(0x326f951e); // 1.39455363e-08
    public static final float TANH_P11 = Float.intBitsToFloat(0x37b063dc); // 2.10273356e-05
    public static final float TANH_P9 = Float.intBitsToFloat(0x3b66bc7f);  // 3.52075673e-03
    public static final float TANH_P7 = Float.intBitsToFloat(0x3e093cf6);  // 0.13402161
    public static final float TANH_Q6 = Float.intBitsToFloat(0x35572c00);  // 8.01577698e-07
    public static final float TANH_Q4 = Float.intBitsToFloat(0x39ae6d96);  // 3.32695141e-04
    public static final float TANH_Q2 = Float.intBitsToFloat(0x3cd4c460);  // 2.59725451e-02
    public static final float TANH_Q0 = Float.intBitsToFloat(0x3eef4922);  // 0.467354834

    /**
     * Eigen's float tanh (non-FMA variant): clamp to ±{@link #TANH_CLAMP}, then an odd/even rational.
     * The packet and scalar code paths give identical results, so one method serves both.
     */
    public static float tanh(float x) {
        x = ftz(x);                                           // DAZ: a subnormal input acts as ±0
        float xc = stdMax(stdMin(x, TANH_CLAMP), -TANH_CLAMP); // Eigen's pmin/pmax order: NaN passes
        float x2 = xc * xc;
        float x3 = xc * x2;
        float p = x2 * TANH_P13 + TANH_P11;
        p = p * x2 + TANH_P9;
        p = p * x2 + TANH_P7;
        p = p * x3 + xc;
        float q = x2 * TANH_Q6 + TANH_Q4;
        q = q * x2 + TANH_Q2;
        q = q * x2 + TANH_Q0;
        q = q * x2 + 1.0f;
        return p / q;
    }

    // ---------------------------------------------------------------------------------------------
    // glibc expf (spec 3.14)

    private static final int EXP2F_TABLE_BITS = 5;
    private static final int EXP2F_N = 1 << EXP2F_TABLE_BITS;
    /** T[i] = bits(RN(2^(i/32))) - (i << 47): the table of glibc's exp2f_data. */
    private static final long[] EXP2F_TABLE = exp2fTable();
    private static final double INV_LN2_N = 0x1.71547652b82fep+0 * EXP2F_N;
    private static final double SHIFT = 0x1.8p+52;
    private static final double C0 = 0x1.c6af84b912394p-5 / EXP2F_N / EXP2F_N / EXP2F_N;
    private static final double C1 = 0x1.ebfce50fac4f3p-3 / EXP2F_N / EXP2F_N;
    private static final double C2 = 0x1.62e42ff0c52d6p-1 / EXP2F_N;
    private static final float EXPF_OVERFLOW = Float.intBitsToFloat(0x42b17217);   // 88.7228317
    private static final float EXPF_UNDERFLOW = Float.intBitsToFloat(0xc2cff1b4);  // -103.972076

    /**
     * glibc 2.28+'s {@code expf} (the algorithm shared with ARM optimized-routines), evaluated in double
     * as glibc does. It is not correctly rounded; TFLite's scalar logistic tail calls it.
     */
    public static float glibcExpf(float x) {
        int abstop = (Float.floatToRawIntBits(x) >>> 20) & 0x7ff;
        if (abstop >= (Float.floatToRawIntBits(88.0f) >>> 20)) {
            if (x == Float.NEGATIVE_INFINITY) return 0.0f;
            if (abstop >= (Float.floatToRawIntBits(Float.POSITIVE_INFINITY) >>> 20)) return x + x;
            if (x > EXPF_OVERFLOW) return Float.POSITIVE_INFINITY;
            if (x < EXPF_UNDERFLOW) return 0.0f;
        }
        double z = INV_LN2_N * (double) x;
        double kd = z + SHIFT;               // round z to an integer k (ties to even) ...
        long ki = Double.doubleToRawLongBits(kd);
        kd = kd - SHIFT;
        double r = z - kd;                   // ... and keep the remainder, |r| <= 1/2
        long t = EXP2F_TABLE[(int) (ki & (EXP2F_N - 1))] + (ki << (52 - EXP2F_TABLE_BITS));
        double s = Double.longBitsToDouble(t); // 2^(k/32)
        z = C0 * r + C1;
        double r2 = r * r;
        double y = C2 * r + 1;
        y = z * r2 + y;
        y = y * s;
        return (float) y;
    }

    /** Entry {@code i} of the exp2f table (for tests). */
    static long exp2fTableEntry(int i) {
        return EXP2F_TABLE[i];
    }

    /** RN(2^(i/32)) from a 50-digit 32nd root of 2, so the table does not depend on Math.pow's accuracy. */
    private static long[] exp2fTable() {
        MathContext mc = new MathContext(50);
        BigDecimal root = BigDecimal.valueOf(2);
        for (int i = 0; i < EXP2F_TABLE_BITS; i++) root = root.sqrt(mc);
        long[] table = new long[EXP2F_N];
        BigDecimal power = BigDecimal.ONE;
        for (int i = 0; i < EXP2F_N; i++) {
            double rounded = Double.parseDouble(power.toString()); // correctly rounded
            table[i] = Double.doubleToRawLongBits(rounded) - ((long) i << (52 - EXP2F_TABLE_BITS));
            power = power.multiply(root, mc);
        }
        return table;
    }
}
