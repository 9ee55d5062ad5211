import Foundation
import Forecast
import Recurrent

/// One parser under test: it may throw on any input, and must do nothing else wrong (no trap,
/// no hang, no runaway allocation — the sanitizers and libFuzzer's limits watch for those).
struct Harness: Sendable {
    let name: String
    let what: String
    let run: @Sendable ([UInt8]) throws -> Void
    /// Valid inputs to start from (libFuzzer mutates them).
    let seeds: @Sendable () -> [[UInt8]]
    /// Inputs that once crashed or hung `rnn` (issue 10), kept in the corpus for good.
    var regressions: @Sendable () -> [[UInt8]] = { [] }

    static let all: [Harness] = [
        Harness(name: "csv", what: "time-series CSV (CSVReader)",
                run: { _ = try CSVReader.read(bytes: $0, file: "fuzz.csv") },
                seeds: { [Array("date,value\n2024-01-01,1.5\n2024-01-02,\n2024-01-03,NaN\n".utf8),
                          Array("time;a;b\r\n01.02.2024 10:00;1,5;2\r\n01.02.2024 11:00;3;4\r\n".utf8)] },
                regressions: { [Array("d,v,v\n2024-01-01,1,2\n".utf8), Array("d,v\n0001-01-01,1\n9999-12-31,2\n".utf8)] }),
        Harness(name: "nbp", what: "NBP table A archive (cp1250, CRLF)",
                run: { _ = try NBPReader.read(bytes: $0, file: "archiwum_tab_a_2024.csv", currencies: ["USD", "HUF"]) },
                seeds: { [Array("data;1USD;100HUF;nr tabeli\r\n20240102;3,9432;1,1374;1/A/NBP/2024\r\n20240103;3,9909;1,1488;2/A/NBP/2024\r\nkod ISO;USD;HUF;\r\n".utf8)] }),
        Harness(name: "xlsx", what: "GIOŚ workbook (.xlsx: ZIP, DEFLATE, XML)",
                run: { _ = try XLSXReader.firstSheet(bytes: $0, file: "fuzz.xlsx") },
                seeds: { [SeedWorkbook.bytes()] },
                regressions: { RegressionWorkbooks.all() }),
        Harness(name: "gios-csv", what: "GIOŚ CSV export",
                run: { _ = try GIOSReader.readCSV(bytes: $0, file: "fuzz.csv", station: "MpKrakZloRog") },
                seeds: { [Array("Kod stacji;MpKrakZloRog\nWskaźnik;PM10\n2021-01-01 01:00:00;12,5\n2021-01-01 02:00:00;13\n".utf8)] }),
        Harness(name: "npy", what: "NumPy .npy array",
                run: { _ = try NPY.decode(Data($0)) },
                seeds: { [Array(NPY.encode(Tensor(shape: [2, 3, 1], scalars: [1, 2, 3, 4, 5, 6]))),
                          Array(NPY.encode(Tensor(shape: [4], scalars: [1, 2, 3, 4]), dtype: .float64))] }),
        Harness(name: "csv-array", what: "numeric CSV array (rnn predict input)",
                run: { _ = try CSVArray.parse(Data($0)) },
                seeds: { [Array("a,b\n1,2\n3,4.5e-1\n".utf8)] }),
        Harness(name: "safetensors", what: "safetensors file (header JSON + data)",
                run: { _ = try Safetensors(data: Data($0)) },
                seeds: { [SeedModel.bytes()] }),
        Harness(name: "model-file", what: "model file (safetensors + architecture, rebuilt)",
                run: { _ = try ModelFile.read(data: Data($0), file: "fuzz.safetensors") },
                seeds: { [SeedModel.bytes()] },
                regressions: { RegressionModels.all() }),
        Harness(name: "json", what: "safetensors header JSON (MiniJSON) behind a valid length",
                run: { json in
                    var bytes = withUnsafeBytes(of: UInt64(json.count).littleEndian) { Array($0) }
                    bytes += json
                    _ = try Safetensors(data: Data(bytes))
                },
                seeds: { [Array(#"{"__metadata__": {"a": "b"}, "w": {"dtype": "F32", "shape": [0], "data_offsets": [0, 0]}}"#.utf8)] }),
        Harness(name: "model-spec", what: "--model spec strings",
                run: { _ = try ModelSpec.model(String(decoding: $0, as: UTF8.self)) },
                seeds: { [Array("lstm:50:seq,dropout:0.2,lstm:50,dense:1".utf8), Array("bigru:8:sum:bptt=4,conv1d:4:3:d=2:relu,dense:2:softmax".utf8)] },
                regressions: { ["lstm:3000000000000000000", "conv1d:4:5000", "conv1d:4:3:d=3000000000", "lstm:3:bptt=99999999999", "bilstm:3:stateful", "lstm:600000"].map { Array($0.utf8) } }),
        Harness(name: "study-grid", what: "rnn study --grid JSON",
                run: { _ = try StudyGrid.parse(Data($0), file: "grid.json") },
                seeds: { [Array(#"{"epochs": 2, "lookback": 24, "architectures": ["lstm:8,dense:1", {"name": "g", "spec": "gru:4,dense:1", "calendar": ["hour"]}]}"#.utf8)] },
                regressions: { [Array(#"{"learningRate": 1, "epochs": true, "architectures": ["lstm:600000,dense:1"]}"#.utf8)] }),
        Harness(name: "study-grid-yaml", what: "rnn study --grid YAML (Yams behind the nesting check)",
                run: { _ = try StudyGrid.parse(Data($0), file: "grid.yaml") },
                seeds: { [Array("epochs: 2\nlookback: 24\narchitectures:\n  - lstm:8,dense:1\n  - name: g\n    spec: gru:4,dense:1\n    calendar: [hour]\n".utf8)] },
                // 200,000 nested brackets or block markers overflowed Yams' recursive parser (a segfault).
                regressions: { [Array(("architectures: " + String(repeating: "[", count: 200_000)).utf8),
                                 Array(("architectures:\n" + String(repeating: "- ", count: 100_000) + "x\n").utf8)] }),
    ]
}

/// A small valid model file to start the model-file and safetensors harnesses from.
enum SeedModel {
    static func bytes() -> [UInt8] {
        var model = Sequential { LSTM(2, returnSequences: true); GRU(2); Dense(1) }
        try! model.build(inputShape: [3, 1], seed: 1)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-fuzz-seed-\(getpid()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try! model.save(to: url)
        return Array(try! Data(contentsOf: url))
    }
}

/// A stored (uncompressed) minimal workbook, built by hand so the seed needs no zip library.
enum SeedWorkbook {
    static func bytes() -> [UInt8] {
        let parts: [(String, String)] = [
            ("xl/workbook.xml", #"<workbook xmlns:r="r"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
            ("xl/_rels/workbook.xml.rels", #"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#),
            ("xl/sharedStrings.xml", "<sst><si><t>Kod stacji</t></si><si><t>MpKrakZloRog</t></si></sst>"),
            ("xl/worksheets/sheet1.xml", #"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>2021-01-01 01:00:00</t></is></c><c r="B2"><v>12.5</v></c></row></sheetData></worksheet>"#),
        ]
        return StoredZip.make(parts.map { ($0.0, Array($0.1.utf8)) })
    }
}

/// The workbooks of issue 10 that crashed FoundationXML or overflowed a cell reference.
enum RegressionWorkbooks {
    static func all() -> [[UInt8]] {
        func book(workbook: [UInt8], sheetData: String) -> [UInt8] {
            StoredZip.make([
                ("xl/workbook.xml", workbook),
                ("xl/_rels/workbook.xml.rels", Array(#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#.utf8)),
                ("xl/worksheets/sheet1.xml", Array("<worksheet><sheetData>\(sheetData)</sheetData></worksheet>".utf8)),
            ])
        }
        let plain = Array(#"<workbook xmlns:r="r"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>"#.utf8)
        return [
            book(workbook: Array("<?abc?>".utf8) + plain, sheetData: ""),
            book(workbook: Array("<".utf8) + [0xFE, 0xFF, 0xFF, 0xFF] + Array("/>".utf8), sheetData: ""),
            book(workbook: plain, sheetData: #"<row r="1"><c r="ABCDEFGHIJKLMN1"><v>1</v></c></row>"#),
            book(workbook: plain, sheetData: #"<row r="1"><c r="XFDXFDXF1"><v>1</v></c></row>"#),
            book(workbook: plain, sheetData: #"<row r="9223372036854775807"><c r="A1"><v>1</v></c></row>"#),
        ]
    }
}

/// The model files of issue 10 whose architecture asked for absurd sizes.
enum RegressionModels {
    static func all() -> [[UInt8]] {
        ["[{\"type\": \"LSTM\", \"units\": 3000000000000000000}]", "[{\"type\": \"LSTM\", \"units\": 100000000}]",
         "[{\"type\": \"SimpleRNN\", \"units\": 3000}]"].map { file(layers: $0, inputShape: "[4, 1]") }
            + [file(layers: "[{\"type\": \"Dense\", \"units\": 1}]", inputShape: "[1000000000]")]
    }

    static func file(layers: String, inputShape: String) -> [UInt8] {
        let json = #"{"format": "recurrent-model", "version": 1, "input_shape": \#(inputShape), "layers": \#(layers)}"#
        let st = Safetensors(tensors: [("layers.0.weight", Tensor(shape: [1, 1], scalars: [0.5])),
                                       ("layers.0.bias", Tensor(shape: [1], scalars: [0]))],
                             metadata: [ModelFile.architectureKey: json])
        return Array(try! st.encoded())
    }
}
