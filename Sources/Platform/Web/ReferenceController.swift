import Fluent
import Vapor

/// One editor for every small reference table described in `ReferenceCatalog`.
struct ReferenceController {
    func register(_ r: RoutesBuilder) {
        r.get(.reference(""), use: list)
        r.get(.referenceNew(""), use: newForm)
        r.post(.referenceNew(""), use: create)
        r.get(.referenceItem("", 0), use: editForm)
        r.post(.referenceItem("", 0), use: update)
    }

    struct Tab: Encodable, Sendable { let label: String; let path: String; let active: Bool }
    struct Column: Encodable, Sendable { let key: String; let label: String }
    struct Row: Encodable, Sendable { let path: String; let cells: [String] }
    struct ListPage: Encodable, Sendable {
        let label: String; let tabs: [Tab]; let columns: [Column]; let rows: [Row]; let q: String
        let pages: PageLinks; let newPath: String; let importPath: String?
    }

    static func kind(_ req: Request) throws -> ReferenceKind {
        guard let k = ReferenceCatalog.kind(req.parameters.get("kind") ?? "") else { throw RendaError.notFound }
        return k
    }

    static func tabs(_ current: String) -> [Tab] {
        ReferenceCatalog.kinds.map { Tab(label: $0.label, path: PlatformRoute.reference($0.slug).path, active: $0.slug == current) }
            + [Tab(label: "人大代表", path: PlatformRoute.representatives.path, active: false)]
    }

    /// Shows referenced rows by their title instead of their id.
    static func display(_ kind: ReferenceKind, _ record: ReferenceRecord, titles: [String: [Int: String]]) -> [String] {
        kind.fields.map { f in
            let v = record.values[f.key] ?? ""
            if case .reference(let table) = f.kind, let id = Int(v) { return titles[table]?[id] ?? v }
            if f.key == "level", let l = Level(rawValue: v) { return l.label }
            return v
        }
    }

    static func referenceTitles(_ kind: ReferenceKind, on db: Database) async throws -> [String: [Int: String]] {
        var out: [String: [Int: String]] = [:]
        for f in kind.fields {
            if case .reference(let table) = f.kind, let target = ReferenceCatalog.kinds.first(where: { $0.table == table }) {
                out[table] = Dictionary(try await ReferenceStore.titles(target, on: db).map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
            }
        }
        return out
    }

    @Sendable func list(_ req: Request) async throws -> Response {
        let kind = try Self.kind(req)
        let q = (req.query["q"] as String?) ?? ""
        let page = try await ReferenceStore.page(kind, try req.keyset(size: 100, maxSize: 500), search: q, on: req.db)
        let titles = try await Self.referenceTitles(kind, on: req.db)
        return try await req.renderPage("platform/reference-list", title: kind.label, ListPage(
            label: kind.label, tabs: Self.tabs(kind.slug), columns: kind.fields.map { Column(key: $0.key, label: $0.label) },
            rows: page.items.map { Row(path: PlatformRoute.referenceItem(kind.slug, $0.id).path, cells: Self.display(kind, $0, titles: titles)) },
            q: q, pages: page.links(PlatformRoute.reference(kind.slug), keeping: req.queryValues(["q"])),
            newPath: PlatformRoute.referenceNew(kind.slug).path,
            importPath: kind.slug == "units" ? PlatformRoute.importForm("units").path : nil))
    }

    typealias Option = SelectOption
    /// One field of a reference item: a choice (`partials/select`) or a typed value (`partials/field`).
    struct Field: Encodable, Sendable { let select: SelectField?; let text: TextField? }
    struct FormPage: Encodable, Sendable { let label: String; let fields: [Field]; let action: String; let message: String?; let listPath: String; let isNew: Bool }

    func formPage(_ req: Request, kind: ReferenceKind, id: Int?, form: FormState) async throws -> FormPage {
        var fields: [Field] = []
        for f in kind.fields {
            let value = form.values[f.key] ?? ""
            var type = "text", options: [Option] = [], lo: Int?, hi: Int?
            switch f.kind {
            case .text(let max): hi = max
            case .integer(let a, let b): type = "number"; lo = a; hi = b
            case .date: type = "date"
            case .choice(let values):
                type = "select"
                options = values.map { Option(value: $0, label: f.key == "level" ? (Level(rawValue: $0)?.label ?? $0) : $0, selected: $0 == value) }
            case .reference(let table):
                type = "select"
                if let target = ReferenceCatalog.kinds.first(where: { $0.table == table }) {
                    options = try await ReferenceStore.titles(target, on: req.db).filter { $0.id != id }
                        .map { Option(value: String($0.id), label: $0.title, selected: String($0.id) == value) }
                }
            }
            let label = f.required ? f.label : f.label + "(选填)"
            // A select's empty 请选择 stays submittable, so the rule is the server's and the message comes back.
            fields.append(type == "select"
                ? Field(select: SelectField(f.key, label: label, options: options, form: form), text: nil)
                : Field(select: nil, text: TextField(f.key, label: label, form: form, type: type, required: f.required, min: lo.map(String.init),
                                                     max: type == "number" ? hi.map(String.init) : nil, maxlength: type == "number" ? nil : hi)))
        }
        return FormPage(label: kind.label, fields: fields,
                        action: id.map { PlatformRoute.referenceItem(kind.slug, $0).path } ?? PlatformRoute.referenceNew(kind.slug).path,
                        message: form.message, listPath: PlatformRoute.reference(kind.slug).path, isNew: id == nil)
    }

    @Sendable func newForm(_ req: Request) async throws -> Response {
        let kind = try Self.kind(req)
        return try await req.renderPage("platform/reference-form", title: "新建\(kind.label)", try await formPage(req, kind: kind, id: nil, form: FormState()))
    }

    @Sendable func editForm(_ req: Request) async throws -> Response {
        let kind = try Self.kind(req)
        let id = try req.intParameter("id")
        guard let record = try await ReferenceStore.find(kind, id: id, on: req.db) else { throw RendaError.notFound }
        return try await req.renderPage("platform/reference-form", title: "编辑\(kind.label)",
                                        try await formPage(req, kind: kind, id: id, form: FormState(values: record.values)))
    }

    @Sendable func create(_ req: Request) async throws -> Response { try await save(req, id: nil) }
    @Sendable func update(_ req: Request) async throws -> Response { try await save(req, id: try req.intParameter("id")) }

    func save(_ req: Request, id: Int?) async throws -> Response {
        let kind = try Self.kind(req)
        let values = req.formValues()
        return try await req.submitForm(values) {
            _ = try await ReferenceStore.save(kind, id: id, input: values, actor: req.actor, now: req.now, on: req.db)
            req.flash("\(kind.label)已保存。")
            return req.redirect(.reference(kind.slug))
        } orRender: { form, status in
            return try await req.renderPage("platform/reference-form", title: id == nil ? "新建\(kind.label)" : "编辑\(kind.label)",
                                            try await formPage(req, kind: kind, id: id, form: form),
                                            status: status)
        }
    }
}
