#!/usr/bin/env bash
# Run a command (the test suite) with a throwaway PostgreSQL server: starts it with pg_test_server.sh,
# exports CHAINATLAS_TEST_PG_URL, runs "$@", stops the server whatever the command's outcome, and exits
# with the command's status.  When no server can be started the command still runs: the PostgreSQL
# tests then skip with the reason (CHAINATLAS_TEST_PG_SKIP).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [[ -n "${CHAINATLAS_TEST_PG_URL:-}" ]]; then exec "$@"; fi
dir=$(mktemp -d /tmp/chainatlas-pg-XXXXXX)
stop() { bash "$here/pg_test_server.sh" stop "$dir" >/dev/null 2>&1 || true; }
trap stop EXIT INT TERM
if url=$(bash "$here/pg_test_server.sh" start "$dir") && [[ -n "$url" ]]; then
  export CHAINATLAS_TEST_PG_URL="$url"
  echo "PostgreSQL for the tests: $url" >&2
else
  export CHAINATLAS_TEST_PG_SKIP="no PostgreSQL server could be started (see the messages above)"
  echo "PostgreSQL tests will be skipped: no server could be started" >&2
fi
"$@"
status=$?
exit $status
