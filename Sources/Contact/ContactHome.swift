import Fluent
import Foundation
import Handling
import Platform
import Vapor

/// What each party sees about contact with the public on their home page.
enum ContactHome {
    static func cards(_ req: Request) async throws -> [HomeCard] {
        guard let account = req.account, let viewer = req.matterViewer else { return [] }
        let db = req.db
        var cards: [HomeCard] = []
        if let rep = account.representativeID {
            let today = CalendarDay.string(req.now)
            let mine = try await DutyMember.query(on: db).filter(\.$representativeID == rep).all()
            let coming = try await ReceptionDay.query(on: db).filter(\.$id ~~ mine.map(\.dutyID)).filter(\.$date >= today).sort(\.$date).all()
            if let next = coming.first {
                let unconfirmed = coming.filter { d in mine.contains { $0.dutyID == d.id && $0.confirmedAt == nil } }.count
                cards.append(HomeCard(title: unconfirmed > 0 ? "我的接待日(\(unconfirmed)个待确认)" : "我的接待日", value: "\(next.date) \(next.startTime)",
                                      path: ContactRoute.duties.path, tone: unconfirmed > 0 ? "warn" : ""))
            }
        }
        // Pending matters are decided by staff and by the representative they were raised with.
        switch viewer {
        case .staff, .representative:
            let pending = try await MatterQuery.scoped(MatterFilter(outcome: .pending), viewer: viewer, on: db).count()
            if pending > 0 { cards.append(HomeCard(title: "待处理的群众意见", value: String(pending), path: ContactRoute.home.path(query: [("outcome", "pending")]))) }
        case .unit, .citizen: break
        }
        if case .unit(let u) = viewer {
            let cases = try await HandlingQuery.led(kind: ContactService.kind, by: u, state: .assigned, on: db)
            if !cases.isEmpty {
                let late = cases.filter { $0.isOverdue(now: req.now) }.count
                cards.append(HomeCard(title: late > 0 ? "待答复的转办意见(\(late)件逾期)" : "待答复的转办意见", value: String(cases.count),
                                      path: ContactRoute.home.path(query: [("outcome", "transferred")]), tone: late > 0 ? "warn" : ""))
            }
        }
        if case .citizen(let c) = viewer {
            let n = try await Matter.query(on: db).filter(\.$citizenAccountID == c).count()
            if n > 0 { cards.append(HomeCard(title: "我的留言", value: String(n), path: ContactRoute.mine.path)) }
        }
        return cards
    }
}
