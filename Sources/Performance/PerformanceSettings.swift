import Foundation
import Platform
import Vapor

/// How points are counted and what is published; administrators change them on the settings page.
public enum PerformanceSettings {
    /// Lines "领衔提出建议=3": the points of a kind of fact, by its name as the record shows it.
    /// A kind not listed keeps the points its module gives it.
    public static let weights = Setting("performance.weights", label: "履职积分权重(每行“活动名称=分值”,未列出的用默认分值)",
                                        default: ["领衔提出建议=3", "出席会议=2", "缺席(未请假)=-1"], count: 0...50, maxLength: 40,
                                        item: { line in Weights.parse(line) == nil ? "“\(line)”应写成“活动名称=分值”,如“领衔提出建议=3”。" : nil })
    /// A ranked table of every representative's points (积分排名) on the public portal: off by default.
    public static let publishLeagueTable = Setting("performance.publish_league_table", label: "公开代表履职积分排名", default: false)

    static var all: [SettingDefinition] { [weights.definition, publishLeagueTable.definition] }

    /// The weights of every kind: each module's default, overridden by the setting's lines.
    struct Weights: Sendable {
        let byKind: [String: Double]

        static func parse(_ line: String) -> (label: String, points: Double)? {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let n = Double(parts[1]), n.isFinite, abs(n) <= 100 else { return nil }
            return (parts[0], n)
        }

        init(kinds: [RecordKind], lines: [String]) {
            var byKind = Dictionary(kinds.map { ($0.key, $0.points) }, uniquingKeysWith: { a, _ in a })
            let byLabel = Dictionary(kinds.map { ($0.label, $0.key) }, uniquingKeysWith: { a, _ in a })
            for line in lines { if let (label, n) = Self.parse(line), let key = byLabel[label] { byKind[key] = n } }
            self.byKind = byKind
        }

        subscript(kind: String) -> Double { byKind[kind] ?? 0 }

        /// The weights in force: the modules' kinds with the setting's lines applied.
        static func current(_ req: Request) async throws -> Weights {
            Weights(kinds: Array(req.application.modules.recordKinds.values), lines: try await req.settings.get(PerformanceSettings.weights))
        }
    }
}
