import Foundation
import LocusCore

/// Why a `/` filter was not understood; shown instead of filtering.
public struct WorkloadFilterError: Error, Hashable, Sendable, CustomStringConvertible {
    public var term: String
    public var reason: String

    public var description: String { "filter \(term): \(reason)" }
}

/// How a workload is doing, for `state:`: `alert` when an alert is active about it, `unknown`
/// when the mapping system gave no current answer, `ok` otherwise.
public enum WorkloadCondition: String, CaseIterable, Hashable, Sendable {
    case alert
    case ok
    case unknown
}

/// The `/` filter of the Workloads view. Terms are separated by spaces and all must match:
/// a plain word matches a substring of the name, EID or site (inventory or mapped), ignoring
/// case; `site:NAME` the inventory or mapped site; `state:alert|ok|unknown`; `moved:DURATION`
/// a move within that long (`moved:10m`, `moved:1h`).
public struct WorkloadFilter: Hashable, Sendable {
    public enum Term: Hashable, Sendable {
        case text(String)
        case site(String)
        case state(WorkloadCondition)
        case movedWithin(Duration)
    }

    public var terms: [Term]

    public init(terms: [Term]) {
        self.terms = terms
    }

    public var isEmpty: Bool { terms.isEmpty }

    public static func parse(_ text: String) throws(WorkloadFilterError) -> WorkloadFilter {
        var terms: [Term] = []
        for word in text.split(whereSeparator: \.isWhitespace).map(String.init) {
            terms.append(try term(word))
        }
        return WorkloadFilter(terms: terms)
    }

    private static func term(_ word: String) throws(WorkloadFilterError) -> Term {
        // Only known keys are special: an IPv6 EID (`fd00::7`) is a plain substring.
        guard let colon = word.firstIndex(of: ":") else { return .text(word.lowercased()) }
        let key = word[..<colon].lowercased()
        let value = String(word[word.index(after: colon)...])
        switch key {
        case "site":
            guard !value.isEmpty else { throw WorkloadFilterError(term: word, reason: "needs a site name") }
            return .site(value.lowercased())
        case "state":
            guard let condition = WorkloadCondition(rawValue: value.lowercased()) else {
                throw WorkloadFilterError(term: word, reason: "state is alert, ok or unknown")
            }
            return .state(condition)
        case "moved":
            do {
                return .movedWithin(try Duration(configText: value))
            } catch {
                throw WorkloadFilterError(term: word, reason: "a duration like 10m, 2h or 1d")
            }
        default:
            return .text(word.lowercased())
        }
    }

    /// Whether `workload` (with `condition`) passes every term at `now`.
    public func matches(_ workload: Workload, condition: WorkloadCondition, now: Date) -> Bool {
        terms.allSatisfy { term in
            switch term {
            case .text(let text):
                return workload.name.lowercased().contains(text)
                    || workload.spec.eid.description.lowercased().contains(text)
                    || workload.spec.site.lowercased().contains(text)
                    || (workload.mapping.site?.lowercased().contains(text) ?? false)
            case .site(let site):
                return workload.spec.site.lowercased() == site || workload.mapping.site?.lowercased() == site
            case .state(let wanted):
                return condition == wanted
            case .movedWithin(let window):
                guard let moved = workload.lastMovedAt else { return false }
                let seconds = Double(window.components.seconds)
                return now.timeIntervalSince(moved) <= seconds
            }
        }
    }
}
