import Foundation

/// Where `Resources/Views` and `Public/` are, so `renda serve` works from any directory (a
/// service's working directory is rarely the source tree). In order: `RENDA_HOME`; the working
/// directory; the directories above the executable (a `.build/…/renda` inside the source tree,
/// or `/opt/renda/bin/renda` next to `/opt/renda/Resources`); `/usr/share/renda`; and the source
/// tree the binary was built from.
public enum ResourceLocation {
    public static func root(environment: [String: String] = ProcessInfo.processInfo.environment,
                            workingDirectory: String = FileManager.default.currentDirectoryPath,
                            executable: String = CommandLine.arguments.first ?? "") -> String {
        var candidates: [String] = []
        if let home = environment["RENDA_HOME"], !home.isEmpty { candidates.append(home) }
        candidates.append(workingDirectory)
        var dir = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.path)
            dir.deleteLastPathComponent()
        }
        candidates.append("/usr/share/renda")
        // Sources/RendaApp/ResourceLocation.swift → the package root at build time.
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path)
        let found = candidates.first { FileManager.default.fileExists(atPath: $0 + "/Resources/Views/layout.leaf") }
        return (found ?? workingDirectory).hasSuffix("/") ? (found ?? workingDirectory) : (found ?? workingDirectory) + "/"
    }
}
