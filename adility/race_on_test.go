//go:build race

package adility_test

// raceEnabled shortens the model test under the race detector.
const raceEnabled = true
