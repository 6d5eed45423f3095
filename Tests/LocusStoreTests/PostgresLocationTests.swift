import LocusCore
import Testing

@testable import LocusStore

/// Parsing `store = "postgres://…"`: needs no server.
@Suite("PostgreSQL store URL")
struct PostgresLocationTests {
    @Test(arguments: [
        ("postgres://ops1@db:5432/", "names no database"),
        ("postgres://ops1@db:99999/locus", "not a port number"),
        ("postgres://ops1:secret@db/locus", "store_password_file"),
        ("postgres:///locus", "names no host"),
        ("postgres:///locus?host=/run/pg&color=red", "unknown parameter ?color="),
        ("mysql://db/locus", "must start with postgres://"),
    ])
    func aURLThatCannotBeUsedNamesWhatIsWrong(url: String, expected: String) {
        #expect(throws: HistoryStoreError.self) { try PostgresStore(url: url) }
        do {
            _ = try PostgresStore(url: url)
        } catch {
            #expect(error.description.contains(expected), "\(error)")
            #expect(!error.description.contains("secret"))
        }
    }

    @Test func aSocketURLUsesTheLoginOfThisProcessAndThePortGiven() throws {
        let location = try PostgresLocation(url: "postgres:///locus?host=/run/pg/&port=6543", defaultUser: "ops9")
        #expect(location.endpoint == .unixSocket(path: "/run/pg/.s.PGSQL.6543"))
        #expect(location.username == "ops9")
        #expect(location.database == "locus")
        let tcp = try PostgresLocation(url: "postgres://ops1@127.0.0.1/locus")
        #expect(tcp.endpoint == .tcp(host: "127.0.0.1", port: 5432))
        #expect(tcp.username == "ops1")
    }
}
