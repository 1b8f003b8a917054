# The project root: `app` is importable from the tests.
