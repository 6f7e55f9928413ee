import Foundation

/// The book's slots, indexed for window searches.
///
/// Slots live in one array; a slot's schedule, service, channel and times never change, so each belongs to
/// one bucket for its schedule, service and channel for life. A bucket lists its slots' positions in order
/// of start (then id). A search picks the buckets that can match and merges them with a small heap, so
/// finding the first 50 free slots costs a binary search per bucket plus one heap step for each slot passed
/// over (taken, held or unavailable) before the 50th free one: the work grows with how full the window is,
/// not with the size of the book.
struct SlotIndex {
    private struct BucketKey: Hashable {
        let schedule: Schedule.ID
        let serviceType: String
        let channel: DeliveryChannel
    }

    /// One schedule's slots for one service and channel.
    struct Bucket {
        let serviceType: String
        let channel: DeliveryChannel
        /// Positions in `slots`, in order of start, then id.
        var positions: [Int32] = []
    }

    private(set) var slots: [Slot] = []
    private var positionByID: [Slot.ID: Int] = [:]
    private var bucketByKey: [BucketKey: Int] = [:]
    private(set) var buckets: [Bucket] = []
    private var bucketsBySchedule: [Schedule.ID: [Int]] = [:]

    var count: Int { slots.count }
    /// The longest slot in the index, for finding the slots that overlap a period.
    private(set) var longestSlot: TimeInterval = 0

    func position(of id: Slot.ID) -> Int? { positionByID[id] }

    func contains(_ id: Slot.ID) -> Bool { positionByID[id] != nil }

    subscript(id: Slot.ID) -> Slot? {
        positionByID[id].map { slots[$0] }
    }

    /// Replaces a slot already in the index; its schedule, service, channel and times are the same.
    mutating func replace(_ slot: Slot) {
        guard let position = positionByID[slot.id] else { return }
        slots[position] = slot
    }

    /// Adds new slots, whose ids are not in the index.
    mutating func insert(_ newSlots: [Slot]) {
        var added: [Int: [Int32]] = [:]
        for slot in newSlots {
            longestSlot = max(longestSlot, slot.end.timeIntervalSince(slot.start))
            let position = slots.count
            slots.append(slot)
            positionByID[slot.id] = position
            let key = BucketKey(schedule: slot.schedule, serviceType: slot.serviceType, channel: slot.channel)
            let bucket: Int
            if let existing = bucketByKey[key] {
                bucket = existing
            } else {
                bucket = buckets.count
                buckets.append(Bucket(serviceType: slot.serviceType, channel: slot.channel))
                bucketByKey[key] = bucket
                bucketsBySchedule[slot.schedule, default: []].append(bucket)
            }
            added[bucket, default: []].append(Int32(position))
        }
        for (bucket, positions) in added {
            let sorted = positions.sorted { precedes($0, $1) }
            buckets[bucket].positions = merge(buckets[bucket].positions, sorted)
        }
    }

    /// The buckets of some schedules that hold a service and channel (either `nil` for any).
    func buckets(
        of schedules: some Sequence<Schedule.ID>,
        serviceType: String?,
        channel: DeliveryChannel?
    ) -> [Int] {
        var found: [Int] = []
        for schedule in schedules {
            for bucket in bucketsBySchedule[schedule] ?? [] {
                if let serviceType, buckets[bucket].serviceType != serviceType { continue }
                if let channel, buckets[bucket].channel != channel { continue }
                found.append(bucket)
            }
        }
        return found
    }

    /// Up to `limit` slots from some buckets starting in `earliest...latest` that `accept` takes, earliest
    /// first (then by id).
    func search(
        buckets chosen: [Int],
        earliest: Date,
        latest: Date,
        limit: Int,
        accept: (Slot) -> Bool
    ) -> [Slot] {
        guard limit > 0 else { return [] }
        // The heap holds, per bucket with slots left in the window, the bucket and its next place.
        var heap: [(bucket: Int, place: Int)] = []
        heap.reserveCapacity(chosen.count)
        for bucket in chosen {
            let place = firstPlace(in: buckets[bucket].positions, startingAtOrAfter: earliest)
            if place < buckets[bucket].positions.count { heap.append((bucket, place)) }
        }
        func before(_ a: (bucket: Int, place: Int), _ b: (bucket: Int, place: Int)) -> Bool {
            precedes(buckets[a.bucket].positions[a.place], buckets[b.bucket].positions[b.place])
        }
        func siftDown(_ start: Int) {
            var parent = start
            while true {
                let left = 2 * parent + 1
                guard left < heap.count else { return }
                var child = left
                if left + 1 < heap.count, before(heap[left + 1], heap[left]) { child = left + 1 }
                guard before(heap[child], heap[parent]) else { return }
                heap.swapAt(child, parent)
                parent = child
            }
        }
        for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(index) }

        var found: [Slot] = []
        while let top = heap.first, found.count < limit {
            let positions = buckets[top.bucket].positions
            let slot = slots[Int(positions[top.place])]
            guard slot.start <= latest else {
                // The earliest remaining slot of every bucket is past the window.
                break
            }
            if accept(slot) { found.append(slot) }
            if top.place + 1 < positions.count {
                heap[0].place += 1
            } else {
                heap[0] = heap[heap.count - 1]
                heap.removeLast()
            }
            if !heap.isEmpty { siftDown(0) }
        }
        return found
    }

    /// Whether any slot of the schedules, other than those in `ignoring`, overlaps `start..<end` and holds an
    /// appointment.
    func anyTaken(
        of schedules: some Sequence<Schedule.ID>,
        overlapping start: Date,
        _ end: Date,
        ignoring: Set<Slot.ID>
    ) -> Bool {
        for bucket in buckets(of: schedules, serviceType: nil, channel: nil) {
            let positions = buckets[bucket].positions
            var place = firstPlace(in: positions, startingAtOrAfter: start.addingTimeInterval(-longestSlot))
            while place < positions.count {
                let slot = slots[Int(positions[place])]
                guard slot.start < end else { break }
                if slot.end > start && slot.bookedCount > 0 && !ignoring.contains(slot.id) { return true }
                place += 1
            }
        }
        return false
    }

    private func precedes(_ a: Int32, _ b: Int32) -> Bool {
        let left = slots[Int(a)]
        let right = slots[Int(b)]
        return left.start != right.start ? left.start < right.start : left.id < right.id
    }

    private func firstPlace(in positions: [Int32], startingAtOrAfter moment: Date) -> Int {
        var low = 0
        var high = positions.count
        while low < high {
            let middle = (low + high) / 2
            if slots[Int(positions[middle])].start < moment { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private func merge(_ old: [Int32], _ new: [Int32]) -> [Int32] {
        guard !old.isEmpty else { return new }
        var merged: [Int32] = []
        merged.reserveCapacity(old.count + new.count)
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            if j == new.count || (i < old.count && precedes(old[i], new[j])) {
                merged.append(old[i])
                i += 1
            } else {
                merged.append(new[j])
                j += 1
            }
        }
        return merged
    }
}
