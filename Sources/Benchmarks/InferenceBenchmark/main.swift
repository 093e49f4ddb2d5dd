print("inference-benchmark: being written (issue 4)")
