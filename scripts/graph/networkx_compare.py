"""Times `causal-mmm adjust --format json` end to end against networkx's find_minimal_d_separator.

Usage: networkx_compare.py CAUSAL_MMM DOT_FILE [RUNS [NETWORKX_RUNS]]
The DOT file is graph-benchmark's (one node statement per line with `latent=true` and
`role=treatment|outcome`, one `"a" -> "b"` edge per line), read here with a regular expression so
networkx needs no DOT reader. networkx is given the proper back-door graph (the first edges of
the causal paths removed) and restricted to the allowed nodes (observed, outside X, Y and the
descendants of the causal nodes), so both answer the same question: a minimal adjustment set.
"""

import json
import os
import re
import statistics
import subprocess
import sys
import time

import networkx as nx


def read_dot(path):
    nodes, edges = {}, []
    node_pattern = re.compile(r'^\s*"((?:[^"\\]|\\.)*)"\s*\[([^\]]*)\];\s*$')
    edge_pattern = re.compile(r'^\s*"((?:[^"\\]|\\.)*)"\s*->\s*"((?:[^"\\]|\\.)*)"')
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            edge = edge_pattern.match(line)
            if edge:
                edges.append((edge.group(1), edge.group(2)))
                continue
            node = node_pattern.match(line)
            if node:
                attributes = node.group(2)
                role = re.search(r"role=(\w+)", attributes)
                nodes[node.group(1)] = ("latent=true" in attributes, role.group(1) if role else None)
    return nodes, edges


def main():
    binary, dot = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    networkx_runs = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    cli_times, cli_cpu, report = [], [], None
    for _ in range(runs):
        before = os.times()
        start = time.perf_counter()
        output = subprocess.run(
            [binary, "adjust", dot, "--format", "json"], check=True, capture_output=True, text=True
        ).stdout
        cli_times.append(time.perf_counter() - start)
        after = os.times()
        cli_cpu.append((after.children_user - before.children_user) + (after.children_system - before.children_system))
        report = json.loads(output)

    start = time.perf_counter()
    nodes, edges = read_dot(dot)
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    treatment = next(name for name, (_, role) in nodes.items() if role == "treatment")
    outcome = next(name for name, (_, role) in nodes.items() if role == "outcome")
    # Proper causal nodes: descendants of X (X excluded) that reach Y without passing X.
    reaches_outcome = nx.ancestors(graph.subgraph(n for n in graph if n != treatment), outcome) | {outcome}
    causal = (nx.descendants(graph, treatment)) & reaches_outcome
    forbidden = {treatment} | causal
    stack = list(causal)
    while stack:
        for child in graph.successors(stack.pop()):
            if child not in forbidden:
                forbidden.add(child)
                stack.append(child)
    backdoor = graph.copy()
    backdoor.remove_edges_from([(treatment, child) for child in graph.successors(treatment) if child in causal])
    allowed = {n for n, (latent, _) in nodes.items() if not latent and n not in forbidden and n != outcome}
    setup = time.perf_counter() - start

    nx_times, separator = [], None
    for _ in range(networkx_runs):
        start = time.perf_counter()
        separator = nx.find_minimal_d_separator(backdoor, {treatment}, {outcome}, restricted=allowed)
        nx_times.append(time.perf_counter() - start)
    valid = separator is not None and nx.is_d_separator(backdoor, {treatment}, {outcome}, separator)

    cli, cpu, nxt = statistics.median(cli_times), statistics.median(cli_cpu), statistics.median(nx_times)
    sets = report["minimal_adjustment_sets"]
    print(f"graph: {len(nodes)} nodes, {len(edges)} edges, treatment {treatment}, outcome {outcome}")
    print(f"causal-mmm adjust --format json, end to end: median {cli * 1000:.1f} ms wall, "
          f"{cpu * 1000:.1f} ms CPU over {runs} runs (min {min(cli_times) * 1000:.1f} ms); "
          f"{len(sets)} minimal set(s), first of size {len(sets[0]) if sets else 'none'}; "
          f"{len(report['roles']['colliders'])} colliders, {len(report['roles']['instruments'])} instruments")
    print(f"networkx {nx.__version__} find_minimal_d_separator: median {nxt * 1000:.1f} ms over {networkx_runs} run(s) "
          f"(min {min(nx_times) * 1000:.1f} ms; graph read and back-door graph built in {setup * 1000:.1f} ms, "
          f"not counted); set of size {len(separator) if separator is not None else 'none'}, "
          f"valid d-separator: {valid}")
    print(f"ratio causal-mmm end to end / networkx separator call: {cli / nxt:.4f} (wall), {cpu / nxt:.4f} (CPU); "
          f"networkx takes {nxt / cli:.0f}x the wall time of the whole causal-mmm run")
    print(f"load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
