import Fluent
import Foundation
import Platform
import Records

/// 执法检查, 视察 and 调研: the plan, the team (representatives count it in their records), the
/// places, the findings and the report. A law inspection's report goes to the standing
/// committee as a review (`createReview(activity:)`), whose problems are handed over as any.
extension SupervisionService {
    public struct ActivityInput: Sendable, Codable {
        public var kind: String?, title: String?, law: String?, plan: String?, places: String?, startOn: String?, endOn: String?
        public var members: [Int]?, others: String?
        public init(kind: String? = nil, title: String? = nil, law: String? = nil, plan: String? = nil, places: String? = nil,
                    startOn: String? = nil, endOn: String? = nil, members: [Int]? = nil, others: String? = nil) {
            self.kind = kind; self.title = title; self.law = law; self.plan = plan; self.places = places
            self.startOn = startOn; self.endOn = endOn; self.members = members; self.others = others
        }
    }

    @discardableResult
    public func createActivity(_ input: ActivityInput) async throws -> Activity {
        try staff()
        var e = FieldErrors()
        let kind = ActivityKind(rawValue: input.kind ?? "")
        if kind == nil { e.add("kind", "请选择活动类别。") }
        let title = e.required("title", input.title, label: "名称", max: 100)
        let law = e.optional("law", input.law, label: "检查的法律", max: 100)
        if kind == .lawInspection && law == nil { e.add("law", "执法检查请填写所检查的法律。") }
        let plan = e.required("plan", input.plan, label: "工作方案", max: 8000)
        let places = e.required("places", input.places, label: "地点", max: 500)
        let others = e.optional("others", input.others, label: "其他成员", max: 500) ?? ""
        let start = e.day("start_on", input.startOn, label: "开始日期", earliest: CalendarDay.adding(years: -10, to: now), latest: CalendarDay.adding(years: 2, to: now))
        let end = e.day("end_on", input.endOn, label: "结束日期", earliest: CalendarDay.adding(years: -10, to: now), latest: CalendarDay.adding(years: 2, to: now))
        if let start, let end, end < start { e.add("end_on", "结束日期不能早于开始日期。") }
        let members = Array(Set(input.members ?? [])).sorted()
        if members.count > 500 { e.add("members", "人数过多。") }
        if !members.isEmpty {
            let known = Set(try await ReferenceNames.representatives(members, on: db).keys)
            if members.contains(where: { !known.contains($0) }) { e.add("members", "所选代表不存在。") }
        }
        try e.throwIfAny()
        return try await db.transaction { tx in
            let a = Activity()
            a.kind = kind!; a.title = title; a.law = kind == .lawInspection ? law : nil; a.plan = plan; a.places = places
            a.startOn = start!; a.endOn = end!; a.others = others; a.createdAt = now
            try await a.create(on: tx)
            let id = try a.requireID()
            for m in members {
                let row = ActivityMember()
                row.activityID = id; row.representativeID = m
                try await row.create(on: tx)
            }
            try await audit("create_activity", "supervision_activity", id, ["kind": kind!.rawValue, "title": title, "members": String(members.count)], on: tx)
            try await RecordBook.sync(SupervisionRecords.source, SupervisionRecords.activityType, [id], now: now, on: tx)
            return a
        }
    }

    /// Staff record what was found and the report (both may be written in steps).
    public func recordFindings(_ id: Int, findings: String?, report: String?) async throws {
        try staff()
        var e = FieldErrors()
        let f = e.optional("findings", findings, label: "发现的问题", max: 8000)
        let r = e.optional("report", report, label: "报告", max: 20_000)
        if f == nil && r == nil && e.isEmpty { e.add("findings", "请填写发现的问题或报告。") }
        try e.throwIfAny()
        try await db.transaction { tx in
            guard let a = try await Activity.find(id, on: tx) else { throw RendaError.notFound }
            guard CalendarDay.startOfDay(now) >= a.startOn else { throw RendaError.conflict("活动开始后才能记录发现的问题和报告。", code: "too_early") }
            if let f { a.findings = f }
            if let r { a.report = r }
            try await a.save(on: tx)
            try await audit("findings", "supervision_activity", id, ["findings": String(a.findings?.count ?? 0), "report": String(a.report?.count ?? 0)], on: tx)
        }
    }

    /// A law inspection's report goes to the standing committee: a review of kind 执法检查 for the
    /// body named, once per inspection, only when there is a report to review.
    @discardableResult
    public func submitInspectionReport(_ id: Int, body: Int?, meetingTitle: String?, meetingOn: String?) async throws -> Review {
        try staff()
        guard let a = try await Activity.find(id, on: db) else { throw RendaError.notFound }
        guard a.kind == .lawInspection else { throw RendaError.conflict("只有执法检查的报告提请常委会审议。", code: "wrong_kind") }
        guard a.report != nil else { throw RendaError.conflict("请先记录执法检查报告,再提请审议。", code: "no_report") }
        if try await Review.query(on: db).filter(\.$activityID == id).first() != nil {
            throw RendaError.conflict("这次执法检查的报告已经提请审议。", code: "already_submitted")
        }
        // The title names the law; a long name is shortened so the title stays within its 100 characters.
        let law = a.law ?? a.title
        let title = "关于检查\(law.count > 80 ? String(law.prefix(79)) + "…" : law)实施情况的报告"
        return try await createReview(.init(kind: ReviewKind.lawInspection.rawValue, title: title, body: body,
                                            meetingTitle: meetingTitle, meetingOn: meetingOn, activity: id))
    }
}
