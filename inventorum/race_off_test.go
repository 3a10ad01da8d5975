//go:build !race

package inventorum_test

const raceEnabled = false
