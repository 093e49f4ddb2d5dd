print("graph-benchmark: being written (issue 3)")
