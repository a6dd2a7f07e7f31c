import Fluent
import Foundation
import Platform
import Records

/// Professional groups (代表小组) and liaison stations (联络站) ranked by their members'
/// activity in a span of years — the evidence for 优秀代表小组 and for a station's stars
/// (星级) — among the congress's own representatives, read from the records' counters in one
/// statement per set, never by scanning facts.
/// Ranked by points per member (the weights in force), so a large group does not win by size;
/// then by the share of members who took part at all.
struct GroupRanking: Encodable, Sendable {
    struct Row: Encodable, Sendable {
        let rank: Int
        let name: String
        let members: Int
        let active: Int
        /// "85%": members who took part in anything worth points.
        let activeShare: String
        let facts: Int
        let perMember: String
        /// Stations: their members' receptions at a station (接待次数), and the stars given now.
        let receptions: Int
        let stars: String
    }

    let groups: [Row]
    let stations: [Row]
    let chart: String

    static func build(_ years: ClosedRange<Int>, weights: PerformanceSettings.Weights, kinds: [String: RecordKind], on db: Database) async throws -> GroupRanking {
        // Taking part: a representative's kind the congress gives points for (not leave, not an absence).
        let activities = kinds.values.filter { !$0.ofCongress && weights[$0.key] > 0 }.map(\.key).sorted()
        let groupNames = Dictionary(try await ProfessionalGroup.query(on: db).all().map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })
        let stations = try await Station.query(on: db).all()
        let stationNames = Dictionary(stations.map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })
        let stars = Dictionary(stations.map { ($0.id!, $0.starRating) }, uniquingKeysWith: { a, _ in a })
        struct Scored { let id: Int; let name: String; let a: RecordQuery.GroupActivity; let perMember: Double }
        func rows(_ activity: [Int: RecordQuery.GroupActivity], names: [Int: String]) -> [Row] {
            let scored = names.map { id, name -> Scored in
                let a = activity[id] ?? RecordQuery.GroupActivity()
                var points = 0.0
                for (kind, n) in a.kinds { points += Double(n.facts) * weights[kind] }
                return Scored(id: id, name: name, a: a, perMember: a.members == 0 ? 0 : points / Double(a.members))
            }
            .sorted { l, r in
                if l.perMember != r.perMember { return l.perMember > r.perMember }
                return l.a.activeShare != r.a.activeShare ? l.a.activeShare > r.a.activeShare : l.name < r.name
            }
            return scored.enumerated().map { i, s in
                let star: String = stars[s.id].map { $0 > 0 ? String(repeating: "★", count: min($0, 5)) : "未评星" } ?? ""
                return Row(rank: i + 1, name: s.name, members: s.a.members, active: s.a.active,
                           activeShare: s.a.members == 0 ? "—" : "\(s.a.active * 100 / s.a.members)%",
                           facts: s.a.facts(of: activities), perMember: Points.text((s.perMember * 10).rounded() / 10),
                           receptions: s.a.kinds["contact.reception"]?.facts ?? 0, stars: star)
            }
        }
        // The congress's own representatives: its groups and stations are theirs.
        let level = try await Congress.query(on: db).first().flatMap { Level(rawValue: $0.level) }
        let groups = rows(try await RecordQuery.groups(years: years, members: RepresentativeQuery.groupMembers(level: level), activities: activities, on: db),
                          names: groupNames)
        let stationRows = rows(try await RecordQuery.groups(years: years, members: RepresentativeQuery.stationMembers(level: level), activities: activities, on: db),
                               names: stationNames)
        let chart = BarChart.svg(title: "各代表小组人均履职积分", bars: groups.prefix(12).map { ($0.name, [Double($0.perMember) ?? 0]) },
                                 series: ["人均积分"], maximum: nil, unit: "")
        return GroupRanking(groups: groups, stations: stationRows, chart: chart)
    }
}
