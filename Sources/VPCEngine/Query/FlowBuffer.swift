/// Flow columns being filled, in preallocated raw storage: appending is six plain stores, without the
/// uniqueness and capacity checks six `Array.append`s make per flow (the matrix appends tens of
/// millions). `copy(into:)` hands the flows to the batched evaluator as `FlowColumns`.
final class FlowBuffer {
    private(set) var capacity: Int
    private(set) var count = 0
    private var sources: UnsafeMutablePointer<UInt32>
    private var externalSources: UnsafeMutablePointer<UInt32>
    private var destinations: UnsafeMutablePointer<UInt32>
    private var protocols: UnsafeMutablePointer<UInt8>
    private var sourcePorts: UnsafeMutablePointer<UInt16>
    private var destinationPorts: UnsafeMutablePointer<UInt16>

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        sources = .allocate(capacity: self.capacity)
        externalSources = .allocate(capacity: self.capacity)
        destinations = .allocate(capacity: self.capacity)
        protocols = .allocate(capacity: self.capacity)
        sourcePorts = .allocate(capacity: self.capacity)
        destinationPorts = .allocate(capacity: self.capacity)
    }

    deinit { deallocate() }

    private func deallocate() {
        sources.deallocate(); externalSources.deallocate(); destinations.deallocate()
        protocols.deallocate(); sourcePorts.deallocate(); destinationPorts.deallocate()
    }

    /// Room for `extra` more flows, keeping those held.
    func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        let old = (sources, externalSources, destinations, protocols, sourcePorts, destinationPorts)
        let newCapacity = max(capacity * 2, count + extra)
        func moved<T>(_ from: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<T> {
            let to = UnsafeMutablePointer<T>.allocate(capacity: newCapacity)
            to.update(from: from, count: count)
            return to
        }
        sources = moved(old.0); externalSources = moved(old.1); destinations = moved(old.2)
        protocols = moved(old.3); sourcePorts = moved(old.4); destinationPorts = moved(old.5)
        old.0.deallocate(); old.1.deallocate(); old.2.deallocate(); old.3.deallocate(); old.4.deallocate(); old.5.deallocate()
        capacity = newCapacity
    }

    /// The caller has reserved room (`reserve`).
    @inline(__always)
    func append(_ flow: Flow) {
        precondition(count < capacity, "FlowBuffer: append without reserve")
        sources[count] = flow.source
        externalSources[count] = flow.externalSource
        destinations[count] = flow.destination
        protocols[count] = flow.ipProtocol
        sourcePorts[count] = flow.sourcePort
        destinationPorts[count] = FlowColumns.destinationPortColumn(of: flow)
        count += 1
    }

    func removeAll() { count = 0 }

    /// `columns` := the flows held, in order.
    func copy(into columns: inout FlowColumns) {
        columns.removeAll(keepingCapacity: true)
        columns.reserveCapacity(count)
        columns.sources.append(contentsOf: UnsafeBufferPointer(start: sources, count: count))
        columns.externalSources.append(contentsOf: UnsafeBufferPointer(start: externalSources, count: count))
        columns.destinations.append(contentsOf: UnsafeBufferPointer(start: destinations, count: count))
        columns.protocols.append(contentsOf: UnsafeBufferPointer(start: protocols, count: count))
        columns.sourcePorts.append(contentsOf: UnsafeBufferPointer(start: sourcePorts, count: count))
        columns.destinationPorts.append(contentsOf: UnsafeBufferPointer(start: destinationPorts, count: count))
    }
}
