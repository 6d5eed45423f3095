/// A position in terminal cells, column `x` from the left, row `y` from the top.
public struct Point: Hashable, Sendable {
    public var x: Int
    public var y: Int

    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }
}

/// A size in terminal cells.
public struct Size: Hashable, Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    public var description: String { "\(width)×\(height)" }
}

/// Space to leave free on each side of a `Rect`.
public struct Insets: Hashable, Sendable {
    public var top: Int
    public var left: Int
    public var bottom: Int
    public var right: Int

    public init(top: Int = 0, left: Int = 0, bottom: Int = 0, right: Int = 0) {
        self.top = top
        self.left = left
        self.bottom = bottom
        self.right = right
    }

    public init(all: Int) {
        self.init(top: all, left: all, bottom: all, right: all)
    }

    public init(horizontal: Int = 0, vertical: Int = 0) {
        self.init(top: vertical, left: horizontal, bottom: vertical, right: horizontal)
    }
}

/// A rectangle of terminal cells. Widths and heights are never negative: every operation that
/// would shrink a rectangle below zero yields an empty one, so layout code needs no guards.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public init(origin: Point = Point(x: 0, y: 0), size: Size) {
        self.init(x: origin.x, y: origin.y, width: size.width, height: size.height)
    }

    public static let zero = Rect(x: 0, y: 0, width: 0, height: 0)

    public var description: String { "(\(x),\(y) \(width)×\(height))" }

    public var origin: Point { Point(x: x, y: y) }
    public var size: Size { Size(width: width, height: height) }
    public var isEmpty: Bool { width == 0 || height == 0 }

    /// The first column right of the rectangle.
    public var maxX: Int { x + width }
    /// The first row below the rectangle.
    public var maxY: Int { y + height }

    public func contains(_ point: Point) -> Bool {
        point.x >= x && point.x < maxX && point.y >= y && point.y < maxY
    }

    public func contains(x px: Int, y py: Int) -> Bool {
        contains(Point(x: px, y: py))
    }

    /// The cells both rectangles cover; empty (at this rectangle's origin) when they do not meet.
    public func intersection(_ other: Rect) -> Rect {
        let left = max(x, other.x)
        let top = max(y, other.y)
        let right = min(maxX, other.maxX)
        let bottom = min(maxY, other.maxY)
        guard right > left, bottom > top else { return Rect(x: left, y: top, width: 0, height: 0) }
        return Rect(x: left, y: top, width: right - left, height: bottom - top)
    }

    public func inset(by insets: Insets) -> Rect {
        let width = max(0, self.width - insets.left - insets.right)
        let height = max(0, self.height - insets.top - insets.bottom)
        return Rect(
            x: x + min(insets.left, self.width),
            y: y + min(insets.top, self.height),
            width: width,
            height: height
        )
    }

    /// Shrinks the rectangle by `dx` columns on the left and right and `dy` rows on the top and bottom.
    public func insetBy(dx: Int, dy: Int) -> Rect {
        inset(by: Insets(horizontal: dx, vertical: dy))
    }

    /// The inside of a box drawn on this rectangle's edge.
    public var interior: Rect { insetBy(dx: 1, dy: 1) }

    /// Splits into a left part `width` columns wide (clamped) and the rest.
    public func splitColumns(atWidth leftWidth: Int) -> (left: Rect, right: Rect) {
        let left = min(max(0, leftWidth), width)
        return (
            Rect(x: x, y: y, width: left, height: height),
            Rect(x: x + left, y: y, width: width - left, height: height)
        )
    }

    /// Splits into a top part `height` rows high (clamped) and the rest.
    public func splitRows(atHeight topHeight: Int) -> (top: Rect, bottom: Rect) {
        let top = min(max(0, topHeight), height)
        return (
            Rect(x: x, y: y, width: width, height: top),
            Rect(x: x, y: y + top, width: width, height: height - top)
        )
    }

    /// Splits off the bottom `height` rows (clamped): `(rest, bottom)`.
    public func splitRows(bottomHeight: Int) -> (top: Rect, bottom: Rect) {
        splitRows(atHeight: height - min(max(0, bottomHeight), height))
    }

    /// Splits off the right `width` columns (clamped): `(rest, right)`.
    public func splitColumns(rightWidth: Int) -> (left: Rect, right: Rect) {
        splitColumns(atWidth: width - min(max(0, rightWidth), width))
    }

    /// The row `offset` rows below the top, one row high (empty when outside).
    public func row(_ offset: Int) -> Rect {
        guard offset >= 0, offset < height else { return Rect(x: x, y: y + max(0, offset), width: width, height: 0) }
        return Rect(x: x, y: y + offset, width: width, height: 1)
    }

    /// A rectangle of at most `size`, centred in this one.
    public func centered(_ size: Size) -> Rect {
        let w = min(max(0, size.width), width)
        let h = min(max(0, size.height), height)
        return Rect(x: x + (width - w) / 2, y: y + (height - h) / 2, width: w, height: h)
    }
}
