// Package bench measures what the orderkit clients cost over hand-written
// code. It holds no code of its own: its benchmarks (in _test.go files) run
// each scenario three ways against one loopback server that answers with
// the vendors' documented payloads, each order of a page with an id and
// per-order values (names, addresses, prices) of its own:
//
//   - impl=handwritten: the client a Go developer writes by hand, net/http
//     and encoding/json into plain structs of their own (the baseline);
//   - impl=sdktypes: the same bare net/http code decoding into the SDK's
//     exported types, so that sdk against it is the pipeline's overhead
//     (less the pass encoding/json makes over each body on this side);
//   - impl=sdk: the SDK client.
//
// Run them with
//
//	go test -run='^$' -bench=. -benchmem -count=6 ./internal/bench/ | tee /tmp/bench.txt
//	go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da -col /impl /tmp/bench.txt
//
// and read BENCHMARKS.md in this directory for the figures and what
// they mean.
package bench
