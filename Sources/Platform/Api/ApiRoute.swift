/// Where the JSON API lives. Operations are declared with paths relative to it
/// (`ApiRoutes.on(.GET, "suggestions/:id", …)`, the one place each API path is written);
/// the document, the CSRF exemption and the access table's API lines read the base from here.
public enum ApiRoute {
    public static let base: [String] = ["api", "v1"]
    public static var basePath: String { "/" + base.joined(separator: "/") }
    /// Every path under "/api/", any version: answered as API (JSON errors, no CSRF).
    public static var rootPrefix: String { "/" + base[0] + "/" }
}
