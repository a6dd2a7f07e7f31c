import Fluent
import Platform
import Foundation
import Vapor

/// What a projection screen shows of a ballot, sent again each time it changes: the state,
/// the turnout, and once closed the results, receipts' hashes and the seal. A domain may name
/// each question's outcome its own way (`outcomes`, by question id: 通过 / 未进入前10位 …);
/// without it the screen shows 通过 / 未通过 by the rule.
public struct BallotLive: Encodable, Sendable {
    public let state: String; public let members: Int; public let voted: Int; public let yesNeeded: Int
    public let results: [QuestionResult]; public let hashes: [String]; public let seal: String?
    public let outcomes: [String: String]?

    public static func load(_ b: Ballot, outcomes: [Int: String]? = nil, on db: Database) async throws -> BallotLive {
        let id = try b.requireID()
        let voted = try await VotingQuery.votedCount(id, on: db)
        let results = b.state == .closed ? try await Tally.stored(id, on: db) : []
        let hashes = b.state == .closed ? try await Tally.publishedHashes(id, on: db).map { String($0.receiptHash.prefix(12)) } : []
        return BallotLive(state: b.state.rawValue, members: b.members, voted: voted, yesNeeded: b.rule.yesNeeded(members: b.members), results: results,
                          hashes: hashes, seal: b.state == .closed ? b.seal : nil,
                          outcomes: outcomes.map { Dictionary(uniqueKeysWithValues: $0.map { (String($0.key), $0.value) }) })
    }
}

/// Server-Sent Events for a projection screen: the ballot's state now, then again each time it
/// changes (`BallotEvents`), until it closes.
///
/// The stream must end with `.end` or `.error` whatever happens — a projection page that goes
/// away makes the next write throw, and a writer dropped without either trips an assertion
/// that takes the whole server down. A comment line every 20 seconds finds such clients even
/// when nobody votes, so their subscriptions do not pile up.
public enum BallotStream {
    public static func response(_ req: Request, ballot id: Int,
                                live: @escaping @Sendable (Ballot, Database) async throws -> BallotLive) async throws -> Response {
        guard try await VotingQuery.ballot(id, on: req.db) != nil else { throw RendaError.notFound }
        let app = req.application, db = req.db
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "event-stream")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(asyncStream: { writer in
            let (token, stream) = app.ballotEvents.subscribe(id, heartbeat: .seconds(20))
            defer { app.ballotEvents.unsubscribe(id, token) }
            do {
                func send() async throws -> Bool {
                    guard let b = try await VotingQuery.ballot(id, on: db) else { return false }
                    let json = String(decoding: try JSONEncoder().encode(try await live(b, db)), as: UTF8.self)
                    try await writer.write(.buffer(ByteBuffer(string: "data: \(json)\n\n")))
                    return b.state != .closed
                }
                if try await send() {
                    listening: for await event in stream {
                        switch event {
                        case .changed: if !(try await send()) { break listening }
                        case .heartbeat: try await writer.write(.buffer(ByteBuffer(string: ": keep-alive\n\n")))
                        }
                    }
                }
                try await writer.write(.end)
            } catch {
                // The client left (or the database failed): end the response; nobody is listening.
                try? await writer.write(.error(error))
            }
        }))
    }
}
