import Recurrent

/// The linear ARX baseline: a linear autoregression on exactly the model's inputs — the
/// target's lookback in levels plus every other input channel of the window (past
/// covariates, future-known covariates, calendar) — fitted by least squares on the training
/// windows. With covariates, a network has to beat this, not only the univariate `linear_ar`.
extension PreparedData {
    /// The regressors of window `n`: its target levels, then channels 1… of each input step.
    func arxInputs(_ n: Int) -> [Double] {
        let l = windows.inputs.shape[1], f = windows.inputs.shape[2]
        var x = levelHistory(n)
        x.reserveCapacity(l * f)
        let base = n * l * f
        for s in 0..<l {
            for c in 1..<f { x.append(Double(windows.inputs.scalars[base + s * f + c])) }
        }
        return x
    }

    /// The ARX fitted on the training windows; nil when the model has no input beside the
    /// target (then it is `linear_ar`) or the fit fails.
    func linearARX() -> LinearAutoregression? {
        guard windows.inputs.shape[2] > 1 else { return nil }
        let train = Array(trainIndices)
        return try? LinearAutoregression(inputs: train.map(arxInputs), targets: train.map(actualLevels))
    }
}

extension PreparedData {
    /// Turns the model into a correction of the linear ARX: fits it on the training windows,
    /// stores its scaled forecast of every window and subtracts it from the training and
    /// validation targets (one step ahead, levels only; checked by the set-up).
    mutating func fitLinearOffsets() throws {
        guard let arx = windows.inputs.shape[2] > 1 ? linearARX()
                : try? LinearAutoregression(inputs: trainIndices.map { levelHistory($0) }, targets: trainIndices.map { actualLevels($0) }) else {
            throw ExperimentError.notEnoughData("the linear model under the network could not be fitted on the training windows")
        }
        let offsets = (0..<windows.count).map { n in
            scalings[0].transform(arx.predict(windows.inputs.shape[2] > 1 ? arxInputs(n) : levelHistory(n))[0])
        }
        linearOffsets = offsets
        trainingWindows.targets = PreparedData.subtracting(offsets, at: Array(trainIndices), from: trainingWindows.targets)
        if let v = validationWindows {
            validationWindows!.targets = PreparedData.subtracting(offsets, at: Array(validationIndices), from: v.targets)
        }
    }

    static func subtracting(_ offsets: [Double], at indices: [Int], from targets: Tensor) -> Tensor {
        var out = targets
        for (row, n) in indices.enumerated() { out.scalars[row] -= Float(offsets[n]) }
        return out
    }
}
