import Fluent
import Foundation
import Platform
import Records
import Vapor

/// A representative's record for a term (代表法 §58): every fact by area with its points and a
/// link to the item behind it, the points raw and scaled by the days in office, and the
/// representative's own claims. Built for a reader: staff and the representative see
/// everything; the public sees activities and only the points of published quarters.
struct PerformanceRecord: Encodable, Sendable {
    struct Line: Encodable, Sendable {
        let id: Int; let date: String; let kind: String; let title: String; let role: String?; let quantity: Int?
        let points: String; let counted: Bool; let link: String?
        /// "异议处理中", "异议成立,不计分", "异议不成立"; nil without a dispute.
        let dispute: String?
        let disputePath: String?
    }
    struct Area: Encodable, Sendable { let label: String; let count: Int; let lines: [Line] }
    struct Figure: Encodable, Sendable { let label: String; let value: Int }

    let representativeID: Int; let name: String; let delegation: String
    let term: String; let termID: Int; let terms: [SelectOption]
    let office: String; let daysInOffice: Int; let elapsed: Int
    let areas: [Area]; let figures: [Figure]; let total: Int
    let points: String; let scaledPoints: String; let scaled: Bool
    /// The day up to which points are public; nil: none published yet (public reader only).
    let publishedThrough: String?

    enum Reader: Equatable { case staff, owner, publicPortal }

    /// The record as a request's reader sees it, with the modules' kinds and the weights in force.
    static func build(_ rep: Representative, termID: Int?, reader: Reader, for req: Request) async throws -> PerformanceRecord? {
        try await build(rep, termID: termID, reader: reader, now: req.now, sources: req.application.modules.recordSources,
                        weights: try await PerformanceSettings.Weights.current(req), on: req.db)
    }

    static func build(_ rep: Representative, termID: Int?, reader: Reader, now: Date, sources: [RecordSource], weights: PerformanceSettings.Weights,
                      on db: Database) async throws -> PerformanceRecord? {
        let today = CalendarDay.string(now)
        guard let window = try await TermWindow.current(termID, today: today, on: db) else { return nil }
        let tenure = try await Tenure.query(on: db).filter(\.$representativeID == rep.id!).filter(\.$termID == window.term.id!).first()
        let office = window.office(tenure)
        let through = reader == .publicPortal ? try await Points.publishedThrough(on: db) : nil
        let facts = try await RecordQuery.facts(of: rep.id!, from: office.from, to: min(office.to, today), on: db)
        let disputes = Dictionary(try await Dispute.query(on: db).filter(\.$factID ~~ facts.map { $0.id! }).sort(\.$id).all().map { ($0.factID, $0) },
                                  uniquingKeysWith: { _, later in later })
        let kinds = Dictionary(sources.flatMap(\.kinds).map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let links = Dictionary(sources.map { ($0.name, $0.link) }, uniquingKeysWith: { a, _ in a })
        var raw = 0.0
        var byArea: [RecordArea: [Line]] = [:]
        for f in facts {
            guard let kind = kinds[f.kind], !kind.ofCongress else { continue }
            let d = disputes[f.id!]
            let counted = d?.status != "upheld"
            // The public sees points of published quarters only, and none still disputed.
            let shown = reader != .publicPortal || (through.map { f.date <= $0 } ?? false) && d?.status != "open"
            let p = counted ? weights[f.kind] : 0
            if shown { raw += p }
            let canDispute = reader == .owner && d == nil && p != 0
            byArea[kind.area, default: []].append(Line(
                id: f.id!, date: f.date, kind: kind.label, title: reader == .publicPortal && !kind.publicTitle ? "—" : f.title, role: f.role, quantity: f.quantity > 1 ? f.quantity : nil,
                points: shown ? Points.text(p) : "—", counted: counted, link: reader == .publicPortal ? nil : links[f.source]?(f.itemType, f.itemID),
                dispute: d.map { ["open": "异议处理中", "upheld": "异议成立,不计分", "rejected": "异议不成立"][$0.status] ?? "" },
                disputePath: canDispute ? PerformanceRoute.dispute(f.id!).path : nil))
        }
        let elapsed = Points.days(window.start, min(window.end, today))
        let inOffice = Points.days(office.from, min(office.to, today))
        let scaled = Points.scaled(raw, inOffice: inOffice, elapsed: elapsed)
        let areas = RecordArea.allCases.compactMap { a in byArea[a].map { Area(label: a.label, count: $0.count, lines: $0) } }
        let terms = try await Term.query(on: db).sort(\.$startDate, .descending).all()
            .map { SelectOption(value: String($0.id!), label: $0.name, selected: $0.id == window.term.id) }
        let delegation = try await rep.delegationID.asyncMap { try await Delegation.find($0, on: db)?.name } ?? nil
        return PerformanceRecord(
            representativeID: rep.id!, name: rep.name, delegation: delegation ?? "", term: window.term.name, termID: window.term.id!, terms: terms,
            office: office.from + " 至 " + (office.to >= window.end ? "本届结束" : office.to), daysInOffice: inOffice, elapsed: elapsed,
            areas: areas, figures: areas.map { Figure(label: $0.label, value: $0.count) }, total: facts.count,
            points: Points.text(raw), scaledPoints: Points.text(scaled), scaled: inOffice < elapsed && inOffice > 0,
            publishedThrough: through)
    }
}
