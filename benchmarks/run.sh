#!/usr/bin/env bash
# Runs the JMH end-to-end benchmarks (tfl4j beside native TFLite 2.21, one thread) on JDK 17 and, when present,
# JDK 25, and writes docs/performance.md from their JSON results.
#
#   benchmarks/run.sh [--quick] [--jdk 17|25|both] [--rounds N] [--skip-build] [--no-varied] [--out FILE]
#                     [-- EXTRA_JMH_ARGS...]
#
#   Per JDK: every model and engine on the one representative history; then the paired rounds that the target
#   is judged on (per round and model one fork of tfl4j and one of TFLite-XNNPACK back to back, the engine that
#   goes first alternating); then tfl4j and both TFLite engines over 64 histories in turn (-p histories=64).
#
#   --quick        1 warmup and 2 measurement iterations of 1 s, and 2 rounds, a rough look (~4 min per JDK; a
#                  full run, two JVM forks per model and engine and 5 rounds, ~14 min per JDK)
#   --rounds N     paired rounds per model (default 5, 2 with --quick; 0: none, the target table then takes the
#                  main run's ratio of two engines measured minutes apart)
#   --no-varied    skip the run over 64 histories
#   --jdk 17|25    run on one JDK only (default: both; JDK 25 is skipped with a note when absent)
#   --skip-build   reuse the benchmarks jar already built
#   --out FILE     where to write the report (default docs/performance.md)
#   -- ARGS        passed to the main and varied JMH runs (not to the rounds), e.g. -- -p model=cnn
#
# Environment: JAVA_HOME or java on PATH = the JDK 17 run; JDK25_HOME (default /usr/lib/jvm/temurin-25-jdk-amd64);
# TFL4J_MODELS = the MovieLens models folder (default ../shared/models/movielens beside the checkout);
# TFL4J_BUILD_SUFFIX = build into target<suffix>/ instead of target/ (for concurrent builds in one checkout).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMMAND="benchmarks/run.sh${*:+ $*}"
SUFFIX="${TFL4J_BUILD_SUFFIX:-}"
QUICK=false
JDKS=both
BUILD=true
VARIED=true
ROUNDS=
OUT="$ROOT/docs/performance.md"
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=true ;;
    --jdk) JDKS="${2:?--jdk needs 17, 25 or both}"; shift ;;
    --skip-build) BUILD=false ;;
    --out) OUT="${2:?--out needs a file}"; shift ;;
    --) shift; EXTRA=("$@"); break ;;
    --no-varied) VARIED=false ;;
    --rounds) ROUNDS="${2:?--rounds needs a count}"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -n 's/^# \{0,1\}//p'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$JDKS" in 17|25|both) ;; *) echo "run.sh: --jdk takes 17, 25 or both" >&2; exit 2 ;; esac
if [ -z "$ROUNDS" ]; then if $QUICK; then ROUNDS=2; else ROUNDS=5; fi; fi
case "$ROUNDS" in ''|*[!0-9]*) echo "run.sh: --rounds takes a count (0 or more)" >&2; exit 2 ;; esac

MODELS="${TFL4J_MODELS:-$ROOT/../shared/models/movielens}"
if [ ! -f "$MODELS/sorted_movie_vocab.json" ]; then
  echo "run.sh: MovieLens models not found in $MODELS; set TFL4J_MODELS to the folder with the .tflite files" >&2
  exit 2
fi
MODELS="$(cd "$MODELS" && pwd)"

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA17="$JAVA_HOME/bin/java"; else JAVA17="$(command -v java || true)"; fi
JAVA25="${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"

TARGET="$ROOT/benchmarks/target$SUFFIX"
JAR="$TARGET/benchmarks.jar"
RESULTS="$TARGET/jmh"
START=$(date +%s)

if $BUILD; then
  echo "== building $JAR"
  "$ROOT/mvnw" -B -q -pl benchmarks -am package -DskipTests ${SUFFIX:+-Dtfl4j.buildSuffix=$SUFFIX}
fi
[ -f "$JAR" ] || { echo "run.sh: no $JAR (build it, or drop --skip-build)" >&2; exit 2; }
mkdir -p "$RESULTS"

JMH_ARGS=(EndToEndBenchmark -prof gc -prof org.tfl4j.benchmarks.InferenceAllocationProfiler
          -jvmArgsPrepend "-Dtfl4j.models=$MODELS" -rf json)
if $QUICK; then JMH_ARGS+=(-wi 1 -w 1s -i 2 -r 1s); fi
FORKS=()   # the main and varied runs: the benchmark's two forks, one when quick (the rounds always take one)
if $QUICK; then FORKS=(-f 1); fi

NOTES=("Machine load average when the run started: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown) (1, 5, 15 min); $(nproc 2>/dev/null || echo '?') CPUs.")
$QUICK && NOTES+=("Quick run (--quick): 1 warmup and 2 measurement iterations of 1 s; rough numbers.")
FILES=()
ROUND_FILES=()
ROUND_MODELS=(bow cnn rnn cnn-genre)

run_on() { # label java
  local label="$1" java="$2" file="$RESULTS/result-jdk$1.json" varied="$RESULTS/result-jdk$1-histories64.json"
  echo "== JMH on JDK $label: $("$java" -version 2>&1 | head -1)"
  "$java" -jar "$JAR" \
      "${JMH_ARGS[@]}" ${FORKS[@]+"${FORKS[@]}"} -rff "$file" ${EXTRA[@]+"${EXTRA[@]}"}
  FILES+=("$file")
  # One JMH invocation per round and model, one fork per engine: its two engines run seconds apart, not minutes.
  local r model order dir="$RESULTS/rounds-jdk$label"
  rm -rf "$dir"
  mkdir -p "$dir"
  for ((r = 1; r <= ROUNDS; r++)); do
    if ((r % 2)); then order=tfl4j,tflite-xnnpack; else order=tflite-xnnpack,tfl4j; fi
    echo "== JMH on JDK $label, paired round $r of $ROUNDS ($order)"
    for model in "${ROUND_MODELS[@]}"; do
      "$java" -jar "$JAR" "${JMH_ARGS[@]}" -f 1 -p model="$model" -p engine="$order" \
          -rff "$dir/round$r-$model.json" > "$dir/round$r-$model.log" 2>&1 \
          || { echo "run.sh: JMH failed in round $r on $model; the end of $dir/round$r-$model.log:" >&2
               tail -20 "$dir/round$r-$model.log" >&2; exit 1; }
      ROUND_FILES+=(--round "$dir/round$r-$model.json")
    done
  done
  if $VARIED; then
    echo "== JMH on JDK $label over 64 histories in turn"
    "$java" -jar "$JAR" \
        "${JMH_ARGS[@]}" ${FORKS[@]+"${FORKS[@]}"} -p engine=tfl4j,tflite-builtin,tflite-xnnpack -p histories=64 \
        -rff "$varied" ${EXTRA[@]+"${EXTRA[@]}"}
    FILES+=("$varied")
  fi
}

if [ "$JDKS" != 25 ]; then
  [ -n "$JAVA17" ] || { echo "run.sh: no java on PATH and no JAVA_HOME" >&2; exit 2; }
  run_on 17 "$JAVA17"
fi
if [ "$JDKS" != 17 ]; then
  if [ -x "$JAVA25" ]; then
    run_on 25 "$JAVA25"
  elif [ "$JDKS" = 25 ]; then
    echo "run.sh: no JDK 25 at $JAVA25 (set JDK25_HOME)" >&2; exit 2
  else
    NOTES+=("JDK 25 not found ($JAVA25; set JDK25_HOME): JDK 17 only.")
  fi
fi

# Where tfl4j's time goes: tfl4j bench's per-op profile of each model (JDK 17, the engine jar built with the benchmarks).
ENGINE_JAR="$ROOT/engine/target$SUFFIX/tfl4j-engine-0.1.0-SNAPSHOT-all.jar"
PROFILES=()
if [ -f "$ENGINE_JAR" ]; then
  for m in model_history10_top100 recommendation_cnn_i10o100 recommendation_rnn_i10o100 recommendation_cnn_i10i32o100; do
    f="$RESULTS/bench-$m.json"
    echo "== tfl4j bench $m"
    if "${JAVA17:-$JAVA25}" --add-modules jdk.incubator.vector -jar "$ENGINE_JAR" bench "$MODELS/$m.tflite" \
        --models "$MODELS" --runs 20000 --json > "$f" 2>/dev/null; then
      PROFILES+=(--profile "$f")
    else
      NOTES+=("tfl4j bench failed on $m; no profile for it.")
    fi
  done
else
  NOTES+=("No engine jar at $ENGINE_JAR: no per-op profile.")
fi

ELAPSED=$(( $(date +%s) - START ))
NOTES+=("Wall time of the whole script: $((ELAPSED / 60)) min $((ELAPSED % 60)) s.")
REPORT_ARGS=(--out "$OUT" --command "$COMMAND")
for n in "${NOTES[@]}"; do REPORT_ARGS+=(--note "$n"); done
REPORT_ARGS+=(${PROFILES[@]+"${PROFILES[@]}"} ${ROUND_FILES[@]+"${ROUND_FILES[@]}"})
"${JAVA17:-$JAVA25}" -cp "$JAR" org.tfl4j.benchmarks.PerformanceReport "${REPORT_ARGS[@]}" "${FILES[@]}"
echo "== done in ${ELAPSED} s; results in $RESULTS"
