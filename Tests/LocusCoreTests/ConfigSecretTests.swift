import Testing

@testable import LocusCore

@Suite("Config secrets")
struct ConfigSecretTests {
    /// A config naming one shared key file and one TSIG key file.
    static let config = """
        name = "t"
        [[mapping]]
        name = "mr-1"
        resolver = "127.0.0.1:4342"
        map_server = "127.0.0.1:4342"
        key_id = 1
        algorithm = "hmac-sha256"
        key_file = "keys/site.key"
        [[dns]]
        name = "corp"
        server = "127.0.0.1:5353"
        tsig_key_name = "ddns-key"
        tsig_algorithm = "hmac-sha256"
        tsig_key_file = "keys/ddns.key"
        """

    func check(in directory: ConfigTestDirectory, sharedKeyMode: Int?, tsigMode: Int?) throws -> ConfigCheckResult {
        try directory.write(Self.config, to: "locus.toml", mode: 0o644)
        if let sharedKeyMode { try directory.write("s3cret\n", to: "keys/site.key", mode: sharedKeyMode) }
        if let tsigMode { try directory.write("c2VjcmV0\n", to: "keys/ddns.key", mode: tsigMode) }
        return ConfigCheck.run(configFile: directory.path + "/locus.toml", directories: testDirectories)
    }

    @Test func worldReadableSecretIsAWarningAtTheLineNamingIt() throws {
        let directory = try ConfigTestDirectory()
        defer { directory.remove() }
        let path = directory.path
        let result = try check(in: directory, sharedKeyMode: 0o644, tsigMode: 0o604)
        #expect(result.exitCode == 0)
        #expect(result.summary != nil)
        #expect(
            result.diagnostics == [
                "\(path)/locus.toml:8: secret file \(path)/keys/site.key is readable by others (mode 0644); "
                    + "run chmod o-r on it",
                "\(path)/locus.toml:14: secret file \(path)/keys/ddns.key is readable by others (mode 0604); "
                    + "run chmod o-r on it",
            ]
        )
    }

    @Test func groupReadableSecretGivesNoWarning() throws {
        let directory = try ConfigTestDirectory()
        defer { directory.remove() }
        let result = try check(in: directory, sharedKeyMode: 0o640, tsigMode: 0o600)
        #expect(result.exitCode == 0)
        #expect(result.diagnostics.isEmpty)
    }

    @Test func missingSecretIsAnError() throws {
        let directory = try ConfigTestDirectory()
        defer { directory.remove() }
        let path = directory.path
        let result = try check(in: directory, sharedKeyMode: 0o600, tsigMode: nil)
        #expect(result.exitCode == 1)
        #expect(
            result.diagnostics == [
                "\(path)/locus.toml:14: secret file \(path)/keys/ddns.key: No such file or directory"
            ]
        )
    }

    @Test func malformedSecretIsAnError() throws {
        let directory = try ConfigTestDirectory()
        defer { directory.remove() }
        try directory.write(Self.config, to: "locus.toml")
        try directory.write("line one\nline two\n", to: "keys/site.key")
        try directory.write("not base64!\n", to: "keys/ddns.key")
        let result = ConfigCheck.run(configFile: directory.path + "/locus.toml", directories: testDirectories)
        #expect(result.exitCode == 1)
        #expect(
            result.diagnostics == [
                "\(directory.path)/locus.toml:8: secret file \(directory.path)/keys/site.key: "
                    + "expected the secret on one line, found 2 lines",
                "\(directory.path)/locus.toml:14: secret file \(directory.path)/keys/ddns.key: "
                    + "the secret is not valid base64",
            ]
        )
    }

    @Test func mapServerKeyFilesAreCheckedToo() throws {
        let directory = try ConfigTestDirectory()
        defer { directory.remove() }
        let file = try directory.write(ConfigExamples.mapServer, to: "mapserver.toml")
        #expect(
            throws: ConfigErrors([
                ConfigError(
                    file: file,
                    line: 9,
                    message: "secret file \(directory.path)/keys/dc-east.key: No such file or directory"
                )
            ])
        ) {
            try ConfigLoader.loadMapServer(file: file)
        }
        try directory.write("k\n", to: "keys/dc-east.key", mode: 0o666)
        let (_, warnings) = try ConfigLoader.loadMapServer(file: file)
        #expect(warnings.map(\.line) == [9])
        #expect(warnings.first?.message.contains("readable by others (mode 0666)") == true)
    }

    @Test func sharedKeyIsOneTrimmedLine() throws {
        #expect(try SecretText.sharedKey("  s3cret \n\n") == "s3cret")
        #expect(throws: SecretFormatError(reason: "the file is empty")) { try SecretText.sharedKey("\n \n") }
    }

    @Test func bareBase64TSIGSecretParses() throws {
        let key = try SecretText.tsigKey("c2VjcmV0LWtleQ==\n")
        #expect(key == TSIGSecret(keyName: nil, algorithm: nil, secret: Array("secret-key".utf8)))
        #expect(try SecretText.tsigKey("c2VjcmV0LWtleQ").secret == Array("secret-key".utf8))
    }

    @Test func bindKeyBlockParses() throws {
        let key = try SecretText.tsigKey(
            """
            # written by tsig-keygen
            key "ddns-key" {
            \talgorithm hmac-sha256;  // the default
            \tsecret "c2VjcmV0LWtleQ==";
            };
            """
        )
        #expect(key == TSIGSecret(keyName: "ddns-key", algorithm: "hmac-sha256", secret: Array("secret-key".utf8)))
    }

    @Test func bindKeyBlockWithoutSecretIsRefused() {
        #expect(throws: SecretFormatError(reason: "the key block has no secret")) {
            try SecretText.tsigKey("key \"k\" { algorithm hmac-sha1; };")
        }
        #expect(throws: SecretFormatError(reason: "the secret is not valid base64")) {
            try SecretText.tsigKey("key \"k\" { secret \"@@@\"; };")
        }
    }
}
