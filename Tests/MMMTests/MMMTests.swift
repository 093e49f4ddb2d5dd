import Testing
@testable import MMM
