import Foundation
import LocusCore

/// A dependency in the detail pane: one line with its state as a mark and a word, its kind and
/// target (and a tcp dependency's role). Its last check opens with Enter on the line
/// (`DependencyCheckBox`), so the pane stays one line per dependency on a small terminal.
enum DependencyLines {
    static func line(_ dependency: DependencyStatus, lineDrawing: LineDrawing) -> StyledLine {
        var text = "\(dependency.state.rawValue)  \(dependency.kind.rawValue) \(dependency.target)"
        if dependency.kind == .tcp, !dependency.role.isEmpty { text += "  \(dependency.role)" }
        return .marked(mark(dependency.state), [Span(text)], lineDrawing: lineDrawing)
    }

    static func mark(_ state: DependencyStatus.State) -> StateMark {
        switch state {
        case .ok: return .ok
        case .unknown: return .unknown
        case .maint: return .warn
        case .stale, .missing, .down, .unreachable: return .crit
        }
    }
}
