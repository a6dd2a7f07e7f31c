import Fluent
import Vapor

/// The representatives roll: filtered keyset list, create/edit form, CSV export.
struct RepresentativesController {
    func register(_ r: RoutesBuilder) {
        r.get(.representatives, use: list)
        r.get(.representativesExport, use: export)
        r.get(.representativeNew, use: newForm)
        r.post(.representativeNew, use: create)
        r.get(.representative(0), use: editForm)
        r.post(.representative(0), use: update)
    }

    typealias Option = SelectOption
    /// A row of the roll with the link to its form.
    struct Row: Encodable, Sendable { let rep: RepresentativeRow; let path: String }
    struct ListPage: Encodable, Sendable {
        let rows: [Row]
        let filter: [String: String]
        let delegations: [Option]; let levels: [Option]; let groups: [Option]; let stations: [Option]
        let pages: PageLinks
        let exportPath: String; let newPath: String; let importPath: String
        var head = TableHead("代表证号", "姓名", "性别", "级别", "代表团", "专业小组", "手机", "联络站")
    }

    /// The query names of the filters, which the page and export links carry on.
    static let filterNames = ["name", "delegation", "level", "group", "station"]

    static func filter(from req: Request) -> RepresentativeFilter {
        RepresentativeFilter(name: req.query["name"], delegationID: req.query["delegation"], level: (req.query["level"] as String?).flatMap(Level.init(rawValue:)),
                             groupID: req.query["group"], stationID: req.query["station"])
    }

    static func options(_ lookup: [String: Int], selected: Int?) -> [Option] {
        lookup.sorted { $0.value < $1.value }.map { Option(value: String($0.value), label: $0.key, selected: $0.value == selected) }
    }

    @Sendable func list(_ req: Request) async throws -> Response {
        let f = Self.filter(from: req)
        let page = try await RepresentativeQuery.page(f, try req.keyset(size: 50), on: req.db)
        let lookup = try await ReferenceLookup.load(on: req.db)
        let filters = req.queryValues(Self.filterNames)
        return try await req.renderPage("platform/representatives", title: "代表名册", ListPage(
            rows: page.items.map { var r = $0; r.phone = PhoneNumber.masked(r.phone); return Row(rep: r, path: PlatformRoute.representative(r.id).path) },
            filter: req.queryDictionary(Self.filterNames),
            delegations: Self.options(lookup.delegations, selected: f.delegationID),
            levels: Level.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == f.level) },
            groups: Self.options(lookup.groups, selected: f.groupID), stations: Self.options(lookup.stations, selected: f.stationID),
            pages: page.links(PlatformRoute.representatives, keeping: filters),
            exportPath: PlatformRoute.representativesExport.path(query: filters),
            newPath: PlatformRoute.representativeNew.path, importPath: PlatformRoute.importForm("representatives").path))
    }

    /// The filtered roll as CSV, in the same columns the import reads.
    @Sendable func export(_ req: Request) async throws -> Response {
        let f = Self.filter(from: req)
        var page = KeysetRequest(size: 200)
        var csv = CSVWriter(header: ["代表证号", "姓名", "性别", "级别", "代表团", "专业小组", "手机号码", "联络站"])
        var rows = 0
        while rows < 200_000 {
            let result = try await RepresentativeQuery.page(f, page, on: req.db)
            for r in result.items {
                csv.append([r.code, r.name, r.gender, r.levels.joined(separator: "、"), r.delegation ?? "",
                            r.groups.joined(separator: "、"), r.phone ?? "", r.station ?? ""])
            }
            rows += result.items.count
            guard let next = result.next else { break }
            page.cursor = next
        }
        return csv.response(fileName: "代表名册.csv")
    }

    struct FormPage: Encodable, Sendable {
        let form: FormState
        let levels: [Option]; let groups: [Option]; let delegations: [Option]; let stations: [Option]
        let gender: SelectField
        let code: TextField; let name: TextField; let phone: TextField
        let action: String
        var rollPath = PlatformRoute.representatives.path
        let isNew: Bool
    }

    func formPage(_ req: Request, form: FormState, levels: Set<String>, groups: Set<String>, id: Int?) async throws -> FormPage {
        let lookup = try await ReferenceLookup.load(on: req.db)
        let d = Int(form.values["delegation"] ?? ""), s = Int(form.values["station"] ?? "")
        return FormPage(
            form: form,
            levels: Level.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: levels.contains($0.rawValue)) },
            groups: lookup.groups.sorted { $0.value < $1.value }.map { Option(value: String($0.value), label: $0.key, selected: groups.contains(String($0.value))) },
            delegations: Self.options(lookup.delegations, selected: d), stations: Self.options(lookup.stations, selected: s),
            gender: SelectField("gender", label: "性别", options: ["男", "女"].map { Option(value: $0, label: $0, selected: form.values["gender"] == $0) }, form: form),
            code: TextField("code", label: "代表证号", form: form, required: true),
            name: TextField("name", label: "姓名", form: form, required: true),
            phone: TextField("phone", label: "手机号码", form: form, type: "tel"),
            action: id.map { PlatformRoute.representative($0).path } ?? PlatformRoute.representativeNew.path, isNew: id == nil)
    }

    @Sendable func newForm(_ req: Request) async throws -> Response {
        try await req.renderPage("platform/representative-form", title: "添加代表",
                                 try await formPage(req, form: FormState(), levels: [], groups: [], id: nil))
    }

    @Sendable func editForm(_ req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        guard let r = try await Representative.find(id, on: req.db) else { throw RendaError.notFound }
        let levels = try await RepresentativeLevel.query(on: req.db).filter(\.$representativeID == id).all().map(\.level)
        let groups = try await RepresentativeGroup.query(on: req.db).filter(\.$representativeID == id).all().map { String($0.groupID) }
        let values = ["code": r.code, "name": r.name, "gender": r.gender, "phone": r.phone ?? "",
                      "delegation": r.delegationID.map(String.init) ?? "", "station": r.stationID.map(String.init) ?? ""]
        return try await req.renderPage("platform/representative-form", title: "编辑代表:\(r.name)",
                                        try await formPage(req, form: FormState(values: values), levels: Set(levels), groups: Set(groups), id: id))
    }

    struct Lists: Content { var levels: [String]?; var groups: [String]? }

    @Sendable func create(_ req: Request) async throws -> Response { try await save(req, id: nil) }
    @Sendable func update(_ req: Request) async throws -> Response { try await save(req, id: try req.intParameter("id")) }

    func save(_ req: Request, id: Int?) async throws -> Response {
        let v = req.formValues()
        let lists = (try? req.content.decode(Lists.self)) ?? Lists()
        let input = RepresentativeInput(code: v["code"], name: v["name"], gender: v["gender"], levels: lists.levels,
                                        delegation: v["delegation"], station: v["station"], groups: lists.groups, phone: v["phone"])
        return try await req.submitForm(v) {
            let savedID = try await RepresentativeService.save(input, id: id, actor: req.actor, now: req.now, on: req.db)
            req.flash("代表“\(v["name"] ?? "")”已保存。")
            return req.redirect(.representative(savedID))
        } orRender: { form, status in
            try await req.renderPage("platform/representative-form", title: id == nil ? "添加代表" : "编辑代表",
                                     try await formPage(req, form: form, levels: Set(lists.levels ?? []), groups: Set(lists.groups ?? []), id: id),
                                     status: status)
        }
    }
}
