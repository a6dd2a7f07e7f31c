import Foundation
import Platform
import Testing
import Vapor
import VaporTesting
import RendaTesting

/// The OpenAPI document is precise enough for a client to check our answers against it, and
/// wrong methods are told apart from unknown paths.
@Suite("OpenAPI")
struct OpenAPITests {
    typealias JSON = [String: Any]

    /// Objects whose keys are data, not names — free maps on purpose. Everything else must
    /// list its properties and which are required.
    static let freeMaps: Set<String> = [
        "ReferenceRecord.values",                    // a record's fields depend on its kind
        "Error.error.fields",                        // field name → message
        "GET /api/v1/openapi.json.paths",            // the document's own parts follow OpenAPI's schema
        "GET /api/v1/openapi.json.components",
        "POST /api/v1/ballots/{id}/vote body.choices",  // question id → yes / no / abstain
        "POST /api/v1/suggestions/{id}/{action} body",   // the fields depend on the action
        "POST /api/v1/meetings/{id}/{action} body",
        "POST /api/v1/reference/{kind} body",             // the fields depend on the kind
        "PUT /api/v1/reference/{kind}/{id} body",
    ]

    static func document(_ app: Application) async throws -> JSON {
        var body = ""
        try await app.testing().test(.GET, "/api/v1/openapi.json") { res in
            #expect(res.status == .ok)
            body = res.body.string
        }
        return try JSONSerialization.jsonObject(with: Data(body.utf8)) as! JSON
    }

    static func operations(_ doc: JSON) -> [(name: String, operation: JSON)] {
        let paths = doc["paths"] as! [String: [String: JSON]]
        return paths.sorted { $0.key < $1.key }.flatMap { path, methods in
            methods.sorted { $0.key < $1.key }.map { ("\($0.key.uppercased()) \(path)", $0.value) }
        }
    }

    /// Walks a schema and reports what a client could not check: objects without properties
    /// (other than the free maps above) or, in an answer, without `required` ones, and schemas
    /// with no type at all. A request body may well have only optional properties.
    static func problems(in schema: JSON, at place: String, answer: Bool = true, doc: JSON, seen: inout Set<String>) -> [String] {
        if let ref = schema["$ref"] as? String {
            let name = String(ref.split(separator: "/").last!)
            guard seen.insert(answer ? name : name + " (body)").inserted else { return [] }
            let components = (doc["components"] as! JSON)["schemas"] as! [String: JSON]
            guard let target = components[name] else { return ["\(place): unknown \(ref)"] }
            return problems(in: target, at: name, answer: answer, doc: doc, seen: &seen)
        }
        if let all = schema["allOf"] as? [JSON] {
            return all.flatMap { problems(in: $0, at: place, answer: answer, doc: doc, seen: &seen) }
        }
        switch schema["type"] as? String {
        case "object":
            if let properties = schema["properties"] as? [String: JSON] {
                var found: [String] = []
                let required = schema["required"] as? [String] ?? []
                if answer && required.isEmpty { found.append("\(place): no property is required") }
                if let unknown = required.first(where: { properties[$0] == nil }) { found.append("\(place): required \(unknown) is not a property") }
                if schema["additionalProperties"] as? Bool != false { found.append("\(place): other properties are not ruled out") }
                for (name, property) in properties.sorted(by: { $0.key < $1.key }) {
                    found += problems(in: property, at: "\(place).\(name)", answer: answer, doc: doc, seen: &seen)
                }
                return found
            }
            guard freeMaps.contains(place) else { return ["\(place): an object without properties"] }
            guard let values = schema["additionalProperties"] as? JSON else { return ["\(place): a free map without a value schema"] }
            return values.isEmpty || values.keys.sorted() == ["nullable"] ? [] : problems(in: values, at: "\(place).*", answer: answer, doc: doc, seen: &seen)
        case "array":
            guard let items = schema["items"] as? JSON else { return ["\(place): an array without items"] }
            return problems(in: items, at: "\(place)[]", answer: answer, doc: doc, seen: &seen)
        case "string", "integer", "number", "boolean":
            return []
        default:
            return ["\(place): no type"]
        }
    }

    @Test func everyOperationDescribesItsAnswerWithPropertiesAndRequiredOnes() async throws {
        try await withApp { app in
            // given
            let doc = try await Self.document(app)
            var seen: Set<String> = []
            var problems: [String] = []
            // when
            for (name, op) in Self.operations(doc) {
                let responses = op["responses"] as! [String: JSON]
                let content = responses["200"]?["content"] as? [String: JSON]
                guard let schema = content?["application/json"]?["schema"] as? JSON else { problems.append("\(name): no 200 schema"); continue }
                problems += Self.problems(in: schema, at: name, doc: doc, seen: &seen)
                for (code, error) in responses where code != "200" {
                    let schema = (error["content"] as? [String: JSON])?["application/json"]?["schema"] as? JSON ?? [:]
                    problems += Self.problems(in: schema, at: "\(name) \(code)", doc: doc, seen: &seen)
                }
                let body = ((op["requestBody"] as? JSON)?["content"] as? [String: JSON])?.values.first?["schema"] as? JSON
                if let body { problems += Self.problems(in: body, at: "\(name) body", answer: false, doc: doc, seen: &seen) }
            }
            // then
            #expect(Self.operations(doc).count >= 50)
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
            #expect(seen.contains("Error"))
        }
    }

    @Test func everyOperationListsTheErrorsItCanAnswerByCode() async throws {
        try await withApp { app in
            // given
            let doc = try await Self.document(app)
            // when
            for (name, op) in Self.operations(doc) {
                let responses = op["responses"] as! [String: JSON]
                let errors = Set(responses.keys.filter { $0 != "200" })
                let roles = op["x-roles"] as? [String] ?? []
                // then: the codes its shape implies, each with the Error body
                #expect(errors.allSatisfy { Int($0).map { (400..<500).contains($0) } ?? false }, "\(name): \(errors.sorted())")
                #expect(errors.contains("400"), "\(name) has no 400")
                if !roles.isEmpty { #expect(errors.contains("401"), "\(name) has a role check but no 401") }
                if !roles.isEmpty && roles.count < Role.allCases.count { #expect(errors.contains("403"), "\(name) has no 403") }
                if name.contains("{") { #expect(errors.contains("404"), "\(name) has a path parameter but no 404") }
                if op["requestBody"] != nil { #expect(errors.isSuperset(of: ["400", "415", "422"]), "\(name) takes a body but lacks 400/415/422") }
                for code in errors {
                    let schema = ((responses[code]?["content"] as? [String: JSON])?["application/json"]?["schema"] as? JSON)?["$ref"] as? String
                    #expect(schema == "#/components/schemas/Error", "\(name) \(code)")
                }
            }
            let token = (doc["paths"] as! [String: [String: JSON]])["/api/v1/auth/token"]!["post"]!
            #expect((token["responses"] as! JSON)["429"] != nil)
        }
    }

    @Test func answersMatchTheirSchemas() async throws {
        try await withApp { app in
            // given
            try await makeAccount(app, "a", roles: [.admin])
            let doc = try await Self.document(app)
            let paths = doc["paths"] as! [String: [String: JSON]]
            let admin = try await ApiClient.login(app, "a")
            // when / then: a few real answers, checked as a client would check them
            for (path, template) in [("/api/v1/me", "/api/v1/me"), ("/api/v1/accounts", "/api/v1/accounts"),
                                     ("/api/v1/settings", "/api/v1/settings"), ("/api/v1/audit", "/api/v1/audit"),
                                     ("/api/v1/reference/delegations", "/api/v1/reference/{kind}")] {
                let res = try await admin.send(.GET, path)
                #expect(res.status == .ok, "\(path)")
                let value = try Answer.parse(res.body.string)
                let op = paths[template]!["get"]!
                let schema = (((op["responses"] as! [String: JSON])["200"]!["content"] as! [String: JSON])["application/json"]!["schema"] as! JSON)
                #expect(SchemaCheck(doc: doc).mismatches(value, schema, at: path).isEmpty, "\(SchemaCheck(doc: doc).mismatches(value, schema, at: path))")
            }
            let refused = try await ApiClient(app: app).send(.GET, "/api/v1/me")
            let error = try Answer.parse(refused.body.string)
            #expect(SchemaCheck(doc: doc).mismatches(error, ["$ref": "#/components/schemas/Error"], at: "401").isEmpty)
        }
    }

    @Test func aWrongMethodOnAKnownPathIs405WithAllow() async throws {
        try await withApp { app in
            // when
            let api = try await ApiClient(app: app).send(.DELETE, "/api/v1/auth/token")
            let withParameter = try await ApiClient(app: app).send(.DELETE, "/api/v1/accounts/5")
            // the router would take these to `PUT suggestions/:id` and `POST ballots/:id/:action`,
            // but "stats" is no id and "verify" no action there
            let notAnID = try await ApiClient(app: app).send(.PUT, "/api/v1/suggestions/stats")
            let notAnAction = try await ApiClient(app: app).send(.POST, "/api/v1/ballots/1/verify")
            var page: TestingHTTPResponse?
            try await app.testing().test(.DELETE, "/login") { page = $0 }
            // then
            #expect(api.status == .methodNotAllowed)
            #expect(api.headers.first(name: .allow) == "POST")
            #expect(api.apiError?.code == "method_not_allowed")
            #expect(withParameter.status == .methodNotAllowed)
            #expect(withParameter.headers.first(name: .allow) == "PUT")
            #expect(notAnID.status == .methodNotAllowed)
            #expect(notAnID.headers.first(name: .allow) == "GET, HEAD")
            #expect(notAnAction.status == .methodNotAllowed)
            #expect(notAnAction.headers.first(name: .allow) == "GET, HEAD")
            #expect(page?.status == .methodNotAllowed)
            #expect(page?.headers.first(name: .allow) == "GET, HEAD, POST")
            #expect(page?.body.string.contains("不支持") == true)
        }
    }

    @Test func anUnknownPathIsStill404() async throws {
        try await withApp { app in
            // when
            let api = try await ApiClient(app: app).send(.DELETE, "/api/v1/nothing-here")
            let deeper = try await ApiClient(app: app).send(.POST, "/api/v1/accounts/5/reset-password/more")
            let unknownKind = try await ApiClient(app: app).send(.GET, "/api/v1/reference/nothing")
            var page: TestingHTTPResponse?
            try await app.testing().test(.PUT, "/nothing-here") { page = $0 }
            // then
            #expect(api.status == .notFound)
            #expect(api.headers.first(name: .allow) == nil)
            #expect(deeper.status == .notFound)
            #expect(unknownKind.status == .notFound)
            #expect(page?.status == .notFound)
        }
    }
}

/// A JSON answer as decoded strictly (true is never 1), for `SchemaCheck`.
indirect enum Answer: Decodable {
    case null, bool(Bool), int(Int), double(Double), string(String), array([Answer]), object([String: Answer])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([Answer].self) { self = .array(a) }
        else { self = .object(try c.decode([String: Answer].self)) }
    }

    static func parse(_ text: String) throws -> Answer { try JSONDecoder().decode(Answer.self, from: Data(text.utf8)) }
}

/// The little of JSON Schema our document uses, enough to check an answer as a client would:
/// types, required properties, no others, nullable, enums, arrays, maps and references.
struct SchemaCheck {
    let doc: [String: Any]

    func mismatches(_ value: Answer, _ schema: [String: Any], at place: String) -> [String] {
        if let ref = schema["$ref"] as? String {
            let name = String(ref.split(separator: "/").last!)
            let components = (doc["components"] as! [String: Any])["schemas"] as! [String: [String: Any]]
            return mismatches(value, components[name]!, at: place)
        }
        if case .null = value { return schema["nullable"] as? Bool == true ? [] : ["\(place): null"] }
        if let all = schema["allOf"] as? [[String: Any]] { return all.flatMap { mismatches(value, $0, at: place) } }
        switch (schema["type"] as? String, value) {
        case ("object", .object(let object)):
            var found = (schema["required"] as? [String] ?? []).filter { object[$0] == nil }.map { "\(place): \($0) missing" }
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            for (key, item) in object {
                if let property = properties[key] { found += mismatches(item, property, at: "\(place).\(key)") }
                else if let values = schema["additionalProperties"] as? [String: Any] { found += mismatches(item, values, at: "\(place).\(key)") }
                else if schema["additionalProperties"] as? Bool == false { found.append("\(place): \(key) is not documented") }
            }
            return found
        case ("array", .array(let array)):
            return array.enumerated().flatMap { mismatches($0.element, schema["items"] as! [String: Any], at: "\(place)[\($0.offset)]") }
        case ("string", .string(let text)):
            if let values = schema["enum"] as? [String], !values.contains(text) { return ["\(place): \(text) not among \(values)"] }
            return []
        case ("integer", .int), ("number", .int), ("number", .double), ("boolean", .bool), (nil, _):
            return []
        case (let type, _):
            return ["\(place): not \(type ?? "?"): \(value)"]
        }
    }
}
