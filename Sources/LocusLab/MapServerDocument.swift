/// `mapserver.toml` (CONFIG.md) describing the lab's map-server, so `locus mapserver --config` can run the same
/// map-server outside the lab.
public struct MapServerDocument: Sendable {
    public var sites: [LabSite]
    /// Every site lists all of these with `accept_more_specifics`: a workload keeps its EID when it moves, and
    /// the xTR of the site it moved to registers that /32.
    public var mobilityPrefixes: [String]
    /// `host:port` of the UDP socket and of the HTTP API.
    public var listen: String
    public var api: String
    public var registrationTimeout: Duration
    /// Key file of each site, relative to the lab directory.
    public var keyFiles: [String: String]

    public init(
        sites: [LabSite],
        mobilityPrefixes: [String],
        listen: String,
        api: String,
        registrationTimeout: Duration,
        keyFiles: [String: String]
    ) {
        self.sites = sites
        self.mobilityPrefixes = mobilityPrefixes
        self.listen = listen
        self.api = api
        self.registrationTimeout = registrationTimeout
        self.keyFiles = keyFiles
    }

    public func render() -> String {
        var out = """
            # The lab's map-server and map-resolver.
            listen = \(TOMLText.quoted(listen))
            api = \(TOMLText.quoted(api))
            registration_timeout = \(TOMLText.quoted(TOMLText.duration(registrationTimeout)))

            """
        for site in sites {
            out += """

                [[site]]
                name = \(TOMLText.quoted(site.name))
                key_id = \(site.keyID)
                algorithm = "hmac-sha256"
                key_file = \(TOMLText.quoted(keyFiles[site.name] ?? ""))
                iid = 0
                prefixes = \(TOMLText.array(mobilityPrefixes))
                accept_more_specifics = true

                """
        }
        return out
    }
}
