/// What `locus lab` builds: the size of the world, its seed, the churn, and the lab's clocks (short in tests).
public struct LabConfiguration: Sendable {
    public var workloads: Int
    public var sites: Int
    public var seed: UInt64
    /// One churn action every this often; `nil` for no churn.
    public var churnInterval: Duration?
    /// The lab directory; `nil` for a new temporary one, removed when the lab stops.
    public var directory: String?
    /// How often each xTR refreshes its registrations.
    public var registrationInterval: Duration
    /// How long the map-server keeps a registration without a refresh.
    public var registrationTimeout: Duration
    /// How long a stalled xTR stops registering; longer than `registrationTimeout`, so its registrations expire.
    public var stallDuration: Duration
    /// How long a site service stays down in an outage: long enough to be seen, short enough that
    /// outages rarely overlap.
    public var outageDuration: Duration
    /// The pause between the moves of a flap.
    public var flapInterval: Duration
    /// The port each RLOC answers probes on (4342, LISP's control port); another is chosen when it is taken.
    public var probePort: Int
    /// Shown in the dashboard's header (`name` in locus.toml).
    public var name: String
    /// Whether to run HAProxy for the web and api pools when it is installed.
    public var loadBalancer: Bool
    /// How long each move asked through the control port waits before it acts.
    public var moveDelay: Duration
    /// A cutover step (``LabMover/steps``) to fail once: `mover` fails the lab's own next move, `dns` has
    /// the lab's DNS server refuse the next changing UPDATE.
    public var failStep: String?
    /// How long the lab's DNS server waits before each answer, like a distant one.
    public var dnsDelay: Duration
    /// The `locus` the mover argv in locus.toml runs; `nil` for the program running the lab.
    public var moverExecutable: String?

    public init(
        workloads: Int = 300,
        sites: Int = 3,
        seed: UInt64 = 1,
        churnInterval: Duration? = nil,
        directory: String? = nil,
        registrationInterval: Duration = .seconds(60),
        registrationTimeout: Duration = .seconds(180),
        stallDuration: Duration = .seconds(240),
        outageDuration: Duration = .seconds(30),
        flapInterval: Duration = .seconds(5),
        probePort: Int = 4342,
        name: String = "lab",
        loadBalancer: Bool = true,
        moveDelay: Duration = .zero,
        failStep: String? = nil,
        dnsDelay: Duration = .zero,
        moverExecutable: String? = nil
    ) {
        self.dnsDelay = dnsDelay
        self.workloads = workloads
        self.sites = sites
        self.seed = seed
        self.churnInterval = churnInterval
        self.directory = directory
        self.registrationInterval = registrationInterval
        self.registrationTimeout = registrationTimeout
        self.stallDuration = stallDuration
        self.outageDuration = outageDuration
        self.flapInterval = flapInterval
        self.probePort = probePort
        self.name = name
        self.loadBalancer = loadBalancer
        self.moveDelay = moveDelay
        self.failStep = failStep
        self.moverExecutable = moverExecutable
    }
}
