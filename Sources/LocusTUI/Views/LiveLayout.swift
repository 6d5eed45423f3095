extension Shell {
    /// The rows the list pane shows on a screen of `size`, for paging the live lists.
    static func liveListRows(size: Size) -> Int {
        let layout = ShellLayout(Rect(x: 0, y: 0, width: size.width, height: size.height))
        return LiveScreen.visibleRows(in: layout.split.layout(layout.body).first)
    }
}
