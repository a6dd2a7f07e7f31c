import FluentPostgresDriver
import Foundation
import NIOConcurrencyHelpers
import PostgresKit
import PostgresNIO
import Vapor
import Voting

/// Several instances on one PostgreSQL: a vote cast through one must update the projection
/// screens connected to another. Each change is sent with `NOTIFY renda_ballot, '<id>'`; every
/// instance keeps one connection of its own listening and hands what it hears to its screens.
/// The listener reconnects after a lost connection (a screen then misses nothing lasting: it
/// reads the whole state on the next change).
final class BallotRelay: LifecycleHandler, Sendable {
    static let channel = "renda_ballot"
    private let configuration: SQLPostgresConfiguration
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)
    private let connection = NIOLockedValueBox<PostgresConnection?>(nil)

    init(configuration: SQLPostgresConfiguration) { self.configuration = configuration }

    /// Sends every change made here to the others.
    static func install(_ app: Application, configuration: SQLPostgresConfiguration) {
        let relay = BallotRelay(configuration: configuration)
        let db = app.db
        app.ballotEvents.relay { ballot in
            Task { try? await (db as? any SQLDatabase)?.raw("SELECT pg_notify(\(bind: channel), \(bind: String(ballot)))").run() }
        }
        app.lifecycle.use(relay)
    }

    func didBootAsync(_ app: Application) async throws {
        let events = app.ballotEvents, logger = app.logger, config = configuration.coreConfiguration
        let loop = app.eventLoopGroup.next()
        let current = connection
        task.withLockedValue {
            $0 = Task {
                var attempt = 0
                while !Task.isCancelled {
                    do {
                        attempt += 1
                        let connection = try await PostgresConnection.connect(on: loop, configuration: config, id: 9_000 + attempt, logger: logger)
                        current.withLockedValue { $0 = connection }
                        attempt = 0
                        try await connection.listen(on: Self.channel) { notifications in
                            for try await n in notifications {
                                if let id = Int(n.payload) { events.deliver(id) }
                            }
                        }
                    } catch {
                        if Task.isCancelled { return }
                        logger.warning("ballot relay: \(error); reconnecting")
                        try? await Task.sleep(for: .seconds(min(10, max(1, attempt))))
                    }
                }
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        task.withLockedValue { $0?.cancel() }
        // Closing the connection ends the notification sequence the task is waiting on.
        try? await connection.withLockedValue { $0 }?.close()
    }
}
