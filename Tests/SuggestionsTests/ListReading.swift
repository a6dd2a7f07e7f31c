import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Suggestions
import Testing
import Vapor

/// Reads a suggestion list page the way a person does: which rows, in which order, with
/// which due flag, and where "下一页" leads.
enum ListReading {
    /// The table body of a list page.
    static func body(_ html: String) -> Substring {
        guard let start = html.range(of: "<tbody>"), let end = html.range(of: "</tbody>", range: start.upperBound..<html.endIndex) else { return "" }
        return html[start.upperBound..<end.lowerBound]
    }

    /// Each row's HTML, keyed by the suggestion it links to.
    static func rows(_ html: String) -> [Int: String] {
        var out: [Int: String] = [:]
        for part in body(html).components(separatedBy: "<tr>").dropFirst() {
            if let m = part.firstMatch(of: #/href="(?:/public)?/suggestions/(\d+)"/#), let id = Int(m.1) { out[id] = part }
        }
        return out
    }

    /// The suggestions listed, top to bottom.
    static func ids(_ html: String) -> [Int] {
        body(html).matches(of: #/href="(?:/public)?/suggestions/(\d+)"/#).compactMap { Int($0.1) }
    }

    /// The due flag of a row as "key label" (e.g. "overdue 已逾期"), nil when there is none.
    static func flag(_ row: String?) -> String? {
        guard let row, let m = row.firstMatch(of: #/<span class="due due-([a-z_]+)">([^<]*)</span>/#) else { return nil }
        return "\(m.1) \(m.2)"
    }

    /// Where the "下一页" link leads, as a browser would request it (entities decoded), or nil
    /// when there is no such link.
    static func next(_ html: String) -> String? { pageLink(html, "next") }

    /// Where the "上一页" link leads, or nil when there is none.
    static func previous(_ html: String) -> String? { pageLink(html, "prev") }

}

extension Parties {
    /// A suggestion by `user`, submitted; accepted on `day` when `accept`, and assigned that day
    /// to `lead` (with `co` as co-units) for `months` when a lead is given.
    @discardableResult
    func suggestion(_ title: String, by user: String = "repA", category: String = "教育科技", period: String = "interim",
                    accept: Bool = false, lead: Int? = nil, co: [Int] = [], months: Int = 3, day: Int = 0) async throws -> Int {
        let s = try await service(user, day: day).saveDraft(SuggestionInput(title: title, content: Parties.content, category: category,
                                                                           period: period), id: nil)
        let id = try s.requireID()
        try await service(user, day: day).submit(id)
        guard accept || lead != nil else { return id }
        try await service("clerk", day: day).review(id, .accept)
        if let lead { try await service("clerk", day: day).assign(id, lead: lead, coUnits: co, months: months) }
        return id
    }

    /// The lead unit (`user`) records a phone call and replies with `replyClass` on `day`.
    func reply(_ id: Int, by user: String = "edu", replyClass: String = "A", day: Int) async throws {
        try await service(user, day: day).recordContact(id, way: .phone, note: "电话沟通", date: testNow.adding(days: day))
        try await service(user, day: day).reply(id, replyClass: replyClass, text: "已经研究办理,具体情况答复如下。")
    }

    /// Another unit, with an account `user`: neither 市教育局 nor 市住建局.
    func strangerUnit(_ user: String) async throws -> Platform.Unit {
        let unit = try #require(try await Platform.Unit.query(on: app.db).filter(\.$id != education.id!).filter(\.$id != housing.id!)
            .sort(\.$id).first())
        try await makeAccount(app, user, roles: [.unitStaff], unitID: unit.id)
        return unit
    }
}

/// The day as the pages print it (Beijing time).
func dayText(_ d: Date) -> String { CalendarDay.string(d) }
