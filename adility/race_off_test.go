//go:build !race

package adility_test

const raceEnabled = false
