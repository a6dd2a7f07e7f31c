import Fluent
import Platform
import Vapor
import Voting

/// 凭回执码核对: after a ballot closes, a voter types their receipt code and sees the choices
/// the box holds for it, and whether they are still the ones the code was bound to when cast.
///
/// The page is public: the code is the only key, so whoever holds it can see that one paper.
/// That is the price of a check a voter can make without trusting staff — and it means a
/// receipt shown to someone reveals the vote (see docs/VOTING-SECURITY.md).
struct ReceiptController {
    func register(_ r: RoutesBuilder) {
        r.get(.receipt(0), use: form)
        r.post(.receipt(0), use: check)
    }

    struct Line: Encodable, Sendable { let text: String; let choice: String }
    struct Page: Encodable, Sendable {
        /// The table's column headings (`partials/thead`).
        let head = TableHead("表决项目", "票箱中您的选择")
        let id: Int; let title: String; let closed: Bool; let seal: String?
        let checked: Bool; let found: Bool; let intact: Bool; let lines: [Line]; let form: FormState
    }

    func ballot(_ req: Request) async throws -> Ballot {
        guard let b = try await VotingQuery.ballot(try req.intParameter("id"), on: req.db), b.kind == "agenda" else { throw RendaError.notFound }
        return b
    }

    static func links(_ b: Ballot) -> [String: String] { ["receipt": MeetingRoute.receipt(b.id!).path] }

    @Sendable func form(_ req: Request) async throws -> Response {
        let b = try await ballot(req)
        return try await req.renderMeetingPage("meetings/receipt", title: "核对选票", Page(id: b.id!, title: b.title, closed: b.state == .closed, seal: b.seal,
                                                                                 checked: false, found: false, intact: false, lines: [], form: FormState()),
                                              links: Self.links(b))
    }

    @Sendable func check(_ req: Request) async throws -> Response {
        let b = try await ballot(req)
        let code = req.formValues()["code"] ?? ""
        guard b.state == .closed else {
            throw RendaError.conflict("表决结束后才能核对。", code: "not_closed")
        }
        guard code.count <= 40, let found = try await Tally.checkReceipt(b.id!, code: code, on: req.db) else {
            let form = FormState(values: ["code": String(code.prefix(40))], errors: ["code": "没有找到这个回执码的选票,请检查是否输入有误。"])
            return try await req.renderMeetingPage("meetings/receipt", title: "核对选票",
                                            Page(id: b.id!, title: b.title, closed: true, seal: b.seal, checked: true, found: false, intact: false, lines: [], form: form),
                                            links: Self.links(b), status: .unprocessableEntity)
        }
        let texts = Dictionary(try await VotingQuery.questions(b.id!, on: req.db).map { ($0.id!, $0.text) },
                               uniquingKeysWith: { a, _ in a })
        let lines = found.choices.map { Line(text: texts[$0.questionID] ?? "", choice: $0.choice.label) }
        return try await req.renderMeetingPage("meetings/receipt", title: "核对选票",
                                        Page(id: b.id!, title: b.title, closed: true, seal: b.seal, checked: true, found: true,
                                             intact: found.intact, lines: lines, form: FormState()),
                                        links: Self.links(b))
    }
}
