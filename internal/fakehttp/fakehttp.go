// Package fakehttp holds what the in-memory fakes of the client packages
// (attivitatest, inventorumtest, versacommercetest, adilitytest) share:
// Server, which a fake embeds for its faults, request log, clock and
// in-memory Transport; the Fault vocabulary and its queue; Loopback, a
// loopback server that misbehaves in front of any handler; and WriteJSON.
//
// Migrating a fake onto Server (widgetFake in server_test.go does it):
//
//  1. Embed fakehttp.Server[Request] (Request: the fake's request record) and
//     delete the fake's faults, log and now fields and its methods of the
//     same names as Server's (FailNext … DelayNext, FailNextOn, Requests,
//     Count, SetClock) and its round tripper.
//  2. NewServer: s := &Server{...}; fakehttp.Bind(&s.Server, s); return s.
//  3. ServeHTTP: fakehttp.Record(&s.Server, method, path, Request{...})
//     (deferred if the record holds the status answered), then
//     fakehttp.Serve(&s.Server, w, r, s.serve) for s.faults.Serve; Serve sets
//     Date from the clock. Requests that faults skip call s.serve directly.
//  4. Read the clock with s.Now(); users write
//     hc := &http.Client{Transport: fake.Transport()}.
//  5. go doc does not list promoted methods: name them in the fake's Server
//     doc, with what the deleted docs said of this fake alone.
package fakehttp

import (
	"encoding/json"
	"net/http"
	"sync"
)

// Log records the requests a fake answered, each as the fake's own request
// type R filed under its method and path. The zero Log is empty and ready;
// it is safe for concurrent use.
type Log[R any] struct {
	mu      sync.Mutex
	entries []entry[R]
}

type entry[R any] struct {
	method, path string
	req          R
}

// Add records req under method and path.
func (l *Log[R]) Add(method, path string, req R) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, entry[R]{method, path, req})
}

// All returns the recorded requests, oldest first, in a new slice.
func (l *Log[R]) All() []R {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]R, len(l.entries))
	for i, e := range l.entries {
		out[i] = e.req
	}
	return out
}

// Count returns how many requests were recorded with method and path.
func (l *Log[R]) Count(method, path string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, e := range l.entries {
		if e.method == method && e.path == path {
			n++
		}
	}
	return n
}

// WriteJSON answers status with v as JSON (Content-Type application/json;
// charset=utf-8), with <, > and & left as they are, as the APIs send them.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
