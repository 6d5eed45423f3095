import Foundation
import Testing

@testable import LocusCore

/// One bad line and the exact `FILE:LINE: message` it must give.
struct ConfigErrorCase: Sendable, CustomTestStringConvertible {
    enum FileKind: Sendable {
        case locus
        case inventory
        case mapServer
    }

    let name: String
    let kind: FileKind
    let text: String
    let expected: String

    var testDescription: String { name }

    static let references = InventoryReferences(
        sites: ["dc-east", "dc-west"],
        dnsServers: ["corp"],
        loadBalancers: ["edge"],
        firewalls: ["edge-east"]
    )

    func errors() -> [ConfigError] {
        switch kind {
        case .locus:
            return parseErrors { () throws(ConfigErrors) in
                _ = try LocusConfig.parse(text, file: "locus.toml", directories: testDirectories)
            }
        case .inventory:
            return parseErrors { () throws(ConfigErrors) in
                _ = try InventoryFile.parse(text, file: "inventory.toml", references: Self.references)
            }
        case .mapServer:
            return parseErrors { () throws(ConfigErrors) in
                _ = try MapServerConfig.parse(text, file: "mapserver.toml")
            }
        }
    }
}

extension ConfigErrorCase {
    /// Lines 1–7: a valid `locus.toml` with two sites; cases append from line 8.
    static let locusBase = """
        name = "t"
        [[site]]
        name = "dc-east"
        rlocs = ["127.0.1.1"]
        [[site]]
        name = "dc-west"
        rlocs = ["127.0.2.1"]

        """

    /// Lines 1–5: a valid workload; cases append from line 6.
    static let workloadBase = """
        [[workload]]
        name = "web-07"
        eid = "10.1.0.7/32"
        site = "dc-east"
        address = "10.1.0.7"

        """

    /// Lines 1–2: a map-server without sites; cases append from line 3.
    static let mapServerBase = """
        listen = "127.0.0.1:4342"
        [[site]]

        """
}

let configErrorCases: [ConfigErrorCase] = [
    ConfigErrorCase(
        name: "TOML syntax",
        kind: .locus,
        text: ConfigErrorCase.locusBase + "= \"x\"\n",
        expected: "locus.toml:8: "
    ),
    ConfigErrorCase(
        name: "unknown key with a suggestion",
        kind: .locus,
        text: "polll_interval = \"5s\"\n" + ConfigErrorCase.locusBase,
        expected: "locus.toml:1: unknown key 'polll_interval' (did you mean 'poll_interval'?)"
    ),
    ConfigErrorCase(
        name: "unknown key without a suggestion",
        kind: .locus,
        text: ConfigErrorCase.locusBase + "colour = \"red\"\n",
        expected: "locus.toml:8: unknown key 'colour'"
    ),
    ConfigErrorCase(
        name: "wrong type",
        kind: .locus,
        text: "poll_interval = 5\n" + ConfigErrorCase.locusBase,
        expected: "locus.toml:1: poll_interval: expected a string, got integer"
    ),
    ConfigErrorCase(
        name: "missing required key at the table header",
        kind: .locus,
        text: ConfigErrorCase.locusBase + "[[mapping]]\nname = \"mr-1\"\n",
        expected: "locus.toml:8: [[mapping]] is missing required key 'resolver'"
    ),
    ConfigErrorCase(
        name: "missing name of the file",
        kind: .locus,
        text: "poll_interval = \"5s\"\n",
        expected: "locus.toml:1: the file is missing required key 'name'"
    ),
    ConfigErrorCase(
        name: "bad duration",
        kind: .locus,
        text: "poll_interval = \"5x\"\n" + ConfigErrorCase.locusBase,
        expected: "locus.toml:1: poll_interval: bad duration \"5x\": unknown unit \"x\"; expected a number and a unit "
            + "(ms, s, m, h, d), like \"500ms\", \"5s\", \"2m\", \"4h\" or \"1h30m\""
    ),
    ConfigErrorCase(
        name: "zero duration",
        kind: .locus,
        text: "poll_interval = \"0s\"\n" + ConfigErrorCase.locusBase,
        expected: "locus.toml:1: poll_interval: must be longer than zero, got \"0s\""
    ),
    ConfigErrorCase(
        name: "history kept too briefly",
        kind: .locus,
        text: "history_keep = \"30m\"\n" + ConfigErrorCase.locusBase,
        expected: "locus.toml:1: history_keep: keep at least 1h of history, got \"30m\""
    ),
    ConfigErrorCase(
        name: "history_keep not a duration",
        kind: .locus,
        text: "history_keep = \"forever\"\n" + ConfigErrorCase.locusBase,
        expected: "locus.toml:1: history_keep: bad duration \"forever\": expected a number and a unit "
            + "(ms, s, m, h, d), like \"500ms\", \"5s\", \"2m\", \"4h\" or \"1h30m\""
    ),
    ConfigErrorCase(
        name: "bad address",
        kind: .locus,
        text: ConfigErrorCase.locusBase
            + "[[site]]\nname = \"dc-north\"\nrlocs = [\"127.0.3.1\",\n  \"127.0.3.300\"]\n",
        expected: "locus.toml:11: rlocs[1]: bad address \"127.0.3.300\": not an IPv4 or IPv6 address"
    ),
    ConfigErrorCase(
        name: "bad port",
        kind: .locus,
        text: ConfigErrorCase.locusBase + "[[mapping]]\nname = \"mr-1\"\nresolver = \"127.0.0.1:70000\"\n",
        expected: "locus.toml:10: resolver: bad host:port \"127.0.0.1:70000\": port must be a number from 1 to 65535"
    ),
    ConfigErrorCase(
        name: "unbracketed IPv6 endpoint",
        kind: .locus,
        text: ConfigErrorCase.locusBase + "[[mapping]]\nname = \"mr-1\"\nresolver = \"::1:4342\"\n",
        expected: "locus.toml:10: resolver: bad host:port \"::1:4342\": an IPv6 address needs brackets, like [::1]:4342"
    ),
    ConfigErrorCase(
        name: "duplicate name",
        kind: .locus,
        text: ConfigErrorCase.locusBase + "[[site]]\nname = \"dc-east\"\nrlocs = [\"127.0.4.1\"]\n",
        expected: "locus.toml:8: duplicate site name \"dc-east\" (first defined at line 2)"
    ),
    ConfigErrorCase(
        name: "RLOC in two sites",
        kind: .locus,
        text: ConfigErrorCase.locusBase + "[[site]]\nname = \"dc-north\"\nrlocs = [\"127.0.1.1\"]\n",
        expected: "locus.toml:8: site \"dc-north\": RLOC 127.0.1.1 already belongs to site \"dc-east\" (line 2)"
    ),
    ConfigErrorCase(
        name: "unknown inventory kind",
        kind: .locus,
        text: ConfigErrorCase.locusBase + "[[inventory]]\nname = \"vc\"\nkind = \"vcenter\"\n",
        expected: "locus.toml:10: kind: unknown inventory kind \"vcenter\" (expected file, ovf or libvirt)"
    ),
    ConfigErrorCase(
        name: "key of another kind",
        kind: .locus,
        text: ConfigErrorCase.locusBase
            + "[[inventory]]\nname = \"main\"\nkind = \"file\"\npath = \"inventory.toml\"\ndirectory = \"ovf/\"\n",
        expected:
            "locus.toml:12: key 'directory' does not apply to an inventory of kind \"file\" (it is a key of kind \"ovf\")"
    ),
    ConfigErrorCase(
        name: "unknown site in config",
        kind: .locus,
        text: ConfigErrorCase.locusBase
            + "[[inventory]]\nname = \"kvm\"\nkind = \"libvirt\"\nuri = \"qemu:///system\"\nsite = \"dc-est\"\n",
        expected: "locus.toml:12: site: unknown site \"dc-est\" (did you mean \"dc-east\"?)"
    ),
    ConfigErrorCase(
        name: "registration keys go together",
        kind: .locus,
        text: ConfigErrorCase.locusBase
            + "[[mapping]]\nname = \"mr-1\"\nresolver = \"127.0.0.1:4342\"\nmap_server = \"127.0.0.1:4342\"\n"
            + "key_id = 1\nalgorithm = \"hmac-sha256\"\n",
        expected:
            "locus.toml:8: [[mapping]] is missing 'key_file' (map_server, key_id, algorithm and key_file go together)"
    ),
    ConfigErrorCase(
        name: "unknown algorithm",
        kind: .locus,
        text: ConfigErrorCase.locusBase
            + "[[mapping]]\nname = \"mr-1\"\nresolver = \"127.0.0.1:4342\"\nmap_server = \"127.0.0.1:4342\"\n"
            + "key_id = 1\nalgorithm = \"hmac-md5\"\nkey_file = \"k\"\n",
        expected: "locus.toml:13: algorithm: unknown algorithm \"hmac-md5\" (expected hmac-sha1 or hmac-sha256)"
    ),
    ConfigErrorCase(
        name: "key id out of range",
        kind: .locus,
        text: ConfigErrorCase.locusBase
            + "[[mapping]]\nname = \"mr-1\"\nresolver = \"127.0.0.1:4342\"\nmap_server = \"127.0.0.1:4342\"\n"
            + "key_id = 70000\nalgorithm = \"hmac-sha1\"\nkey_file = \"k\"\n",
        expected: "locus.toml:12: key_id: 70000 is out of range (0…65535)"
    ),
    ConfigErrorCase(
        name: "bad store",
        kind: .locus,
        text: "store = \"mysql://db/locus\"\n" + ConfigErrorCase.locusBase,
        expected: "locus.toml:1: store: expected \"sqlite:PATH\" or a postgres:// URL, got \"mysql://db/locus\""
    ),
    ConfigErrorCase(
        name: "bad registrations_api",
        kind: .locus,
        text: ConfigErrorCase.locusBase
            + "[[mapping]]\nname = \"mr-1\"\nresolver = \"127.0.0.1:4342\"\nregistrations_api = \"127.0.0.1:9442\"\n",
        expected: "locus.toml:11: registrations_api: expected an http:// URL, like \"http://127.0.0.1:9442\", "
            + "got \"127.0.0.1:9442\""
    ),
    ConfigErrorCase(
        name: "unknown loadbalancer kind",
        kind: .locus,
        text: ConfigErrorCase.locusBase
            + "[[loadbalancer]]\nname = \"edge\"\nkind = \"nginx\"\nruntime_api = \"unix:/run/lb.sock\"\n",
        expected: "locus.toml:10: kind: unknown loadbalancer kind \"nginx\" (expected haproxy)"
    ),
    ConfigErrorCase(
        name: "unknown firewall kind",
        kind: .locus,
        text: ConfigErrorCase.locusBase + "[[firewall]]\nname = \"fw\"\nkind = \"iptables\"\n",
        expected: "locus.toml:10: kind: unknown firewall kind \"iptables\" (expected nftables)"
    ),
    ConfigErrorCase(
        name: "firewall command as a shell string",
        kind: .locus,
        text: ConfigErrorCase.locusBase
            + "[[firewall]]\nname = \"fw\"\nkind = \"nftables\"\ncommand = \"nft -j list ruleset\"\n",
        expected:
            "locus.toml:11: command: expected an array of strings, like [\"nft\", \"-j\", \"list\", \"ruleset\"], "
            + "got string"
    ),
    ConfigErrorCase(
        name: "firewall apply_command without a program",
        kind: .locus,
        text: ConfigErrorCase.locusBase
            + "[[firewall]]\nname = \"fw\"\nkind = \"nftables\"\napply_command = []\n",
        expected: "locus.toml:11: apply_command: must name a program first"
    ),
    ConfigErrorCase(
        name: "maintenance window in an unknown zone",
        kind: .locus,
        text: ConfigErrorCase.locusBase + "[approvals]\nmaintenance_window = \"Sat 22:00-Sun 04:00 Mars/Olympus\"\n",
        expected: "locus.toml:9: maintenance_window: bad maintenance window \"Sat 22:00-Sun 04:00 Mars/Olympus\": "
            + "unknown time zone \"Mars/Olympus\"; expected UTC or an IANA name such as Europe/Berlin"
    ),
    ConfigErrorCase(
        name: "maintenance window with a bad day",
        kind: .locus,
        text: ConfigErrorCase.locusBase + "[approvals]\nmaintenance_window = \"Sat 22:00-Sonntag 04:00 UTC\"\n",
        expected: "locus.toml:9: maintenance_window: bad maintenance window \"Sat 22:00-Sonntag 04:00 UTC\": "
            + "unknown day \"Sonntag\"; expected one of Mon, Tue, Wed, Thu, Fri, Sat, Sun"
    ),
    ConfigErrorCase(
        name: "unknown mover placeholder",
        kind: .locus,
        text: ConfigErrorCase.locusBase + "[migration]\nmover = \"move {workload} {target}\"\n",
        expected: "locus.toml:9: mover: unknown placeholder {target} (known: {workload} {from_site} {site} {host} "
            + "{dest_host} {from_address} {address})"
    ),
    ConfigErrorCase(
        name: "array of tables written as a table",
        kind: .locus,
        text: "name = \"t\"\n[site]\nname = \"dc-east\"\n",
        expected: "locus.toml:2: site: expected an array of tables ([[site]]), got table"
    ),
    ConfigErrorCase(
        name: "TSIG keys go together",
        kind: .locus,
        text: ConfigErrorCase.locusBase
            + "[[dns]]\nname = \"corp\"\nserver = \"127.0.0.1:5353\"\ntsig_key_name = \"ddns-key\"\n",
        expected: "locus.toml:8: [[dns]] is missing 'tsig_algorithm' and 'tsig_key_file' "
            + "(tsig_key_name, tsig_algorithm and tsig_key_file go together)"
    ),
    ConfigErrorCase(
        name: "unknown site of an OVF network",
        kind: .locus,
        text: ConfigErrorCase.locusBase
            + "[[inventory]]\nname = \"ovf\"\nkind = \"ovf\"\ndirectory = \"ovf/\"\n"
            + "site_of_network = { \"VM Network\" = \"dc-south\" }\n",
        expected:
            "locus.toml:12: site_of_network.\"VM Network\": unknown site \"dc-south\" (configured: dc-east, dc-west)"
    ),
    ConfigErrorCase(
        name: "dependency key of another kind",
        kind: .inventory,
        text: ConfigErrorCase.workloadBase
            + "[[workload.depends]]\nkind = \"tcp\"\ntarget = \"127.0.0.1:636\"\nport = 636\n",
        expected:
            "inventory.toml:9: key 'port' does not apply to a dependency of kind \"tcp\" (it is a key of kind \"lb\")"
    ),
    ConfigErrorCase(
        name: "prefix with host bits",
        kind: .inventory,
        text: ConfigErrorCase.workloadBase.replacingOccurrences(of: "10.1.0.7/32", with: "10.1.0.7/24"),
        expected: "inventory.toml:3: eid: bad prefix \"10.1.0.7/24\": host bits are set (did you mean 10.1.0.0/24?)"
    ),
    ConfigErrorCase(
        name: "prefix length too long",
        kind: .inventory,
        text: ConfigErrorCase.workloadBase.replacingOccurrences(of: "10.1.0.7/32", with: "10.1.0.7/33"),
        expected: "inventory.toml:3: eid: bad prefix \"10.1.0.7/33\": length must be 0…32 for IPv4"
    ),
    ConfigErrorCase(
        name: "iid out of range",
        kind: .inventory,
        text: ConfigErrorCase.workloadBase + "iid = 16777216\n",
        expected: "inventory.toml:6: iid: 16777216 is out of range (0…16777215)"
    ),
    ConfigErrorCase(
        name: "bad MAC",
        kind: .inventory,
        text: ConfigErrorCase.workloadBase + "mac = \"52:54:00:aa:00\"\n",
        expected:
            "inventory.toml:6: mac: bad MAC address \"52:54:00:aa:00\": expected six hex pairs, like 52:54:00:aa:00:07"
    ),
    ConfigErrorCase(
        name: "unknown site",
        kind: .inventory,
        text: ConfigErrorCase.workloadBase.replacingOccurrences(of: "\"dc-east\"", with: "\"dc-wset\""),
        expected: "inventory.toml:4: site: unknown site \"dc-wset\" (did you mean \"dc-west\"?)"
    ),
    ConfigErrorCase(
        name: "unknown dns server",
        kind: .inventory,
        text: ConfigErrorCase.workloadBase
            + "[[workload.depends]]\nkind = \"dns\"\nname = \"web.app.test\"\nserver = \"external\"\n",
        expected: "inventory.toml:9: server: unknown dns server \"external\" (configured: corp)"
    ),
    ConfigErrorCase(
        name: "unknown loadbalancer",
        kind: .inventory,
        text: ConfigErrorCase.workloadBase
            + "[[workload.depends]]\nkind = \"lb\"\nbalancer = \"edge2\"\nbackend = \"be\"\nserver = \"s\"\nport = 80\n",
        expected: "inventory.toml:8: balancer: unknown loadbalancer \"edge2\" (did you mean \"edge\"?)"
    ),
    ConfigErrorCase(
        name: "unknown firewall",
        kind: .inventory,
        text: ConfigErrorCase.workloadBase
            + "[[workload.depends]]\nkind = \"firewall\"\nfirewall = \"edge-west\"\nset = \"inet filter web\"\n",
        expected: "inventory.toml:8: firewall: unknown firewall \"edge-west\" (did you mean \"edge-east\"?)"
    ),
    ConfigErrorCase(
        name: "firewall set not FAMILY TABLE SET",
        kind: .inventory,
        text: ConfigErrorCase.workloadBase
            + "[[workload.depends]]\nkind = \"firewall\"\nfirewall = \"edge-east\"\nset = \"filter web; flush ruleset\"\n",
        expected: "inventory.toml:9: set: expected \"FAMILY TABLE SET\", like \"inet filter web_backends\", "
            + "got \"filter web; flush ruleset\""
    ),
    ConfigErrorCase(
        name: "firewall set and rule_comment together",
        kind: .inventory,
        text: ConfigErrorCase.workloadBase
            + "[[workload.depends]]\nkind = \"firewall\"\nfirewall = \"edge-east\"\nset = \"inet filter web\"\n"
            + "rule_comment = \"web-07\"\n",
        expected: "inventory.toml:6: [[workload.depends]] of kind \"firewall\": set and rule_comment exclude each "
            + "other; keep one"
    ),
    ConfigErrorCase(
        name: "firewall dependency without a target",
        kind: .inventory,
        text: ConfigErrorCase.workloadBase + "[[workload.depends]]\nkind = \"firewall\"\nfirewall = \"edge-east\"\n",
        expected: "inventory.toml:6: [[workload.depends]] of kind \"firewall\": needs set = \"FAMILY TABLE SET\" or "
            + "rule_comment = \"…\""
    ),
    ConfigErrorCase(
        name: "unknown dependency kind",
        kind: .inventory,
        text: ConfigErrorCase.workloadBase + "[[workload.depends]]\nkind = \"ldap\"\n",
        expected: "inventory.toml:7: kind: unknown dependency kind \"ldap\" (expected dns, lb, tcp or firewall)"
    ),
    ConfigErrorCase(
        name: "unknown role",
        kind: .inventory,
        text: ConfigErrorCase.workloadBase
            + "[[workload.depends]]\nkind = \"tcp\"\ntarget = \"127.0.2.10:636\"\nrole = \"ldap\"\n",
        expected: "inventory.toml:9: role: unknown role \"ldap\" (expected auth, database, storage, license or other)"
    ),
    ConfigErrorCase(
        name: "missing dependency key at its header",
        kind: .inventory,
        text: ConfigErrorCase.workloadBase
            + "[[workload.depends]]\nkind = \"lb\"\nbalancer = \"edge\"\nbackend = \"be\"\nserver = \"s\"\n",
        expected: "inventory.toml:6: [[workload.depends]] of kind \"lb\" is missing required key 'port'"
    ),
    ConfigErrorCase(
        name: "duplicate EID",
        kind: .inventory,
        text: ConfigErrorCase.workloadBase.replacingOccurrences(of: "web-07", with: "web-08")
            + ConfigErrorCase.workloadBase,
        expected:
            "inventory.toml:6: workload \"web-07\": EID 10.1.0.7/32 in iid 0 already belongs to \"web-08\" (line 1)"
    ),
    ConfigErrorCase(
        name: "map-server listen missing",
        kind: .mapServer,
        text: "api = \"127.0.0.1:9442\"\n",
        expected: "mapserver.toml:1: the file is missing required key 'listen'"
    ),
    ConfigErrorCase(
        name: "map-server prefix",
        kind: .mapServer,
        text: ConfigErrorCase.mapServerBase
            + "name = \"dc-east\"\nkey_id = 1\nalgorithm = \"hmac-sha1\"\nkey_file = \"k\"\nprefixes = [\"10.1.0.0/8\"]\n",
        expected:
            "mapserver.toml:7: prefixes[0]: bad prefix \"10.1.0.0/8\": host bits are set (did you mean 10.0.0.0/8?)"
    ),
    ConfigErrorCase(
        name: "map-server wrong type",
        kind: .mapServer,
        text: ConfigErrorCase.mapServerBase
            + "name = \"dc-east\"\nkey_id = \"1\"\nalgorithm = \"hmac-sha1\"\nkey_file = \"k\"\nprefixes = [\"10.1.0.0/16\"]\n",
        expected: "mapserver.toml:4: key_id: expected an integer, got string"
    ),
    ConfigErrorCase(
        name: "map-server subscription cap",
        kind: .mapServer,
        text: "listen = \"127.0.0.1:4342\"\nmax_subscriptions_per_subscriber = 0\n",
        expected: "mapserver.toml:2: max_subscriptions_per_subscriber: 0 is out of range (1…2147483647)"
    ),
    ConfigErrorCase(
        name: "map-server subscription lifetime",
        kind: .mapServer,
        text: "listen = \"127.0.0.1:4342\"\nsubscription_lifetime = \"1h\"\n",
        expected:
            "mapserver.toml:2: subscription_lifetime: at least 13h, since Locus dashboards renew their subscriptions "
            + "every 12h; got 1h"
    ),
]
