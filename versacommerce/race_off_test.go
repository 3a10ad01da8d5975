//go:build !race

package versacommerce_test

const raceEnabled = false
