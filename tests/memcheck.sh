#!/usr/bin/env bash
# Runs the whole test suite under valgrind's memcheck: every test program, and every gridrl
# process the tests start (--trace-children; gnuplot, the shell and OpenMPI's launcher, with
# the ranks it starts, are left alone: the ASan build checks those). Any error valgrind
# reports, or a leak, fails the run.
#
#   bash tests/memcheck.sh [BUILD_DIR]      (default build; a build without sanitizers)
#
# README.md ("Quick start") shows it after the test command. Programs run about 20 times
# slower under valgrind, so the whole suite takes several minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
command -v valgrind > /dev/null || { echo "memcheck: valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
if grep -q 'GRIDRL_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2> /dev/null; then
  echo "memcheck: $build is a sanitizer build; valgrind needs a plain one (e.g. build)" >&2
  exit 2
fi
log=$(mktemp -d /tmp/gridrl_memcheck.XXXXXX)
export GRIDRL_VALGRIND=1 CMOCKA_MESSAGE_OUTPUT=stdout
status=0
for test in "$build"/tests/test_* "$build"/tests/fuzz_*_replay; do
  [ -x "$test" ] || continue
  name=$(basename "$test")
  args=()
  case $name in fuzz_*_replay) t=${name#fuzz_}; args=(tests/fuzz/corpus/${t%_replay}) ;; esac
  if valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
       --trace-children=yes --trace-children-skip='*/gnuplot,*/sh,*/bash,*/env,*/mpirun,*/mpiexec,*/orterun,*/orted' \
       --log-file="$log/$name.%p.log" "$test" "${args[@]}" > "$log/$name.out" 2>&1; then
    echo "memcheck: $name: clean"
  else
    echo "memcheck: $name: FAILED (exit $?): see $log/$name.*"
    status=1
  fi
done
# Errors in a child (gridrl started by a test) land in its log even when the test passed.
if grep -l 'ERROR SUMMARY: [1-9]\|definitely lost: [1-9]\|indirectly lost: [1-9]' "$log"/*.log 2> /dev/null; then
  echo "memcheck: valgrind reported errors in the logs above"
  status=1
fi
[ $status = 0 ] && echo "memcheck: every test program clean under valgrind" && rm -rf "$log"
exit $status
