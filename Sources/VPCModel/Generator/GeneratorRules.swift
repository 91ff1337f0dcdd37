/// What makes two security group rules the same rule to AWS (a description does not), so the
/// generator never writes a rule twice; AWS rejects a duplicate.
struct RuleKey: Hashable {
    var ingress: Bool
    var ipProtocol: IPProtocol
    var ports: PortRange
    var icmp: ICMPMatch
    var peer: SecurityGroupRule.Peer

    init(_ rule: SecurityGroupRule, ingress: Bool) {
        self.ingress = ingress; ipProtocol = rule.ipProtocol; ports = rule.ports; icmp = rule.icmp; peer = rule.peer
    }
}

/// One security group while its rules are being decided.
struct GroupPlan {
    var name: String
    var id: String
    /// nil for the extra groups that only hold rules when many more are asked for than the roles need.
    var role: GroupRole?
    var description: String
    var ingress: [SecurityGroupRule] = []
    var egress: [SecurityGroupRule] = []
    private var keys: Set<RuleKey> = []

    init(name: String, role: GroupRole?, description: String) {
        self.name = name; self.role = role; self.description = description
        id = StableID.make("sg", name)
    }

    var ruleCount: Int { ingress.count + egress.count }

    func isFull(ingress: Bool) -> Bool { (ingress ? self.ingress : egress).count >= AWSQuota.rulesPerSecurityGroupDirection }

    func contains(_ rule: SecurityGroupRule, ingress: Bool) -> Bool { keys.contains(RuleKey(rule, ingress: ingress)) }

    /// Adds the rule unless the group has it or that direction is at AWS's quota.
    @discardableResult
    mutating func add(_ rule: SecurityGroupRule, ingress: Bool) -> Bool {
        guard !isFull(ingress: ingress), keys.insert(RuleKey(rule, ingress: ingress)).inserted else { return false }
        if ingress { self.ingress.append(rule) } else { egress.append(rule) }
        return true
    }

    /// Removes the last ingress rule, else the last egress rule (so a group keeps its allow-all
    /// egress longest); false when the group has none.
    mutating func removeLast() -> Bool {
        if let rule = ingress.popLast() {
            keys.remove(RuleKey(rule, ingress: true))
        } else if let rule = egress.popLast() {
            keys.remove(RuleKey(rule, ingress: false))
        } else {
            return false
        }
        return true
    }
}

extension GroupRole {
    var groupDescription: String {
        switch self {
        case .alb: return "load balancer: HTTPS and HTTP from its clients"
        case .web: return "public web servers"
        case .bastion: return "SSH bastion, reachable from the office"
        case .app: return "services behind the load balancer"
        case .lambda: return "Lambda functions in the VPC"
        case .db: return "databases, reachable from services only"
        case .cache: return "Redis caches"
        case .search: return "OpenSearch domains"
        case .batch: return "batch jobs and build servers"
        case .endpoints: return "interface endpoints: HTTPS from the VPC"
        case .common: return "every service: monitoring scrapes and ping"
        }
    }
}

extension GeneratorAssembler {
    static let tcpPorts: [UInt16] = [22, 80, 443, 2049, 3000, 3306, 5432, 5672, 6379, 8000, 8080, 8443, 9000, 9090, 9092, 9100, 9200, 9443, 11211, 27017]
    static let udpPorts: [UInt16] = [53, 123, 161, 514, 8125]
    static let icmpTypes = [0, 3, 8, 11]

    static func tcp(_ port: UInt16, _ peer: SecurityGroupRule.Peer, _ description: String? = nil) -> SecurityGroupRule {
        SecurityGroupRule(ipProtocol: .tcp, ports: PortRange(port: port), peer: peer, description: description)
    }

    /// When the rules asked for outnumber what the role groups can hold at AWS's 60 per direction,
    /// more groups (attached to nothing, as many real groups are), spread over the VPCs.
    mutating func addCapacityGroups() {
        let perGroup = 2 * AWSQuota.rulesPerSecurityGroupDirection
        let capacity = groups.reduce(0) { $0 + $1.count } * perGroup
        guard options.securityGroupRules > capacity else { return }
        let extra = (options.securityGroupRules - capacity + perGroup - 1) / perGroup
        for number in 0..<extra {
            let vpc = number % plans.count
            groups[vpc].append(GroupPlan(name: "ops-sg-\(plans[vpc].label)-\(number / plans.count + 1)", role: nil,
                                         description: "operations access, not attached yet"))
        }
    }

    /// The rules each role needs to work: clients to the load balancer, the load balancer to the
    /// services, services to their databases and caches, the office to the bastion.
    mutating func addBaseRules(_ vpc: Int) {
        let plan = plans[vpc]
        let cidr = vpcCIDR(vpc)
        let existing = groups[vpc]
        func groupOf(_ role: GroupRole) -> String? { existing.first { $0.role == role }?.id }
        /// From (or to) the groups of `roles` that exist, else from the whole VPC.
        func peers(_ roles: [GroupRole], port: UInt16) -> [SecurityGroupRule] {
            let found = roles.compactMap(groupOf).map { Self.tcp(port, .securityGroup($0)) }
            return found.isEmpty ? [Self.tcp(port, .cidr(cidr), "the VPC")] : found
        }
        let ping = SecurityGroupRule(ipProtocol: .icmp, icmp: ICMPMatch(type: 8, code: -1) ?? .any, peer: .cidr(cidr), description: "ping from the VPC")
        let fromBastion = [GroupRole.bastion].compactMap(groupOf).map { Self.tcp(22, .securityGroup($0), "SSH from the bastion") }
        for index in groups[vpc].indices {
            var ingress: [SecurityGroupRule] = []
            var egress = [SecurityGroupRule.allowAllEgress]
            switch groups[vpc][index].role {
            case .none: break
            case .alb?:
                let clients: CIDR = plan.loadBalancer?.internetFacing == true ? .any : cidr
                ingress = [Self.tcp(443, .cidr(clients)), Self.tcp(80, .cidr(clients))]
                egress = peers([.app], port: 8080)
            case .web?: ingress = [Self.tcp(443, .cidr(.any)), Self.tcp(80, .cidr(.any))] + fromBastion
            case .bastion?: ingress = [Self.tcp(22, .cidr(Self.office), "office")]
            case .app?: ingress = [GroupRole.alb].compactMap(groupOf).map { Self.tcp(8080, .securityGroup($0)) } + [Self.tcp(8080, .cidr(cidr), "the VPC")]
            case .lambda?:
                egress = [Self.tcp(443, .cidr(.any), "AWS APIs and webhooks")]
                    + [GroupRole.db].compactMap(groupOf).map { Self.tcp(5432, .securityGroup($0)) }
                    + [GroupRole.cache].compactMap(groupOf).map { Self.tcp(6379, .securityGroup($0)) }
            case .db?: ingress = peers([.app, .lambda, .batch], port: 5432)
            case .cache?: ingress = peers([.app, .lambda], port: 6379)
            case .search?: ingress = peers([.app], port: 443)
            case .batch?: ingress = fromBastion
            case .endpoints?: ingress = [Self.tcp(443, .cidr(cidr), "HTTPS from the VPC")]
            case .common?: ingress = [Self.tcp(9100, .cidr(Self.allVPCs), "node exporter scrapes"), ping]
            }
            for rule in ingress { groups[vpc][index].add(rule, ingress: true) }
            for rule in egress { groups[vpc][index].add(rule, ingress: false) }
        }
    }

    /// Makes the rule count exactly what was asked: takes rules off (one per group per round, last
    /// group first) or adds distinct rules to random groups with room.
    mutating func settleRuleCount() {
        let slots = groups.indices.flatMap { vpc in groups[vpc].indices.map { (vpc, $0) } }
        var total = slots.reduce(0) { $0 + groups[$1.0][$1.1].ruleCount }
        let wanted = options.securityGroupRules
        while total > wanted {
            for (vpc, index) in slots.reversed() where total > wanted && groups[vpc][index].removeLast() { total -= 1 }
        }
        guard !slots.isEmpty else { return }
        while total < wanted {
            var slot = rng.below(slots.count)
            var ingress = rng.chance(75)
            // addCapacityGroups made room for every rule asked for, so this finds a group with room.
            while groups[slots[slot].0][slots[slot].1].isFull(ingress: ingress) {
                if !groups[slots[slot].0][slots[slot].1].isFull(ingress: !ingress) { ingress.toggle() } else { slot = (slot + 1) % slots.count }
            }
            let (vpc, index) = slots[slot]
            let rule = extraRule(vpc, index, ingress: ingress)
            if groups[vpc][index].add(rule, ingress: ingress) { total += 1 }
        }
    }

    /// A rule the group does not have yet: a random realistic one, else TCP to a port from 10000 up from the VPC.
    mutating func extraRule(_ vpc: Int, _ index: Int, ingress: Bool) -> SecurityGroupRule {
        for _ in 0..<16 {
            let rule = randomRule(vpc, ingress: ingress)
            if !groups[vpc][index].contains(rule, ingress: ingress) { return rule }
        }
        var port: UInt16 = 10000
        while groups[vpc][index].contains(Self.tcp(port, .cidr(vpcCIDR(vpc))), ingress: ingress) { port += 1 }
        return Self.tcp(port, .cidr(vpcCIDR(vpc)), "the VPC")
    }

    /// Service ports from other VPCs (over the hub or a peering), from one of the VPC's own
    /// subnets, from another group, the office or on-premises.
    mutating func randomRule(_ vpc: Int, ingress: Bool) -> SecurityGroupRule {
        let plan = plans[vpc]
        let direction = ingress ? "from" : "to"
        let protocolRoll = rng.below(100)
        var ipProtocol = IPProtocol.tcp
        var ports = PortRange.all
        var icmp = ICMPMatch.any
        if protocolRoll < 85 {
            ports = PortRange(port: rng.pick(Self.tcpPorts))
        } else if protocolRoll < 95 {
            ipProtocol = .udp
            ports = PortRange(port: rng.pick(Self.udpPorts))
        } else {
            ipProtocol = .icmp
            icmp = ICMPMatch(type: rng.pick(Self.icmpTypes), code: -1) ?? .any
        }
        var peer = SecurityGroupRule.Peer.cidr(vpcCIDR(vpc))
        var description: String? = "\(direction) the VPC"
        switch rng.below(10) {
        case 0...3 where plans.count > 1:
            var other = rng.below(plans.count - 1)
            if other >= vpc { other += 1 }
            peer = .cidr(vpcCIDR(other))
            description = "\(direction) \(plans[other].name)"
        case 4...5:
            let subnet = rng.below(plan.subnets.count)
            peer = .cidr(subnetCIDR(vpc, subnet))
            description = "\(direction) \(plan.subnets[subnet].name)"
        case 6...7:
            peer = .securityGroup(rng.pick(groups[vpc]).id)
            description = nil
        case 8:
            peer = .cidr(Self.office)
            description = "office"
        case 9:
            peer = .cidr(Self.onPremises)
            description = "on-premises"
        default: break
        }
        return SecurityGroupRule(ipProtocol: ipProtocol, ports: ports, icmp: icmp, peer: peer, description: description)
    }
}
