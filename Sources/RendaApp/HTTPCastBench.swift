import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// The timed part of the voting benchmarks: `voters` papers cast over HTTP by `concurrency`
/// clients, each paper with its voter's own bearer token, after an untimed warm-up (as in a
/// session hall: phones connected before voting starts). Reports papers/s and p50/p99 per cast.
enum HTTPCastBench {
    static func run(url: String, voters: Int, concurrency: Int, label: (verb: String, noun: String) = ("cast", "ballots"),
                    warmUp: @escaping @Sendable (Int) -> HTTPClientRequest,
                    paper: @escaping @Sendable (Int) -> HTTPClientRequest) async throws -> String {
        // One connection per client: AsyncHTTPClient's default allows 8 per host, which made every
        // run before 2026-11-27 (late) eight clients whatever `concurrency` said, the rest queuing
        // for a connection inside this process (and counted in their latency).
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        defer { _ = client.shutdown() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    for _ in 0..<3 { _ = try await client.execute(warmUp(worker + 1), timeout: .seconds(30)).body.collect(upTo: 1 << 20) }
                }
            }
            try await group.waitForAll()
        }
        let next = NIOLockedValueBox(1)
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var mine: [Double] = []
                    while true {
                        let voter = next.withLockedValue { v -> Int in defer { v += 1 }; return v }
                        if voter > voters { break }
                        let t0 = ContinuousClock.now
                        let response = try await client.execute(paper(voter), timeout: .seconds(30))
                        let body = try await response.body.collect(upTo: 1 << 20)
                        let d = ContinuousClock.now - t0
                        guard response.status == .ok else {
                            throw Abort(.internalServerError, reason: "voter \(voter): \(response.status) \(String(buffer: body).prefix(200))")
                        }
                        mine.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
                    }
                    return mine
                }
            }
            var all: [Double] = []
            for try await part in group { all += part }
            return all.sorted()
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        func pct(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        return String(format: "%@: %d %@ in %.2f s = %.0f %@/s; p50 %.1f ms, p99 %.1f ms (concurrency %d)",
                      label.verb, latencies.count, label.noun, seconds, Double(latencies.count) / seconds, label.noun, pct(0.5), pct(0.99), concurrency)
    }

    /// A request with a voter's bench token.
    static func request(_ url: String, token: String, json: String? = nil) -> HTTPClientRequest {
        var r = HTTPClientRequest(url: url)
        r.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let json {
            r.method = .POST
            r.headers.add(name: "Content-Type", value: "application/json")
            r.body = .bytes(ByteBuffer(string: json))
        }
        return r
    }
}
