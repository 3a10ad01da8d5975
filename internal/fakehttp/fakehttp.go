// Package fakehttp holds what the in-memory fakes of the client packages
// (attivitatest, inventorumtest, versacommercetest, adilitytest) share: the
// log of requests behind their Requests and Count methods, and the JSON
// writer of their answers.
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
