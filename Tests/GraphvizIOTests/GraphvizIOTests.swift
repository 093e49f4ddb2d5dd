import Testing
@testable import GraphvizIO
