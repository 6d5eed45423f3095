/// A `:` command line, parsed.
public enum ShellCommand: Hashable, Sendable {
    case quit
    case theme(String)
    case filter(String)
    case view(DashboardView)

    /// Why a command line was not understood; `description` is shown on the status line.
    public enum ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        case empty
        case unknown(String)
        case missingArgument(command: String, argument: String)
        case unknownView(String)
        case unexpectedArgument(command: String, argument: String)

        public var description: String {
            switch self {
            case .empty:
                return "no command; try :quit, :theme NAME, :filter TEXT, :view NAME"
            case .unknown(let name):
                return "unknown command :\(name); try :quit, :theme NAME, :filter TEXT, :view NAME"
            case .missingArgument(let command, let argument):
                return ":\(command) needs \(argument)"
            case .unexpectedArgument(let command, let argument):
                return ":\(command) takes no argument (got \"\(argument)\")"
            case .unknownView(let name):
                let names = DashboardView.allCases.map { $0.title.lowercased() }.joined(separator: ", ")
                return "no view called \(name); views: \(names)"
            }
        }
    }

    /// Parses the text typed after `:`.
    ///
    /// The first word names the command (`q`, `quit`, `theme`, `filter`, `view`); the rest of
    /// the line is its argument, so a filter may contain spaces. `:filter` alone clears the filter.
    public static func parse(_ line: String) throws(ParseError) -> ShellCommand {
        let trimmed = line.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .empty }
        let name: String
        let argument: String
        if let space = trimmed.firstIndex(where: \.isWhitespace) {
            name = String(trimmed[..<space])
            argument = String(trimmed[space...]).trimmingWhitespace()
        } else {
            name = trimmed
            argument = ""
        }
        switch name.lowercased() {
        case "q", "quit", "exit":
            // An argument means the line is not what the operator thinks: do not quit on a guess.
            guard argument.isEmpty else { throw .unexpectedArgument(command: name, argument: argument) }
            return .quit
        case "theme":
            guard !argument.isEmpty else { throw .missingArgument(command: "theme", argument: "a theme name") }
            return .theme(argument)
        case "filter":
            return .filter(argument)
        case "view":
            guard !argument.isEmpty else { throw .missingArgument(command: "view", argument: "a view name") }
            guard let view = DashboardView(named: argument) else { throw .unknownView(argument) }
            return .view(view)
        default:
            throw .unknown(name)
        }
    }

    /// The action the command performs.
    public var action: Action {
        switch self {
        case .quit: return .quit
        case .theme(let name): return .setTheme(name)
        case .filter(let text): return .setFilter(text)
        case .view(let view): return .showView(view)
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while slice.first?.isWhitespace == true {
            slice.removeFirst()
        }
        while slice.last?.isWhitespace == true {
            slice.removeLast()
        }
        return String(slice)
    }
}
