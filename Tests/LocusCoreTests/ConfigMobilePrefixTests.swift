import Testing

@testable import LocusCore

/// A mobile subnet is listed under every site a workload may move to; the map-server config allows it
/// only where each such site accepts the moved workload's more-specific registration.
@Suite("mapserver.toml: one prefix in several sites")
struct ConfigMobilePrefixTests {
    static func document(eastAccepts: Bool, westAccepts: Bool) -> String {
        """
        listen = "127.0.0.1:4342"
        [[site]]
        name = "dc-east"
        key_id = 1
        algorithm = "hmac-sha256"
        key_file = "east.key"
        prefixes = ["10.1.0.0/16"]
        accept_more_specifics = \(eastAccepts)

        [[site]]
        name = "dc-west"
        key_id = 2
        algorithm = "hmac-sha256"
        key_file = "west.key"
        prefixes = ["10.1.0.0/16"]
        accept_more_specifics = \(westAccepts)
        """
    }

    @Test func isAcceptedWhenEverySiteAcceptsMoreSpecifics() throws {
        let config = try MapServerConfig.parse(Self.document(eastAccepts: true, westAccepts: true), file: "ms.toml")
        #expect(config.sites.map(\.name) == ["dc-east", "dc-west"])
    }

    @Test(arguments: [(true, false), (false, true), (false, false)])
    func isRefusedWhenASiteDoesNotAcceptMoreSpecifics(east: Bool, west: Bool) {
        #expect {
            _ = try MapServerConfig.parse(Self.document(eastAccepts: east, westAccepts: west), file: "ms.toml")
        } throws: { error in
            guard let errors = error as? ConfigErrors else { return false }
            return errors.errors.map(\.description) == [
                "ms.toml:10: site \"dc-west\": prefix 10.1.0.0/16 in iid 0 already belongs to site \"dc-east\" "
                    + "(line 2); list it in several sites only with accept_more_specifics = true in each"
            ]
        }
    }
}
