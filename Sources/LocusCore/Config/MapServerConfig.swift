/// `mapserver.toml`: what `locus mapserver --config FILE` serves.
public struct MapServerConfig: Sendable, Equatable {
    public static let defaultRegistrationTimeout: Duration = .seconds(180)

    public var file: String
    /// The UDP endpoint for Map-Register and Map-Request messages.
    public var listen: Endpoint
    /// The registration table as JSON over HTTP.
    public var api: Endpoint?
    /// A registration not refreshed within this time is dropped.
    public var registrationTimeout: Duration
    public var sites: [MapServerSite]
    /// RFC 9437 subscriptions held in all, and per subscriber (xTR-ID, or address without one).
    public var maxSubscriptions = 1_000_000
    public var maxSubscriptionsPerSubscriber = 100_000
    /// A subscription not renewed within this time ends.
    public var subscriptionLifetime: Duration = .seconds(86_400)
    /// The HTTP API closes a connection idle this long and serves at most this many at once.
    public var apiIdleTimeout: Duration = .seconds(30)
    public var apiMaxConnections = 64

    public init(
        file: String,
        listen: Endpoint,
        api: Endpoint? = nil,
        registrationTimeout: Duration = MapServerConfig.defaultRegistrationTimeout,
        sites: [MapServerSite] = []
    ) {
        self.file = file
        self.listen = listen
        self.api = api
        self.registrationTimeout = registrationTimeout
        self.sites = sites
    }

    public var secretFiles: [SecretFileReference] { sites.map(\.keyFile) }
}

/// A `[[site]]` of the map-server: who may register which prefixes, with which key.
public struct MapServerSite: Sendable, Hashable {
    public var name: String
    public var keyID: UInt16
    public var algorithm: AuthenticationAlgorithm
    public var keyFile: SecretFileReference
    public var iid: UInt32
    public var prefixes: [IPPrefix]
    /// Accept registrations of prefixes inside `prefixes`, not only the prefixes themselves.
    public var acceptMoreSpecifics: Bool
    public var line: Int

    public init(
        name: String,
        keyID: UInt16,
        algorithm: AuthenticationAlgorithm,
        keyFile: SecretFileReference,
        iid: UInt32 = 0,
        prefixes: [IPPrefix],
        acceptMoreSpecifics: Bool = false,
        line: Int = 0
    ) {
        self.name = name
        self.keyID = keyID
        self.algorithm = algorithm
        self.keyFile = keyFile
        self.iid = iid
        self.prefixes = prefixes
        self.acceptMoreSpecifics = acceptMoreSpecifics
        self.line = line
    }
}
