import Vapor

/// Builds the OpenAPI 3 document from the registered operations.
public enum OpenAPIDocument {
    public static func build(_ docs: ApiDocRegistry) -> JSONValue {
        var paths: [(String, [(String, JSONValue)])] = []
        for op in docs.operations {
            var fields: [(String, JSONValue)] = [
                ("summary", .string(op.summary)), ("tags", .array([.string(op.tag)])),
                ("operationId", .string(operationID(op))),
            ]
            if !op.roles.isEmpty {
                fields.append(("security", .array([.object([("bearer", .array([]))])])))
                fields.append(("x-roles", .array(op.roles.sorted().map { .string($0.rawValue) })))
            }
            var params: [JSONValue] = op.parameters.map {
                .object([("name", .string($0.0)), ("in", .string("path")), ("required", .bool(true)), ("schema", $0.1.json)])
            }
            params += op.query.map { .object([("name", .string($0)), ("in", .string("query")), ("schema", ApiSchema.string.json)]) }
            if !params.isEmpty { fields.append(("parameters", .array(params))) }
            if let body = op.body {
                fields.append(("requestBody", .object([("required", .bool(true)),
                    ("content", .object([(op.bodyType, .object([("schema", body.json)]))]))])))
            }
            let errors: [(String, JSONValue)] = op.errors.map { status in
                (String(status.code), .object([("description", .string(errorDescription(status))),
                    ("content", .object([("application/json", .object([("schema", ApiSchema.ref("Error").json)]))]))]))
            }
            fields.append(("responses", .object([
                ("200", .object([("description", .string("成功")),
                                 ("content", .object([("application/json", .object([("schema", op.response.json)]))]))])),
            ] + errors)))
            let method = op.method.rawValue.lowercased()
            if let i = paths.firstIndex(where: { $0.0 == op.path }) { paths[i].1.append((method, .object(fields))) }
            else { paths.append((op.path, [(method, .object(fields))])) }
        }
        // `fields`: field name → message, empty unless the request was refused field by field (422).
        let errorSchema = ApiSchema.object([("error", .object([("code", .string), ("message", .string), ("fields", .map(.string))]))])
        return .object([
            ("openapi", .string("3.0.3")),
            ("info", .object([("title", .string("Renda 智慧人大 API")), ("version", .string("1.0.0")),
                              ("description", .string("代表、工作人员、承办单位和群众客户端使用的接口。先用 POST \(ApiRoute.basePath)/auth/token 取得令牌,再以 Authorization: Bearer <token> 调用。"))])),
            ("paths", .object(paths.map { ($0.0, .object($0.1)) })),
            ("components", .object([
                ("securitySchemes", .object([("bearer", .object([("type", .string("http")), ("scheme", .string("bearer"))]))])),
                ("schemas", .object([("Error", errorSchema.json)] + docs.schemas.map { ($0.0, $0.1.json) })),
            ])),
        ])
    }

    static func errorDescription(_ status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "请求格式不正确"
        case 401: "未登录:缺少令牌或令牌无效"
        case 403: "没有权限"
        case 404: "没有找到"
        case 409: "当前状态下不能进行此操作"
        case 415: "请求体缺失或类型不对(应为 Content-Type 所写的类型)"
        case 422: "内容有误,fields 列出各字段的问题"
        case 429: "尝试过于频繁,请稍后再试"
        default: status.reasonPhrase
        }
    }

    static func operationID(_ op: ApiOperation) -> String {
        op.method.rawValue.lowercased() + op.path.replacingOccurrences(of: ApiRoute.basePath, with: "")
            .split(separator: "/").map { $0.replacingOccurrences(of: "{", with: "By").replacingOccurrences(of: "}", with: "") }
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
