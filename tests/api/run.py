#!/usr/bin/env python3
"""Runs the black-box API tests: every tests/api/test_*.py, with unittest.

    SPUR_BUILD=build-address python3 tests/api/run.py [name-pattern ...]

Arguments (optional) keep only tests whose id contains one of them. Prints a final
line "N passed, N failed" and exits non-zero when any test failed or errored."""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def flatten(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from flatten(t)
        else:
            yield t


def main(argv):
    sys.path.insert(0, HERE)
    build = os.environ.get("SPUR_BUILD", "build")
    print("spur API tests against %s" % build, flush=True)
    loader = unittest.TestLoader()
    suite = loader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    if argv:
        keep = [t for t in flatten(suite) if any(a in t.id() for a in argv)]
        suite = unittest.TestSuite(keep)
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    passed = max(0, result.testsRun - failed - len(result.skipped) - len(result.expectedFailures))
    if result.skipped:
        print("%d skipped" % len(result.skipped))
    print("%d passed, %d failed" % (passed, failed), flush=True)
    return 1 if failed or result.testsRun == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
