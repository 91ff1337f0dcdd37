import VPCModel

/// Random but plausible traffic over a compiled network, for benchmarks and load tests: sources are
/// the network's hosts (interfaces of workloads and unowned ENIs) and the internet; destinations are
/// other interfaces' private and public addresses, the known services' addresses and public internet
/// addresses; mostly TCP, some UDP and ping. Most flows to an interface go to a port its security
/// groups open (as real traffic does), the rest to ports the rules and listeners name or to any port.
/// Deterministic for a seed (SplitMix64), so two runs measure the same flows.
public struct FlowSampler: Sendable {
    var rng: SplitMix64
    let hosts: [UInt32]
    /// (interface, address) for every private address.
    let privateAddresses: [(interface: UInt32, address: UInt32)]
    /// Per interface, the (protocol, port) its security groups open on ingress (TCP/UDP rules' first port).
    let openPorts: [[(UInt8, UInt16)]]
    let publicAddresses: [UInt32]
    let serviceAddresses: [UInt32]
    let ports: [UInt16]

    public init(_ plane: DataPlane, seed: UInt64) {
        self.rng = SplitMix64(seed: seed)
        var hosts: [UInt32] = [], privateAddresses: [(UInt32, UInt32)] = [], publicAddresses: [UInt32] = []
        var openPorts: [[(UInt8, UInt16)]] = []
        for (i, eni) in plane.interfaces.enumerated() {
            for a in eni.addresses.indices { privateAddresses.append((UInt32(i), plane.interfaceAddresses[a])) }
            var open: [(UInt8, UInt16)] = []
            for g in eni.groups.indices where plane.interfaceGroups[g] != noIndex {
                for r in plane.securityGroups[Int(plane.interfaceGroups[g])].ingress.indices {
                    let rule = plane.securityGroupRules[r]
                    if rule.ipProtocol == 6 || rule.ipProtocol == 17 { open.append((UInt8(rule.ipProtocol), rule.portLower)) }
                }
            }
            openPorts.append(open)
            if eni.hasPublicIP { publicAddresses.append(eni.publicIP) }
            if (eni.owner == .workload || eni.owner == .none) && eni.subnet != noIndex && !eni.addresses.isEmpty {
                hosts.append(UInt32(i))
            }
        }
        // A few addresses inside each service range (its first host, and one further in).
        var serviceAddresses: [UInt32] = []
        for entry in plane.serviceRanges {
            serviceAddresses.append(entry.cidr.network | 1)
            serviceAddresses.append(entry.cidr.network | (~entry.cidr.mask & 0x0000_1234))
        }
        var ports: Set<UInt16> = [22, 53, 80, 443, 3306, 5432, 6379, 8080, 9200]
        for rule in plane.securityGroupRules where rule.ipProtocol == 6 || rule.ipProtocol == 17 {
            ports.insert(rule.portLower); ports.insert(rule.portUpper)
        }
        for listener in plane.listeners { ports.insert(listener.port) }
        self.hosts = hosts
        self.privateAddresses = privateAddresses
        self.openPorts = openPorts
        self.publicAddresses = publicAddresses
        self.serviceAddresses = serviceAddresses
        self.ports = ports.sorted()
    }

    /// `count` flows; empty when the network has no host to send from.
    public mutating func sample(count: Int) -> FlowColumns {
        var flows = FlowColumns(minimumCapacity: count)
        guard !hosts.isEmpty else { return flows }
        for _ in 0..<count { flows.append(next()) }
        return flows
    }

    mutating func next() -> Flow {
        let ipProtocol: UInt8
        switch random(100) {
        case 0..<75: ipProtocol = 6
        case 75..<90: ipProtocol = 17
        default: ipProtocol = 1
        }
        let sourcePort = UInt16(truncatingIfNeeded: 1024 &+ random(64512))
        let port = random(10) < 8 ? ports[random(ports.count)] : UInt16(truncatingIfNeeded: 1 &+ random(65535))
        if random(10) == 0, !publicAddresses.isEmpty {
            // From the internet, to a public IP of the network.
            return flow(source: Flow.internet, external: internetAddress(), destination: publicAddresses[random(publicAddresses.count)],
                        ipProtocol, sourcePort, port)
        }
        let source = hosts[random(hosts.count)]
        let destination: UInt32
        switch random(100) {
        case 0..<60:
            let (interface, address) = privateAddresses[random(privateAddresses.count)]
            let open = openPorts[Int(interface)]
            if !open.isEmpty && random(10) < 7 {
                let (openProtocol, openPort) = open[random(open.count)]
                return flow(source: source, external: 0, destination: address, openProtocol, sourcePort, openPort)
            }
            destination = address
        case 60..<70 where !publicAddresses.isEmpty: destination = publicAddresses[random(publicAddresses.count)]
        case 70..<85 where !serviceAddresses.isEmpty: destination = serviceAddresses[random(serviceAddresses.count)]
        default: destination = internetAddress()
        }
        return flow(source: source, external: 0, destination: destination, ipProtocol, sourcePort, port)
    }

    func flow(source: UInt32, external: UInt32, destination: UInt32, _ ipProtocol: UInt8, _ sourcePort: UInt16, _ port: UInt16) -> Flow {
        ipProtocol == 1
            ? Flow(source: source, externalSource: external, destination: destination, ipProtocol: 1, icmpType: 8)
            : Flow(source: source, externalSource: external, destination: destination, ipProtocol: ipProtocol,
                   sourcePort: sourcePort, destinationPort: port)
    }

    /// 8.8.8.8 now and then, else a random address in 1.0.0.0–126.255.255.255 outside 10/8.
    mutating func internetAddress() -> UInt32 {
        if random(4) == 0 { return 0x0808_0808 }
        let address = 0x0100_0000 &+ UInt32(truncatingIfNeeded: random(0x7E00_0000))
        return address >> 24 == 10 ? address ^ 0x0300_0000 : address
    }

    mutating func random(_ bound: Int) -> Int { rng.below(bound) }
}
