/// A Python script that runs locus under a pseudo-terminal and counts the bytes it writes while
/// idle: after the first full frame and once the screen settled, over a window that ends before
/// the next clock minute. Prints `first_frame=… window=… bytes=… exit=…`.
enum IdleScript {
    static let text = #"""
        import fcntl, os, pty, select, struct, sys, termios, time

        binary, scratch = sys.argv[1], sys.argv[2]
        args = sys.argv[3:]
        env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8",
                   XDG_CONFIG_HOME=scratch + "/config", XDG_STATE_HOME=scratch + "/state",
                   TMPDIR=scratch + "/tmp")
        pid, fd = pty.fork()
        if pid == 0:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
            os.execve(binary, [binary] + args, env)

        screen = b""

        def read_for(seconds):
            # Everything the program writes within `seconds`; None at end of file.
            got = b""
            end = time.monotonic() + seconds
            while True:
                left = end - time.monotonic()
                if left <= 0:
                    return got
                ready, _, _ = select.select([fd], [], [], left)
                if ready:
                    try:
                        chunk = os.read(fd, 65536)
                    except OSError:
                        return got
                    if not chunk:
                        return got
                    got += chunk

        # The first full frame: the footer of the Workloads list.
        deadline = time.monotonic() + 120
        first = False
        while time.monotonic() < deadline:
            screen += read_for(0.2)
            if b"of 300 workloads" in screen:
                first = True
                break

        # Settled: nothing written for three seconds (every EID resolved), within a deadline.
        deadline = time.monotonic() + 120
        while first and time.monotonic() < deadline:
            if read_for(3.0) == b"":
                break

        # A window inside one clock minute: skip past the next minute if too little is left.
        if 60 - time.time() % 60 < 10:
            read_for(60 - time.time() % 60 + 1.0)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and read_for(1.0) != b"":
                pass
        window = min(10.0, 60 - time.time() % 60 - 1.0)
        written = len(read_for(window))

        os.write(fd, b"q")
        code = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                code = os.waitstatus_to_exitcode(status)
                break
            if read_for(0.2) == b"":
                time.sleep(0.05)
        if code is None:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            code = -1
        print("first_frame=%d window=%.1f bytes=%d exit=%d" % (first, window, written, code))
        """#
}
