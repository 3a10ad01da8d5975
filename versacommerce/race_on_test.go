//go:build race

package versacommerce_test

// raceEnabled shortens the model test under the race detector.
const raceEnabled = true
