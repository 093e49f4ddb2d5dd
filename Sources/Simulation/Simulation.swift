// The Simulation module: structural causal models over a CausalDAG, do-interventions, scenarios.
