//go:build race

package inventorum_test

// raceEnabled shortens the model test under the race detector.
const raceEnabled = true
