# Developer shortcuts; each target is one script (the scripts say what they do).

.PHONY: bench bench-smoke

# Every benchmark figure at full size (100,000 devices): prints the table, writes bench/RESULTS.md.
bench:
	bench/run.sh

# The same at small sizes, figures reported but not judged (CI).
bench-smoke:
	bench/run.sh --smoke
