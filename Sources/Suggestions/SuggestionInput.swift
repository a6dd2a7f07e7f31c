import Fluent
import Foundation
import Platform

/// A draft as typed in the form or sent to the API.
public struct SuggestionInput: Codable, Sendable {
    public var title: String?
    public var content: String?
    public var category: String?
    public var period: String?
    /// Co-signers by 代表证号 or by name, separated by 、 , ; or spaces.
    public var coSigners: String?

    public init(title: String? = nil, content: String? = nil, category: String? = nil, period: String? = nil, coSigners: String? = nil) {
        self.title = title; self.content = content; self.category = category; self.period = period; self.coSigners = coSigners
    }
}

struct ValidSuggestion: Sendable {
    var title: String
    var content: String
    var category: String
    var period: SuggestionPeriod
    var coSigners: [Int]
}

extension SuggestionInput {
    func validate(categories: [String], proposer: Int, on db: Database) async throws -> ValidSuggestion {
        var e = FieldErrors()
        let title = e.required("title", title, label: "标题", max: 60)
        let content = e.required("content", content, label: "内容", max: 10_000)
        if !content.isEmpty && content.count < 20 { e.add("content", "内容至少20个字,请写明问题和具体建议。") }
        let category = (category ?? "").trimmingCharacters(in: .whitespaces)
        if !categories.contains(category) { e.add("category", "请选择建议分类。") }
        let period = SuggestionPeriod(rawValue: period ?? "")
        if period == nil { e.add("period", "请选择大会期间或闭会期间。") }
        var ids: [Int] = []
        for token in (coSigners ?? "").split(whereSeparator: { "、,,;; \n".contains($0) }).map(String.init) {
            let byCode = try await Representative.query(on: db).filter(\.$code == token).all()
            let matches = byCode.isEmpty ? try await Representative.query(on: db).filter(\.$name == token).all() : byCode
            if matches.isEmpty { e.add("co_signers", "没有找到代表“\(token)”,请填写代表证号或姓名。") }
            else if matches.count > 1 { e.add("co_signers", "有\(matches.count)位代表叫“\(token)”,请改填代表证号(如 \(matches[0].code))。") }
            else if let id = matches[0].id {
                if id == proposer { e.add("co_signers", "附议代表不能是您自己。") }
                else if !ids.contains(id) { ids.append(id) }
            }
        }
        try e.throwIfAny()
        return ValidSuggestion(title: title, content: content, category: category, period: period!, coSigners: ids)
    }
}
