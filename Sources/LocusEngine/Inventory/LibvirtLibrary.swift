#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few libvirt C functions Locus calls, looked up with `dlopen`/`dlsym` when a libvirt source
/// is configured, so that building and running Locus never needs libvirt installed.
///
/// The types below are libvirt's public signatures (libvirt-host.h, libvirt-domain.h), with the
/// opaque `virConnectPtr`/`virDomainPtr` as `OpaquePointer`. Not `Sendable`: it is created and
/// used by one `LibvirtConnection` actor only.
struct LibvirtLibrary {
    typealias ConnectOpen = @convention(c) (UnsafePointer<CChar>?) -> OpaquePointer?
    typealias ConnectClose = @convention(c) (OpaquePointer?) -> Int32
    typealias ListAllDomains =
        @convention(c) (OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<OpaquePointer?>?>?, UInt32) -> Int32
    typealias DomainGetName = @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?
    typealias DomainGetUUIDString = @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?) -> Int32
    typealias DomainGetState =
        @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Int32>?, UInt32) -> Int32
    typealias DomainGetXMLDesc = @convention(c) (OpaquePointer?, UInt32) -> UnsafeMutablePointer<CChar>?
    typealias DomainInterfaceAddresses =
        @convention(c) (OpaquePointer?, UnsafeMutablePointer<UnsafeMutableRawPointer?>?, UInt32, UInt32) -> Int32
    typealias DomainInterfaceFree = @convention(c) (UnsafeMutableRawPointer?) -> Void
    typealias DomainFree = @convention(c) (OpaquePointer?) -> Int32
    typealias DomainLookupByName = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> OpaquePointer?
    typealias DomainAction = @convention(c) (OpaquePointer?) -> Int32
    typealias ErrorFunc = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Void
    typealias SetErrorFunc = @convention(c) (UnsafeMutableRawPointer?, ErrorFunc?) -> Void
    typealias GetLastErrorMessage = @convention(c) () -> UnsafePointer<CChar>?

    /// The soname of the runtime library and the Debian/Ubuntu package that installs it.
    static let defaultName = "libvirt.so.0"
    static let package = "libvirt0"

    let connectOpenReadOnly: ConnectOpen
    let connectOpen: ConnectOpen
    let connectClose: ConnectClose
    let listAllDomains: ListAllDomains
    let domainGetName: DomainGetName
    let domainGetUUIDString: DomainGetUUIDString
    let domainGetState: DomainGetState
    let domainGetXMLDesc: DomainGetXMLDesc
    let domainInterfaceAddresses: DomainInterfaceAddresses
    let domainInterfaceFree: DomainInterfaceFree
    let domainFree: DomainFree
    let domainLookupByName: DomainLookupByName
    let domainCreate: DomainAction
    let domainDestroy: DomainAction
    let getLastErrorMessage: GetLastErrorMessage

    /// Loads `name` (never unloaded: libvirt keeps threads and handlers for the process's life)
    /// and silences its printing of every error to stderr; errors are read with `lastError`.
    static func load(_ name: String = defaultName) throws(LibvirtError) -> LibvirtLibrary {
        guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "not found"
            throw .libraryMissing(name: name, reason: reason)
        }
        func symbol<T>(_ symbol: String, as type: T.Type) throws(LibvirtError) -> T {
            guard let address = dlsym(handle, symbol) else {
                throw .symbolMissing(library: name, symbol: symbol)
            }
            // Safe: `T` is the @convention(c) type of `symbol` as declared in libvirt's headers,
            // and a C function pointer has the size and representation of a raw pointer.
            return unsafeBitCast(address, to: type)
        }
        let library = LibvirtLibrary(
            connectOpenReadOnly: try symbol("virConnectOpenReadOnly", as: ConnectOpen.self),
            connectOpen: try symbol("virConnectOpen", as: ConnectOpen.self),
            connectClose: try symbol("virConnectClose", as: ConnectClose.self),
            listAllDomains: try symbol("virConnectListAllDomains", as: ListAllDomains.self),
            domainGetName: try symbol("virDomainGetName", as: DomainGetName.self),
            domainGetUUIDString: try symbol("virDomainGetUUIDString", as: DomainGetUUIDString.self),
            domainGetState: try symbol("virDomainGetState", as: DomainGetState.self),
            domainGetXMLDesc: try symbol("virDomainGetXMLDesc", as: DomainGetXMLDesc.self),
            domainInterfaceAddresses: try symbol("virDomainInterfaceAddresses", as: DomainInterfaceAddresses.self),
            domainInterfaceFree: try symbol("virDomainInterfaceFree", as: DomainInterfaceFree.self),
            domainFree: try symbol("virDomainFree", as: DomainFree.self),
            domainLookupByName: try symbol("virDomainLookupByName", as: DomainLookupByName.self),
            domainCreate: try symbol("virDomainCreate", as: DomainAction.self),
            domainDestroy: try symbol("virDomainDestroy", as: DomainAction.self),
            getLastErrorMessage: try symbol("virGetLastErrorMessage", as: GetLastErrorMessage.self)
        )
        let setErrorFunc = try symbol("virSetErrorFunc", as: SetErrorFunc.self)
        setErrorFunc(nil, { _, _ in })
        return library
    }

    /// The message of the last libvirt error on this thread. Call it right after the failing call,
    /// with no suspension point in between, so that it is the same thread's error.
    func lastError() -> String {
        getLastErrorMessage().map { String(cString: $0) } ?? "unknown libvirt error"
    }
}

/// Why libvirt could not be used.
public enum LibvirtError: Error, Sendable, Hashable, CustomStringConvertible {
    case libraryMissing(name: String, reason: String)
    case symbolMissing(library: String, symbol: String)
    /// The connection could not be opened or stopped answering.
    case connection(uri: String, reason: String)
    case domain(name: String, reason: String)

    public var description: String {
        switch self {
        case .libraryMissing(let name, let reason):
            "the libvirt library \(name) cannot be loaded (\(reason)); install the package"
                + " \(LibvirtLibrary.package) (apt-get install \(LibvirtLibrary.package))"
        case .symbolMissing(let library, let symbol):
            "\(library) has no \(symbol); install a newer \(LibvirtLibrary.package) (1.2.14 or later)"
        case .connection(let uri, let reason):
            "libvirt \(uri) does not answer: \(reason)"
        case .domain(let name, let reason):
            "domain \(name): \(reason)"
        }
    }
}
