/// How a theme shows one role: colours and attributes, with optional replacements for
/// terminals with fewer colours and the attributes to use when there is no colour at all.
public struct RoleStyle: Hashable, Sendable {
    /// Colours and attributes for one colour depth.
    public struct Colors: Hashable, Sendable {
        public var foreground: TerminalColor?
        public var background: TerminalColor?
        public var attributes: Attributes?

        public init(foreground: TerminalColor? = nil, background: TerminalColor? = nil, attributes: Attributes? = nil) {
            self.foreground = foreground
            self.background = background
            self.attributes = attributes
        }
    }

    public var foreground: TerminalColor
    public var background: TerminalColor
    public var attributes: Attributes
    /// Used on 16-colour terminals instead of downgrading the colours above.
    public var colors16: Colors?
    /// Used on 8-colour terminals instead of downgrading the colours above.
    public var colors8: Colors?
    /// The attributes on a terminal without colour (or with `NO_COLOR`); `attributes` when nil.
    public var monochrome: Attributes?

    public init(
        foreground: TerminalColor = .terminalDefault,
        background: TerminalColor = .terminalDefault,
        attributes: Attributes = [],
        colors16: Colors? = nil,
        colors8: Colors? = nil,
        monochrome: Attributes? = nil
    ) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
        self.colors16 = colors16
        self.colors8 = colors8
        self.monochrome = monochrome
    }

    /// The concrete colours and attributes on a terminal of `depth`.
    public func resolved(for depth: ColorDepth) -> ResolvedStyle {
        let override: Colors?
        switch depth {
        case .monochrome:
            return ResolvedStyle(
                foreground: .terminalDefault,
                background: .terminalDefault,
                attributes: monochrome ?? attributes
            )
        case .c8: override = colors8 ?? colors16
        case .c16: override = colors16
        case .c256: override = nil
        }
        var foreground = (override?.foreground ?? self.foreground).downgraded(to: depth)
        let background = (override?.background ?? self.background).downgraded(to: depth)
        if foreground == background && foreground != .terminalDefault {
            // Two colours that downgrade to the same one would hide the text.
            foreground = background.brightness > 127 ? .indexed(0) : .indexed(7)
        }
        return ResolvedStyle(
            foreground: foreground,
            background: background,
            attributes: override?.attributes ?? attributes
        )
    }
}

/// A role resolved for a terminal: what the backend sets.
public struct ResolvedStyle: Hashable, Sendable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var attributes: Attributes

    public init(foreground: TerminalColor, background: TerminalColor, attributes: Attributes) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }
}
