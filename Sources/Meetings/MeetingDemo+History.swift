import Fluent
import Foundation
import Platform
import Voting

/// The demo term's past meetings, entered as a clerk completes a term's record after the fact
/// (attendance from the sign-in sheets, votes by show of hands), so that the yearly figures
/// come out as the seed prints them for 高平: "召开人代会5次、常委会会议23次、主任会议35次 …
/// 审议工作报告60项 … 作出12项决定" — with the 30th standing meeting of `MeetingDemo`, which
/// brings the 23rd meeting, the 60th report and the 12th decision.
extension MeetingDemo {
    static let congressReports = ["政府工作报告", "市人大常委会工作报告", "国民经济和社会发展计划执行情况与计划草案的报告"]

    static func loadHistory(_ s: MeetingService, now: Date, on db: Database) async throws {
        let start = CalendarDay.parse("2021-12-28") ?? now
        var n = 0
        // Five sessions of the congress, one a year, each reviewing three reports.
        for (i, day) in ["2021-12-28", "2023-01-10", "2024-01-09", "2025-01-08", "2026-01-12"].enumerated() {
            let m = try await s.create(kind: .congress, number: i + 1, title: "市第十七届人民代表大会第\(chinese(i + 1))次会议", date: day, place: "市人民会堂")
            for r in congressReports { try await s.addAgendaItem(m.id!, title: "审议" + r, kind: "report") }
            try await attend(s, m.id!, skip: i, on: db)
        }
        // The 8th to 29th standing committee meetings, about every two months, each reviewing
        // two work reports; the first eleven also adopt a decision.
        for k in 0..<22 {
            let day = CalendarDay.string(CalendarDay.adding(days: 54 + k * 65, to: start))
            let m = try await s.create(kind: .standing, number: k + 8, title: "市十七届人大常委会第\(chinese(k + 8))次会议", date: day, place: "市人大常委会会议室")
            try await s.addAgendaItem(m.id!, title: "听取和审议市人民政府关于\(topics[k % topics.count])工作情况的报告", kind: "report")
            try await s.addAgendaItem(m.id!, title: "听取和审议\(bodies[k % bodies.count])专项工作报告", kind: "report")
            try await attend(s, m.id!, skip: k, on: db)
            if k < 11 { try await decide(s, m.id!, title: "关于\(topics[k % topics.count])的决定", on: db); n += 1 }
        }
        // Thirty-five meetings of the directors (主任会议), about every forty days.
        for k in 0..<35 {
            let day = CalendarDay.string(CalendarDay.adding(days: 18 + k * 40, to: start))
            let m = try await s.create(kind: .director, number: k + 1, title: "市十七届人大常委会第\(chinese(k + 1))次主任会议", date: day, place: "市人大常委会会议室")
            try await attend(s, m.id!, skip: k, on: db)
        }
    }

    static let topics = ["优化营商环境", "农村饮水安全", "城市社区建设", "义务教育均衡发展", "生态环境保护", "安全生产", "文化旅游融合",
                         "养老服务体系建设", "耕地保护", "道路交通安全", "食品药品安全"]
    static let bodies = ["市人民法院", "市人民检察院", "市监察委员会", "市审计局"]

    /// Everyone present but one member, on leave.
    static func attend(_ s: MeetingService, _ meeting: Int, skip: Int, on db: Database) async throws {
        let parts = try await Participant.query(on: db).filter(\.$meetingID == meeting).sort(\.$id).all().map(\.accountID)
        guard !parts.isEmpty else { return }
        let away = parts[skip % parts.count]
        try await s.recordAttendance(meeting, present: parts.filter { $0 != away }, onLeave: [away])
    }

    /// A decision put to a show of hands, adopted, and registered.
    static func decide(_ s: MeetingService, _ meeting: Int, title: String, on db: Database) async throws {
        try await s.addAgendaItem(meeting, title: title + "(草案)", kind: "decision")
        guard let item = try await AgendaItem.query(on: db).filter(\.$meetingID == meeting).filter(\.$kind == "decision").first() else { return }
        let b = try await s.createBallot(item.id!, in: meeting, questions: [title + "(草案)"], secret: false)
        let present = try await MeetingService.attendance(meeting, on: db).present
        let q = try await VotingQuery.questions(b.id!, on: db).first!.id!
        try await s.recordShowOfHands(b.id!, totals: [q: (yes: present, no: 0, abstain: 0)])
        try await s.registerDecision(b.id!, kind: "decision", title: title, text: "会议表决通过\(title)。", appointee: nil, post: nil, lawExamDate: nil, oathDate: nil)
    }

    /// 1 → 一, 12 → 十二, 35 → 三十五 (meeting names).
    static func chinese(_ n: Int) -> String {
        let d = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        if n < 10 { return d[n] }
        if n < 20 { return "十" + (n % 10 == 0 ? "" : d[n % 10]) }
        return d[n / 10] + "十" + (n % 10 == 0 ? "" : d[n % 10])
    }
}
