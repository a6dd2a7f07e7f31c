import Fluent
import Foundation
import Platform
import SQLKit

/// 备案审查: a body files a normative document within 30 days (setting) of its publication —
/// a later filing is flagged —; the committee reviews it, sends an opinion where it conflicts
/// with the law, and closes it once corrected or repealed (or with nothing found).
extension SupervisionService {
    public struct FilingInput: Sendable, Codable {
        public var title: String?, number: String?, body: Int?, publishedOn: String?, filedOn: String?
        public init(title: String? = nil, number: String? = nil, body: Int? = nil, publishedOn: String? = nil, filedOn: String? = nil) {
            self.title = title; self.number = number; self.body = body; self.publishedOn = publishedOn; self.filedOn = filedOn
        }
    }

    /// Whether a filing came later than the setting's days after publication.
    public static func isLate(_ f: Filing, days: Int) -> Bool { f.filedOn > CalendarDay.adding(days: days, to: f.publishedOn) }

    @discardableResult
    public func file(_ input: FilingInput) async throws -> Filing {
        try staff()
        var e = FieldErrors()
        let title = e.required("title", input.title, label: "文件名称", max: 100)
        let number = e.required("number", input.number, label: "文号", max: 40)
        if input.body == nil { e.add("body", "请选择制定机关。") } else if try await Unit.find(input.body!, on: db) == nil { e.add("body", "所选单位不存在。") }
        let published = e.day("published_on", input.publishedOn, label: "公布日期", earliest: CalendarDay.adding(years: -10, to: now), latest: now)
        let filed = e.day("filed_on", input.filedOn, label: "报送备案日期", earliest: CalendarDay.adding(years: -10, to: now), latest: now)
        if let published, let filed, filed < published { e.add("filed_on", "报送备案日期不能早于公布日期。") }
        if let body = input.body, !number.isEmpty,
           try await Filing.query(on: db).filter(\.$bodyID == body).filter(\.$number == number).first() != nil {
            e.add("number", "这个机关的“\(number)”已经报备过了。")
        }
        try e.throwIfAny()
        return try await db.transaction { tx in
            let f = Filing()
            f.title = title; f.number = number; f.bodyID = input.body!; f.publishedOn = published!; f.filedOn = filed!
            f.state = .filed; f.createdAt = now
            try await f.create(on: tx)
            try await audit("file", "supervision_filing", try f.requireID(), ["title": title, "late": String(Self.isLate(f, days: terms.filingDays))], on: tx)
            return f
        }
    }

    /// reviewing → opinion → closed, each step by staff; `outcome` only when closing.
    public func advanceFiling(_ id: Int, to step: String?, opinion: String?, outcome: String?) async throws {
        try staff()
        var e = FieldErrors()
        let text = step == "opinion" ? e.required("opinion", opinion, label: "审查意见", max: 8000) : nil
        let result = FilingOutcome(rawValue: outcome ?? "")
        if step == "close" && result == nil { e.add("outcome", "请选择办结结果。") }
        try e.throwIfAny()
        try await db.transaction { tx in
            try await (tx as! any SQLDatabase).raw("UPDATE supervision_filings SET state = state WHERE id = \(bind: id)").run()
            guard let f = try await Filing.find(id, on: tx) else { throw RendaError.notFound }
            switch (step, f.state) {
            case ("review", .filed): f.state = .reviewing
            case ("opinion", .reviewing): f.state = .opinion; f.opinion = text
            case ("close", .reviewing) where result == .noProblem, ("close", .opinion):
                f.state = .closed; f.outcome = result; f.closedOn = CalendarDay.startOfDay(now)
            case ("close", .reviewing):
                throw RendaError.conflict("提出审查意见后,才能以“\(result!.label)”办结。", code: "wrong_state")
            case ("review", _), ("opinion", _), ("close", _):
                throw RendaError.conflict("这份文件现在“\(f.state.label)”,不能这样做。", code: "wrong_state")
            default: throw RendaError.notFound
            }
            try await f.save(on: tx)
            try await audit("filing_\(step!)", "supervision_filing", id, ["state": f.state.rawValue, "outcome": f.outcome?.rawValue ?? ""], on: tx)
        }
    }
}
