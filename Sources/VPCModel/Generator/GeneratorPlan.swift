/// The shape of a generated network before any address or id exists: which VPCs reach the
/// internet, their tiers of subnets, gateways, endpoints, load balancers and workloads. Counts are
/// settled here (interfaces per subnet decide the subnet sizes), addresses afterwards.

/// A security group's job in a VPC; a VPC has one group per role it uses.
enum GroupRole: String, CaseIterable {
    case alb, web, bastion, app, lambda, db, cache, search, batch, endpoints, common
}

/// A kind of service a workload runs, named like the services real estates run.
struct WorkloadTemplate {
    let name: String
    let kind: String
    let role: GroupRole
    /// How many interfaces (one per AZ) at most; 0 = one in every AZ of its tier.
    let maxInterfaces: Int
}

struct TierPlan {
    var name: String
    /// The tier's name without a repeat number (`app` for `app2`).
    var base: String
    var isPublic: Bool
    /// Indices into `VPCPlan.subnets`, one per AZ.
    var subnets: [Int] = []
}

struct SubnetPlan {
    var name: String
    var tier: Int
    var zone: Int
}

struct WorkloadPlan {
    enum Form {
        /// One interface per listed subnet, written as `subnets:` (Lambda, ECS, RDS, …).
        case workload
        /// EC2 instances with public IPs, each a named interface the workload lists.
        case fleet
        /// One EC2 instance that is not part of a workload (a bastion host).
        case standalone
    }

    var name: String
    var kind: String
    var role: GroupRole
    var subnets: [Int]
    var form: Form
}

struct LoadBalancerPlan {
    var internetFacing: Bool
    var subnets: [Int]
    /// The workload its target group sends to (index into `VPCPlan.workloads`).
    var target = 0
}

struct VPCPlan {
    var index: Int
    var label: String
    var internet = false
    var nat = false
    var zones = 1
    var tiers: [TierPlan] = []
    var subnets: [SubnetPlan] = []
    var gatewayEndpoints: [String] = []
    var interfaceEndpoints: [String] = []
    var loadBalancer: LoadBalancerPlan?
    var publicACL = false
    var dataACL = false
    var workloads: [WorkloadPlan] = []
    var roles: [GroupRole] = []

    var name: String { "vpc-\(label)" }
    /// The first tier without a route to the internet gateway: where endpoints and services live.
    var privateTier: Int? { tiers.firstIndex { !$0.isPublic } }

    /// Interfaces AWS creates for this VPC's NAT gateways, interface endpoints and load balancer.
    var infrastructureInterfaces: Int {
        (nat ? zones : 0) + interfaceEndpoints.count * (privateTier.map { tiers[$0].subnets.count } ?? 0)
            + (loadBalancer?.subnets.count ?? 0)
    }

    /// How many interfaces each subnet holds, for sizing the subnets.
    var subnetLoads: [Int] {
        var loads = Array(repeating: 0, count: subnets.count)
        if nat { for subnet in tiers[0].subnets { loads[subnet] += 1 } }
        if let tier = privateTier { for subnet in tiers[tier].subnets { loads[subnet] += interfaceEndpoints.count } }
        for subnet in loadBalancer?.subnets ?? [] { loads[subnet] += 1 }
        for workload in workloads { for subnet in workload.subnets { loads[subnet] += 1 } }
        return loads
    }
}

struct GeneratorPlanner {
    var rng: SplitMix64
    let options: GeneratorOptions

    static let privateTiers = ["app", "data", "cache", "batch", "mgmt", "ml", "edge", "tools", "ops", "shared"]
    static let interfaceServices = ["secretsmanager", "ecr.api", "ecr.dkr", "logs", "sts", "kms", "sqs", "sns", "monitoring"]
    static let templates: [WorkloadTemplate] = [
        .init(name: "checkout", kind: "ecs", role: .app, maxInterfaces: 0),
        .init(name: "payments", kind: "fargate", role: .app, maxInterfaces: 0),
        .init(name: "orders", kind: "ecs", role: .app, maxInterfaces: 0),
        .init(name: "inventory", kind: "eks", role: .app, maxInterfaces: 0),
        .init(name: "catalog", kind: "ecs", role: .app, maxInterfaces: 2),
        .init(name: "auth", kind: "fargate", role: .app, maxInterfaces: 0),
        .init(name: "billing", kind: "ecs", role: .app, maxInterfaces: 2),
        .init(name: "recommendations", kind: "eks", role: .app, maxInterfaces: 0),
        .init(name: "shipping", kind: "fargate", role: .app, maxInterfaces: 2),
        .init(name: "graphql", kind: "ecs", role: .app, maxInterfaces: 0),
        .init(name: "notifications", kind: "lambda", role: .lambda, maxInterfaces: 0),
        .init(name: "image-resize", kind: "lambda", role: .lambda, maxInterfaces: 0),
        .init(name: "etl", kind: "lambda", role: .lambda, maxInterfaces: 0),
        .init(name: "webhooks", kind: "lambda", role: .lambda, maxInterfaces: 0),
        .init(name: "orders-db", kind: "rds", role: .db, maxInterfaces: 2),
        .init(name: "ledger-db", kind: "aurora", role: .db, maxInterfaces: 2),
        .init(name: "users-db", kind: "rds", role: .db, maxInterfaces: 2),
        .init(name: "db-proxy", kind: "rds-proxy", role: .db, maxInterfaces: 0),
        .init(name: "sessions", kind: "elasticache", role: .cache, maxInterfaces: 2),
        .init(name: "rate-limit", kind: "elasticache", role: .cache, maxInterfaces: 1),
        .init(name: "search", kind: "opensearch", role: .search, maxInterfaces: 0),
        .init(name: "reporting", kind: "ec2", role: .batch, maxInterfaces: 1),
        .init(name: "analytics", kind: "ec2", role: .batch, maxInterfaces: 1),
        .init(name: "airflow", kind: "ecs", role: .batch, maxInterfaces: 1),
        .init(name: "jenkins", kind: "ec2", role: .batch, maxInterfaces: 1),
    ]

    init(options: GeneratorOptions) {
        self.options = options
        rng = SplitMix64(seed: options.seed)
    }

    /// `0042`: wide enough for the largest index, at least four digits, so names sort.
    static func label(_ index: Int, of count: Int) -> String {
        String(index + 1).leftPadded(to: max(4, String(count).count))
    }

    static func zoneName(_ zone: Int) -> String {
        GeneratorOptions.region + String(UnicodeScalar(UInt8(ascii: "a") + UInt8(zone)))
    }

    static func zoneLetter(_ zone: Int) -> String { String(UnicodeScalar(UInt8(ascii: "a") + UInt8(zone))) }

    mutating func plan() -> [VPCPlan] {
        var vpcs = (0..<options.vpcs).map { structure($0) }
        // Gateways, endpoints and load balancers take at most a third of the interfaces; the rest are workloads'.
        var infrastructureBudget = options.interfaces / 3
        var autoPublicLeft = TopologyBuilder.autoPublicCount
        for index in vpcs.indices { fitInfrastructure(&vpcs[index], budget: &infrastructureBudget, autoPublic: &autoPublicLeft) }
        let infrastructure = vpcs.reduce(0) { $0 + $1.infrastructureInterfaces }
        let budgets = workloadBudgets(vpcs, total: options.interfaces - infrastructure)
        for index in vpcs.indices {
            planWorkloads(&vpcs[index], budget: budgets[index])
            planRoles(&vpcs[index])
        }
        return vpcs
    }

    /// Tiers of subnets across 2–3 AZs, and which gateways, endpoints, ACLs and load balancer the VPC wants.
    mutating func structure(_ index: Int) -> VPCPlan {
        var plan = VPCPlan(index: index, label: Self.label(index, of: options.vpcs))
        let count = options.subnetsPerVPC
        plan.zones = count == 1 ? 1 : (count == 2 ? 2 : (rng.chance(60) ? 3 : 2))
        // The first VPC always reaches the internet, so that even a one-VPC network has an IGW.
        plan.internet = index == 0 || rng.chance(55)
        let tierCount = (count + plan.zones - 1) / plan.zones
        let names = Self.privateTiers
        for tier in 0..<tierCount {
            if plan.internet && tier == 0 {
                plan.tiers.append(TierPlan(name: "public", base: "public", isPublic: true))
                continue
            }
            let k = plan.internet ? tier - 1 : tier
            let base = names[k % names.count]
            plan.tiers.append(TierPlan(name: k < names.count ? base : "\(base)\(k / names.count + 1)", base: base, isPublic: false))
        }
        for subnet in 0..<count {
            let tier = subnet / plan.zones, zone = subnet % plan.zones
            plan.tiers[tier].subnets.append(subnet)
            plan.subnets.append(SubnetPlan(name: "\(plan.tiers[tier].name)-\(plan.label)-\(Self.zoneLetter(zone))", tier: tier, zone: zone))
        }
        let privateTier = plan.privateTier
        plan.nat = plan.internet && privateTier != nil && rng.chance(70)
        if privateTier != nil {
            if rng.chance(60) { plan.gatewayEndpoints.append("s3") }
            if rng.chance(20) { plan.gatewayEndpoints.append("dynamodb") }
            if rng.chance(40) {
                var services = Self.interfaceServices
                for _ in 0..<(1 + rng.below(2)) { plan.interfaceEndpoints.append(services.remove(at: rng.below(services.count))) }
            }
        }
        if rng.chance(35) {
            let internetFacing = plan.internet && rng.chance(60)
            if let tier = internetFacing ? 0 : privateTier, plan.tiers[tier].subnets.count >= 2 {
                plan.loadBalancer = LoadBalancerPlan(internetFacing: internetFacing, subnets: plan.tiers[tier].subnets)
            }
        }
        plan.publicACL = plan.internet && rng.chance(50)
        plan.dataACL = plan.tiers.contains { $0.base == "data" } && rng.chance(50)
        return plan
    }

    /// Drops what the interface budget (or vpcsim's pool of automatic public addresses, which an
    /// internet-facing load balancer draws from) cannot pay for, first VPC first.
    func fitInfrastructure(_ plan: inout VPCPlan, budget: inout Int, autoPublic: inout Int) {
        if plan.nat {
            if budget >= plan.zones { budget -= plan.zones } else { plan.nat = false }
        }
        let endpointSubnets = plan.privateTier.map { plan.tiers[$0].subnets.count } ?? 0
        while plan.interfaceEndpoints.count * endpointSubnets > budget {
            plan.interfaceEndpoints.removeLast()
        }
        budget -= plan.interfaceEndpoints.count * endpointSubnets
        guard var balancer = plan.loadBalancer else { return }
        plan.loadBalancer = nil
        if balancer.internetFacing && autoPublic < balancer.subnets.count {
            guard let tier = plan.privateTier, plan.tiers[tier].subnets.count >= 2 else { return }
            balancer = LoadBalancerPlan(internetFacing: false, subnets: plan.tiers[tier].subnets)
        }
        guard budget >= balancer.subnets.count else { return }
        budget -= balancer.subnets.count
        if balancer.internetFacing { autoPublic -= balancer.subnets.count }
        plan.loadBalancer = balancer
    }

    /// Workload interfaces per VPC: one for every VPC with a load balancer (its target), the rest
    /// by random weights 1–3, so that VPCs differ in size as real ones do.
    mutating func workloadBudgets(_ vpcs: [VPCPlan], total: Int) -> [Int] {
        var budgets = vpcs.map { $0.loadBalancer == nil ? 0 : 1 }
        let left = total - budgets.reduce(0, +)
        let weights = vpcs.map { _ in 1 + rng.below(3) }
        let totalWeight = weights.reduce(0, +)
        var given = 0
        for index in vpcs.indices {
            let share = left * weights[index] / totalWeight
            budgets[index] += share
            given += share
        }
        for index in 0..<(left - given) { budgets[index % vpcs.count] += 1 }
        return budgets
    }

    /// The tiers a role's workloads go to: their own tier when the VPC has one, else any private tier.
    func tiers(for role: GroupRole, in plan: VPCPlan) -> [Int] {
        let preferred: [[String]]
        switch role {
        case .app, .lambda: preferred = [["app"]]
        case .db, .search: preferred = [["data"]]
        case .cache: preferred = [["cache"], ["data"]]
        case .batch: preferred = [["batch", "mgmt", "ml", "edge", "tools", "ops", "shared"]]
        case .web, .bastion, .alb: preferred = [["public"]]
        case .endpoints, .common: preferred = []
        }
        for bases in preferred {
            let found = plan.tiers.indices.filter { bases.contains(plan.tiers[$0].base) }
            if !found.isEmpty { return found }
        }
        let privateTiers = plan.tiers.indices.filter { !plan.tiers[$0].isPublic }
        return privateTiers.isEmpty ? Array(plan.tiers.indices) : privateTiers
    }

    mutating func planWorkloads(_ plan: inout VPCPlan, budget: Int) {
        var left = budget
        var used: [String: Int] = [:]
        func name(_ base: String) -> String {
            let count = used[base, default: 0] + 1
            used[base] = count
            return count == 1 ? "\(base)-\(plan.label)" : "\(base)-\(plan.label)-\(count)"
        }
        if var balancer = plan.loadBalancer, left > 0 {
            let template = rng.pick(Self.templates.filter { $0.role == .app })
            let tier = tiers(for: .app, in: plan)[0]
            let subnets = Array(plan.tiers[tier].subnets.prefix(left))
            balancer.target = plan.workloads.count
            plan.loadBalancer = balancer
            plan.workloads.append(WorkloadPlan(name: name(template.name), kind: template.kind, role: .app, subnets: subnets, form: .workload))
            left -= subnets.count
        }
        if plan.internet && left > 0 && rng.chance(50) {
            plan.workloads.append(WorkloadPlan(name: name("bastion"), kind: "ec2", role: .bastion, subnets: [plan.tiers[0].subnets[0]], form: .standalone))
            left -= 1
        }
        if plan.internet && left > 0 && rng.chance(40) {
            let count = min(left, 1 + rng.below(4))
            let publicSubnets = plan.tiers[0].subnets
            let subnets = (0..<count).map { publicSubnets[$0 % publicSubnets.count] }
            plan.workloads.append(WorkloadPlan(name: name("web"), kind: "ec2", role: .web, subnets: subnets, form: .fleet))
            left -= count
        }
        while left > 0 {
            let template = rng.pick(Self.templates)
            let tier = rng.pick(tiers(for: template.role, in: plan))
            let tierSubnets = plan.tiers[tier].subnets
            let wanted = template.maxInterfaces == 0 ? tierSubnets.count : min(template.maxInterfaces, tierSubnets.count)
            let count = min(wanted, left)
            let start = rng.below(tierSubnets.count)
            let subnets = (0..<count).map { tierSubnets[(start + $0) % tierSubnets.count] }
            plan.workloads.append(WorkloadPlan(name: name(template.name), kind: template.kind, role: template.role, subnets: subnets, form: .workload))
            left -= count
        }
    }

    /// The security groups a VPC needs, in a fixed order: one per role in use, and sometimes a
    /// `common` group (monitoring, ping) that services carry as their second group.
    mutating func planRoles(_ plan: inout VPCPlan) {
        var used = Set(plan.workloads.map(\.role))
        if plan.loadBalancer != nil { used.insert(.alb) }
        if !plan.interfaceEndpoints.isEmpty { used.insert(.endpoints) }
        if !used.isDisjoint(with: [.app, .lambda, .batch]) && rng.chance(50) { used.insert(.common) }
        plan.roles = GroupRole.allCases.filter(used.contains)
    }
}
