import Fluent
import Foundation
import Handling
import Platform

/// The contact-with-the-public workflow. Each use case writes its change, its timeline step
/// and its audit entry in one transaction; a failed check writes nothing.
public struct ContactService: Sendable {
    public static let kind = "matter"
    let db: Database
    let now: Date
    /// nil for a citizen leaving a message without an account.
    let account: Account?
    let drafting: (any SuggestionDrafting)?

    public init(db: Database, now: Date, account: Account?, drafting: (any SuggestionDrafting)? = nil) {
        self.db = db; self.now = now; self.account = account; self.drafting = drafting
    }

    var actor: Actor { account.map(Actor.init) ?? Actor(id: nil, name: "群众") }
    var isStaff: Bool { account?.has(.staff) == true }

    func requireStaff() throws {
        guard isStaff else { throw RendaError(.forbidden, code: "forbidden", message: "只有工作人员可以这样做。") }
    }

    /// The audit entry of a change, and the changed item's performance-record facts brought in
    /// line with it, in the change's transaction.
    func audit(_ action: String, _ type: String, _ id: Int, _ after: [String: String], on tx: Database) async throws {
        try await AuditLog.record(on: tx, at: now, actor: actor, action: action, entityType: type, entityID: String(id), after: after)
        try await ContactRecords.sync(type, id, now: now, on: tx)
    }

    func handling(_ tx: Database) async throws -> HandlingService {
        HandlingService(db: tx, policy: try await ContactSettings.policy(SettingsStore(db: tx)), now: now, actor: actor)
    }

    // MARK: stations 联络站

    /// The year's evaluation sets the station's star rating.
    public func rateStation(_ station: Int, year: Int?, stars: Int?, note: String?) async throws {
        try requireStaff()
        var e = FieldErrors()
        if year == nil || !(2000...2100).contains(year!) { e.add("year", "请填写评定年度,如 2025。") }
        if stars == nil || !(1...5).contains(stars!) { e.add("stars", "星级为1至5星。") }
        let text = e.required("note", note, label: "评定意见", max: 500)
        try e.throwIfAny()
        try await db.transaction { tx in
            guard let s = try await Station.find(station, on: tx) else { throw RendaError.notFound }
            let r = try await StationRating.query(on: tx).filter(\.$stationID == station).filter(\.$year == year!).first() ?? StationRating()
            r.stationID = station; r.year = year!; r.stars = stars!; r.note = text; r.ratedAt = now
            try await r.save(on: tx)
            // The newest year's evaluation is the station's current rating.
            let latest = try await StationRating.query(on: tx).filter(\.$stationID == station).sort(\.$year, .descending).first()
            s.starRating = latest?.stars ?? stars!
            try await s.save(on: tx)
            try await audit("rate_station", "station", station, ["year": String(year!), "stars": String(stars!)], on: tx)
        }
    }

    // MARK: reception calendar 接待日

    @discardableResult
    public func scheduleDuty(_ input: DutyInput) async throws -> ReceptionDay {
        try requireStaff()
        let ahead = try await SettingsStore(db: db).get(ContactSettings.publishDaysAhead)
        var e = FieldErrors()
        let station = try await input.stationID.asyncMap { try await Station.find($0, on: db) } ?? nil
        if station == nil { e.add("station", "请选择联络站。") }
        let earliest = CalendarDay.adding(days: ahead, to: now)
        if let typed = CalendarDay.parse(input.date ?? ""), typed < CalendarDay.startOfDay(earliest) {
            e.add("date", "接待日须至少提前\(ahead)天排定并向社会公布,最早可排 \(CalendarDay.string(earliest))。")
        }
        let date = e.day("date", input.date, label: "接待日期", earliest: earliest, latest: CalendarDay.adding(years: 1, to: now))
        let start = ClockTime.minutes(input.startTime), end = ClockTime.minutes(input.endTime)
        if start == nil { e.add("start_time", "请填写开始时间,如 09:00。") }
        if end == nil { e.add("end_time", "请填写结束时间,如 11:30。") }
        if let s = start, let t = end, t <= s { e.add("end_time", "结束时间应晚于开始时间。") }
        let reps = Array(Set(input.representatives))
        if reps.isEmpty { e.add("representatives", "请至少安排一名代表。") }
        else if try await Representative.query(on: db).filter(\.$id ~~ reps).count() != reps.count { e.add("representatives", "所选代表不存在。") }
        let note = e.optional("note", input.note, label: "备注", max: 200)
        try e.throwIfAny()
        return try await db.transaction { tx in
            let d = ReceptionDay()
            d.stationID = station!.id!; d.date = CalendarDay.string(date!); d.startTime = ClockTime.text(start!); d.endTime = ClockTime.text(end!)
            d.note = note; d.createdAt = now
            try await d.create(on: tx)
            for r in reps {
                let m = DutyMember()
                m.dutyID = try d.requireID(); m.representativeID = r
                try await m.create(on: tx)
            }
            let accounts = try await Account.query(on: tx).filter(\.$representativeID ~~ reps).all()
            for a in accounts {
                _ = try await Notifier.send(to: a.id!, title: "接待日安排", body: "\(d.date) \(d.startTime)—\(d.endTime) 在\(station!.name)接待群众,请确认。",
                                            link: ContactRoute.duties.path, dedupKey: "duty:\(d.id!)", now: now, on: tx)
            }
            try await audit("schedule_duty", "duty", d.id!, ["station": String(d.stationID), "date": d.date, "representatives": reps.map(String.init).joined(separator: ",")], on: tx)
            return d
        }
    }

    /// The representative confirms their own duty.
    public func confirmDuty(_ duty: Int) async throws {
        guard let rep = account?.representativeID else { throw RendaError(.forbidden, code: "forbidden", message: "只有被安排的代表可以确认。") }
        try await db.transaction { tx in
            guard let m = try await DutyMember.query(on: tx).filter(\.$dutyID == duty).filter(\.$representativeID == rep).first() else {
                throw RendaError(.forbidden, code: "not_on_duty", message: "这次接待没有安排您。")
            }
            guard m.confirmedAt == nil else { return }
            m.confirmedAt = now
            try await m.save(on: tx)
            try await audit("confirm_duty", "duty", duty, ["representative": String(rep)], on: tx)
        }
    }

    // MARK: receptions 接待记录

    /// Records a reception and every matter raised, each ending its own way, all or nothing.
    @discardableResult
    public func recordReception(_ input: ReceptionInput) async throws -> Reception {
        guard let account, account.has(.staff) || account.representativeID != nil else {
            throw RendaError(.forbidden, code: "forbidden", message: "由值班代表或工作人员记录接待情况。")
        }
        let settings = SettingsStore(db: db)
        let categories = try await settings.get(ContactSettings.categories)
        let reasons = try await settings.get(ContactSettings.notAcceptedReasons)
        var e = FieldErrors()
        let duty = try await input.dutyID.asyncMap { try await ReceptionDay.find($0, on: db) } ?? nil
        if input.dutyID != nil && duty == nil { e.add("duty", "接待日不存在。") }
        let stationID = duty?.stationID ?? input.stationID
        if try await stationID.asyncMap({ try await Station.find($0, on: db) }) == nil { e.add("station", "请选择联络站。") }
        let dateText = duty?.date ?? (input.date ?? "")
        if let typed = CalendarDay.parse(dateText), typed > now { e.add("date", "接待日期不能晚于今天。") }
        let date = e.day("date", dateText, label: "接待日期", earliest: CalendarDay.adding(years: -10, to: now), latest: now)
        let people = Int((input.people ?? "").trimmingCharacters(in: .whitespaces))
        if people == nil || people! < 0 || people! > 10_000 { e.add("people", "请填写接待群众人数(整数)。") }
        let reps = Array(Set(input.representatives))
        if reps.isEmpty { e.add("representatives", "请选择值班代表。") }
        else if try await Representative.query(on: db).filter(\.$id ~~ reps).count() != reps.count { e.add("representatives", "所选代表不存在。") }
        if !account.has(.staff), let me = account.representativeID, !reps.contains(me) {
            e.add("representatives", "您只能记录自己值班的接待。")
        }
        let units = Set(try await Unit.query(on: db).all().compactMap(\.id))
        var matters: [(MatterInput, Settlement)] = []
        for (i, m) in input.matters.enumerated() where !m.isBlank {
            let p = "m\(i + 1)_"
            _ = e.optional(p + "citizen_name", m.citizenName, label: "群众姓名", max: 30)
            _ = e.phone(p + "citizen_phone", m.citizenPhone)
            if !categories.contains(m.category ?? "") { e.add(p + "category", "请选择分类。") }
            _ = e.required(p + "content", m.content, label: "反映的问题", max: 2000)
            var s = m.settlement(prefix: p, reasons: reasons, units: units, errors: &e)
            if s.outcome == .suggestion {
                s.representativeID = s.representativeID.flatMap { reps.contains($0) ? $0 : nil } ?? account.representativeID.flatMap { reps.contains($0) ? $0 : nil } ?? reps.first
            }
            matters.append((m, s))
        }
        if let n = people, matters.count > 0, n == 0 { e.add("people", "记录了群众意见,接待人数不能为0。") }
        try e.throwIfAny()
        let settled = matters
        return try await db.transaction { tx in
            let r = Reception()
            r.dutyID = duty?.id; r.stationID = stationID!; r.date = CalendarDay.string(date!); r.year = CalendarDay.year(of: date!)
            r.people = people!; r.recordedBy = account.id!; r.recordedAt = now
            try await r.create(on: tx)
            for rep in reps {
                let rr = ReceptionRepresentative()
                rr.receptionID = r.id!; rr.representativeID = rep; rr.stationID = r.stationID; rr.year = r.year
                try await rr.create(on: tx)
            }
            for (i, (m, s)) in settled.enumerated() {
                let matter = Matter()
                matter.source = .reception; matter.receptionID = r.id; matter.stationID = r.stationID
                matter.representativeID = s.representativeID ?? reps.first
                matter.citizenName = m.citizenName?.trimmingCharacters(in: .whitespaces).nilIfEmpty
                matter.citizenPhone = m.citizenPhone?.trimmingCharacters(in: .whitespaces).nilIfEmpty
                matter.category = m.category!; matter.content = m.content!.trimmingCharacters(in: .whitespacesAndNewlines)
                matter.year = r.year; matter.raisedAt = date!; matter.outcome = .pending; matter.consent = false
                try await matter.create(on: tx)
                try await handling(tx).record(kind: Self.kind, subject: matter.id!, type: "raised", summary: "\(r.date)接待时群众反映", on: tx)
                try await settle(matter, s, prefix: "m\(i + 1)_", on: tx)
            }
            try await audit("record_reception", "reception", r.id!, ["station": String(r.stationID), "date": r.date, "people": String(r.people),
                                                                     "matters": String(settled.count)], on: tx)
            return r
        }
    }

    // MARK: settling a matter 处理

    /// Staff, or the representative it was raised with, decide how a pending matter ends.
    public func settle(_ matterID: Int, _ input: MatterInput) async throws {
        let settings = SettingsStore(db: db)
        let reasons = try await settings.get(ContactSettings.notAcceptedReasons)
        let units = Set(try await Unit.query(on: db).all().compactMap(\.id))
        var e = FieldErrors()
        let chosen = input.settlement(prefix: "", reasons: reasons, units: units, errors: &e)
        if chosen.outcome == .pending { e.add("outcome", "请选择处理方式。") }
        try e.throwIfAny()
        try await db.transaction { tx in
            var s = chosen
            guard let m = try await Matter.find(matterID, on: tx) else { throw RendaError.notFound }
            guard MatterRules.maySettle(m, account) else {
                throw RendaError(.forbidden, code: "forbidden", message: "由工作人员或收到该意见的代表处理。")
            }
            guard m.outcome == .pending else { throw RendaError.conflict("这条意见已经处理过了(\(m.outcome.label))。", code: "wrong_state") }
            if s.outcome == .suggestion { s.representativeID = m.representativeID ?? account?.representativeID }
            try await settle(m, s, prefix: "", on: tx)
        }
    }

    /// Applies an outcome to a matter inside the caller's transaction.
    func settle(_ m: Matter, _ s: Settlement, prefix: String, on tx: Database) async throws {
        guard s.outcome != .pending else { return }
        let h = try await handling(tx)
        let id = try m.requireID()
        m.outcome = s.outcome; m.outcomeNote = s.note
        switch s.outcome {
        case .transferred:
            let unit = s.unitID!
            let days = try await SettingsStore(db: tx).get(ContactSettings.transferWorkingDays)
            let names = try await ReferenceNames.units(on: tx)
            _ = try await h.assign(kind: Self.kind, subject: id, lead: unit, coUnits: [], deadline: try await CalendarDay.deadline(after: now, workingDays: days, settings: SettingsStore(db: tx)), unitNames: names)
            m.unitID = unit
            for a in try await Account.query(on: tx).filter(\.$unitID == unit).filter(\.$active == true).all() {
                _ = try await Notifier.send(to: a.id!, title: "转办群众意见", body: "请在\(days)个工作日内答复:" + Masking.excerpt(m.content, names: [m.citizenName], length: 30),
                                            link: ContactRoute.matter(id).path, dedupKey: "transfer:\(id)", personalNames: [m.citizenName], now: now, on: tx)
            }
        case .suggestion:
            guard let drafting else { throw RendaError.conflict("本平台没有启用代表建议模块,不能转为建议。", code: "no_suggestions") }
            guard let rep = s.representativeID else { throw RendaError.validation([prefix + "outcome": "转为建议须有一名代表领衔。"]) }
            guard try await Account.query(on: tx).filter(\.$representativeID == rep).first() != nil else {
                throw RendaError.validation([prefix + "outcome": "该代表还没有平台账号,不能生成建议草稿;请先为代表开通账号。"])
            }
            // The draft is the representative's (and may be published): the citizen's text masked.
            let title = "关于" + Masking.excerpt(m.content, names: [m.citizenName], length: 20).trimmingCharacters(in: .punctuationCharacters) + "的建议"
            let content = m.masked(m.content) + "\n\n(来源:群众意见第\(id)号," + (m.source == .reception ? "接待群众时反映" : "网上留言") + "。)"
            m.suggestionID = try await drafting.draftSuggestion(representative: rep, title: String(title.prefix(60)), content: content, now: now, on: tx)
            m.representativeID = rep
        default: break
        }
        if s.outcome != .transferred { m.settledAt = now }
        try await m.save(on: tx)
        try await h.record(kind: Self.kind, subject: id, type: "settled", summary: "处理方式:\(s.outcome.label)", detail: s.note, on: tx)
        try await audit("settle_matter", "matter", id, ["outcome": s.outcome.rawValue, "unit": s.unitID.map(String.init) ?? ""], on: tx)
        try await notifyCitizen(m, "您反映的问题已处理:\(s.outcome.label)", on: tx)
    }

    func notifyCitizen(_ m: Matter, _ text: String, on tx: Database) async throws {
        if let c = m.citizenAccountID {
            _ = try await Notifier.send(to: c, title: "留言办理进展", body: text, link: ContactRoute.matter(m.id!).path,
                                        dedupKey: "matter:\(m.id!):\(m.outcome.rawValue):\(text.count)", personalNames: [m.citizenName], now: now, on: tx)
        }
    }

}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
