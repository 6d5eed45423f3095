import Foundation
import LISP
import LISPNet
import LocusStore
import Logging
import NIOCore

/// The embedded lab: a map-server with its registration API, one simulated xTR per site, the workloads'
/// dependencies (a DNS responder, site services, an HAProxy when installed) and the churn, on loopback,
/// with the files that point Locus at it.
///
/// ```swift
/// let lab = try await Lab.start(LabConfiguration(workloads: 50, seed: 1))
/// print(lab.configFile)        // locus.toml, ready for the engine
/// await lab.stop()
/// ```
public actor Lab {
    public static let configFileName = "locus.toml"
    public static let inventoryFileName = "inventory.toml"
    public static let mapServerFileName = "mapserver.toml"
    public static let storeFileName = "locus.sqlite"

    public nonisolated let configuration: LabConfiguration
    public nonisolated let world: LabWorld
    public nonisolated let directory: LabDirectory
    /// The absolute path of the lab's `locus.toml`.
    public nonisolated let configFile: String
    public nonisolated let mapServer: MapServer
    public nonisolated let mapServerAddresses: MapServer.BoundAddresses
    public nonisolated let xtrs: [SimulatedXTR]
    /// The mover: moves workloads on request, and churns when the configuration asks for it.
    public nonisolated let churn: ChurnDriver
    /// The lab's authoritative DNS for its workloads' records.
    public nonisolated let dns: LabDNS
    /// The sites' auth and storage services.
    public nonisolated let services: LabServices
    /// Who depends on what.
    public nonisolated let dependencyPlan: LabDependencyPlan
    /// The lab's HAProxy, when `haproxy` is installed and the configuration asks for it.
    public nonisolated let loadBalancer: LabLoadBalancer?
    /// One simulated firewall per site, by site name.
    public nonisolated var firewalls: [String: LabFirewall] { infrastructure.firewalls }
    /// What the control port answers: moves for cutovers, their counts, the step to fail.
    public nonisolated let mover: LabMover
    /// Where the control port listens (127.0.0.1, a port the kernel chose); locus.toml's mover argv names it.
    public nonisolated let controlAddress: SocketAddress
    private let infrastructure: LabInfrastructure
    private let serverTask: Task<Void, Never>
    private let control: LabControl
    private var churnTask: Task<Void, Never>?
    private var isStopped = false

    private init(
        configuration: LabConfiguration,
        world: LabWorld,
        directory: LabDirectory,
        mapServer: MapServer,
        mapServerAddresses: MapServer.BoundAddresses,
        serverTask: Task<Void, Never>,
        xtrs: [SimulatedXTR],
        churn: ChurnDriver,
        infrastructure: LabInfrastructure,
        control: LabControl
    ) {
        self.configuration = configuration
        self.world = world
        self.directory = directory
        self.configFile = directory.url(Self.configFileName)
        self.mapServer = mapServer
        self.mapServerAddresses = mapServerAddresses
        self.serverTask = serverTask
        self.xtrs = xtrs
        self.churn = churn
        self.infrastructure = infrastructure
        self.dns = infrastructure.dns
        self.services = infrastructure.services
        self.dependencyPlan = infrastructure.plan
        self.loadBalancer = infrastructure.loadBalancer
        self.control = control
        self.mover = control.mover
        self.controlAddress = control.address
    }

    /// Starts everything and returns once every site's first registration is confirmed by a Map-Notify and
    /// every file is written.
    public static func start(
        _ configuration: LabConfiguration,
        logger: Logger = Logger(label: "locus.lab")
    ) async throws -> Lab {
        if let step = configuration.failStep, !LabMover.isStep(step) {
            throw LabError.invalidConfiguration(
                "no cutover step named \(step) to fail (steps: \(LabMover.steps.joined(separator: ", ")))"
            )
        }
        let world = try WorldGenerator(
            workloads: configuration.workloads,
            sites: configuration.sites,
            seed: configuration.seed
        ).generate()
        let directory = try LabDirectory(path: configuration.directory)
        do {
            return try await start(configuration, world: world, directory: directory, logger: logger)
        } catch {
            directory.removeIfTemporary()
            throw error
        }
    }

    private static func start(
        _ configuration: LabConfiguration,
        world: LabWorld,
        directory: LabDirectory,
        logger: Logger
    ) async throws -> Lab {
        let keys = try LabKeys.generate(for: world.sites, in: directory)
        let server = MapServer(
            configuration: MapServerConfiguration(
                listen: try SocketAddress(ipAddress: "127.0.0.1", port: 0),
                api: try SocketAddress(ipAddress: "127.0.0.1", port: 0),
                registrationTimeout: configuration.registrationTimeout,
                sites: world.sites.map { site in
                    MapServerConfiguration.Site(
                        name: site.name,
                        keyID: site.keyID,
                        algorithm: .hmacSHA256,
                        secret: keys.secret(of: site.name),
                        prefixes: world.mobilityPrefixes,
                        acceptMoreSpecifics: true
                    )
                }
            ),
            logger: logger
        )
        let serverTask = Task {
            do {
                try await server.run()
            } catch {
                logger.error("map-server stopped", metadata: ["error": "\(error)"])
            }
        }
        var xtrs: [SimulatedXTR] = []
        var infrastructure: LabInfrastructure?
        var control: LabControl?
        do {
            let addresses = try await server.boundAddresses()
            let started = try await startInfrastructure(
                world: world,
                configuration: configuration,
                directory: directory,
                logger: logger
            )
            infrastructure = started
            try writeFiles(
                world: world,
                keys: keys,
                addresses: addresses,
                infrastructure: started,
                configuration: configuration,
                in: directory
            )
            for site in world.sites {
                xtrs.append(
                    try SimulatedXTR(
                        site: site,
                        mapServer: addresses.listen,
                        secret: keys.secret(of: site.name),
                        registrationInterval: configuration.registrationInterval,
                        probePort: configuration.probePort,
                        logger: logger
                    )
                )
            }
            try await registerFirst(world: world, xtrs: xtrs)
            let churn = ChurnDriver(
                world: world,
                seed: configuration.seed,
                xtrs: xtrs,
                directory: directory,
                inventoryFile: inventoryFileName,
                flapInterval: configuration.flapInterval,
                stallDuration: configuration.stallDuration,
                outageDuration: configuration.outageDuration,
                infrastructure: started,
                logger: logger
            )
            let controlPort = try await LabControl.start(
                mover: LabMover(
                    name: configuration.name,
                    world: world,
                    churn: churn,
                    moveDelay: configuration.moveDelay,
                    failStep: configuration.failStep,
                    firewalls: started.firewalls,
                    logger: logger
                ),
                logger: logger
            )
            control = controlPort
            try await writeLocusConfig(
                world: world,
                addresses: addresses,
                infrastructure: started,
                configuration: configuration,
                xtrs: xtrs,
                control: controlPort.address,
                in: directory
            )
            let lab = Lab(
                configuration: configuration,
                world: world,
                directory: directory,
                mapServer: server,
                mapServerAddresses: addresses,
                serverTask: serverTask,
                xtrs: xtrs,
                churn: churn,
                infrastructure: started,
                control: controlPort
            )
            if let interval = configuration.churnInterval, interval > .zero {
                await lab.startChurn(every: interval)
            }
            return lab
        } catch {
            await control?.stop()
            for xtr in xtrs { await xtr.shutdown() }
            await infrastructure?.stop()
            await server.shutdown()
            await serverTask.value
            throw error
        }
    }

    /// Starts the DNS responder, the site services and, when installed and asked for, HAProxy.
    private static func startInfrastructure(
        world: LabWorld,
        configuration: LabConfiguration,
        directory: LabDirectory,
        logger: Logger
    ) async throws -> LabInfrastructure {
        let pooled = LabDependencyPlan(world: world, hasLoadBalancer: true)
        let members = pooled.dependents.compactMap { name -> LabLoadBalancer.Member? in
            guard let pool = pooled.pool(of: name), let workload = world.workload(named: name) else { return nil }
            return LabLoadBalancer.Member(
                backend: pool.backend,
                server: name,
                address: workload.address,
                port: UInt16(pool.port)
            )
        }
        let loadBalancer =
            configuration.loadBalancer && !members.isEmpty
            ? try await LabLoadBalancer.start(members: members, directory: directory, logger: logger) : nil
        let plan = LabDependencyPlan(world: world, hasLoadBalancer: loadBalancer != nil)
        let dns: LabDNS
        let services: LabServices
        do {
            dns = try await LabDNS.start(world: world, plan: plan, directory: directory, delay: configuration.dnsDelay)
            if configuration.failStep == "dns" { await dns.responder.refuseNextChange() }
            do {
                services = try await LabServices.start(sites: world.sites)
            } catch {
                await dns.stop()
                throw error
            }
        } catch {
            await loadBalancer?.stop()
            throw error
        }
        let endpoints = await services.endpoints
        return LabInfrastructure(
            plan: plan,
            dns: dns,
            services: services,
            loadBalancer: loadBalancer,
            firewalls: LabFirewall.forSites(of: world, plan: plan),
            dependencies: Dictionary(
                plan.dependents.map { ($0, plan.dependencies(of: $0, endpoints: endpoints)) },
                uniquingKeysWith: { first, _ in first }
            )
        )
    }

    /// Stops the churn, the xTRs and the map-server (closing every socket), and removes a temporary directory.
    public func stop() async {
        guard !isStopped else { return }
        isStopped = true
        // No move asked through the control port may start while the rest goes.
        await control.stop()
        churnTask?.cancel()
        await churnTask?.value
        for xtr in xtrs { await xtr.shutdown() }
        await infrastructure.stop()
        await mapServer.shutdown()
        await serverTask.value
        directory.removeIfTemporary()
    }

    private func startChurn(every interval: Duration) {
        let churn = self.churn
        churnTask = Task { await churn.run(every: interval) }
    }

    private static func registerFirst(world: LabWorld, xtrs: [SimulatedXTR]) async throws {
        let eidsBySite = Dictionary(grouping: world.workloads, by: \.site).mapValues { $0.map(\.eidPrefix) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for xtr in xtrs {
                let eids = eidsBySite[xtr.site.name] ?? []
                group.addTask {
                    do {
                        try await xtr.start(eids: eids)
                    } catch {
                        throw LabError.registrationFailed(site: xtr.site.name, reason: "\(error)")
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    private static func writeFiles(
        world: LabWorld,
        keys: LabKeys,
        addresses: MapServer.BoundAddresses,
        infrastructure: LabInfrastructure,
        configuration: LabConfiguration,
        in directory: LabDirectory
    ) throws {
        let listen = addresses.listen.hostPortDescription
        let api = addresses.api?.hostPortDescription ?? ""
        try directory.write(
            MapServerDocument(
                sites: world.sites,
                mobilityPrefixes: world.mobilityPrefixes.map(\.cidr),
                listen: listen,
                api: api,
                registrationTimeout: configuration.registrationTimeout,
                keyFiles: keys.files
            ).render(),
            to: mapServerFileName
        )
        try directory.write(
            InventoryDocument(workloads: world.workloads, dependencies: infrastructure.dependencies).render(),
            to: inventoryFileName
        )
    }

    /// `locus.toml`, written once the xTRs are bound so that each site names the port its RLOCs answer
    /// probes on; the store it names is marked as a lab store (the only kind where `lab` may request).
    private static func writeLocusConfig(
        world: LabWorld,
        addresses: MapServer.BoundAddresses,
        infrastructure: LabInfrastructure,
        configuration: LabConfiguration,
        xtrs: [SimulatedXTR],
        control: SocketAddress,
        in directory: LabDirectory
    ) async throws {
        let listen = addresses.listen.hostPortDescription
        let api = addresses.api?.hostPortDescription ?? ""
        let executable = configuration.moverExecutable ?? RunningExecutable.path
        var probePorts: [String: Int] = [:]
        for xtr in xtrs {
            if let port = try await xtr.probeAddresses().first?.port { probePorts[xtr.site.name] = port }
        }
        try directory.write(
            LocusDocument(
                name: configuration.name,
                sites: world.sites,
                resolver: listen,
                registrationsAPI: "http://" + api,
                inventoryFile: inventoryFileName,
                storeFile: storeFileName,
                dnsServer: infrastructure.dns.server,
                loadBalancerAPI: infrastructure.loadBalancer?.runtimeAPI,
                probePorts: probePorts,
                approvers: [LoginIdentity.currentUser()],
                firewalls: world.sites.map {
                    LocusDocument.Firewall(site: $0.name, executable: executable, control: control.hostPortDescription)
                },
                mover: LocusDocument.moverArguments(executable: executable, control: control.hostPortDescription)
            ).render(),
            to: configFileName
        )
        do {
            try await SQLiteHistoryStore(path: directory.url(storeFileName)).markAsLabStore()
        } catch {
            throw LabError.store("\(error)")
        }
    }
}
