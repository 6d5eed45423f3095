import LISP
import LISPNet
import LocusCore
import NIOCore

extension MapServerConfiguration {
    /// Reads `mapserver.toml` with LocusCore's parser and turns it into what the map-server runs with.
    ///
    /// - Returns: the configuration and the warnings an operator should see (such as a key file others may read).
    /// - Throws: every problem as `FILE:LINE: message`.
    static func load(file: String) throws(ConfigErrors) -> (MapServerConfiguration, [ConfigWarning]) {
        let (config, warnings) = try ConfigLoader.loadMapServer(file: file)
        return (try MapServerConfiguration(config), warnings)
    }

    /// The map-server's view of a parsed `mapserver.toml`: key files read, addresses and prefixes converted
    /// through their text forms.
    init(_ config: MapServerConfig) throws(ConfigErrors) {
        var errors: [ConfigError] = []
        func fail(_ line: Int, _ message: String) {
            errors.append(ConfigError(file: config.file, line: line, message: message))
        }
        // The parser keeps no line for top-level keys; such an error names the file as a whole.
        func socketAddress(_ endpoint: Endpoint, key: String) -> SocketAddress? {
            do {
                return try SocketAddress.parse(hostPort: endpoint.description, defaultPort: Int(endpoint.port))
            } catch {
                fail(0, "'\(key)' = \"\(endpoint)\": the map-server binds an IP address, not a host name")
                return nil
            }
        }
        let listen = socketAddress(config.listen, key: "listen")
        let api = config.api.flatMap { socketAddress($0, key: "api") }
        var sites: [Site] = []
        for site in config.sites {
            guard let keyID = UInt8(exactly: site.keyID) else {
                fail(
                    site.line,
                    "site \"\(site.name)\": key_id \(site.keyID) does not fit LISP's 8-bit Key ID (0...255)"
                )
                continue
            }
            let secret: String
            do {
                secret = try ConfigLoader.readSharedKey(at: site.keyFile.path)
            } catch {
                fail(site.keyFile.line, "secret file \(error)")
                continue
            }
            var prefixes: [EIDPrefix] = []
            for prefix in site.prefixes {
                guard let converted = EIDPrefix(prefix.description, defaultInstanceID: site.iid) else {
                    fail(site.line, "site \"\(site.name)\": prefix \(prefix) is not a usable EID-prefix")
                    continue
                }
                prefixes.append(converted)
            }
            sites.append(
                Site(
                    name: site.name,
                    keyID: keyID,
                    algorithm: LISPAuthAlgorithm(site.algorithm),
                    secret: Array(secret.utf8),
                    instanceID: site.iid,
                    prefixes: prefixes,
                    acceptMoreSpecifics: site.acceptMoreSpecifics
                )
            )
        }
        guard errors.isEmpty, let listen else {
            throw ConfigErrors(errors.sorted { $0.line < $1.line })
        }
        self.init(
            listen: listen,
            api: api,
            apiLimits: HTTPAPILimits(idleTimeout: config.apiIdleTimeout, maxConnections: config.apiMaxConnections),
            registrationTimeout: config.registrationTimeout,
            sites: sites,
            subscriptionLimits: SubscriptionLimits(
                perSubscriber: config.maxSubscriptionsPerSubscriber,
                total: config.maxSubscriptions,
                lifetime: config.subscriptionLifetime
            )
        )
    }
}

extension LISPAuthAlgorithm {
    fileprivate init(_ algorithm: AuthenticationAlgorithm) {
        switch algorithm {
        case .hmacSHA1: self = .hmacSHA1
        case .hmacSHA256: self = .hmacSHA256
        }
    }
}
