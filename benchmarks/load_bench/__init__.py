"""The parts of the load benchmark (``benchmarks/load_test.py``)."""
