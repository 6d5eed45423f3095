import LocusCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `kind = "libvirt"`: the domains of one libvirt connection, all in the site the source names.
///
/// libvirt is loaded with `dlopen` on the first read, so that only a configured libvirt source
/// needs it. Everything that touches libvirt handles happens on this actor, and each C call and the
/// error message read after it happen in one synchronous stretch (no `await` in between), so the
/// thread-local libvirt error belongs to that call. A connection that fails is closed and opened
/// again on the next read; until then the source is down and its domains are not reported.
public actor LibvirtInventorySource: InventorySource {
    /// Read-only for watching; read-write only to start and stop domains (tests do).
    public enum Access: Sendable {
        case readOnly
        case readWrite
    }

    /// libvirt calls block (a remote host that does not answer for as long as its timeouts):
    /// they run on a thread of their own, never on the cooperative pool.
    private nonisolated let executor: BlockingCallExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    public nonisolated let name: String
    public nonisolated let uri: String
    public nonisolated let site: String
    private let access: Access
    private let libraryName: String
    private var library: LibvirtLibrary?
    /// The open `virConnectPtr`; owned by this actor and closed only by it.
    private var connection: OpaquePointer?

    /// - Parameters:
    ///   - uri: `qemu:///system`, `qemu+ssh://host/system`, `test:///ABSOLUTE/PATH/node.xml`, …
    ///   - site: the `[[site]]` every domain of the connection is in.
    ///   - libraryName: the library `dlopen` loads (another name simulates a host without libvirt).
    public init(
        name: String,
        uri: String,
        site: String,
        access: Access = .readOnly,
        libraryName: String = "libvirt.so.0"
    ) {
        self.executor = BlockingCallExecutor(name: "libvirt \(name)")
        self.name = name
        self.uri = uri
        self.site = site
        self.access = access
        self.libraryName = libraryName
    }

    /// The source for an `[[inventory]]` of kind `libvirt`; nil for other kinds.
    public init?(config: InventorySourceConfig) {
        guard case .libvirt(let uri, let site) = config.kind else { return nil }
        self.init(name: config.name, uri: uri, site: site)
    }

    isolated deinit {
        if let connection, let library {
            _ = library.connectClose(connection)
        }
    }

    /// Domains come and go and change addresses without notice: every poll reads them.
    public func hasChanged() async -> Bool { true }

    public func load() async throws(InventoryLoadError) -> [InventoryWorkload] {
        let reading = try await read()
        guard reading.problems.isEmpty else { throw .invalid(reading.problems) }
        return reading.workloads
    }

    public func read() async throws(InventoryLoadError) -> InventoryReading {
        let domains: [LibvirtDomain]
        do {
            domains = try self.domains()
        } catch {
            throw .unreadable(source: uri, reason: error.description)
        }
        var reading = InventoryReading(workloads: [])
        for domain in domains {
            switch LibvirtWorkloads.workload(domain, uri: uri, site: site) {
            case .success(let workload?): reading.workloads.append(workload)
            case .success(nil): continue
            case .failure(let problem): reading.problems.append(problem)
            }
        }
        return reading
    }

    /// Every domain of the connection with its state, XML and addresses.
    public func domains() throws(LibvirtError) -> [LibvirtDomain] {
        let (library, connection) = try connected()
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = library.listAllDomains(connection, &list, 0)
        guard count >= 0 else {
            let reason = library.lastError()
            disconnect()
            throw .connection(uri: uri, reason: reason)
        }
        guard let list else { return [] }
        // Safe: libvirt returned `count` domain references in `list`, each freed once here, and
        // the array itself with free().
        defer {
            for index in 0..<Int(count) {
                _ = library.domainFree(list[index])
            }
            free(list)
        }
        var domains: [LibvirtDomain] = []
        for index in 0..<Int(count) {
            guard let domain = list[index] else { continue }
            domains.append(try describe(domain, library: library))
        }
        return domains.sorted { $0.name < $1.name }
    }

    /// Starts a defined domain (`virsh start`); needs `.readWrite`.
    public func start(domain name: String) throws(LibvirtError) {
        try act(on: name) { library, domain in library.domainCreate(domain) }
    }

    /// Stops a domain at once (`virsh destroy`); needs `.readWrite`.
    public func destroy(domain name: String) throws(LibvirtError) {
        try act(on: name) { library, domain in library.domainDestroy(domain) }
    }

    private func act(on name: String, _ action: (LibvirtLibrary, OpaquePointer) -> Int32) throws(LibvirtError) {
        let (library, connection) = try connected()
        guard let domain = library.domainLookupByName(connection, name) else {
            throw .domain(name: name, reason: library.lastError())
        }
        defer { _ = library.domainFree(domain) }
        guard action(library, domain) == 0 else {
            throw .domain(name: name, reason: library.lastError())
        }
    }

    private func connected() throws(LibvirtError) -> (LibvirtLibrary, OpaquePointer) {
        let library: LibvirtLibrary
        if let loaded = self.library {
            library = loaded
        } else {
            library = try LibvirtLibrary.load(libraryName)
            self.library = library
        }
        if let connection {
            return (library, connection)
        }
        let open = access == .readOnly ? library.connectOpenReadOnly : library.connectOpen
        guard let opened = open(uri) else {
            throw .connection(uri: uri, reason: library.lastError())
        }
        connection = opened
        return (library, opened)
    }

    private func disconnect() {
        if let connection, let library {
            _ = library.connectClose(connection)
        }
        connection = nil
    }

    private func describe(_ domain: OpaquePointer, library: LibvirtLibrary) throws(LibvirtError) -> LibvirtDomain {
        guard let namePointer = library.domainGetName(domain) else {
            throw .connection(uri: uri, reason: library.lastError())
        }
        let name = String(cString: namePointer)
        // VIR_UUID_STRING_BUFLEN: 36 characters and the NUL.
        var uuidBuffer = [CChar](repeating: 0, count: 37)
        let uuid =
            library.domainGetUUIDString(domain, &uuidBuffer) == 0
            ? String(decoding: uuidBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        var stateValue: Int32 = 0
        var reason: Int32 = 0
        let state =
            library.domainGetState(domain, &stateValue, &reason, 0) == 0
            ? LibvirtDomain.State(rawValue: stateValue) : nil
        guard let xmlPointer = library.domainGetXMLDesc(domain, 0) else {
            throw .domain(name: name, reason: library.lastError())
        }
        let xml = String(cString: xmlPointer)
        free(xmlPointer)
        var described = LibvirtDomain(name: name, uuid: uuid, state: state, xml: xml)
        guard state == .running || state == .paused || state == .blocked else { return described }
        for source in LibvirtDomain.AddressSource.allCases {
            let addresses = interfaceAddresses(domain, source: source, library: library)
            if !addresses.isEmpty {
                described.addresses = addresses
                described.addressSource = source
                break
            }
        }
        return described
    }

    /// The addresses one source reports; empty when it has none or does not support the domain
    /// (the agent needs a guest agent, ARP a host that saw traffic).
    private func interfaceAddresses(
        _ domain: OpaquePointer,
        source: LibvirtDomain.AddressSource,
        library: LibvirtLibrary
    ) -> [LibvirtDomain.InterfaceAddress] {
        var list: UnsafeMutableRawPointer?
        let count = library.domainInterfaceAddresses(domain, &list, source.rawValue, 0)
        guard count > 0, let list else { return [] }
        let interfaces = list.assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
        defer {
            for index in 0..<Int(count) {
                library.domainInterfaceFree(interfaces[index])
            }
            free(list)
        }
        var found: [LibvirtDomain.InterfaceAddress] = []
        for index in 0..<Int(count) {
            guard let interface = interfaces[index] else { continue }
            found.append(contentsOf: InterfaceLayout.addresses(of: UnsafeRawPointer(interface)))
        }
        return found
    }
}

/// Reads `virDomainInterface` and `virDomainIPAddress` (libvirt-domain.h) by their C layout:
///
///     struct _virDomainInterface { char *name; char *hwaddr; unsigned int naddrs; virDomainIPAddressPtr addrs; };
///     struct _virDomainIPAddress { int type; char *addr; unsigned int prefix; };
///
/// Offsets follow the C rules (each field at the next multiple of its alignment), so they hold for
/// 64- and 32-bit targets alike. Safe as long as the pointer is one libvirt returned and not yet freed.
enum InterfaceLayout {
    private static let pointer = MemoryLayout<UnsafeRawPointer>.size
    private static let int32 = MemoryLayout<Int32>.size

    private static func aligned(_ offset: Int, to alignment: Int) -> Int {
        (offset + alignment - 1) / alignment * alignment
    }

    static func addresses(of interface: UnsafeRawPointer) -> [LibvirtDomain.InterfaceAddress] {
        let macPointer = interface.load(fromByteOffset: pointer, as: UnsafePointer<CChar>?.self)
        let count = interface.load(fromByteOffset: 2 * pointer, as: UInt32.self)
        let addressesOffset = aligned(2 * pointer + int32, to: pointer)
        guard count > 0, let addresses = interface.load(fromByteOffset: addressesOffset, as: UnsafeRawPointer?.self)
        else { return [] }
        let mac = macPointer.map { String(cString: $0) }
        let addressOffset = aligned(int32, to: pointer)
        let prefixOffset = addressOffset + pointer
        let stride = aligned(prefixOffset + int32, to: pointer)
        var found: [LibvirtDomain.InterfaceAddress] = []
        for index in 0..<Int(count) {
            let entry = addresses + index * stride
            guard let text = entry.load(fromByteOffset: addressOffset, as: UnsafePointer<CChar>?.self) else { continue }
            let prefix = entry.load(fromByteOffset: prefixOffset, as: UInt32.self)
            found.append(
                LibvirtDomain.InterfaceAddress(mac: mac, address: String(cString: text), prefixLength: Int(prefix))
            )
        }
        return found
    }
}
