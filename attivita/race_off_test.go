//go:build !race

package attivita_test

// raceEnabled shortens the model test under the race detector.
const raceEnabled = false
