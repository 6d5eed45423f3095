import Foundation
import LISP
import LocusCore

/// One line of an nft batch as the lab's firewalls take it: `add element inet lab backends { A, B }` or
/// `delete element …`, the only lines a cutover writes for a set dependency.
struct LabFirewallBatchLine: Sendable, Hashable {
    enum Operation: String, Sendable, Hashable {
        case add
        case delete
    }

    var operation: Operation
    var elements: [LISP.IPAddress]
    /// 1-based, counting blank lines, as nft numbers the lines of a file it refuses.
    var number: Int
    var text: String

    /// The lines of `batch` that do something; a line the lab's firewall cannot take is an error naming it.
    static func parse(_ batch: String, firewall: String) throws(LabFirewallError) -> [Self] {
        var lines: [Self] = []
        for (index, raw) in batch.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = raw.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty, !text.hasPrefix("#") else { continue }
            do {
                lines.append(try parse(line: text, number: index + 1))
            } catch let reason {
                throw .refused(firewall: firewall, line: index + 1, text: text, reason: reason.message)
            }
        }
        return lines
    }

    /// Why one line cannot be taken, without the line: the caller names it.
    struct Problem: Error {
        var message: String
    }

    private static func parse(line text: String, number: Int) throws(Problem) -> Self {
        guard let open = text.firstIndex(of: "{"), let close = text.lastIndex(of: "}"), open < close,
            text[text.index(after: close)...].allSatisfy(\.isWhitespace)
        else {
            throw Problem(message: "syntax error: expected `add|delete element inet lab backends { ADDRESS, … }`")
        }
        let words = text[..<open].split(whereSeparator: \.isWhitespace).map(String.init)
        guard words.count == 5, let operation = Operation(rawValue: words[0]), words[1] == "element" else {
            throw Problem(message: "syntax error: the lab's firewall takes only `add element` and `delete element`")
        }
        let reference = NFTSetReference(family: words[2], table: words[3], name: words[4])
        guard reference == LabFirewall.set else {
            throw Problem(
                message:
                    "Could not process rule: No such file or directory (no set \(words[2...4].joined(separator: " "))"
                    + "; the lab's is \(LabFirewall.set))"
            )
        }
        var elements: [LISP.IPAddress] = []
        for item in text[text.index(after: open)..<close].split(separator: ",") {
            let word = item.trimmingCharacters(in: .whitespaces)
            guard let address = LISP.IPAddress(word), case .v4 = address else {
                throw Problem(message: "syntax error: \"\(word)\" is not an IPv4 address (the set's type is ipv4_addr)")
            }
            elements.append(address)
        }
        guard !elements.isEmpty else { throw Problem(message: "syntax error: no element between { and }") }
        return Self(operation: operation, elements: elements, number: number, text: text)
    }
}
