import Testing
@testable import CausalGraph
