import DNS
import LISP
import LocusCore
import LocusTUI
import NIOCore

/// The parsers that read bytes from outside: datagrams from the network, files an operator wrote.
///
/// Each target feeds one input to its parser and checks what must hold for any input: the parser returns
/// or throws its typed error, and whatever it accepts survives its own encoder unchanged. A violation
/// traps, which is what libFuzzer reports and what the corpus replay in the test suite would catch.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// LISP control messages (RFC 9301), as the map-server and the resolver client receive them.
    case lisp
    /// DNS messages, as the DNS probe and the lab's responder receive them.
    case dns
    /// TOML documents: the config, inventory and map-server files.
    case toml
    /// Theme files.
    case theme

    /// Runs one input through the target's parser.
    public func run(_ bytes: [UInt8]) {
        switch self {
        case .lisp: Self.runLISP(bytes)
        case .dns: Self.runDNS(bytes)
        case .toml: Self.runTOML(bytes)
        case .theme: Self.runTheme(bytes)
        }
    }

    private static func runLISP(_ bytes: [UInt8]) {
        var buffer = ByteBuffer(bytes: bytes)
        guard let message = try? LISPMessage.decode(from: &buffer) else { return }
        var encoded = ByteBuffer()
        // Some decodable messages are refused by the encoder on purpose (more records than a count field
        // holds after a merge, say); those have nothing to round-trip.
        guard (try? encoded.writeLISPMessage(message)) != nil else { return }
        do {
            let again = try LISPMessage.decode(from: &encoded)
            precondition(again == message, "a LISP message changed through encode and decode: \(message)")
        } catch {
            preconditionFailure("a decoded LISP message does not decode once encoded: \(error) for \(message)")
        }
    }

    private static func runDNS(_ bytes: [UInt8]) {
        guard let message = try? DNSMessage(bytes: bytes) else { return }
        do {
            let again = try DNSMessage(bytes: message.bytes)
            precondition(again == message, "a DNS message changed through encode and decode: \(message)")
        } catch {
            preconditionFailure("a decoded DNS message does not decode once encoded: \(error) for \(message)")
        }
    }

    private static func runTOML(_ bytes: [UInt8]) {
        _ = try? TOML.parse(utf8: bytes)
    }

    private static func runTheme(_ bytes: [UInt8]) {
        _ = try? ThemeParser.parse(String(decoding: bytes, as: UTF8.self), path: "fuzz.theme")
    }
}
