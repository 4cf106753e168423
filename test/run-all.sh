#!/usr/bin/env bash
# The whole test suite (`npm test`): typecheck, lint, the Vitest tests on the real PostgreSQL server, and a
# smoke run of the built app on the embedded database (PGlite). Every check runs even when an earlier one
# fails; the last line is `N passed, N failed` (`, N skipped` when any), and the exit code is 0 only when
# nothing failed. Full logs go to test-results/.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
export PATH="$ROOT/node_modules/.bin:$PATH" # the project's Node 24, tsc, biome, vitest
NODE="$ROOT/node_modules/.bin/node"
RESULTS="$ROOT/test-results"
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

passed=0
failed=0
skipped=0
failures=() # one entry per failed check: "name|reason|log file"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/ebm-test.XXXXXX")"
APP_PID=""
cleanup() {
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    kill -KILL "$APP_PID" 2>/dev/null
    wait "$APP_PID" 2>/dev/null
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf "$RESULTS"
mkdir -p "$RESULTS"

step() { printf '%-12s ' "$1"; }
elapsed() { echo "$((SECONDS - $1)) s"; }

# Records one check: record NAME STATUS(0 = ok) REASON LOG
record() {
  if [[ "$2" -eq 0 ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$1|$3|$4")
  fi
}

# Runs one command as one check, its output in test-results/NAME.log.
check() {
  local name="$1" reason="$2" start=$SECONDS status
  shift 2
  step "$name"
  "$@" >"$RESULTS/$name.log" 2>&1
  status=$?
  if [[ $status -eq 0 ]]; then echo "ok ($(elapsed "$start"))"; else echo "FAILED ($(elapsed "$start"))"; fi
  record "$name" "$status" "$reason" "$RESULTS/$name.log"
}

# --- the govmomi ESXi simulator, used by the vSphere tests (counts only when its build fails) ---
if [[ -f test/simulator/build.sh ]]; then
  start=$SECONDS
  step simulator
  if bash test/simulator/build.sh >"$RESULTS/simulator.log" 2>&1; then
    echo "built ($(elapsed "$start"))"
  else
    echo "FAILED ($(elapsed "$start"))"
    record simulator 1 "test/simulator/build.sh failed (golang-go and golang-github-vmware-govmomi-dev installed?)" \
      "$RESULTS/simulator.log"
  fi
fi

# --- static checks ---
check typecheck "tsc --noEmit reported errors" tsc --noEmit --pretty false
check lint "biome check . reported problems (npx biome check --write . fixes most)" biome check --colors=off .

# --- Vitest on the real PostgreSQL server ---
vitest_tests() {
  local start=$SECONDS json="$RESULTS/vitest.json" status counts
  step vitest
  rm -f "$json"
  # A hung run is stopped in time for the summary to print (CI allows 90 minutes in all).
  timeout --kill-after=30 "${VITEST_TIME_LIMIT_SECONDS:-3600}" \
    vitest run --reporter=default --reporter=json --outputFile="$json" >"$RESULTS/vitest.log" 2>&1
  status=$?
  [[ $status -eq 124 || $status -eq 137 ]] && echo "(stopped after ${VITEST_TIME_LIMIT_SECONDS:-3600} s)" >>"$RESULTS/vitest.log"
  if [[ ! -s "$json" ]]; then
    echo "CRASHED, exit code $status, no JSON report ($(elapsed "$start"))"
    record vitest 1 "vitest exited with code $status without writing its JSON report" "$RESULTS/vitest.log"
    return
  fi
  # Prints "passed failed skipped" on the first line, then the failures. A test file that fails to load
  # counts as one failed test; so does a non-zero exit with no failed test (e.g. an unhandled error).
  if ! counts="$("$NODE" - "$json" "$status" "$RESULTS/vitest-failures.txt" <<'EOF'
const fs = require('node:fs');
const path = require('node:path');
const [json, status, out] = process.argv.slice(2);
const report = JSON.parse(fs.readFileSync(json, 'utf8'));
const lines = [];
let failed = report.numFailedTests ?? 0;
const noise = /node_modules\/|node:internal|\(<anonymous>\)/;
const clip = (text, n) => String(text).split('\n').filter((l) => !noise.test(l)).slice(0, n).map((l) => `    ${l}`).join('\n');
for (const file of report.testResults ?? []) {
  const rel = path.relative(process.cwd(), file.name);
  const bad = (file.assertionResults ?? []).filter((a) => a.status === 'failed');
  for (const a of bad) lines.push(`✗ ${rel} > ${a.fullName ?? a.title}\n${clip((a.failureMessages ?? []).join('\n'), 12)}`);
  if (file.status === 'failed' && bad.length === 0) {
    failed += 1;
    lines.push(`✗ ${rel} (the file failed)\n${clip(file.message || 'see test-results/vitest.log', 12)}`);
  }
}
if (Number(status) !== 0 && failed === 0) {
  failed = 1;
  lines.push(`✗ vitest exited with code ${status} (unhandled error?): see test-results/vitest.log`);
}
fs.writeFileSync(out, `${lines.slice(0, 30).join('\n')}${lines.length > 30 ? `\n... and ${lines.length - 30} more` : ''}\n`);
const skippedCount = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${report.numPassedTests ?? 0} ${failed} ${skippedCount}`);
EOF
  )"; then
    echo "FAILED: unreadable JSON report ($(elapsed "$start"))"
    record vitest 1 "could not read vitest's JSON report" "$RESULTS/vitest.log"
    return
  fi
  local p f s
  read -r p f s <<<"$counts"
  passed=$((passed + p))
  failed=$((failed + f))
  skipped=$((skipped + s))
  echo "$p passed, $f failed, $s skipped ($(elapsed "$start"))"
  if [[ $f -gt 0 ]]; then failures+=("vitest|$f failed test(s):|$RESULTS/vitest-failures.txt"); fi
}
vitest_tests

# --- smoke: the built app on an empty DATA_DIR with embedded PGlite ---
smoke() {
  local data="$TMP/data" port body code final redirects deadline
  echo "npm run build"
  rm -rf dist
  npm run build || { echo "SMOKE: npm run build failed"; return 1; }
  mkdir -p "$data"
  port="$("$NODE" -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });")" ||
    { echo "SMOKE: could not find a free port"; return 1; }
  echo "starting dist/src/index.js on port $port, DATA_DIR=$data, no DATABASE_URL"
  env -u DATABASE_URL -u BACKUP_DIR -u APP_SECRET -u APP_SECRET_FILE -u ADMIN_USERNAME -u ADMIN_PASSWORD \
    PORT="$port" HOST=127.0.0.1 DATA_DIR="$data" LOG_LEVEL=info \
    "$NODE" dist/src/index.js >"$RESULTS/smoke-app.log" 2>&1 &
  APP_PID=$!

  deadline=$((SECONDS + 60))
  until body="$(curl -fsS --max-time 5 "http://127.0.0.1:$port/healthz" 2>/dev/null)"; do
    if ! kill -0 "$APP_PID" 2>/dev/null; then
      wait "$APP_PID"
      echo "SMOKE: the app exited with code $? before answering /healthz (test-results/smoke-app.log):"
      tail -n 20 "$RESULTS/smoke-app.log"
      return 1
    fi
    if [[ $SECONDS -ge $deadline ]]; then
      echo "SMOKE: /healthz did not answer within 60 s (test-results/smoke-app.log)"
      return 1
    fi
    sleep 0.5
  done
  echo "GET /healthz: $body"
  "$NODE" -e 'const h = JSON.parse(process.argv[1]); process.exit(h.database === "pglite" ? 0 : 1);' "$body" ||
    { echo 'SMOKE: /healthz does not report "database":"pglite"'; return 1; }

  # A new install leads to the first-admin setup: GET / shows the form, or redirects (maybe through the
  # sign-in page) to /setup.
  read -r code final redirects < <(curl -sS -L --max-redirs 5 --max-time 10 -o "$TMP/home.html" \
    -w '%{http_code} %{url_effective} %{num_redirects}\n' "http://127.0.0.1:$port/")
  echo "GET /: HTTP ${code:-none} at ${final:-?} after ${redirects:-0} redirect(s)"
  if [[ "${redirects:-0}" -gt 0 ]]; then
    [[ "$code" == 200 && "${final:-}" =~ ^https?://[^/]+/setup([/?#].*)?$ ]] ||
      { echo "SMOKE: GET / leads to ${final:-nothing} (HTTP ${code:-none}), not to the /setup page"; return 1; }
  else
    if [[ "$code" != 200 ]] || ! grep -q 'name="username"' "$TMP/home.html"; then
      echo "SMOKE: GET / answers HTTP ${code:-none} without the first-admin form (no name=\"username\")"
      return 1
    fi
  fi

  kill -TERM "$APP_PID"
  deadline=$((SECONDS + 10))
  while kill -0 "$APP_PID" 2>/dev/null; do
    if [[ $SECONDS -ge $deadline ]]; then
      echo "SMOKE: the app did not exit within 10 s of SIGTERM"
      return 1
    fi
    sleep 0.2
  done
  wait "$APP_PID"
  echo "stopped by SIGTERM, exit code $?"
  APP_PID=""
}
start=$SECONDS
step smoke
smoke >"$RESULTS/smoke.log" 2>&1
status=$?
if [[ $status -eq 0 ]]; then echo "ok ($(elapsed "$start"))"; else echo "FAILED ($(elapsed "$start"))"; fi
record smoke "$status" "the built app on PGlite: $(grep -m1 '^SMOKE:' "$RESULTS/smoke.log" | cut -c8-)" \
  "$RESULTS/smoke.log"
cleanup # stops the app if the smoke test left it running

# --- summary ---
# The useful part of a failed check's log, indented.
summarize() {
  case "$1" in
    typecheck) grep -E 'error TS[0-9]+' "$2" | head -n 20 || tail -n 25 "$2" ;;
    lint) { grep -E '━━━' "$2" | sed -E 's/ *━+$//' | grep -v '^check$' | head -n 20; grep -E '^(Found|Checked) ' "$2"; } ;;
    vitest) if [[ "$2" == *failures.txt ]]; then cat "$2"; else tail -n 25 "$2"; fi ;;
    smoke) grep -v -E '^(npm warn|> |$)' "$2" | tail -n 25 ;;
    *) tail -n 25 "$2" ;;
  esac | sed -E -e 's/\x1b\[[0-9;]*m//g' -e 's/^/      /'
}
if [[ ${#failures[@]} -gt 0 ]]; then
  echo
  echo "Failed checks (full logs in test-results/):"
  for entry in "${failures[@]}"; do
    IFS='|' read -r name reason log <<<"$entry"
    echo "  ✗ $name: $reason"
    [[ -f "$log" ]] && summarize "$name" "$log"
  done
  echo
fi
if [[ $skipped -gt 0 ]]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[[ $failed -eq 0 ]]
