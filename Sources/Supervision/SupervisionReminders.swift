import Fluent
import Foundation
import Handling
import Platform

/// The Handling kernel's reminder runs: a problem near or past its deadline, and the body's
/// written report on the review opinions (and a report again after 不满意) — each reminds the
/// body's accounts once per state and round; overdue items are flagged on the pages.
public enum SupervisionReminders {
    public static let problems = ReminderTerms(
        kind: SupervisionService.problemKind, policy: { _ in SupervisionSettings.policy },
        names: { ids, db in try await HandlingReminders.names(Problem.self, ids, db) { "问题清单中的“\($0.title)”" } },
        dueNotice: { name, status, day in
            status == .overdue
                ? .init(title: "交办问题整改已逾期", body: "\(name)整改期限为\(day),已逾期,请尽快报告整改情况。")
                : .init(title: "交办问题整改即将到期", body: "\(name)整改期限为\(day),请按时报告整改情况。")
        },
        coUnitNotice: { name, day in .init(title: "请向牵头单位提供整改意见", body: "\(name)由您单位配合整改,请于\(day)前向牵头单位提供意见。") },
        link: { SupervisionRoute.problem($0).path }, dedupPrefix: "supervision-problem", closed: { _, _, _ in })

    public static let reviews = ReminderTerms(
        kind: SupervisionService.reviewKind, policy: { _ in SupervisionSettings.policy },
        names: { ids, db in try await HandlingReminders.names(Review.self, ids, db) { "《\($0.title)》的审议意见" } },
        dueNotice: { name, status, day in
            status == .overdue
                ? .init(title: "审议意见研究处理情况报告已逾期", body: "\(name)应于\(day)前书面报告研究处理情况,已逾期。")
                : .init(title: "请按时报告审议意见研究处理情况", body: "\(name)应于\(day)前书面报告研究处理情况。")
        },
        link: { SupervisionRoute.review($0).path }, dedupPrefix: "supervision-review", closed: { _, _, _ in })
}
