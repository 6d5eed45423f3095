/// A named set of role styles. Widgets draw with roles; the backend asks the theme how a role
/// looks on the terminal at hand.
public struct Theme: Hashable, Sendable {
    public var name: String
    public var description: String
    /// Every role's style. Themes read from files inherit the roles they leave out from `.default`.
    public var roles: [Role: RoleStyle]
    /// The file the theme was read from; nil for the built-in default.
    public var path: String?

    public init(name: String, description: String = "", roles: [Role: RoleStyle], path: String? = nil) {
        self.name = name
        self.description = description
        self.roles = roles
        self.path = path
    }

    /// How `role` looks at `depth`.
    public func resolve(role: Role, for depth: ColorDepth) -> ResolvedStyle {
        (roles[role] ?? Theme.default.roles[role] ?? RoleStyle()).resolved(for: depth)
    }

    /// How a cell's style looks at `depth`: its role's colours and attributes plus the
    /// attributes the widget added.
    public func resolve(_ style: Style, for depth: ColorDepth) -> ResolvedStyle {
        var resolved = resolve(role: style.role, for: depth)
        resolved.attributes.formUnion(style.attributes)
        return resolved
    }

    /// Every role resolved for `depth`, for a backend that sets up its colour pairs once per
    /// theme change.
    public func resolvedRoles(for depth: ColorDepth) -> [Role: ResolvedStyle] {
        Dictionary(uniqueKeysWithValues: Role.allCases.map { ($0, resolve(role: $0, for: depth)) })
    }
}
