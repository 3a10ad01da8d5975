package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// Without REDIS_URL the program runs on a fresh machine: three workers in
// one process against three fake accounts.
func TestRunWithoutRedis(t *testing.T) {
	var out, errOut bytes.Buffer
	getenv := func(string) string { return "" }
	if err := run(context.Background(), []string{"-for", "2s"}, getenv, &out, &errOut); err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	s := out.String()
	if strings.Count(s, ", 0 answered 429") != 3 || strings.Count(s, "(0 failed)") != 3 || strings.Count(s, ", 0 twice") != 3 {
		t.Fatalf("output:\n%s", s)
	}
	if strings.Contains(s, " 0 order versions synced") {
		t.Fatalf("an account synced nothing:\n%s", s)
	}
}
