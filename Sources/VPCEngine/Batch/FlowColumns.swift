/// Flows as a structure of arrays: what the batched evaluator reads. One column per field keeps a
/// batch of millions of flows compact (13 bytes per flow plus the external source) and lets callers
/// fill or scan a single field without touching the others.
///
/// ICMP flows carry `type << 8 | code` in `destinationPorts`, the convention of NetFlow v5 and IPFIX
/// exporters (https://www.iana.org/assignments/ipfix/ipfix.xhtml, destinationTransportPort), so an
/// ICMP type and code need no columns of their own.
public struct FlowColumns: Sendable {
    /// Source interface index, or `Flow.internet`.
    public var sources: [UInt32] = []
    /// The sender's address for flows from the internet; ignored otherwise.
    public var externalSources: [UInt32] = []
    public var destinations: [UInt32] = []
    public var protocols: [UInt8] = []
    public var sourcePorts: [UInt16] = []
    /// TCP/UDP destination port; for ICMP, `type << 8 | code`.
    public var destinationPorts: [UInt16] = []

    public init() {}

    public init(minimumCapacity: Int) {
        reserveCapacity(minimumCapacity)
    }

    public init<S: Sequence>(_ flows: S) where S.Element == Flow {
        for flow in flows { append(flow) }
    }

    public var count: Int { sources.count }
    public var isEmpty: Bool { sources.isEmpty }

    public mutating func reserveCapacity(_ n: Int) {
        sources.reserveCapacity(n); externalSources.reserveCapacity(n); destinations.reserveCapacity(n)
        protocols.reserveCapacity(n); sourcePorts.reserveCapacity(n); destinationPorts.reserveCapacity(n)
    }

    public mutating func removeAll(keepingCapacity: Bool = true) {
        sources.removeAll(keepingCapacity: keepingCapacity); externalSources.removeAll(keepingCapacity: keepingCapacity)
        destinations.removeAll(keepingCapacity: keepingCapacity); protocols.removeAll(keepingCapacity: keepingCapacity)
        sourcePorts.removeAll(keepingCapacity: keepingCapacity); destinationPorts.removeAll(keepingCapacity: keepingCapacity)
    }

    public mutating func append(_ flow: Flow) {
        sources.append(flow.source)
        externalSources.append(flow.externalSource)
        destinations.append(flow.destination)
        protocols.append(flow.ipProtocol)
        sourcePorts.append(flow.sourcePort)
        destinationPorts.append(Self.destinationPortColumn(of: flow))
    }

    /// What the destination-port column holds for `flow`: its port, or for ICMP `type << 8 | code`.
    @inlinable
    public static func destinationPortColumn(of flow: Flow) -> UInt16 {
        flow.ipProtocol == 1 ? UInt16(flow.icmpType) << 8 | UInt16(flow.icmpCode) : flow.destinationPort
    }

    /// Flow `i` as the single-flow Evaluator takes it.
    public subscript(i: Int) -> Flow {
        FlowColumns.flow(source: sources[i], externalSource: externalSources[i], destination: destinations[i],
                         ipProtocol: protocols[i], sourcePort: sourcePorts[i], destinationPort: destinationPorts[i])
    }

    @inlinable
    static func flow(source: UInt32, externalSource: UInt32, destination: UInt32, ipProtocol: UInt8, sourcePort: UInt16,
                     destinationPort: UInt16) -> Flow {
        ipProtocol == 1
            ? Flow(source: source, externalSource: externalSource, destination: destination, ipProtocol: 1,
                   icmpType: UInt8(truncatingIfNeeded: destinationPort >> 8), icmpCode: UInt8(truncatingIfNeeded: destinationPort))
            : Flow(source: source, externalSource: externalSource, destination: destination, ipProtocol: ipProtocol,
                   sourcePort: sourcePort, destinationPort: destinationPort)
    }
}

/// Verdicts as a structure of arrays, index-aligned with the `FlowColumns` they answer. Allocated
/// once (`init(count:)`) and overwritten by every `BatchEvaluator.evaluate` call of that size.
public struct VerdictColumns: Sendable {
    /// 1 when the request was delivered and its response came back (or needs none), else 0.
    public var reachable: [UInt8]
    /// `Reason.rawValue` of the drop, or `VerdictColumns.none`.
    public var reasons: [UInt8]
    /// Where the drop happened: the hop's kind (`HopKind.rawValue`, or `none`) and its entity index
    /// in the DataPlane array of that kind (`noIndex` when the kind has none).
    public var dropKinds: [UInt8]
    public var dropEntities: [UInt32]
    /// `Direction.rawValue` of the drop (request or response), or `none`.
    public var directions: [UInt8]
    /// `Delivery.code` of where the request was delivered (`Delivery.nowhere` when it was not); empty
    /// unless the batch was asked to record it (`BatchEvaluator.recordsDelivery`).
    public var delivered: [UInt32]

    /// The value of a column when there is nothing to say (reachable flows).
    public static let none: UInt8 = .max

    public init(count: Int, delivery: Bool = false) {
        reachable = [UInt8](repeating: 0, count: count)
        reasons = [UInt8](repeating: Self.none, count: count)
        dropKinds = [UInt8](repeating: Self.none, count: count)
        dropEntities = [UInt32](repeating: noIndex, count: count)
        directions = [UInt8](repeating: Self.none, count: count)
        delivered = delivery ? [UInt32](repeating: Delivery.nowhere, count: count) : []
    }

    public var count: Int { reachable.count }

    /// Makes the buffer hold `count` verdicts (new columns when the count differs), for a reused buffer.
    public mutating func resize(to count: Int, delivery: Bool = false) {
        guard count != self.count || (delivery && delivered.count != count) else { return }
        self = VerdictColumns(count: count, delivery: delivery)
    }

    public func isReachable(_ i: Int) -> Bool { reachable[i] != 0 }
    public func reason(_ i: Int) -> Reason? { Reason(rawValue: reasons[i]) }
    public func dropKind(_ i: Int) -> HopKind? { HopKind(rawValue: dropKinds[i]) }
    public func direction(_ i: Int) -> Direction? { Direction(rawValue: directions[i]) }
}
