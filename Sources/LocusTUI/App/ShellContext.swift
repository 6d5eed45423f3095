/// A wall-clock time to the minute, as the header shows it.
public struct ClockTime: Hashable, Sendable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int

    public init(hour: Int, minute: Int) {
        self.hour = hour
        self.minute = minute
    }

    /// `HH:MM`.
    public var description: String {
        (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }
}

/// What the world looks like to the shell before views have data to show.
public enum WorldStatus: Hashable, Sendable {
    /// No configuration file: nothing is watched. Views say so and suggest `locus lab`.
    case noConfig(path: String)
    /// A configuration is loaded; nothing has been observed yet.
    case empty
}

/// Everything `Shell.render` needs besides `UIState`: the terminal, the clock, who is
/// operating and what the world holds. Built by the event loop for each frame.
public struct ShellContext: Hashable, Sendable {
    public var size: Size
    public var lineDrawing: LineDrawing
    /// The `name` of the loaded configuration; nil without one (the header says `no config`).
    public var configName: String?
    public var operatorName: String
    public var clock: ClockTime
    public var world: WorldStatus

    public init(
        size: Size,
        lineDrawing: LineDrawing = .unicode,
        configName: String? = nil,
        operatorName: String,
        clock: ClockTime,
        world: WorldStatus
    ) {
        self.size = size
        self.lineDrawing = lineDrawing
        self.configName = configName
        self.operatorName = operatorName
        self.clock = clock
        self.world = world
    }
}
