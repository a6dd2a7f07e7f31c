import Fluent
import Vapor

/// CSV import pages: upload → preview every row with its errors → confirm. Nothing is written
/// unless every row is valid.
struct ImportController {
    func register(_ r: RoutesBuilder) {
        r.get(.importForm(""), use: form)
        r.post(.importUpload(""), use: upload)
        r.post(.importConfirm("", 0), use: confirm)
    }

    struct Kind: Sendable { let title: String; let listPath: String; let columns: [String]; let sample: String }

    static func kind(_ slug: String) throws -> Kind {
        switch slug {
        case "representatives":
            return Kind(title: "导入代表名册", listPath: PlatformRoute.representatives.path,
                        columns: RepresentativeImporter().columns.map { $0.names[0] },
                        sample: "GP-0001,王建国,男,县级、市级,米山镇代表团,煤炭,13835600001,米山镇代表联络站")
        case "units":
            return Kind(title: "导入承办单位", listPath: PlatformRoute.reference("units").path,
                        columns: UnitImporter().columns.map { $0.names[0] }, sample: "ZF-101,市教育局,政府部门,ZF-100")
        default: throw RendaError.notFound
        }
    }

    struct FormPage: Encodable, Sendable {
        let title: String; let columns: String; let sample: String; let action: String
        let preview: ImportPreview?; let confirmPath: String?; let error: String?; let listPath: String
    }

    @Sendable func form(_ req: Request) async throws -> Response {
        let slug = req.parameters.get("kind") ?? ""
        let k = try Self.kind(slug)
        return try await req.renderPage("platform/import", title: k.title, FormPage(
            title: k.title, columns: k.columns.joined(separator: ","), sample: k.sample,
            action: PlatformRoute.importUpload(slug).path, preview: nil, confirmPath: nil, error: nil, listPath: k.listPath))
    }

    struct Upload: Content { var file: File? }

    @Sendable func upload(_ req: Request) async throws -> Response {
        let slug = req.parameters.get("kind") ?? ""
        let k = try Self.kind(slug)
        let upload = try? req.content.decode(Upload.self)
        guard let file = upload?.file, file.data.readableBytes > 0 else {
            return try await req.renderPage("platform/import", title: k.title, FormPage(
                title: k.title, columns: k.columns.joined(separator: ","), sample: k.sample, action: PlatformRoute.importUpload(slug).path,
                preview: nil, confirmPath: nil, error: "请选择要上传的CSV文件。", listPath: k.listPath), status: .unprocessableEntity)
        }
        let data = Data(buffer: file.data)
        let preview: ImportPreview
        switch slug {
        case "units": preview = try await ImportService.preview(UnitImporter(), data: data, fileName: file.filename, actor: req.actor, now: req.now, on: req.db)
        default: preview = try await ImportService.preview(RepresentativeImporter(), data: data, fileName: file.filename, actor: req.actor, now: req.now, on: req.db)
        }
        return try await req.renderPage("platform/import", title: k.title, FormPage(
            title: k.title, columns: k.columns.joined(separator: ","), sample: k.sample, action: PlatformRoute.importUpload(slug).path,
            preview: preview, confirmPath: preview.batchID.map { PlatformRoute.importConfirm(slug, $0).path },
            error: preview.isValid ? nil : "文件中有\(preview.errorCount)处错误,未导入任何数据。请修改后重新上传。", listPath: k.listPath),
            status: preview.isValid ? .ok : .unprocessableEntity)
    }

    @Sendable func confirm(_ req: Request) async throws -> Response {
        let slug = req.parameters.get("kind") ?? ""
        let k = try Self.kind(slug)
        let batch = try req.intParameter("batch")
        let result: ImportResult
        switch slug {
        case "units": result = try await ImportService.confirm(UnitImporter(), batchID: batch, actor: req.actor, now: req.now, on: req.db)
        default: result = try await ImportService.confirm(RepresentativeImporter(), batchID: batch, actor: req.actor, now: req.now, on: req.db)
        }
        req.flash("导入完成:新增\(result.created)条,更新\(result.updated)条,未变\(result.unchanged)条。")
        return req.redirect(to: k.listPath)
    }
}
