import Fluent
import Foundation
import Handling
import Platform

/// The Handling kernel's reminder runs for delivery: a milestone near or past its date, a
/// problem near or past its deadline, the year-end report (and a report again after 不满意)
/// — each reminds the responsible unit's accounts once per state and round.
public enum LivelihoodReminders {
    public static let milestones = ReminderTerms(
        kind: LivelihoodService.milestoneKind, policy: { _ in LivelihoodSettings.policy },
        names: { ids, db in try await HandlingReminders.names(Milestone.self, ids, db) { "民生实事项目节点“\($0.title)”" } },
        dueNotice: { name, status, day in
            status == .overdue
                ? .init(title: "民生实事项目节点已逾期", body: "\(name)应于\(day)完成,已逾期,请尽快推进并报送进展。")
                : .init(title: "民生实事项目节点即将到期", body: "\(name)应于\(day)完成,请按时推进并报送进展。")
        },
        link: { _ in LivelihoodRoute.projects.path }, dedupPrefix: "livelihood-milestone", closed: { _, _, _ in })

    public static let problems = ReminderTerms(
        kind: LivelihoodService.problemKind, policy: { _ in LivelihoodSettings.policy },
        names: { ids, db in try await HandlingReminders.names(DeliveryProblem.self, ids, db) { "视察发现的问题“\($0.title)”" } },
        dueNotice: { name, status, day in
            status == .overdue
                ? .init(title: "交办问题整改已逾期", body: "\(name)整改期限为\(day),已逾期,请尽快答复。")
                : .init(title: "交办问题整改即将到期", body: "\(name)整改期限为\(day),请按时答复。")
        },
        link: { _ in LivelihoodRoute.projects.path }, dedupPrefix: "livelihood-problem", closed: { _, _, _ in })

    public static let projects = ReminderTerms(
        kind: LivelihoodService.projectKind, policy: { _ in LivelihoodSettings.policy },
        names: { ids, db in try await HandlingReminders.names(Candidate.self, ids, db) { "民生实事项目“\($0.title)”" } },
        dueNotice: { name, status, day in
            status == .overdue
                ? .init(title: "民生实事项目效果报告已逾期", body: "\(name)应于\(day)前报告实施效果,已逾期。")
                : .init(title: "请报告民生实事项目实施效果", body: "\(name)应于\(day)前报告实施效果,供代表满意度测评。")
        },
        link: { LivelihoodRoute.project($0).path }, dedupPrefix: "livelihood-project", closed: { _, _, _ in })
}
