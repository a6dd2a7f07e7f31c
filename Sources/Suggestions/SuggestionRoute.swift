import Vapor

/// Every page of the Suggestions module; registers the routes and builds the links.
public enum SuggestionRoute: Sendable {
    case list, new, stats, export
    case detail(Int), edit(Int), action(Int, String)
    case publicList, publicDetail(Int)

    public var path: String {
        switch self {
        case .list: "/suggestions"
        case .new: "/suggestions/new"
        case .stats: "/suggestions/stats"
        case .export: "/suggestions/export.csv"
        case .detail(let id): "/suggestions/\(id)"
        case .edit(let id): "/suggestions/\(id)/edit"
        case .action(let id, let a): "/suggestions/\(id)/\(a)"
        case .publicList: "/public/suggestions"
        case .publicDetail(let id): "/public/suggestions/\(id)"
        }
    }

    var pattern: [PathComponent] {
        let p: String
        switch self {
        case .detail: p = "/suggestions/:id"
        case .edit: p = "/suggestions/:id/edit"
        case .action: p = "/suggestions/:id/:action"
        case .publicDetail: p = "/public/suggestions/:id"
        default: p = path
        }
        return p.split(separator: "/").map { PathComponent(stringLiteral: String($0)) }
    }
}

extension RoutesBuilder {
    func get(_ r: SuggestionRoute, use h: @escaping @Sendable (Request) async throws -> Response) {
        get(r.pattern, use: h)
    }
    func post(_ r: SuggestionRoute, use h: @escaping @Sendable (Request) async throws -> Response) {
        on(.POST, r.pattern, body: .collect(maxSize: "10mb"), use: h)
    }
}
