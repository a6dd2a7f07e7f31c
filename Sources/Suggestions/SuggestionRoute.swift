import Platform
import Vapor

/// Every page of the Suggestions module; registers the routes and builds the links. Each
/// path is written once, as segments (see `TypedRoute`).
public enum SuggestionRoute: TypedRoute {
    case list, new, stats, export
    case detail(Int), edit(Int), action(Int, String), file(Int, Int)
    case publicList, publicDetail(Int), publicFile(Int, Int)

    public var segments: [RouteSegment] {
        switch self {
        case .list: ["suggestions"]
        case .new: ["suggestions", "new"]
        case .stats: ["suggestions", "stats"]
        case .export: ["suggestions", "export.csv"]
        case .detail(let id): ["suggestions", .id(id)]
        case .edit(let id): ["suggestions", .id(id), "edit"]
        case .action(let id, let a): ["suggestions", .id(id), .param("action", a)]
        case .file(let id, let file): ["suggestions", .id(id), "files", .param("file", file)]
        case .publicList: ["public", "suggestions"]
        case .publicDetail(let id): ["public", "suggestions", .id(id)]
        case .publicFile(let id, let file): ["public", "suggestions", .id(id), "files", .param("file", file)]
        }
    }
}

extension RoutesBuilder {
    func get(_ r: SuggestionRoute, use h: @escaping @Sendable (Request) async throws -> Response) {
        get(route: r, use: h)
    }
    func post(_ r: SuggestionRoute, use h: @escaping @Sendable (Request) async throws -> Response) {
        on(.POST, route: r, body: .collect(maxSize: "10mb"), use: h)
    }
}
