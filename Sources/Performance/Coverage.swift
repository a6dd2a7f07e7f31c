import Fluent
import Foundation
import Platform
import Records

/// 届内实现参加活动全覆盖: the congress's own representatives × areas of activity over a
/// term's years, from the tallies (one grouped read of the members' counters, never a scan of
/// the facts), filtered to those who have not yet taken part, a page at a time.
struct Coverage: Encodable, Sendable {
    struct Row: Encodable, Sendable {
        let id: Int; let name: String; let cells: [Int]; let total: Int; let recordPath: String
        /// The row's counts as table cells, written here rather than by a loop in the template:
        /// numbers only (nothing to escape), and Leaf's per-cell comparison was an eighth of a
        /// 50-row page's time.
        let cellsHTML: String

        init(id: Int, name: String, cells: [Int], recordPath: String) {
            self.id = id; self.name = name; self.cells = cells; self.total = cells.reduce(0, +); self.recordPath = recordPath
            var html = ""
            for c in cells { html += c == 0 ? "<td class=\"num zero\">0</td>" : "<td class=\"num\">\(c)</td>" }
            cellsHTML = html
        }
    }
    let areas: [String]
    let rows: [Row]
    let members: Int
    /// How many members have taken part in nothing yet.
    let idle: Int

    /// `missing`: only those who have not taken part in that area ("all": in anything; nil: everyone).
    static func build(term: TermWindow, missing: String?, kinds: [RecordKind], page: KeysetRequest, on db: Database) async throws -> (Coverage, KeysetPage<Int>) {
        let years = (Int(term.start.prefix(4)) ?? 0)...(Int(term.end.prefix(4)) ?? 0)
        let areas = RecordArea.allCases.filter { a in kinds.contains { $0.area == a && !$0.ofCongress } }
        let areaOf = Dictionary(kinds.map { ($0.key, $0.area) }, uniquingKeysWith: { a, _ in a })
        let level = try await Congress.query(on: db).first().flatMap { Level(rawValue: $0.level) }
        let members = try await RepresentativeQuery.ids(level: level, on: db)
        let wanted = missing.flatMap(RecordArea.init(rawValue:))
        // A roll (in id order) paged in memory with the same cursor as every list.
        func pageOf(_ roll: [Int]) async throws -> KeysetPage<Int> {
            try await KeysetPage.load(page, order: .oldestFirst, id: { $0 }) { beyond, ascending, limit in
                let after = roll.filter { beyond == nil || (beyond!.ascending ? $0 > beyond!.id : $0 < beyond!.id) }
                return Array((ascending ? after : after.reversed()).prefix(limit))
            }
        }
        var tallies: [Int: [String: Int]] = [:]
        let ids: KeysetPage<Int>
        let idle: Int
        if missing == nil {
            // Everyone, a page at a time: only the page's counters are read, and the idle count
            // is one counting query over the roll.
            ids = try await pageOf(members)
            tallies = try await RecordQuery.tallies(years: years, representatives: ids.items, on: db)
            idle = members.count - (try await RecordQuery.active(years: years, among: members, on: db))
        } else {
            // Those who have not yet taken part (in anything, or in one area): the whole roll's
            // counters decide who is shown.
            for chunk in members.chunks(of: 500) {
                tallies.merge(try await RecordQuery.tallies(years: years, representatives: chunk, on: db)) { a, _ in a }
            }
            let shown = members.filter { rep in
                !(tallies[rep] ?? [:]).contains { k, n in n > 0 && (wanted == nil || areaOf[k] == wanted) }
            }
            ids = try await pageOf(shown)
            idle = members.filter { tallies[$0]?.values.contains { $0 > 0 } != true }.count
        }
        func cells(_ rep: Int) -> [Int] {
            let byKind = tallies[rep] ?? [:]
            return areas.map { a in byKind.filter { areaOf[$0.key] == a }.values.reduce(0, +) }
        }
        let names = try await ReferenceNames.representatives(ids.items, on: db)
        return (Coverage(
            areas: areas.map(\.label),
            rows: ids.items.map { id in Row(id: id, name: names[id] ?? "", cells: cells(id), recordPath: PerformanceRoute.record(id).path) },
            members: members.count, idle: idle), ids)
    }
}
