//go:build race

package hardening_test

// raceEnabled: the race detector slows every call several times over.
const raceEnabled = true
