/// The per-site shared secrets of the lab, written one per file (0600) under `keys/`.
///
/// Secrets come from the system generator, not the seed: the same world must not mean the same keys.
struct LabKeys: Sendable {
    /// Secret text by site name.
    private var secrets: [String: String]
    /// Key file by site name, relative to the lab directory.
    private(set) var files: [String: String]

    static func generate(for sites: [LabSite], in directory: LabDirectory) throws(LabError) -> LabKeys {
        var generator = SystemRandomNumberGenerator()
        var keys = LabKeys(secrets: [:], files: [:])
        for site in sites {
            let secret = (0..<32).map { _ in
                let byte = UInt8.random(in: 0...255, using: &generator)
                let text = String(byte, radix: 16)
                return text.count == 1 ? "0" + text : text
            }.joined()
            let file = "keys/\(site.name).key"
            try directory.write(secret + "\n", to: file, permissions: 0o600)
            keys.secrets[site.name] = secret
            keys.files[site.name] = file
        }
        return keys
    }

    /// The bytes both ends authenticate with: the key file's line, as `mapserver.toml` readers take it.
    func secret(of site: String) -> [UInt8] {
        Array((secrets[site] ?? "").utf8)
    }
}
