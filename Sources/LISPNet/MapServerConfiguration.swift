import LISP
import NIOCore

/// Everything a map-server needs to run, as `mapserver.toml` describes it (CONFIG.md).
public struct MapServerConfiguration: Sendable {
    /// The UDP address for Map-Register and ECM Map-Request (port 4342 in production, 0 in tests).
    public var listen: SocketAddress
    /// The HTTP address of the registration table; `nil` for no API.
    public var api: SocketAddress?
    public var apiLimits: HTTPAPILimits
    /// How long a registration lives without a refresh (unless its register set the T bit).
    public var registrationTimeout: Duration
    public var sites: [Site]
    /// Retransmission of RFC 9437 publications until the subscriber acknowledges them.
    public var publicationRetransmits: [Duration]
    public var subscriptionLimits: SubscriptionLimits
    /// How often expiry and publication retransmission are checked.
    public var maintenanceInterval: Duration
    /// Kernel receive buffer; large enough for the burst a client's in-flight window can send.
    public var receiveBufferBytes: Int

    public init(
        listen: SocketAddress,
        api: SocketAddress? = nil,
        apiLimits: HTTPAPILimits = HTTPAPILimits(),
        registrationTimeout: Duration = .seconds(180),
        sites: [Site],
        publicationRetransmits: [Duration] = MapServerConfiguration.defaultPublicationRetransmits,
        subscriptionLimits: SubscriptionLimits = SubscriptionLimits(),
        maintenanceInterval: Duration = .milliseconds(250),
        receiveBufferBytes: Int = 4 << 20
    ) {
        self.listen = listen
        self.api = api
        self.apiLimits = apiLimits
        self.registrationTimeout = registrationTimeout
        self.sites = sites
        self.publicationRetransmits = publicationRetransmits
        self.subscriptionLimits = subscriptionLimits
        self.maintenanceInterval = maintenanceInterval
        self.receiveBufferBytes = receiveBufferBytes
    }

    /// RFC 9437: three retransmissions 3 s apart, then three more, each waiting twice as long.
    public static let defaultPublicationRetransmits: [Duration] = [3, 3, 3, 6, 12, 24].map { .seconds($0) }

    /// A site: who may register which EID-prefixes, with which key.
    public struct Site: Sendable, Hashable {
        public var name: String
        public var keyID: UInt8
        public var algorithm: LISPAuthAlgorithm
        public var secret: [UInt8]
        /// The instance the prefixes are in; prefixes parsed from text take it.
        public var instanceID: UInt32
        public var prefixes: [EIDPrefix]
        /// Accept registrations of prefixes inside `prefixes`, not only the prefixes themselves.
        public var acceptMoreSpecifics: Bool

        public init(
            name: String,
            keyID: UInt8,
            algorithm: LISPAuthAlgorithm,
            secret: [UInt8],
            instanceID: UInt32 = 0,
            prefixes: [EIDPrefix],
            acceptMoreSpecifics: Bool = false
        ) {
            self.name = name
            self.keyID = keyID
            self.algorithm = algorithm
            self.secret = secret
            self.instanceID = instanceID
            self.prefixes = prefixes
            self.acceptMoreSpecifics = acceptMoreSpecifics
        }

        /// Whether this site may register `prefix`.
        func allows(_ prefix: EIDPrefix) -> Bool {
            prefixes.contains { configured in
                configured == prefix || (acceptMoreSpecifics && configured.contains(prefix))
            }
        }
    }
}
