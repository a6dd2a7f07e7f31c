import Testing
@testable import Platform
@Test func nothing() {}
