import Platform
import Vapor

/// Every page of 意见征集; registers the routes and builds the links.
public enum ConsultationRoute: TypedRoute {
    case list, new, consultation(Int), action(Int, String), comments(Int), commentAction(Int, String)
    case groups(Int), groupAction(Int, String), compare(Int), report(Int), export(Int), print(Int)
    case publicList, publicConsultation(Int), publicComments(Int), publicComment(Int), publicCode(Int), publicReport(Int), publicCompare(Int)
    case research, researchProject(Int), researchAction(Int, String), researchProblems, researchProblemAction(Int, String)

    public var segments: [RouteSegment] {
        switch self {
        case .list: ["consultations"]
        case .new: ["consultations", "new"]
        case .consultation(let id): ["consultations", .id(id)]
        case .action(let id, let action): ["consultations", .id(id), .param("action", action)]
        case .comments(let id): ["consultations", .id(id), "comments"]
        case .commentAction(let id, let action): ["consultations", "comments", .id(id), .param("action", action)]
        case .groups(let id): ["consultations", .id(id), "groups"]
        case .groupAction(let id, let action): ["consultations", "groups", .id(id), .param("action", action)]
        case .compare(let id): ["consultations", .id(id), "compare"]
        case .report(let id): ["consultations", .id(id), "report"]
        case .export(let id): ["consultations", .id(id), "export.csv"]
        case .print(let id): ["consultations", .id(id), "print"]
        case .publicList: ["public", "consultations"]
        case .publicConsultation(let id): ["public", "consultations", .id(id)]
        case .publicComments(let id): ["public", "consultations", .id(id), "comments"]
        case .publicComment(let id): ["public", "consultations", .id(id), "comment"]
        case .publicCode(let id): ["public", "consultations", .id(id), "code"]
        case .publicReport(let id): ["public", "consultations", .id(id), "report"]
        case .publicCompare(let id): ["public", "consultations", .id(id), "compare"]
        case .research: ["research"]
        case .researchProject(let id): ["research", .id(id)]
        case .researchAction(let id, let action): ["research", .id(id), .param("action", action)]
        case .researchProblems: ["research", "problems"]
        case .researchProblemAction(let id, let action): ["research", "problems", .id(id), .param("action", action)]
        }
    }
}

extension RoutesBuilder {
    func get(_ r: ConsultationRoute, use h: @escaping @Sendable (Request) async throws -> Response) { get(route: r, use: h) }
    func post(_ r: ConsultationRoute, use h: @escaping @Sendable (Request) async throws -> Response) { on(.POST, route: r, body: .collect, use: h) }
}

extension Request {
    func renderConsultationPage<Body: Encodable & Sendable>(_ template: String, title: String, _ page: Body, links: [String: String] = [:],
                                                            status: HTTPResponseStatus = .ok, forms: Bool = true) async throws -> Response {
        try await renderPage(template, title: title, page,
                             links: ["list": ConsultationRoute.list.path, "new": ConsultationRoute.new.path, "publicList": ConsultationRoute.publicList.path]
                                .merging(links) { _, b in b }, status: status, forms: forms)
    }
}
