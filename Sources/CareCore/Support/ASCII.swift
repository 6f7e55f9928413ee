extension String {
    /// The string without leading and trailing ASCII white space (space, tab, CR, LF, form feed, vertical tab).
    package func trimmingASCIIWhitespace() -> String {
        let utf8 = self.utf8
        guard let first = utf8.firstIndex(where: { !$0.isASCIIWhitespace }) else { return "" }
        guard let last = utf8.lastIndex(where: { !$0.isASCIIWhitespace }) else { return "" }
        return String(self[first...last])
    }
}

extension UInt8 {
    /// Whether the byte is ASCII white space: space, tab, LF, vertical tab, form feed or CR.
    package var isASCIIWhitespace: Bool {
        self == 0x20 || (0x09...0x0D).contains(self)
    }

    /// Whether the byte is an ASCII digit.
    package var isASCIIDigit: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
    }

    /// Whether the byte is an ASCII letter.
    package var isASCIILetter: Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self)
    }
}

extension Int64 {
    /// Division rounding towards negative infinity, for day numbers before 1970.
    func flooredDivision(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
