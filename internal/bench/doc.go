// Package bench measures what the orderkit clients cost over hand-written
// code. It holds no code of its own: its benchmarks (in _test.go files) run
// each client and a bare net/http + encoding/json baseline, decoding into
// the same exported model types, against one loopback server that answers
// with the vendors' documented payloads replicated under distinct ids.
//
// Run them with
//
//	go test -run='^$' -bench=. -benchmem -count=6 ./internal/bench/
//
// and read BENCHMARKS.md in this directory for the figures and what
// they mean.
package bench
