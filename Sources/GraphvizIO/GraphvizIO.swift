// GraphvizIO: DOT <-> CausalDAG through libgraphviz.
