import Fluent
import Platform
import Vapor
import Voting

/// Meetings and voting over `/api/v1`, including casting a ballot from a phone client.
struct MeetingsAPI {
    static let people: Set<Role> = [.staff, .committeeMember, .representative, .admin]

    struct MeetingItem: Content { var id: Int; var kind: String; var number: Int; var title: String; var date: String; var place: String }
    struct AgendaEntry: Content { var id: Int; var position: Int; var title: String; var kind: String; var ballots: [Int] }
    struct MeetingDetailDTO: Content { var meeting: MeetingItem; var agenda: [AgendaEntry]; var members: Int; var present: Int; var quorum: Bool }
    struct QuestionDTO: Content { var id: Int; var position: Int; var text: String }
    struct BallotDTO: Content {
        var id: Int; var title: String; var state: String; var secret: Bool; var showOfHands: Bool; var rule: String
        var members: Int; var voted: Int; var yesNeeded: Int; var questions: [QuestionDTO]; var results: [QuestionResult]
        /// Set once closed: the published seal of the box and the counts.
        var seal: String?
    }
    struct VoteBody: Content { var choices: [String: String] }
    struct Receipt: Content { var receipt: String }
    struct Done: Content { var message: String }
    struct Verification: Content { var ok: Bool; var problems: [String] }

    static func item(_ m: Meeting) -> MeetingItem {
        MeetingItem(id: m.id!, kind: m.kind.rawValue, number: m.number, title: m.title, date: m.date, place: m.place)
    }

    static func ballot(_ b: Ballot, on db: Database) async throws -> BallotDTO {
        let live = try await BallotView.live(b, on: db)
        let qs = try await VotingQuery.questions(b.requireID(), on: db)
        return BallotDTO(id: b.id!, title: b.title, state: b.state.rawValue, secret: b.secret, showOfHands: b.showOfHands, rule: b.rule.name,
                         members: b.members, voted: live.voted, yesNeeded: live.yesNeeded,
                         questions: qs.map { QuestionDTO(id: $0.id!, position: $0.position, text: $0.text) }, results: live.results, seal: live.seal)
    }

    func register(_ api: ApiRoutes) {
        api.docs.define("Meeting", .object([("id", .integer), ("kind", .string), ("number", .integer), ("title", .string),
                                            ("date", .string), ("place", .string)]))
        api.docs.define("Ballot", .object([
            ("id", .integer), ("title", .string), ("state", .string), ("secret", .boolean), ("showOfHands", .boolean), ("rule", .string),
            ("members", .integer), ("voted", .integer), ("yesNeeded", .integer),
            ("questions", .array(.object([("id", .integer), ("position", .integer), ("text", .string)]))),
            ("results", .array(.object([("questionID", .integer), ("yes", .integer), ("no", .integer), ("abstain", .integer),
                                        ("notVoted", .integer), ("adopted", .boolean)]))),
            ("seal", .optional(.string)),
        ]))
        api.on(.GET, "meetings", summary: "会议列表(新建的在前,游标分页)", roles: Self.people, query: KeysetCursor.queryNames, response: .page(.ref("Meeting"))) { req in
            try await Meeting.query(on: req.db).keysetPage(try req.keyset(size: 50), order: .newestFirst).map(Self.item).response(ApiPath("meetings"), keeping: [])
        }
        api.on(.POST, "meetings", summary: "新建会议(kind: congress|standing|director)", roles: [.staff],
               body: .object([("kind", .oneOf(MeetingKind.allCases.map(\.rawValue))), ("number", .integer), ("title", .string),
                              ("date", .string), ("place", .string)]), response: .ref("Meeting")) { req in
            let v = try req.content.decode([String: JSONScalar].self).mapValues(\.text)
            let m = try await MeetingService(db: req.db, now: req.now, account: try req.requireAccount())
                .create(kind: try MeetingKind.parse(v["kind"]), number: Int(v["number"] ?? ""), title: v["title"], date: v["date"], place: v["place"])
            return Self.item(m)
        }
        api.on(.GET, "meetings/:id", summary: "会议详情:议程、表决、出席与法定人数", roles: Self.people,
               response: .object([("meeting", .ref("Meeting")),
                                  ("agenda", .array(.object([("id", .integer), ("position", .integer), ("title", .string), ("kind", .string),
                                                             ("ballots", .array(.integer))]))),
                                  ("members", .integer), ("present", .integer), ("quorum", .boolean)])) { req in
            guard let m = try await Meeting.find(try req.intParameter("id"), on: req.db) else { throw RendaError.notFound }
            let items = try await AgendaItem.query(on: req.db).filter(\.$meetingID == m.requireID()).sort(\.$position).all()
            let ballots = try await VotingQuery.ballots(kind: "agenda", subjects: items.map { $0.id! }, on: req.db)
            let (members, present) = try await MeetingService.attendance(m.requireID(), on: req.db)
            return MeetingDetailDTO(meeting: Self.item(m), agenda: items.map { i in
                AgendaEntry(id: i.id!, position: i.position, title: i.title, kind: i.kind, ballots: ballots.filter { $0.subjectID == i.id }.map { $0.id! })
            }, members: members.count, present: present, quorum: m.kind.rule.hasQuorum(present: present, members: members.count))
        }
        api.on(.POST, "meetings/:id/:action", summary: """
            会务操作。action: agenda(item_title, item_kind); invite(observer); sign-in(account 可选,代签到须工作人员); \
            leave(leave_reason); approve-leave(account); ballot(item, questions 以换行分隔, named=1 为记名, purpose=whole|amendment|procedure|appointment|appointment_together:修正案须在整体表决前表决,合并表决任免须先有获通过的程序性表决)
            """, roles: Self.people,
               parameters: ["action": .oneOf(MeetingAccess.apiActions)],
               // The fields depend on the action (see the summary); every value is read as text.
               body: .map(.optional(.string)), response: .object([("message", .string)]), errors: [.conflict]) { req in
            let id = try req.intParameter("id")
            let v = ((try? req.content.decode([String: JSONScalar].self)) ?? [:]).mapValues(\.text)
            let s = MeetingService(db: req.db, now: req.now, account: try req.requireAccount())
            switch req.parameters.get("action") {
            case "agenda": try await s.addAgendaItem(id, title: v["item_title"], kind: v["item_kind"])
            case "invite": try await s.invite(id, accountID: Int(v["observer"] ?? "") ?? 0)
            case "sign-in": try await s.signIn(id, accountID: Int(v["account"] ?? ""))
            case "leave": try await s.requestLeave(id, reason: v["leave_reason"])
            case "approve-leave": try await s.approveLeave(id, accountID: Int(v["account"] ?? "") ?? 0)
            case "ballot":
                let b = try await s.createBallot(Int(v["item"] ?? "") ?? 0, in: id, questions: (v["questions"] ?? "").split(whereSeparator: \.isNewline).map(String.init),
                                                 secret: v["named"] != "1", purpose: try BallotPurpose.parse(v["purpose"]))
                return Done(message: "ballot \(b.id!)")
            default: throw RendaError.notFound
            }
            return Done(message: "ok")
        }
        api.on(.GET, "ballots/:id", summary: "表决:问题、进度(已投票人数)与结果", roles: Self.people, response: .ref("Ballot")) { req in
            guard let b = try await VotingQuery.ballot(try req.intParameter("id"), on: req.db) else { throw RendaError.notFound }
            return try await Self.ballot(b, on: req.db)
        }
        api.on(.POST, "ballots/:id/vote", summary: "投票:choices 为 {问题id: yes|no|abstain};返回回执码;每人一次", roles: [.committeeMember, .representative],
               // choices: question id (as text) → yes, no or abstain.
               body: .object([("choices", .map(.oneOf(["yes", "no", "abstain"])))]), response: .object([("receipt", .string)]),
               errors: [.conflict]) { req in
            let id = try req.intParameter("id")
            let body = try req.content.decode(VoteBody.self)
            var choices: [Int: Choice] = [:]
            for (k, v) in body.choices {
                guard let q = Int(k), let c = Choice(rawValue: v) else { throw RendaError.validation(["choices": "选项“\(v)”无效,应为 yes、no 或 abstain。"]) }
                choices[q] = c
            }
            let receipt = try await MeetingService(db: req.db, now: req.now, account: try req.requireAccount()).cast(id, choices: choices, queue: req.application.paperQueue)
            req.application.ballotEvents.changed(id)
            return Receipt(receipt: receipt)
        }
        api.on(.POST, "ballots/:id/:action", summary: "action: open 开始表决; close 结束并计票", roles: [.staff],
               parameters: ["action": .oneOf(["open", "close"])], response: .ref("Ballot"), errors: [.conflict]) { req in
            let id = try req.intParameter("id")
            let s = MeetingService(db: req.db, now: req.now, account: try req.requireAccount())
            switch req.parameters.get("action") {
            case "open": try await s.openBallot(id)
            case "close": try await s.closeBallot(id)
            default: throw RendaError.notFound
            }
            req.application.ballotEvents.changed(id)
            guard let b = try await VotingQuery.ballot(id, on: req.db) else { throw RendaError.notFound }
            return try await Self.ballot(b, on: req.db)
        }
        api.on(.GET, "ballots/:id/verify", summary: "重新计算票箱哈希链与计票,报告不一致", roles: [.staff, .admin],
               response: .object([("ok", .boolean), ("problems", .array(.string))])) { req in
            let problems = try await Tally.verify(try req.intParameter("id"), on: req.db)
            return Verification(ok: problems.isEmpty, problems: problems)
        }
        api.on(.GET, "public/decisions", summary: "决定和人事任免(公开;新在前,游标分页)", roles: [], query: KeysetCursor.queryNames,
               response: .page(.object(["title", "kind", "appointee", "post", "lawExamDate", "oathDate", "seal"].map { ($0, ApiSchema.string) }))) { req in
            let page = try await Decision.query(on: req.db).keysetPage(try req.keyset(size: 50), order: .newestFirst)
            let seals = try await VotingQuery.seals(page.items.map(\.ballotID), on: req.db)
            return page.map {
                ["title": $0.title, "kind": $0.kind, "appointee": $0.appointee ?? "", "post": $0.post ?? "",
                 "lawExamDate": $0.lawExamDate ?? "", "oathDate": $0.oathDate ?? "", "seal": seals[$0.ballotID] ?? ""]
            }.response(ApiPath("public/decisions"), keeping: [])
        }
    }
}
