import Foundation
import LocusCore
import NIOCore
import NIOPosix

/// Why a Runtime API command failed, in words an operator can act on.
public enum HAProxyError: Error, Sendable, Hashable, CustomStringConvertible {
    case noSuchBackend(String, address: RuntimeAPIAddress)
    case noSuchServer(backend: String, server: String, address: RuntimeAPIAddress)
    /// HAProxy answered with a refusal (`Invalid addr …`, `Permission denied`…), verbatim.
    case refused(command: String, reply: String, address: RuntimeAPIAddress)
    case connectionRefused(address: RuntimeAPIAddress)
    case timeout(address: RuntimeAPIAddress, after: Duration)
    case malformedReply(address: RuntimeAPIAddress, reason: String)
    case network(address: RuntimeAPIAddress, reason: String)
    /// A backend, server or address that is empty or has a character HAProxy does not take in names
    /// (a space, `;`, a newline…): refused before connecting, so it cannot become another argument
    /// or command. `character` is nil for an empty value.
    case unsafeArgument(role: String, value: String, character: Unicode.Scalar?, address: RuntimeAPIAddress)
    /// A command with a character that would end it or start another (`;`, a newline…): not sent.
    case unsafeCommand(String, character: Unicode.Scalar, address: RuntimeAPIAddress)

    public var description: String {
        switch self {
        case .noSuchBackend(let backend, let address):
            "HAProxy at \(address): No such backend \"\(backend)\"; check the backend name in the inventory"
        case .noSuchServer(let backend, let server, let address):
            "HAProxy at \(address): No such server \"\(server)\" in backend \"\(backend)\""
        case .refused(let command, let reply, let address):
            "HAProxy at \(address) refused \(command): \(reply)"
        case .connectionRefused(let address):
            "connection refused by HAProxy's runtime API at \(address): is HAProxy running with this stats socket?"
        case .timeout(let address, let after):
            "no answer from HAProxy's runtime API at \(address) within \(after)"
        case .malformedReply(let address, let reason):
            "HAProxy at \(address) answered something unexpected: \(reason)"
        case .network(let address, let reason):
            "cannot talk to HAProxy's runtime API at \(address): \(reason)"
        case .unsafeArgument(let role, _, nil, let address):
            "not sent to HAProxy at \(address): the \(role) name is empty"
        case .unsafeArgument(let role, let value, let character?, let address):
            "not sent to HAProxy at \(address): \(role) \(value.debugDescription): character "
                + "\(HAProxyName.describe(character)) is not allowed in an HAProxy name; "
                + HAProxyName.allowedDescription
        case .unsafeCommand(let command, let character, let address):
            "not sent to HAProxy at \(address): command \(command.debugDescription) holds "
                + "\(HAProxyName.describe(character)), which would end it or start another command"
        }
    }
}

/// How a connection attempt failed, read from NIO's errors.
enum ConnectFailure: Equatable {
    case refused
    case timeout
    case other(String)

    init(_ error: any Error) {
        if let failure = Self.find(in: error) {
            self = failure
        } else {
            self = .other("\(error)")
        }
    }

    /// Why the name could not be resolved, when that is why no connection was tried.
    static func unresolved(_ error: any Error) -> String? {
        guard let connection = error as? NIOConnectionError, connection.connectionErrors.isEmpty else { return nil }
        return (connection.dnsAError ?? connection.dnsAAAAError).map { "\($0)" } ?? "no address"
    }

    private static func find(in error: any Error) -> ConnectFailure? {
        if let io = error as? IOError {
            switch io.errnoCode {
            case ECONNREFUSED, ENOENT: return .refused
            case ETIMEDOUT: return .timeout
            default: return nil
            }
        }
        if let channel = error as? ChannelError, case .connectTimeout = channel {
            return .timeout
        }
        if let connection = error as? NIOConnectionError {
            for attempt in connection.connectionErrors {
                if let found = find(in: attempt.error) { return found }
            }
            if let dns = connection.dnsAError ?? connection.dnsAAAAError { return .other("\(dns)") }
        }
        return nil
    }

    static func classify(_ error: any Error, address: RuntimeAPIAddress, timeout: Duration) -> HAProxyError {
        switch ConnectFailure(error) {
        case .refused: .connectionRefused(address: address)
        case .timeout: .timeout(address: address, after: timeout)
        case .other(let reason): .network(address: address, reason: reason)
        }
    }
}

extension HAProxyError {
    /// True for a name refused before anything was sent: a problem of the inventory, not of HAProxy.
    var isUnsafeArgument: Bool {
        if case .unsafeArgument = self { return true }
        return false
    }
}
