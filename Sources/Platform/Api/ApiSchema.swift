/// The shape of a request or response body, for the OpenAPI document.
///
/// Required-ness is stated where a property is declared: every property of `.object` is
/// required unless its schema is `.optional(…)`. That mirrors how Vapor's JSON encoder writes
/// our `Content` structs — a non-optional property is always there, a nil optional is left
/// out — so a client checking responses against the document catches a missing field.
public indirect enum ApiSchema: Sendable {
    case string, integer, boolean, number
    /// A `Date`, which Vapor's JSON encoder writes as ISO 8601 text.
    case dateTime
    /// Text that must be one of these values (an action in a path, a kind in a body).
    case oneOf([String])
    case array(ApiSchema)
    /// Exactly these properties, each required unless `.optional`; nothing else.
    case object([(String, ApiSchema)])
    /// A Swift optional: may be absent, and null where a client sends it.
    case optional(ApiSchema)
    /// An object whose keys are data, not names (`[String: V]`), e.g. a reference record's
    /// fields, which depend on its kind.
    case map(ApiSchema)
    /// Any JSON value; only for values whose shape another standard defines (the OpenAPI
    /// document's own paths).
    case anyValue
    case ref(String)

    var json: JSONValue { rendered(nullable: false) }

    private func rendered(nullable: Bool) -> JSONValue {
        let null: [(String, JSONValue)] = nullable ? [("nullable", .bool(true))] : []
        func typed(_ type: String, _ more: [(String, JSONValue)] = []) -> JSONValue {
            .object([("type", .string(type))] + more + null)
        }
        switch self {
        case .string: return typed("string")
        case .integer: return typed("integer")
        case .boolean: return typed("boolean")
        case .number: return typed("number")
        case .dateTime: return typed("string", [("format", .string("date-time"))])
        case .oneOf(let values): return typed("string", [("enum", .array(values.map(JSONValue.string)))])
        case .array(let item): return typed("array", [("items", item.json)])
        case .object(let props):
            let required = props.filter { if case .optional = $0.1 { false } else { true } }.map(\.0)
            return typed("object", [("properties", .object(props.map { ($0.0, $0.1.json) }))]
                         + (required.isEmpty ? [] : [("required", .array(required.map(JSONValue.string)))])
                         + [("additionalProperties", .bool(false))])
        case .map(let value): return typed("object", [("additionalProperties", value.json)])
        case .optional(let wrapped): return wrapped.rendered(nullable: true)
        case .anyValue: return .object(null)
        case .ref(let name):
            let ref = JSONValue.object([("$ref", .string("#/components/schemas/\(name)"))])
            // OpenAPI 3.0 ignores siblings of $ref, so a nullable reference wraps it.
            return nullable ? .object([("nullable", .bool(true)), ("allOf", .array([ref]))]) : ref
        }
    }
}
