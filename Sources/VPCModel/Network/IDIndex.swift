/// The first position of each id in an array that only grows, so that finding an entity by id stays
/// O(1) on networks of 100k interfaces (first, like `firstIndex(where:)`, when an id is repeated).
struct IDIndex {
    private var positions: [String: Int] = [:]

    init() {}

    /// The index of `ids` (an entity array's ids, in order).
    init(_ ids: [String]) {
        positions.reserveCapacity(ids.count)
        for (position, id) in ids.enumerated() { note(id, at: position) }
    }

    mutating func reserve(_ count: Int) { positions.reserveCapacity(positions.count + count) }

    mutating func note(_ id: String, at position: Int) {
        if let first = positions.updateValue(position, forKey: id) { positions[id] = first }
    }

    /// Appends `item` to the array this index follows.
    mutating func append<Item>(_ item: Item, id: String, to array: inout [Item]) {
        note(id, at: array.count)
        array.append(item)
    }

    subscript(id: String) -> Int? { positions[id] }
}
