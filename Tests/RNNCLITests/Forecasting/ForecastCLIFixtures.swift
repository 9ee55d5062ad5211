import Foundation
import XCTest

/// Small generated data files for the forecasting commands' tests.
enum ForecastCLIFixtures {
    /// A daily series from 2022-01-03: a slow sine plus a weekly pattern (`rows` rows).
    static func dailyCSV(in dir: URL, rows: Int = 120, name: String = "daily.csv") throws -> URL {
        var lines = ["date,value"]
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        var date = utc.date(from: DateComponents(year: 2022, month: 1, day: 3))!
        for i in 0..<rows {
            let c = utc.dateComponents([.year, .month, .day], from: date)
            let v = 10 + 3 * sin(Double(i) / 6) + Double(i % 7) * 0.2
            lines.append(String(format: "%04d-%02d-%02d,%.4f", c.year!, c.month!, c.day!, v))
            date = utc.date(byAdding: .day, value: 1, to: date)!
        }
        return try write(lines, to: dir.appendingPathComponent(name))
    }

    /// An hourly series from 2023-03-01 00:00 with hours 5 and 6 of the second day absent.
    static func hourlyCSV(in dir: URL, hours: Int = 96) throws -> URL {
        var lines = ["datetime,PM10"]
        for h in 0..<hours where h != 29 && h != 30 {
            let day = 1 + h / 24, hour = h % 24
            let v = 30 + 10 * sin(Double(h) * 2 * .pi / 24) + Double(h % 5)
            lines.append(String(format: "2023-03-%02d %02d:00:00,%.2f", day, hour, v))
        }
        return try write(lines, to: dir.appendingPathComponent("hourly.csv"))
    }

    @discardableResult
    static func write(_ lines: [String], to url: URL) throws -> URL {
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        return url
    }

    /// A GIOŚ-layout workbook with one station column (`MpKrakBujaka`), written as an
    /// uncompressed zip by hand.
    static func giosWorkbook(in dir: URL) throws -> URL {
        func cell(_ ref: String, _ text: String) -> String { "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(text)</t></is></c>" }
        let rows = [
            [cell("A1", "Kod stacji"), cell("B1", "MpKrakBujaka")],
            [cell("A2", "Kod stanowiska"), cell("B2", "MpKrakBujaka-PM10-1g")],
            [cell("A3", "2021-01-01 01:00:00"), "<c r=\"B3\"><v>12.5</v></c>"],
            [cell("A4", "2021-01-01 02:00:00"), "<c r=\"B4\"><v>13.5</v></c>"],
        ]
        let sheet = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
            + rows.enumerated().map { "<row r=\"\($0.offset + 1)\">\($0.element.joined())</row>" }.joined() + "</sheetData></worksheet>"
        let parts: [(String, String)] = [
            ("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>"),
            ("xl/workbook.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"PM10\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
            ("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"),
            ("xl/worksheets/sheet1.xml", sheet),
        ]
        let url = dir.appendingPathComponent("2021_PM10_1g.xlsx")
        try StoredZip.archive(parts.map { ($0.0, Array($0.1.utf8)) }).write(to: url)
        return url
    }
}

/// A zip archive with every entry stored (no compression): enough for a test workbook.
enum StoredZip {
    static func archive(_ entries: [(name: String, bytes: [UInt8])]) -> Data {
        var out: [UInt8] = [], central: [UInt8] = []
        func u16(_ v: Int, _ a: inout [UInt8]) { a += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
        func u32(_ v: UInt32, _ a: inout [UInt8]) { for k in 0..<4 { a.append(UInt8((v >> (8 * UInt32(k))) & 0xFF)) } }
        for (name, bytes) in entries {
            let crc = crc32(bytes), offset = UInt32(out.count), nameBytes = Array(name.utf8)
            u32(0x0403_4B50, &out); u16(20, &out); u16(0, &out); u16(0, &out); u16(0, &out); u16(0x21, &out)
            u32(crc, &out); u32(UInt32(bytes.count), &out); u32(UInt32(bytes.count), &out)
            u16(nameBytes.count, &out); u16(0, &out); out += nameBytes; out += bytes
            u32(0x0201_4B50, &central); u16(20, &central); u16(20, &central); u16(0, &central); u16(0, &central)
            u16(0, &central); u16(0x21, &central); u32(crc, &central); u32(UInt32(bytes.count), &central)
            u32(UInt32(bytes.count), &central); u16(nameBytes.count, &central); u16(0, &central); u16(0, &central)
            u16(0, &central); u16(0, &central); u32(0, &central); u32(offset, &central); central += nameBytes
        }
        let centralOffset = UInt32(out.count)
        out += central
        u32(0x0605_4B50, &out); u16(0, &out); u16(0, &out); u16(entries.count, &out); u16(entries.count, &out)
        u32(UInt32(central.count), &out); u32(centralOffset, &out); u16(0, &out)
        return Data(out)
    }

    /// CRC-32 (IEEE, reflected, polynomial 0xEDB88320).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
        }
        return ~c
    }
}
